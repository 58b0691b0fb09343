import pytest

from accounts.models import Membership
from partners.models import PartnerOffer
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    ModeratorFactory,
    OrganisationFactory,
    UnverifiedUserFactory,
    UserFactory,
    blocked_user,
)


def seeking(**fields):
    """A published initiative that asks for a venue and volunteers."""
    fields = {"seeking_partners": True, "partner_needs": ["venue", "volunteers"]} | fields
    return InitiativeFactory(**fields)


class Roles:
    """One person of each role around one initiative and one organisation's offer on it."""

    def __init__(self):
        self.author = UserFactory(display_name="Författaren")
        self.initiative = seeking(author=self.author)
        self.organisation = OrganisationFactory(name="Dalhems grannar")
        self.admin = MembershipFactory(
            organisation=self.organisation, role=Membership.Role.ADMIN
        ).user
        self.member = MembershipFactory(organisation=self.organisation).user
        self.people = {
            "visitor": None,
            "unverified": UnverifiedUserFactory(),
            "resident": UserFactory(),
            "org_member": self.member,
            "org_admin": self.admin,
            "author": self.author,
            "moderator": ModeratorFactory(),
            "blocked": blocked_user(),
        }

    def offer(self, **fields) -> PartnerOffer:
        fields = {
            "initiative": self.initiative,
            "offered_by": self.admin,
            "organisation": self.organisation,
            "message": "Vi har en lokal.",
        } | fields
        return PartnerOffer.objects.create(**fields)


@pytest.fixture
def roles(db) -> Roles:
    return Roles()
