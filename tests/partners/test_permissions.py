"""Every action against every role: who may, and who is refused."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from partners import actions
from partners.models import OfferMessage, PartnerOffer

ROLES = [
    "visitor",
    "unverified",
    "resident",
    "org_member",
    "org_admin",
    "author",
    "moderator",
    "blocked",
]


def _person(roles, role):
    return roles.people[role] or AnonymousUser()


def _allowed(call) -> bool:
    try:
        call()
    except (PermissionDenied, ValidationError):
        return False
    return True


# Who may, per action; every other role is refused.
GRID = {
    "offer_make_alone": {"resident", "org_member", "org_admin", "moderator"},
    "offer_make_for_organisation": {"org_member", "org_admin"},
    "offer_accept": {"author"},
    "offer_decline": {"author"},
    "offer_withdraw": {"org_member", "org_admin"},
    "partnership_end": {"author"},
    "message_send": {"author", "org_member", "org_admin"},
    "message_flag": {"author", "org_member"},
}


def _run(name, roles, user):
    if name == "offer_make_alone":
        return lambda: actions.offer_make(user=user, initiative=roles.initiative, message="Hej")
    if name == "offer_make_for_organisation":
        return lambda: actions.offer_make(
            user=user, initiative=roles.initiative, message="Hej", organisation=roles.organisation
        )
    if name in {"offer_accept", "offer_decline", "offer_withdraw"}:
        offer = roles.offer()
        return lambda: getattr(actions, name)(user=user, offer=offer)
    if name == "partnership_end":
        offer = roles.offer(status=PartnerOffer.Status.ACCEPTED)
        return lambda: actions.partnership_end(user=user, offer=offer)
    if name == "message_send":
        offer = roles.offer()
        return lambda: actions.message_send(user=user, offer=offer, body="Hej")
    offer = roles.offer()
    message = OfferMessage.objects.create(offer=offer, author=roles.admin, body="Köp billigt!")
    return lambda: actions.message_flag(user=user, message=message)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(GRID))
def test_permission_grid(roles, action, role):
    user = _person(roles, role)

    allowed = _allowed(_run(action, roles, user))

    assert allowed == (role in GRID[action]), f"{action} by {role}"


def test_only_members_act_for_an_organisation(roles):
    outsider = roles.people["resident"]

    with pytest.raises(PermissionDenied):
        actions.offer_make(
            user=outsider,
            initiative=roles.initiative,
            message="Hej",
            organisation=roles.organisation,
        )

    assert not PartnerOffer.objects.exists()
