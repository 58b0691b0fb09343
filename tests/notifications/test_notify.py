"""do_notify(): exactly the right people, each once, never the actor, with their email choice."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from notifications.actions import do_notify
from notifications.models import Frequency, Notification, NotificationSettings
from tests.factories import CommentFactory, InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db

Kind, Email = Notification.Kind, Notification.Email


def _notify(recipients, *, actor=None, own_content=True, **kwargs):
    initiative = kwargs.pop("initiative", None) or InitiativeFactory()
    return do_notify(
        kind=Kind.COMMENT_ON_FOLLOWED,
        recipients=recipients,
        initiative=initiative,
        actor=actor,
        own_content=own_content,
        **kwargs,
    )


def test_the_actor_is_never_notified_of_their_own_action():
    actor, other = UserFactory(), UserFactory()

    _notify([actor, other], actor=actor)

    assert list(Notification.objects.values_list("recipient", flat=True)) == [other.pk]


def test_each_person_is_notified_once_however_often_they_are_listed():
    person = UserFactory()

    _notify([person, person, User.objects.get(pk=person.pk)])

    assert Notification.objects.filter(recipient=person).count() == 1


def test_inactive_and_deleted_accounts_are_not_notified():
    active = UserFactory()
    inactive = UserFactory(is_active=False)
    deleted = UserFactory(deleted_at=timezone.now())

    _notify(User.objects.filter(pk__in=[active.pk, inactive.pk, deleted.pk]))

    assert list(Notification.objects.values_list("recipient", flat=True)) == [active.pk]


@pytest.mark.parametrize(
    ("own_content", "preference", "state"),
    [
        (True, None, Email.PENDING_IMMEDIATE),
        (False, None, Email.PENDING_DIGEST),
        (True, Frequency.DIGEST, Email.PENDING_DIGEST),
        (True, Frequency.NONE, Email.NOT_SENT),
        (False, Frequency.IMMEDIATE, Email.PENDING_IMMEDIATE),
        (False, Frequency.NONE, Email.NOT_SENT),
    ],
)
def test_the_email_follows_the_persons_choice_for_the_category(own_content, preference, state):
    person = UserFactory()
    if preference is not None:
        field = "own_content" if own_content else "followed"
        NotificationSettings.objects.create(user=person, **{field: preference})

    (notification,) = _notify([person], own_content=own_content)

    assert notification.email == state
    assert Notification.objects.get().email == state


def _queries_to_notify(number: int) -> int:
    initiative = InitiativeFactory()
    people = UserFactory.create_batch(number)
    NotificationSettings.objects.create(user=people[0], own_content=Frequency.NONE)
    with CaptureQueriesContext(connection) as queries:
        _notify(people, initiative=initiative)
    return len(queries)


def test_notifying_fifty_people_takes_as_many_queries_as_notifying_one():
    one = _queries_to_notify(1)
    fifty = _queries_to_notify(50)

    assert fifty == one
    assert one <= 3


def test_a_queryset_of_recipients_is_not_fetched_separately():
    people = UserFactory.create_batch(3)
    initiative = InitiativeFactory()
    with CaptureQueriesContext(connection) as queries:
        _notify(User.objects.filter(pk__in=[p.pk for p in people]), initiative=initiative)

    assert len(queries) <= 3
    assert Notification.objects.count() == 3


def test_the_recipient_gets_their_badge_and_the_sentence_live_once_it_commits(
    capture_live, sockets_open
):
    author = UserFactory(display_name="Anna")
    commenter = UserFactory(display_name="Bertil")
    comment = CommentFactory(author=commenter, initiative=InitiativeFactory(author=author))
    sockets_open(author)

    with capture_live() as sent:
        do_notify(
            kind=Kind.COMMENT_ON_MY_INITIATIVE,
            recipients=[author],
            initiative=comment.initiative,
            comment=comment,
            actor=commenter,
            own_content=True,
        )

    personal = [(group, message) for group, message in sent if group.startswith("user-")]
    assert [group for group, _message in personal] == [f"user-{author.pk}"]
    message = personal[0][1]
    assert message["type"] == "notification.added"
    assert set(message["html"]) == {"sv", "en"}
    assert 'id="notification-badge"' in message["html"]["en"]
    assert '<span class="badge">1<' in message["html"]["en"]
    assert "Bertil commented on your initiative" in message["html"]["en"]
    assert 'hx-swap-oob="afterbegin:#notification-list"' in message["list_html"]["sv"]


def test_nothing_is_pushed_or_sent_before_the_transaction_commits(
    django_capture_on_commit_callbacks, mailoutbox, monkeypatch, sockets_open
):
    from core import live

    sent = []
    monkeypatch.setattr(live, "send", lambda group, message: sent.append(group))
    monkeypatch.setattr(live, "send_many", lambda messages: sent.extend(g for g, _m in messages))
    person = UserFactory()
    sockets_open(person)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify([person])

    assert callbacks
    assert sent == []
    assert mailoutbox == []

    for callback in callbacks:
        callback()
    assert len(sent) == 1
    assert len(mailoutbox) == 1


def test_immediate_email_is_enqueued_on_commit_to_run_after_the_grouping_window(
    django_capture_on_commit_callbacks, deferred_tasks, settings
):
    settings.NOTIFICATION_GROUP_SECONDS = 300
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (notification,) = _notify([person])
    assert deferred_tasks.results == []

    for callback in callbacks:
        callback()

    (result,) = deferred_tasks.results
    assert result.task.name == "deliver_immediate"
    assert result.kwargs == {
        "recipient_id": person.pk,
        "initiative_id": notification.initiative_id,
    }
    wait = (result.task.run_after - notification.created_at).total_seconds()
    assert 299 <= wait <= 310


def test_digest_notifications_enqueue_nothing_at_once(
    django_capture_on_commit_callbacks, deferred_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify([UserFactory()], own_content=False)

    assert deferred_tasks.results == []


@pytest.mark.django_db
def test_nobody_is_notified_while_muted_for_seeding_history():
    from notifications.actions import muted

    initiative = InitiativeFactory()
    with muted():
        created = do_notify(
            kind=Notification.Kind.COMMENT_ON_MY_INITIATIVE,
            recipients=[initiative.author],
            initiative=initiative,
            own_content=True,
        )

    assert created == []
    assert not Notification.objects.exists()
