"""A block is given only after the moderator confirms a page naming the person, the end and the
reason; the person is told by email, and a block lifted early is logged and told too."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Block
from moderation import actions
from moderation.models import ModerationDecision
from tests.factories import UserFactory
from tests.moderation.conftest import block, messages_of

pytestmark = pytest.mark.django_db

Action = ModerationDecision.Action
REASON = "Upprepade personangrepp i kommentarerna."


@pytest.fixture
def anna():
    return UserFactory(display_name="Anna Andersson", email="anna.andersson@example.org")


def _post(client, person, **extra):
    return client.post(
        f"/moderering/stang-av/{person.pk}/", {"days": "14", "reason": REASON, **extra}
    )


def test_the_form_leads_to_a_confirmation_and_blocks_nobody(moderator_client, anna):
    response = _post(moderator_client, anna)

    assert response.status_code == 200
    page = response.content.decode()
    ends = timezone.localtime(response.context["ends_at"])
    assert abs(ends - (timezone.now() + timedelta(days=14))) < timedelta(minutes=1)
    assert "Anna Andersson" in page
    assert "a***@example.org" in page
    assert "anna.andersson@example.org" not in page
    assert f'datetime="{response.context["ends_at"].isoformat()}"' in page
    assert REASON in page
    # The values ride along in hidden fields, with a button to confirm and one to change.
    assert 'type="hidden" name="days" value="14"' in page
    assert 'name="bekrafta" value="1"' in page
    assert 'name="andra" value="1"' in page
    assert not Block.objects.exists()
    assert not ModerationDecision.objects.exists()
    assert mail.outbox == []


def test_change_goes_back_to_the_form_with_what_was_typed(moderator_client, anna):
    response = _post(moderator_client, anna, andra="1")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="bekrafta"' not in page
    assert REASON in page
    assert 'name="days" value="14"' in page
    assert not Block.objects.exists()


def test_confirming_blocks_and_logs(moderator_client, anna):
    response = _post(moderator_client, anna, bekrafta="1")

    assert response["Location"] == "/moderering/avstangningar/"
    given = Block.objects.active().get(user=anna)
    assert given.reason == REASON
    assert ModerationDecision.objects.get().action == Action.BLOCK


def test_a_refused_block_is_refused_before_the_confirmation(moderator_client, anna):
    response = _post(moderator_client, moderator_client.user)

    assert response.status_code == 200
    assert 'name="bekrafta"' not in response.content.decode()
    assert not Block.objects.exists()


def test_the_blocked_person_is_told_by_email_in_their_language(
    moderator_client, anna, django_capture_on_commit_callbacks
):
    anna.language = "en"
    anna.save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True):
        _post(moderator_client, anna, bekrafta="1")

    (message,) = mail.outbox
    given = Block.objects.get()
    until = timezone.localtime(given.ends_at)
    assert message.to == ["anna.andersson@example.org"]
    assert "blocked" in message.subject
    for body in (message.body, message.alternatives[0][0]):
        assert "Upprepade personangrepp i kommentarerna." in body
        assert f"{until.day} {until:%B} {until.year} {until:%H:%M}" in body
        assert "How to appeal" in body
        assert "/kontakt/" in body


def test_the_email_is_in_swedish_for_a_swedish_speaker(anna, django_capture_on_commit_callbacks):
    from tests.factories import ModeratorFactory

    with django_capture_on_commit_callbacks(execute=True):
        actions.user_block(moderator=ModeratorFactory(), user=anna, days=3, reason=REASON)

    (message,) = mail.outbox
    assert "avstängt" in message.subject
    assert "Så överklagar du" in message.body


def test_lifting_a_block_is_logged_and_the_person_told(
    moderator_client, anna, django_capture_on_commit_callbacks
):
    given = block(anna)

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(f"/moderering/avstangningar/{given.pk}/hav/")

    assert messages_of(response) == ["Avstängningen är hävd."]
    decision = ModerationDecision.objects.get()
    assert (decision.action, decision.subject_user, decision.moderator) == (
        Action.UNBLOCK,
        anna,
        moderator_client.user,
    )
    (message,) = mail.outbox
    assert message.to == [anna.email]
    assert not Block.objects.active().filter(user=anna).exists()


def test_blocks_are_limited_per_moderator_per_hour(moderator_client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "block": (2, 3600)}
    people = [UserFactory() for _ in range(3)]

    for person in people[:2]:
        assert _post(moderator_client, person, bekrafta="1").status_code == 302
    refused = _post(moderator_client, people[2], bekrafta="1")

    assert refused.status_code == 200
    assert Block.objects.count() == 2
