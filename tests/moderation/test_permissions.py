"""Every moderation and response action against every role, in grids: the predicates, the
actions themselves, and the HTTP answers of the pages and forms."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import Block
from ideas import actions as ideas_actions
from ideas import permissions as ideas_permissions
from ideas.models import Initiative, OfficialResponse
from moderation import actions
from moderation import permissions as moderation_permissions
from moderation.models import Flag, ModerationDecision
from tests.factories import (
    CommentFactory,
    ForvaltningFactory,
    InitiativeFactory,
    UserFactory,
    blocked_user,
    person,
)
from tests.moderation.conftest import block, submitted

pytestmark = pytest.mark.django_db

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

MODERATORS_ONLY = [False, False, False, False, False, True, False, False]
RESIDENTS_BUT_THE_AUTHOR = [False, False, True, True, False, True, True, False]
CITY_STAFF = [False, False, False, False, False, True, True, False]
RESPONDER_OF_THE_ADMINISTRATION = [False, False, False, False, False, False, True, False]

# Answers in the order of ROLES. The author wrote the initiative and the comment on it; the
# responder works at the administration the initiative is assigned to.
GRID = {
    "approve": MODERATORS_ONLY,
    "reject": MODERATORS_ONLY,
    "send_back": MODERATORS_ONLY,
    "hide": MODERATORS_ONLY,
    "unhide": MODERATORS_ONLY,
    "dismiss_flags": MODERATORS_ONLY,
    "flag_initiative": RESIDENTS_BUT_THE_AUTHOR,
    "flag_comment": RESIDENTS_BUT_THE_AUTHOR,
    "block": MODERATORS_ONLY,
    "unblock": MODERATORS_ONLY,
    # The published initiative has an administration already: only moderators change it.
    "assign": MODERATORS_ONLY,
    # One without: a case officer may take it, for their own administration.
    "take_unassigned": CITY_STAFF,
    "respond": RESPONDER_OF_THE_ADMINISTRATION,
    "see_queue": MODERATORS_ONLY,
    "see_log": MODERATORS_ONLY,
    "see_blocks": MODERATORS_ONLY,
    "see_overdue": CITY_STAFF,
}


@dataclass
class World:
    author: object
    in_review: Initiative
    published: Initiative
    unassigned: Initiative
    comment: object
    target: object  # a resident a moderator may block


@pytest.fixture
def world() -> World:
    author = UserFactory()
    published = InitiativeFactory(author=author, forvaltning=ForvaltningFactory())
    return World(
        author=author,
        in_review=submitted(author=author),
        published=published,
        unassigned=InitiativeFactory(author=author),
        comment=CommentFactory(initiative=published, author=author),
        target=UserFactory(),
    )


def _person(role: str, world: World):
    return person(role, author=world.author)


def _predicate(action: str, user, world: World) -> bool:
    match action:
        case "flag_initiative":
            return moderation_permissions.can_flag_initiative(user, world.published)
        case "flag_comment":
            return moderation_permissions.can_flag_comment(user, world.comment)
        case "assign":
            return ideas_permissions.can_assign(user, world.published)
        case "take_unassigned":
            return ideas_permissions.can_assign(user, world.unassigned) and (
                ideas_permissions.can_assign_to(
                    user, getattr(user, "forvaltning", None) or ForvaltningFactory()
                )
            )
        case "see_overdue":
            return ideas_permissions.can_see_overdue(user)
        case "respond":
            return ideas_permissions.can_respond(user, world.published)
        case _:
            return moderation_permissions.can_moderate(user)


@pytest.mark.parametrize("action", list(GRID))
@pytest.mark.parametrize("role", ROLES)
def test_permission_grid(role, action, world):
    user = _person(role, world)

    assert _predicate(action, user, world) is GRID[action][ROLES.index(role)]


def _perform(action: str, user, world: World):
    """Run the action as the user; return a check that it took effect."""
    match action:
        case "approve":
            actions.initiative_approve(moderator=user, initiative=world.in_review)
            return lambda: _status(world.in_review) == Initiative.Status.PUBLISHED
        case "reject":
            actions.initiative_reject(
                moderator=user, initiative=world.in_review, reasons=["duplicate"], text="Finns."
            )
            return lambda: _status(world.in_review) == Initiative.Status.REJECTED
        case "send_back":
            actions.initiative_send_back(moderator=user, initiative=world.in_review, text="Kort.")
            return lambda: _status(world.in_review) == Initiative.Status.DRAFT
        case "hide":
            actions.content_hide(moderator=user, text="Personangrepp.", comment=world.comment)
            return lambda: _reloaded(world.comment).hidden_at is not None
        case "unhide":
            world.comment.hidden_at = timezone.now()
            world.comment.save(update_fields=["hidden_at"])
            actions.content_unhide(moderator=user, text="", comment=world.comment)
            return lambda: _reloaded(world.comment).hidden_at is None
        case "dismiss_flags":
            Flag.objects.create(reporter=UserFactory(), comment=world.comment, reason="spam")
            actions.flags_dismiss(moderator=user, text="", comment=world.comment)
            return lambda: not Flag.objects.open().exists()
        case "flag_initiative":
            actions.flag_add(user=user, reason="spam", initiative=world.published)
            return lambda: Flag.objects.filter(reporter=user, initiative=world.published).exists()
        case "flag_comment":
            actions.flag_add(user=user, reason="off_topic", comment=world.comment)
            return lambda: Flag.objects.filter(reporter=user, comment=world.comment).exists()
        case "block":
            actions.user_block(moderator=user, user=world.target, days=7, reason="Spam.")
            return lambda: Block.objects.active().filter(user=world.target).exists()
        case "unblock":
            actions.user_unblock(moderator=user, block=block(world.target))
            return lambda: not Block.objects.active().filter(user=world.target).exists()
        case "assign":
            actions.initiative_assign(
                user=user,
                initiative=world.published,
                forvaltning=ForvaltningFactory(),
                answer_due=timezone.localdate() + timedelta(days=30),
            )
            return lambda: _reloaded(world.published).answer_due is not None
        case "take_unassigned":
            actions.initiative_assign(
                user=user,
                initiative=world.unassigned,
                forvaltning=getattr(user, "forvaltning", None) or ForvaltningFactory(),
                answer_due=timezone.localdate() + timedelta(days=30),
            )
            return lambda: _reloaded(world.unassigned).forvaltning_id is not None
        case "respond":
            ideas_actions.response_add(
                user=user, initiative=world.published, body="Vi gör det.", status="will_be_done"
            )
            return lambda: OfficialResponse.objects.filter(initiative=world.published).exists()


def _reloaded(item):
    return type(item).objects.get(pk=item.pk)


def _status(initiative: Initiative) -> str:
    return _reloaded(initiative).status


WRITE_ACTIONS = [action for action in GRID if not action.startswith("see_")]


@pytest.mark.parametrize("action", WRITE_ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_the_actions_enforce_the_grid(role, action, world):
    user = _person(role, world)
    decisions_before = ModerationDecision.objects.count()

    if GRID[action][ROLES.index(role)]:
        took_effect = _perform(action, user, world)
        assert took_effect()
    else:
        with pytest.raises(PermissionDenied):
            _perform(action, user, world)
        # A refused action leaves no trace in the log.
        assert ModerationDecision.objects.count() == decisions_before


@dataclass(frozen=True)
class Request:
    action: str  # the row of GRID that decides who may
    method: str
    path: str
    data: dict | None = None


def _future() -> str:
    return (timezone.localdate() + timedelta(days=30)).isoformat()


REQUESTS = [
    Request("see_queue", "get", "/moderering/"),
    Request("see_log", "get", "/moderering/logg/"),
    Request("see_blocks", "get", "/moderering/avstangningar/"),
    Request("block", "get", "/moderering/stang-av/{target}/"),
    Request("see_overdue", "get", "/moderering/forsenade-svar/"),
    Request("flag_initiative", "get", "/initiativ/{published}/anmal/"),
    Request("flag_comment", "get", "/kommentarer/{comment}/anmal/"),
    Request("assign", "get", "/initiativ/{published}/ansvar/"),
    Request("respond", "get", "/initiativ/{published}/svara/"),
    Request("approve", "post", "/moderering/beslut/", {"action": "approve", "initiativ": "IR"}),
    Request(
        "reject",
        "post",
        "/moderering/beslut/",
        {"action": "reject", "initiativ": "IR", "reasons": "duplicate", "text": "Finns."},
    ),
    Request(
        "send_back",
        "post",
        "/moderering/beslut/",
        {"action": "send_back", "initiativ": "IR", "text": "Kortare."},
    ),
    Request(
        "hide", "post", "/moderering/beslut/", {"action": "hide", "kommentar": "C", "text": "Nej."}
    ),
    Request("unhide", "post", "/moderering/beslut/", {"action": "unhide", "kommentar": "C"}),
    Request(
        "dismiss_flags", "post", "/moderering/beslut/", {"action": "dismiss", "kommentar": "C"}
    ),
    Request("flag_initiative", "post", "/initiativ/{published}/anmal/", {"reason": "spam"}),
    Request("flag_comment", "post", "/kommentarer/{comment}/anmal/", {"reason": "spam"}),
    Request(
        "block",
        "post",
        "/moderering/stang-av/{target}/",
        {"days": "7", "reason": "Spam.", "bekrafta": "1"},
    ),
    Request("unblock", "post", "/moderering/avstangningar/{block}/hav/"),
    Request(
        "assign", "post", "/initiativ/{published}/ansvar/", {"forvaltning": "F", "answer_due": ""}
    ),
    Request(
        "respond",
        "post",
        "/initiativ/{published}/svara/",
        {"body": "Vi gör det.", "status": "will_be_done"},
    ),
]


def _fill(request: Request, world: World, block_pk: int) -> tuple[str, dict]:
    path = request.path.format(
        target=world.target.pk,
        published=world.published.pk,
        comment=world.comment.pk,
        block=block_pk,
    )
    placeholders = {
        "IR": str(world.in_review.pk),
        "C": str(world.comment.pk),
        "F": str(world.published.forvaltning_id),
    }
    data = {key: placeholders.get(value, value) for key, value in (request.data or {}).items()}
    if data.get("initiativ") == str(world.in_review.pk):
        # The version the page showed, as the queue's form sends it.
        data[f"version-{world.in_review.pk}"] = str(world.in_review.version)
    if "answer_due" in data:
        data["answer_due"] = _future()
    return path, data


@pytest.mark.parametrize(
    "request_", REQUESTS, ids=lambda request: f"{request.method}-{request.action}"
)
@pytest.mark.parametrize("role", ROLES)
def test_pages_and_forms_follow_the_grid(client, role, request_, world):
    user = _person(role, world)
    lifted = block(world.target)
    if user.is_authenticated:
        client.force_login(user)
    path, data = _fill(request_, world, lifted.pk)
    decisions_before = ModerationDecision.objects.count()

    response = getattr(client, request_.method)(path, data)

    allowed = GRID[request_.action][ROLES.index(role)]
    if role == "visitor":
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/?next=")
    elif not allowed:
        assert response.status_code == 403
    elif request_.method == "get":
        assert response.status_code == 200
    else:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert not response["Location"].startswith("/konto/login/")
        refused = [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
        assert not refused, [str(message) for message in refused]
    if not allowed:
        assert ModerationDecision.objects.count() == decisions_before


@pytest.mark.parametrize(
    "path", ["/moderering/", "/moderering/logg/", "/moderering/avstangningar/"]
)
def test_a_resident_is_told_in_swedish_that_the_page_is_for_moderators(client, path):
    client.force_login(UserFactory())

    response = client.get(path)

    assert response.status_code == 403
    assert "Bara moderatorer kan se den här sidan." in response.content.decode()


BLOCKED_MAY_NOT = ["propose", "support", "comment", "flag_initiative", "flag_comment"]


@pytest.mark.parametrize("action", BLOCKED_MAY_NOT)
def test_a_blocked_person_may_not_write(action, world):
    person = blocked_user()
    answer = {
        "propose": lambda: ideas_permissions.can_propose(person),
        "support": lambda: ideas_permissions.can_support(person, world.published),
        "comment": lambda: ideas_permissions.can_comment(person, world.published),
        "flag_initiative": lambda: moderation_permissions.can_flag_initiative(
            person, world.published
        ),
        "flag_comment": lambda: moderation_permissions.can_flag_comment(person, world.comment),
    }[action]

    assert answer() is False


def test_a_blocked_person_sees_why_and_until_when(client, world):
    person = UserFactory()
    given = block(person, days=10)
    client.force_login(person)

    page = client.get(world.published.get_absolute_url()).content.decode()

    until = timezone.localtime(given.ends_at)
    assert f"Ditt konto är avstängt till {until.day} " in page
    assert f"{until.year} {until:%H:%M}." in page
    assert f"Skäl: {given.reason}" in page
    assert "Your account is blocked" not in page
