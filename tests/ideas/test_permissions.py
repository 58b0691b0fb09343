"""Every role against every initiative action, in one grid."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ideas import permissions
from tests.factories import (
    CommentFactory,
    DraftFactory,
    InitiativeFactory,
    MembershipFactory,
    ModeratorFactory,
    ResponderFactory,
    UnverifiedUserFactory,
    UserFactory,
)

ROLES = [
    "visitor",
    "unverified",
    "resident",
    "org_member",
    "author",
    "moderator",
    "responder",
]


def _person(role, initiative, comment):
    match role:
        case "visitor":
            return AnonymousUser()
        case "unverified":
            return UnverifiedUserFactory()
        case "resident":
            return UserFactory()
        case "org_member":
            return MembershipFactory().user
        case "author":
            return initiative.author
        case "moderator":
            return ModeratorFactory()
        case "responder":
            return ResponderFactory()


# Answers in the order of ROLES. "author" is the author of the initiative (and of the comment).
GRID = {
    "propose": [False, False, True, True, True, True, True],
    "edit_draft": [False, False, False, False, True, False, False],
    "submit_draft": [False, False, False, False, True, False, False],
    "withdraw_published": [False, False, False, False, True, False, False],
    "support_published": [False, False, True, True, False, True, True],
    "comment_published": [False, False, True, True, True, True, True],
    "comment_on_draft": [False, False, False, False, False, False, False],
    "edit_comment": [False, False, False, False, True, False, False],
    "remove_comment": [False, False, False, False, True, False, False],
    "edit_published": [False, False, False, False, False, False, False],
}


def _answer(action, user, published, draft, comment):
    match action:
        case "propose":
            return permissions.can_propose(user)
        case "edit_draft":
            return permissions.can_edit(user, draft)
        case "submit_draft":
            return permissions.can_submit(user, draft)
        case "withdraw_published":
            return permissions.can_withdraw(user, published)
        case "support_published":
            return permissions.can_support(user, published)
        case "comment_published":
            return permissions.can_comment(user, published)
        case "comment_on_draft":
            return permissions.can_comment(user, draft)
        case "edit_comment":
            return permissions.can_edit_comment(user, comment)
        case "remove_comment":
            return permissions.can_remove_comment(user, comment)
        case "edit_published":
            return permissions.can_edit(user, published)


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(GRID))
@pytest.mark.parametrize("role", ROLES)
def test_permission_grid(role, action):
    author = UserFactory()
    published = InitiativeFactory(author=author)
    draft = DraftFactory(author=author)
    comment = CommentFactory(initiative=published, author=author)
    user = _person(role, published, comment)

    assert _answer(action, user, published, draft, comment) is GRID[action][ROLES.index(role)]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_drafts_are_visible_only_to_their_author(client, role):
    draft = DraftFactory()
    user = _person(role, draft, None)
    if user.is_authenticated:
        client.force_login(user)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == (200 if role == "author" else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_proposal_form_follows_the_grid(client, role):
    published = InitiativeFactory()
    user = _person(role, published, None)
    if user.is_authenticated:
        client.force_login(user)

    response = client.get("/initiativ/nytt/")

    expected = GRID["propose"][ROLES.index(role)]
    if expected:
        assert response.status_code == 200
    elif role == "visitor":
        assert response.status_code == 302
    else:
        assert response.status_code == 403
        assert "Bekräfta din e-postadress" in response.content.decode()
