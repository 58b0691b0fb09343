"""The partner pages, in Swedish and English, as the person who can see them, checked with axe.

Kept beside test_accessibility.py (same harness) while that file is being reworked; the cases
can move into its CASES list as they are.
"""

import pytest
from playwright.sync_api import expect

from accounts.models import Membership
from partners import actions
from tests.browser.conftest import assert_accessible, assert_no_console_problems, sign_in
from tests.factories import (
    FokusomradeFactory,
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    StadsdelFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

LANGUAGES = ["sv", "en"]


@pytest.fixture
def world(db):
    fokus, stadsdel = FokusomradeFactory(), StadsdelFactory(name="Dalhem")
    author = UserFactory()
    initiative = InitiativeFactory(
        author=author,
        fokusomrade=fokus,
        stadsdel=stadsdel,
        seeking_partners=True,
        partner_needs=["venue", "volunteers"],
        partner_needs_text="En lokal för tjugo personer.",
    )
    organisation = OrganisationFactory(offers=["venue"], offers_text="Vår lokal.")
    organisation.fokusomraden.set([fokus])
    organisation.stadsdelar.set([stadsdel])
    member = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    OrganisationFactory(whole_city=True, offers=["volunteers"]).fokusomraden.set([fokus])
    offer = actions.offer_make(
        user=member, initiative=initiative, message="Vi har en lokal.", organisation=organisation
    )
    actions.message_send(user=author, offer=offer, body="Tack, när passar det?")
    actions.message_send(user=member, offer=offer, body="Lördagar.")
    InitiativeFactory(seeking_partners=True, partner_needs=["venue"], fokusomrade=fokus)
    return {
        "author": author,
        "member": member,
        "initiative": initiative,
        "organisation": organisation,
        "offer": offer,
        "resident": UserFactory(),
    }


CASES = [
    # The directory's organisation tab is the organisation directory (/samarbeten/ leads there).
    ("directory-organisations", "/organisationer/", None),
    ("directory-filtered", "/organisationer/?erbjuder=venue&q=F", None),
    ("directory-initiatives", "/samarbeten/initiativ/", None),
    ("directory-initiatives-none", "/samarbeten/initiativ/?q=rymdhiss", None),
    ("offer-form", "/initiativ/{initiative}/erbjud-hjalp/", "resident"),
    ("offers", "/initiativ/{initiative}/erbjudanden/", "author"),
    ("thread-as-author", "/samarbeten/erbjudanden/{offer}/", "author"),
    ("thread-as-member", "/samarbeten/erbjudanden/{offer}/", "member"),
    ("initiative-as-author", "/initiativ/{initiative_slug}/", "author"),
    ("organisation-as-member", "/organisationer/{organisation}/", "member"),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case[0])
def test_partner_page_is_accessible(page, world, case, language):
    _name, path, role = case
    if role:
        sign_in(page, world[role], language=language)
    initiative = world["initiative"]
    path = ("/en" if language == "en" else "") + path.format(
        initiative=initiative.pk,
        initiative_slug=f"{initiative.pk}-{initiative.slug}",
        offer=world["offer"].pk,
        organisation=world["organisation"].slug,
    )

    assert page.goto(path).status == 200

    assert page.locator("html").get_attribute("lang") == language
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    assert_no_console_problems(page)
