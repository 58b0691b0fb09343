"""Notification emails, sent by Django's tasks framework in the worker, never in the request.

Immediate emails wait a short window (NOTIFICATION_GROUP_SECONDS) so that several events on the
same initiative go out as one email; the first task of the window sends them all and its
siblings find nothing left. Digests go out at most once a day per person. A failed send is
retried with backoff and finally marked failed, and logged each time: never dropped silently.
"""

import logging
from datetime import timedelta
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import Task, task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from core.email import site_context
from notifications.models import Notification, NotificationSettings
from notifications.tokens import make_token

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
DIGEST_INTERVAL = timedelta(hours=24)


def group_seconds() -> int:
    return getattr(settings, "NOTIFICATION_GROUP_SECONDS", 120)


def retry_delay(attempts: int) -> int:
    """1, 4, 16 and 64 minutes after the first, second, third and fourth failure."""
    return 60 * 4 ** (attempts - 1)


def enqueue_later(task_: Task, seconds: int, **kwargs) -> None:
    """Enqueue to run after a delay where the backend can defer; at once where it cannot."""
    if seconds and task_.get_backend().supports_defer:
        task_ = task_.using(run_after=timezone.now() + timedelta(seconds=seconds))
    task_.enqueue(**kwargs)


def enqueue_immediate(pairs: list[tuple[int, int | None]]) -> None:
    """One delivery per person and initiative; called on commit by do_notify()."""
    for recipient_id, initiative_id in pairs:
        enqueue_later(
            deliver_immediate,
            group_seconds(),
            recipient_id=recipient_id,
            initiative_id=initiative_id,
        )


@task
def deliver_immediate(*, recipient_id: int, initiative_id: int | None) -> None:
    """Send one email with all of the person's waiting notifications about the initiative."""
    _deliver(recipient_id, Notification.Email.PENDING_IMMEDIATE, initiative_id=initiative_id)


@task
def deliver_digest(*, user_id: int) -> None:
    """Send the person's daily digest, unless one went out in the last 24 hours."""
    _deliver(user_id, Notification.Email.PENDING_DIGEST)


@task
def send_digests() -> int:
    """Queue a digest for everyone with notifications waiting for one and no digest in the
    last 24 hours. Run regularly (manage.py send_digests); returns how many were queued."""
    due = timezone.now() - DIGEST_INTERVAL
    user_ids = (
        User.objects.filter(notifications__email=Notification.Email.PENDING_DIGEST, is_active=True)
        .exclude(notification_settings__last_digest_at__gt=due)
        .values_list("pk", flat=True)
        .distinct()
    )
    count = 0
    for user_id in user_ids.iterator():
        deliver_digest.enqueue(user_id=user_id)
        count += 1
    return count


def _deliver(recipient_id: int, state: str, **match) -> None:
    digest = state == Notification.Email.PENDING_DIGEST
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(recipient_id=recipient_id, email=state, **match)
            .select_related("initiative", "actor")
            .order_by("initiative_id", "created_at", "pk")
        )
        if not pending:
            return
        recipient = User.objects.get(pk=recipient_id)
        rows = Notification.objects.filter(pk__in=[item.pk for item in pending])
        if not recipient.is_active or recipient.is_deleted:
            rows.update(email=Notification.Email.NOT_SENT)
            return
        if digest:
            NotificationSettings.for_user(recipient)
            preferences = NotificationSettings.objects.select_for_update().get(user=recipient)
            last = preferences.last_digest_at
            if last is not None and last > timezone.now() - DIGEST_INTERVAL:
                return
        message = render_message(recipient, pending, digest=digest)
        try:
            message.send()
        except OSError as error:
            attempts = max(item.attempts for item in pending) + 1
            _failed(rows, attempts, error, recipient_id=recipient_id, state=state, match=match)
            return
        now = timezone.now()
        rows.update(email=Notification.Email.SENT, emailed_at=now)
        if digest:
            preferences.last_digest_at = now
            preferences.save(update_fields=["last_digest_at"])
    logger.info("Sent %d notification(s) to user %s by email", len(pending), recipient_id)


def _failed(rows, attempts: int, error: OSError, *, recipient_id, state, match) -> None:
    if attempts >= MAX_ATTEMPTS:
        rows.update(email=Notification.Email.FAILED, attempts=attempts)
        logger.error(
            "Notification email to user %s failed %d times and is given up: %s",
            recipient_id,
            attempts,
            error,
        )
        return
    rows.update(attempts=attempts)
    delay = retry_delay(attempts)
    logger.warning(
        "Notification email to user %s failed (attempt %d of %d), retrying in %ds: %s",
        recipient_id,
        attempts,
        MAX_ATTEMPTS,
        delay,
        error,
    )
    if state == Notification.Email.PENDING_DIGEST:
        retry = (deliver_digest, {"user_id": recipient_id})
    else:
        retry = (deliver_immediate, {"recipient_id": recipient_id, **match})
    transaction.on_commit(lambda: enqueue_later(retry[0], delay, **retry[1]))


def _category(notifications: list[Notification]) -> str:
    kinds = {item.own_content for item in notifications}
    if kinds == {True}:
        return "own_content"
    return "followed" if kinds == {False} else "all"


def render_message(
    recipient: User, notifications: list[Notification], *, digest: bool
) -> EmailMultiAlternatives:
    """The email in the recipient's language, plain text and HTML, with one-click unsubscribe."""
    prefix = "notifications/email/digest" if digest else "notifications/email/immediate"
    category = _category(notifications)
    with translation.override(recipient.language):
        token = make_token(recipient.pk, category)
        unsubscribe_url = settings.SITE_URL + reverse(
            "notifications:unsubscribe", kwargs={"token": token}
        )
        context = {
            "recipient": recipient,
            "notifications": notifications,
            "groups": [
                (items[0].initiative, items)
                for _key, group in groupby(notifications, key=lambda item: item.initiative_id)
                if (items := list(group))
            ],
            "initiative": notifications[0].initiative,
            "category": category,
            **site_context(),
            "unsubscribe_url": unsubscribe_url,
            "settings_url": settings.SITE_URL + reverse("notifications:settings"),
            "centre_url": settings.SITE_URL + reverse("notifications:list"),
        }
        subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
        body = render_to_string(f"{prefix}_message.txt", context)
        html = render_to_string(f"{prefix}_message.html", context)
    message = EmailMultiAlternatives(
        subject=f"[Tillsammans] {subject}",
        body=body,
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
