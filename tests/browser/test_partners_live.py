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
