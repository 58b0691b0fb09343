"""The city is reminded that an answer is due: the case officers of the responsible administration,
a week before the due date and on the day, each reminder once, live and by email as each has
chosen (at once, or in the daily digest)."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from ideas.models import AnswerReminder, Initiative
from ideas.reminders import do_answer_reminders_send
from notifications.live import user_group
from notifications.models import Frequency, Notification
from tests.concurrency import at_once
from tests.factories import (
    ForvaltningFactory,
    InitiativeFactory,
    ModeratorFactory,
    NotificationSettingsFactory,
    OfficialResponseFactory,
    ResponderFactory,
)

Kind = Notification.Kind
TODAY = date(2026, 5, 4)


def _assigned(responder, *, due: date, **fields) -> Initiative:
    return InitiativeFactory(forvaltning=responder.forvaltning, answer_due=due, **fields)


def _reminders() -> list[tuple[int, int]]:
    """Each reminder notification as (recipient, days before the due date)."""
    return sorted(
        (item.recipient_id, item.extra["days"])
        for item in Notification.objects.filter(kind=Kind.ANSWER_DUE)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days", "sentence"),
    [
        (7, "Answer due in 7 days: Sommarbio i Slottshagen"),
        (0, "The answer is due today: Sommarbio i Slottshagen"),
    ],
)
def test_a_week_before_and_on_the_day_each_case_officer_is_reminded_live_and_by_email(
    days, sentence, capture_live, mailoutbox, sockets_open
):
    responders = ResponderFactory.create_batch(2, language="en")
    sockets_open(*responders)
    initiative = _assigned(
        responders[0], due=TODAY + timedelta(days=days), title="Sommarbio i Slottshagen"
    )

    with capture_live() as sent:
        assert do_answer_reminders_send(today=TODAY) == 1

    assert _reminders() == sorted((responder.pk, days) for responder in responders)
    reminder = Notification.objects.filter(kind=Kind.ANSWER_DUE).first()
    assert reminder.initiative == initiative
    assert reminder.extra["due"] == initiative.answer_due.isoformat()
    with translation.override("en"):
        assert reminder.sentence() == sentence
    alerted_live = {group for group, message in sent if message["type"] == "notification.added"}
    assert {user_group(responder.pk) for responder in responders} <= alerted_live
    # Immediately is the default for one's own work, as for the threshold alert to staff.
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        responder.email for responder in responders
    )
    assert all(sentence in message.body for message in mailoutbox)
    assert AnswerReminder.objects.get().days_before == days


@pytest.mark.django_db
@pytest.mark.parametrize("days", [-1, 1, 6, 8, 30])
def test_on_other_days_no_one_is_reminded(days):
    _assigned(ResponderFactory(), due=TODAY + timedelta(days=days))

    assert do_answer_reminders_send(today=TODAY) == 0

    assert _reminders() == []
    assert not AnswerReminder.objects.exists()


@pytest.mark.django_db
def test_answered_hidden_and_unassigned_initiatives_are_not_reminded_about():
    responder = ResponderFactory()
    due = TODAY + timedelta(days=7)
    answered = _assigned(responder, due=due, status=Initiative.Status.WILL_BE_DONE)
    OfficialResponseFactory(initiative=answered, author=responder)
    _assigned(responder, due=due, hidden_at=timezone.now())
    InitiativeFactory(forvaltning=None, answer_due=due)

    assert do_answer_reminders_send(today=TODAY) == 0

    assert _reminders() == []


@pytest.mark.django_db
def test_only_active_case_officers_of_the_assigned_administration_are_reminded():
    responder = ResponderFactory()
    left = ResponderFactory(is_active=False)
    elsewhere = ResponderFactory(
        forvaltning=ForvaltningFactory(slug="skolforvaltningen", name_sv="Skolförvaltningen")
    )
    moderator = ModeratorFactory()
    _assigned(responder, due=TODAY)

    do_answer_reminders_send(today=TODAY)

    assert _reminders() == [(responder.pk, 0)]
    assert not Notification.objects.filter(recipient__in=[left, elsewhere, moderator]).exists()


@pytest.mark.django_db
def test_a_case_officer_who_chose_the_digest_finds_it_there(
    mailoutbox, django_capture_on_commit_callbacks
):
    responder = ResponderFactory(language="en")
    NotificationSettingsFactory(user=responder, own_content=Frequency.DIGEST)
    _assigned(responder, due=TODAY + timedelta(days=7), title="Cykelbana till Råå")

    with django_capture_on_commit_callbacks(execute=True):
        do_answer_reminders_send(today=TODAY)
    assert mailoutbox == []
    assert Notification.objects.get().email == Notification.Email.PENDING_DIGEST

    call_command("send_digests", verbosity=0)

    assert len(mailoutbox) == 1
    digest = mailoutbox[0]
    assert digest.to == [responder.email]
    assert "Your daily summary" in digest.subject
    assert "Answer due in 7 days: Cykelbana till Råå" in digest.body
    assert "Answer due in 7 days: Cykelbana till Råå" in digest.alternatives[0][0]
    assert Notification.objects.get().email == Notification.Email.SENT


@pytest.mark.django_db
def test_running_twice_reminds_once(mailoutbox, django_capture_on_commit_callbacks):
    responder = ResponderFactory()
    _assigned(responder, due=TODAY + timedelta(days=7))

    with django_capture_on_commit_callbacks(execute=True):
        assert do_answer_reminders_send(today=TODAY) == 1
        assert do_answer_reminders_send(today=TODAY) == 0

    assert _reminders() == [(responder.pk, 7)]
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_the_week_ahead_and_the_day_itself_are_two_reminders():
    responder = ResponderFactory()
    _assigned(responder, due=TODAY + timedelta(days=7))

    for day in range(8):
        do_answer_reminders_send(today=TODAY + timedelta(days=day))
        do_answer_reminders_send(today=TODAY + timedelta(days=day))

    assert _reminders() == [(responder.pk, 0), (responder.pk, 7)]


@pytest.mark.django_db
def test_a_new_due_date_gets_reminders_of_its_own():
    responder = ResponderFactory()
    initiative = _assigned(responder, due=TODAY + timedelta(days=7))
    do_answer_reminders_send(today=TODAY)

    # Moved three days later: a week before the new date is three days from now.
    Initiative.objects.filter(pk=initiative.pk).update(answer_due=TODAY + timedelta(days=10))
    assert do_answer_reminders_send(today=TODAY) == 0
    assert do_answer_reminders_send(today=TODAY + timedelta(days=3)) == 1
    # Moved to today: reminded on the day, once.
    Initiative.objects.filter(pk=initiative.pk).update(answer_due=TODAY + timedelta(days=3))
    assert do_answer_reminders_send(today=TODAY + timedelta(days=3)) == 1
    assert do_answer_reminders_send(today=TODAY + timedelta(days=3)) == 0

    assert _reminders() == [(responder.pk, 0), (responder.pk, 7), (responder.pk, 7)]
    dates = sorted(Notification.objects.values_list("extra__due", flat=True))
    assert dates == [(TODAY + timedelta(days=days)).isoformat() for days in (3, 7, 10)]


@pytest.mark.django_db
def test_a_new_administration_with_the_same_date_is_reminded_too():
    first = ResponderFactory()
    second = ResponderFactory(
        forvaltning=ForvaltningFactory(slug="skolforvaltningen", name_sv="Skolförvaltningen")
    )
    initiative = _assigned(first, due=TODAY + timedelta(days=7))
    do_answer_reminders_send(today=TODAY)

    Initiative.objects.filter(pk=initiative.pk).update(forvaltning=second.forvaltning)
    assert do_answer_reminders_send(today=TODAY) == 1

    assert _reminders() == [(first.pk, 7), (second.pk, 7)]


@pytest.mark.django_db
def test_the_command_reminds_by_stockholms_date():
    responder = ResponderFactory()
    _assigned(responder, due=timezone.localdate())

    call_command("send_due_reminders", verbosity=0)
    call_command("send_due_reminders", verbosity=0)

    assert _reminders() == [(responder.pk, 0)]


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_remind_once(mailoutbox):
    responders = ResponderFactory.create_batch(2)
    _assigned(responders[0], due=TODAY + timedelta(days=7))
    _assigned(responders[0], due=TODAY)

    outcomes = at_once(
        lambda: do_answer_reminders_send(today=TODAY),
        lambda: do_answer_reminders_send(today=TODAY),
    )

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert sum(outcomes) == 2
    assert _reminders() == sorted(
        (responder.pk, days) for responder in responders for days in (0, 7)
    )
    assert AnswerReminder.objects.count() == 2
    assert len(mailoutbox) == 4
