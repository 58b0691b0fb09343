"""Who may do what with an organisation: every role against every action."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts import actions
from accounts.models import Membership
from accounts.permissions import (
    can_create_organisation,
    can_edit_organisation,
    can_manage_members,
    can_see_members,
)
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    person,
)

ROLES = [
    "visitor",
    "unverified",
    "resident",
    "org_member",
    "org_admin",
    "moderator",
    "responder",
    "blocked",
]


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


def _person(role: str, organisation):
    return person(role, organisation=organisation)


# Expected answers, in the order of ROLES.
GRID = {
    "create": [False, False, True, True, True, True, True, False],
    "edit": [False, False, False, False, True, False, False, False],
    "manage_members": [False, False, False, False, True, False, False, False],
    "see_members": [False, False, False, True, True, True, False, False],
}
PREDICATES = {
    "create": lambda user, organisation: can_create_organisation(user),
    "edit": can_edit_organisation,
    "manage_members": can_manage_members,
    "see_members": can_see_members,
}


@pytest.mark.parametrize("action", list(GRID))
@pytest.mark.parametrize("role", ROLES)
def test_permission_grid(organisation, role, action):
    user = _person(role, organisation)

    assert PREDICATES[action](user, organisation) is GRID[action][ROLES.index(role)]


PAGES = {
    "create": ("/organisationer/ny/", "create"),
    "edit": ("/organisationer/{slug}/redigera/", "edit"),
    "members": ("/organisationer/{slug}/medlemmar/", "manage_members"),
}


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_pages_follow_the_grid(client, organisation, role, page):
    user = _person(role, organisation)
    if user.is_authenticated:
        client.force_login(user)
    url, action = PAGES[page]

    response = client.get(url.format(slug=organisation.slug))

    if GRID[action][ROLES.index(role)]:
        assert response.status_code == 200
    elif role == "visitor":
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/")
    else:
        assert response.status_code == 403
        # The refusal says why, in the visitor's language (Swedish by default).
        assert "<h1>" in response.content.decode()


@pytest.mark.parametrize("role", ["unverified", "resident", "org_member", "moderator", "blocked"])
def test_actions_refuse_people_who_may_not_manage_members(organisation, role):
    user = _person(role, organisation)
    target = MembershipFactory(organisation=organisation)

    with pytest.raises(PermissionDenied):
        actions.invitation_send(
            user=user, organisation=organisation, email="x@example.org", role="member"
        )
    with pytest.raises(PermissionDenied):
        actions.membership_remove(user=user, membership=target)
    with pytest.raises(PermissionDenied):
        actions.organisation_update(user=user, organisation=organisation, fields={"name": "Ny"})
    assert Membership.objects.filter(pk=target.pk).exists()


def test_organisation_page_is_public_but_members_are_not(client, organisation):
    member = MembershipFactory(organisation=organisation, user__display_name="Hemlig Person")

    public = client.get(organisation.get_absolute_url())
    client.force_login(member.user)
    as_member = client.get(organisation.get_absolute_url())

    assert public.status_code == 200
    assert organisation.name in public.content.decode()
    assert "Hemlig Person" not in public.content.decode()
    assert "Hemlig Person" in as_member.content.decode()
