"""Every role against every initiative action, in one grid."""

import pytest

from ideas import permissions
from tests.factories import (
    BlockFactory,
    CommentFactory,
    DraftFactory,
    InitiativeFactory,
    UserFactory,
    person,
)

ROLES = [
    "visitor",
    "unverified",
    "resident",
    "org_member",
    "author",
    "moderator",
    "responder",
    "blocked",
]


def _person(role, initiative, comment):
    return person(role, author=initiative.author)


# Answers in the order of ROLES. "author" is the author of the initiative (and of the comment).
GRID = {
    "propose": [False, False, True, True, True, True, True, False],
    "edit_draft": [False, False, False, False, True, False, False, False],
    "submit_draft": [False, False, False, False, True, False, False, False],
    "withdraw_published": [False, False, False, False, True, False, False, False],
    "support_published": [False, False, True, True, False, True, True, False],
    "comment_published": [False, False, True, True, True, True, True, False],
    "comment_on_draft": [False, False, False, False, False, False, False, False],
    "edit_comment": [False, False, False, False, True, False, False, False],
    "remove_comment": [False, False, False, False, True, False, False, False],
    # Corrections after publishing: the author's, while it is published and not hidden
    # (tests/ideas/test_initiative_edit_published.py).
    "edit_published": [False, False, False, False, True, False, False, False],
    # Following is reading: everyone signed in follows what they can see, blocked or not.
    "follow_published": [False, True, True, True, True, True, True, True],
    "follow_draft": [False, False, False, False, True, False, False, False],
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
        case "follow_published":
            return permissions.can_follow(user, published)
        case "follow_draft":
            return permissions.can_follow(user, draft)


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
        reason = "Ditt konto är avstängt till" if role == "blocked" else "Bekräfta din e-postadress"
        assert reason in response.content.decode()


@pytest.mark.django_db
def test_a_blocked_author_can_neither_edit_nor_submit_their_draft_nor_edit_comments():
    author = UserFactory()
    draft = DraftFactory(author=author)
    comment = CommentFactory(author=author)
    BlockFactory(user=author)

    assert not permissions.can_edit(author, draft)
    assert not permissions.can_submit(author, draft)
    assert not permissions.can_edit_comment(author, comment)
    # Taking one's own words back stays possible.
    assert permissions.can_withdraw(author, draft)
    assert permissions.can_remove_comment(author, comment)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_follow_button_follows_the_grid(client, role):
    published = InitiativeFactory()
    user = _person(role, published, None)
    if user.is_authenticated:
        client.force_login(user)

    response = client.post(f"/initiativ/{published.pk}/folj/", {"folj": "1"})

    if GRID["follow_published"][ROLES.index(role)]:
        assert response.status_code == 302
        assert published.follows.filter(user=user, active=True).exists()
    else:
        assert response.status_code == 302
        assert "/konto/login/" in response["Location"]
        assert not published.follows.exists()
