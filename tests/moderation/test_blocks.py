"""Blocks: a blocked person reads but does not write, until the block ends or is lifted."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Block, User
from accounts.permissions import active_block, may_write
from ideas import actions as ideas_actions
from moderation import actions
from moderation.models import ModerationDecision
from tests.factories import (
    CommentFactory,
    InitiativeFactory,
    ModeratorFactory,
    UserFactory,
    initiative_fields,
)
from tests.moderation.conftest import block, messages_of

pytestmark = pytest.mark.django_db


def _fresh(user) -> User:
    """The person as the next request loads them: standing is cached per user object."""
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("write", ["support", "comment", "propose"])
def test_a_blocked_person_cannot_write(write):
    person = UserFactory()
    block(person)
    initiative = InitiativeFactory()
    attempt = {
        "support": lambda: ideas_actions.support_set(
            user=person, initiative=initiative, supported=True
        ),
        "comment": lambda: ideas_actions.comment_add(
            user=person, initiative=initiative, body="Hej"
        ),
        "propose": lambda: ideas_actions.initiative_save(
            user=person, fields=initiative_fields(), prioriteringar=[]
        ),
    }[write]

    with pytest.raises(PermissionDenied):
        attempt()

    assert initiative.supports.count() == 0
    assert initiative.comments.count() == 0


def test_a_blocked_person_can_read(client):
    person = UserFactory()
    block(person)
    initiative = InitiativeFactory()
    CommentFactory(initiative=initiative)
    client.force_login(person)

    for path in [initiative.get_absolute_url(), "/initiativ/", "/", "/notiser/"]:
        assert client.get(path).status_code == 200, path
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Stöd initiativet" not in page
    assert 'id="kommentera"' not in page


def test_a_blocked_person_is_refused_the_forms(client):
    person = UserFactory()
    block(person)
    initiative = InitiativeFactory()
    client.force_login(person)

    assert client.get("/initiativ/nytt/").status_code == 403
    assert client.get(f"/initiativ/{initiative.pk}/anmal/").status_code == 403
    response = client.post(f"/initiativ/{initiative.pk}/stod/", {"stod": "1"})
    assert response.status_code == 302
    assert len(messages_of(response)) == 1
    assert initiative.supports.count() == 0


def test_a_blocked_person_is_told_the_block_is_why_they_cannot_support(client):
    person = UserFactory()
    block(person)
    initiative = InitiativeFactory()
    client.force_login(person)

    response = client.post(f"/initiativ/{initiative.pk}/stod/", {"stod": "1"})

    (refusal,) = messages_of(response)
    assert "e-postadress" not in refusal
    assert "avstängt" in refusal


def test_a_block_ends_by_itself():
    person = UserFactory()
    now = timezone.now()
    block(person, starts_at=now - timedelta(days=8), ends_at=now - timedelta(seconds=1))

    assert active_block(_fresh(person)) is None
    assert may_write(_fresh(person))


def test_a_block_holds_until_its_end_and_not_before_its_start():
    person = UserFactory()
    now = timezone.now()
    given = block(person, starts_at=now - timedelta(days=1), ends_at=now + timedelta(seconds=30))

    assert active_block(_fresh(person)) == given
    assert not Block.objects.active(now=now + timedelta(seconds=30)).exists()
    assert not Block.objects.active(now=now - timedelta(days=2)).exists()
    assert Block.objects.active(now=now + timedelta(seconds=29)).get() == given


def test_blocking_logs_the_decision_and_the_person_sees_until_when(moderator_client):
    person = UserFactory(display_name="Troll Trollsson")

    response = moderator_client.post(
        f"/moderering/stang-av/{person.pk}/",
        {"days": "14", "reason": "Upprepade personangrepp.", "bekrafta": "1"},
    )

    assert response["Location"] == "/moderering/avstangningar/"
    assert messages_of(response) == ["Troll Trollsson är avstängd."]
    given = Block.objects.active().get(user=person)
    assert given.ends_at - given.starts_at == timedelta(days=14)
    assert not may_write(_fresh(person))
    decision = ModerationDecision.objects.get()
    assert decision.action == ModerationDecision.Action.BLOCK
    assert decision.subject_user == person
    assert decision.moderator == moderator_client.user
    assert decision.text == "Upprepade personangrepp."
    assert decision.state_after == {"blocked": True, "until": given.ends_at.isoformat()}
    blocks_page = moderator_client.get("/moderering/avstangningar/").content.decode()
    assert "Troll Trollsson" in blocks_page


def test_lifting_a_block_lets_the_person_write_again(moderator_client):
    person = UserFactory()
    given = block(person)

    response = moderator_client.post(f"/moderering/avstangningar/{given.pk}/hav/")

    assert messages_of(response) == ["Avstängningen är hävd."]
    given.refresh_from_db()
    assert given.lifted_at is not None
    assert may_write(_fresh(person))
    decision = ModerationDecision.objects.get()
    assert decision.action == ModerationDecision.Action.UNBLOCK
    assert decision.state_before == {"blocked": True, "until": given.ends_at.isoformat()}
    assert decision.state_after == {"blocked": False}
    assert (
        "Ingen är avstängd." in moderator_client.get("/moderering/avstangningar/").content.decode()
    )
    # A lifted block cannot be lifted twice.
    assert moderator_client.post(f"/moderering/avstangningar/{given.pk}/hav/").status_code == 404


def test_moderators_cannot_block_moderators_or_themselves(moderator_client):
    other = ModeratorFactory()

    with pytest.raises(ValidationError):
        actions.user_block(moderator=moderator_client.user, user=other, days=7, reason="x")
    with pytest.raises(ValidationError):
        actions.user_block(
            moderator=moderator_client.user, user=moderator_client.user, days=7, reason="x"
        )
    response = moderator_client.post(
        f"/moderering/stang-av/{other.pk}/", {"days": "7", "reason": "Bråkar."}
    )

    assert response.status_code == 200
    assert "Moderatorer kan inte stänga av sig själva eller andra moderatorer." in (
        response.content.decode()
    )
    assert not Block.objects.exists()
    assert not ModerationDecision.objects.exists()


@pytest.mark.parametrize(("days", "reason"), [(0, "Spam."), (3651, "Spam."), (7, "  ")])
def test_a_block_needs_a_sensible_length_and_a_reason(days, reason):
    with pytest.raises(ValidationError):
        actions.user_block(
            moderator=ModeratorFactory(), user=UserFactory(), days=days, reason=reason
        )

    assert not Block.objects.exists()
