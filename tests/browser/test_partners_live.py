"""An association member offers help, the author accepts, and each sees the other's step live."""

import pytest
from playwright.sync_api import expect

from accounts.models import Membership
from partners.models import PartnerOffer
from tests.browser.conftest import assert_no_console_problems, sign_in
from tests.browser.test_initiatives_live import (  # noqa: F401 — fixtures, used by name.
    open_live,
    other_context,
    other_page,
)
from tests.factories import InitiativeFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.browser

SOCKET = '[ws-connect^="/ws/notiser/"]'


def test_an_offer_and_its_acceptance_show_live_to_both(page, other_page):  # noqa: F811
    author = UserFactory(display_name="Karin Persson")
    initiative = InitiativeFactory(
        title="Cykelverkstad för barn",
        author=author,
        seeking_partners=True,
        partner_needs=["venue"],
    )
    organisation = OrganisationFactory(name="Dalhems grannskapsförening", offers=["venue"])
    member = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user

    sign_in(page, author, language="en")
    open_live(page, f"/en/initiativ/{initiative.pk}/erbjudanden/", SOCKET)
    expect(page.locator("#no-offers")).to_be_visible()

    sign_in(other_page, member, language="en")
    other_page.goto(f"/en{initiative.get_absolute_url()}")
    other_page.get_by_role("link", name="Offer help").click()
    other_page.get_by_label("Who offers help").select_option(label=organisation.name)
    other_page.get_by_label("What can you offer?").fill("Our hall is free on Saturdays.")
    with other_page.expect_navigation():
        other_page.get_by_role("button", name="Send the offer").click()
    offer = PartnerOffer.objects.get()
    expect(other_page.locator(f"#offer-{offer.pk}-status")).to_contain_text("Waiting for an answer")
    expect(other_page.locator(f"{SOCKET}[data-live-opened-before=true]")).to_have_count(1)

    card = page.locator(f"#offer-card-{offer.pk}")
    expect(card).to_contain_text("Our hall is free on Saturdays.")
    expect(page.locator("#no-offers")).to_be_hidden()

    card.get_by_role("link", name="Open the conversation").click()
    page.get_by_label("Your reply (optional)").fill("Welcome!")
    with page.expect_navigation():
        page.get_by_role("button", name="Accept").click()

    status = other_page.locator(f"#offer-{offer.pk}-status")
    expect(status).to_contain_text("Accepted")
    expect(status).to_contain_text("Welcome!")
    assert other_page.evaluate("() => performance.getEntriesByType('navigation').length") == 1

    page.goto(f"/en{initiative.get_absolute_url()}")
    expect(page.locator("#initiative-partners")).to_contain_text(organisation.name)
    other_page.goto(f"/en{organisation.get_absolute_url()}")
    expect(other_page.locator("#partner-initiatives")).to_contain_text(initiative.title)
    assert_no_console_problems(page)
    assert_no_console_problems(other_page)


def _pending_offer() -> PartnerOffer:
    """An association's offer of a venue, waiting for the author's answer."""
    initiative = InitiativeFactory(
        author=UserFactory(display_name="Karin Persson"),
        seeking_partners=True,
        partner_needs=["venue"],
    )
    organisation = OrganisationFactory(name="Dalhems grannskapsförening")
    member = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    return PartnerOffer.objects.create(
        initiative=initiative,
        offered_by=member,
        organisation=organisation,
        message="Vi har en lokal.",
    )


def test_a_message_that_arrives_live_can_be_flagged_at_once(page, other_page):  # noqa: F811
    offer = _pending_offer()
    author, member = offer.initiative.author, offer.offered_by
    sign_in(page, member, language="en")
    open_live(page, f"/en{offer.get_absolute_url()}", SOCKET)

    sign_in(other_page, author, language="en")
    other_page.goto(f"/en{offer.get_absolute_url()}")
    other_page.get_by_label("Message").fill("Ring mig på 070-123 45 67.")
    with other_page.expect_navigation():
        other_page.get_by_role("button", name="Send", exact=True).click()
    message = offer.messages.get()

    arrived = page.locator(f"#{message.dom_id}")
    expect(arrived).to_contain_text("Ring mig på 070-123 45 67.")
    # The author's own copy of the message has no flag button; the other side's, pushed live,
    # has one, and it works without a reload.
    expect(other_page.locator(f"#{message.dom_id}").get_by_role("button")).to_have_count(0)
    with page.expect_navigation():
        arrived.get_by_role("button", name="Flag the message").click()
    expect(page.locator("body")).to_contain_text("A moderator will look at the message.")
    message.refresh_from_db()
    assert message.flagged_by == member
    expect(page.locator(f"#{message.dom_id}")).to_contain_text("Flagged for moderation.")
    assert_no_console_problems(page)
    assert_no_console_problems(other_page)


def test_a_withdrawn_offer_loses_its_answer_buttons_on_the_authors_page(page, other_page):  # noqa: F811
    offer = _pending_offer()
    author, member = offer.initiative.author, offer.offered_by
    sign_in(page, author, language="en")
    open_live(page, f"/en{offer.get_absolute_url()}", SOCKET)
    expect(page.get_by_role("button", name="Accept")).to_be_visible()

    sign_in(other_page, member, language="en")
    other_page.goto(f"/en{offer.get_absolute_url()}")
    # The author's page asks for its part of the page again, as htmx does (no reload).
    refetched = page.expect_request(
        lambda request: (
            request.url.endswith(f"/en{offer.get_absolute_url()}")
            and request.headers.get("hx-request") == "true"
        )
    )
    with refetched, other_page.expect_navigation():
        other_page.get_by_role("button", name="Withdraw the offer").click()

    expect(page.locator(f"#offer-{offer.pk}-status")).to_contain_text("Withdrawn")
    expect(page.get_by_role("button", name="Accept")).to_have_count(0)
    expect(page.get_by_role("button", name="Decline")).to_have_count(0)
    expect(page.locator(f"#offer-{offer.pk}-actions")).to_have_count(1)
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
    assert_no_console_problems(page)
    assert_no_console_problems(other_page)
