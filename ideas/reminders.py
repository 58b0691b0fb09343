"""Reminders to the city that an answer is due: the case officers of the responsible
administration hear of it a week before the due date and on the day, in the notification centre,
live, and by email as each has chosen (at once, or in the daily digest).

The scheduler runs this every ten minutes (manage.py send_due_reminders). Each reminder goes out
once: an AnswerReminder row is written in the transaction that notifies, and its unique
constraint refuses a second, however often or however many at once the command runs. A new due
date, or a new administration, is reminded anew.
"""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import RESPONDER
from ideas.models import AnswerReminder, Initiative
from notifications.actions import do_notify
from notifications.models import Notification

# Days before the due date that the administration is reminded: a week ahead, and on the day.
REMINDER_DAYS = (7, 0)


def do_answer_reminders_send(*, today: date | None = None) -> int:
    """Send the reminders due today (Stockholm's date unless given); return how many initiatives
    were reminded about. Initiatives already answered, or hidden, are not."""
    today = today or timezone.localdate()
    sent = 0
    for days in REMINDER_DAYS:
        due = Initiative.objects.public().filter(
            status=Initiative.Status.PUBLISHED,
            forvaltning__isnull=False,
            answer_due=today + timedelta(days=days),
        )
        for initiative in due.order_by("pk"):
            sent += _remind(initiative, days=days)
    return sent


def _remind(initiative: Initiative, *, days: int) -> int:
    """Record the reminder and notify, in one transaction: 1 if this call sent it, 0 if it had
    been sent already."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                AnswerReminder.objects.create(
                    initiative=initiative,
                    forvaltning_id=initiative.forvaltning_id,
                    answer_due=initiative.answer_due,
                    days_before=days,
                )
        except IntegrityError:
            return 0
        do_notify(
            kind=Notification.Kind.ANSWER_DUE,
            recipients=User.objects.filter(
                groups__name=RESPONDER, forvaltning_id=initiative.forvaltning_id
            ),
            initiative=initiative,
            own_content=True,
            extra={"days": days, "due": initiative.answer_due.isoformat()},
        )
    return 1
