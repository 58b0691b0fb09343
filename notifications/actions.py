"""Delivery: following initiatives and notifying people. The actions of the apps above decide
who hears what and call these steps inside their transaction; live updates and emails go out
once it commits, and emails are sent by tasks, never in the request.

The `do_` steps check no permission: the action that calls them has.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from core.live import announce
from notifications import live, tasks, unread
from notifications.models import Follow, Frequency, Notification, NotificationSettings

if TYPE_CHECKING:
    from ideas.models import Comment, Initiative

# Set while seeding history (demo content), which happened "in the past" and tells no one.
_muted: ContextVar[bool] = ContextVar("notifications_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Create content without notifying anyone: for loading demo history, not for real use."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


EMAIL_STATE = {
    Frequency.IMMEDIATE: Notification.Email.PENDING_IMMEDIATE,
    Frequency.DIGEST: Notification.Email.PENDING_DIGEST,
    Frequency.NONE: Notification.Email.NOT_SENT,
}


def do_follow(*, user: User, initiative: "Initiative") -> Follow:
    """Start following, or start again after stopping."""
    follow, created = Follow.objects.get_or_create(user=user, initiative=initiative)
    if not created and not follow.active:
        follow.active = True
        follow.save(update_fields=["active"])
    return follow


def do_unfollow(*, user: User, initiative: "Initiative") -> None:
    """Stop following. The row stays, so automatic follows do not start it again."""
    updated = Follow.objects.filter(user=user, initiative=initiative).update(active=False)
    if not updated:
        Follow.objects.get_or_create(user=user, initiative=initiative, defaults={"active": False})


def do_follow_automatically(*, user: User, initiative: "Initiative") -> None:
    """Authors, supporters and commenters follow, unless they have ever followed or stopped."""
    Follow.objects.get_or_create(user=user, initiative=initiative)


def is_following(*, user: User, initiative: "Initiative") -> bool:
    if not user.is_authenticated:
        return False
    return Follow.objects.active().filter(user=user, initiative=initiative).exists()


def followers_of(initiative: "Initiative") -> QuerySet[User]:
    return User.objects.filter(
        follows__initiative=initiative, follows__active=True, is_active=True, deleted_at=None
    )


def is_muted() -> bool:
    return _muted.get()


def do_notify(
    *,
    kind: str,
    recipients: Iterable[User] | QuerySet[User],
    initiative: "Initiative | None" = None,
    comment: "Comment | None" = None,
    actor: User | None = None,
    own_content: bool,
    extra: dict | None = None,
) -> list[Notification]:
    """Notify each recipient once, never the actor and never an inactive or deleted account.

    For the few people an event names (an author, the moderators); an initiative's followers,
    who may be tens of thousands, hear through notifications.fanout, outside the request.
    """
    if _muted.get():
        return []
    if isinstance(recipients, QuerySet):
        chosen = Q(pk__in=recipients.values("pk"))
    else:
        chosen = Q(pk__in={recipient.pk for recipient in recipients})
    return create_notifications(
        kind=kind,
        chosen=chosen,
        initiative_id=initiative.pk if initiative else None,
        comment_id=comment.pk if comment else None,
        actor_id=actor.pk if actor else None,
        own_content=own_content,
        extra=extra,
    )


def create_notifications(
    *,
    kind: str,
    chosen: Q,
    initiative_id: int | None,
    comment_id: int | None,
    actor_id: int | None,
    own_content: bool,
    extra: dict | None,
) -> list[Notification]:
    """The step under do_notify() and the followers' fan-out: one notification for each person
    `chosen` picks, with the email their preference asks for.

    Two queries whatever the number of recipients: the recipients with their preferences, and
    the bulk insert. Live updates and email delivery start when the transaction commits.
    """
    users = User.objects.filter(chosen, is_active=True, deleted_at=None)
    if actor_id is not None:
        users = users.exclude(pk=actor_id)
    users = users.select_related("notification_settings").only(
        "pk", "notification_settings__own_content", "notification_settings__followed"
    )
    now = timezone.now()
    notifications = [
        Notification(
            recipient=user,
            kind=kind,
            initiative_id=initiative_id,
            comment_id=comment_id,
            actor_id=actor_id,
            own_content=own_content,
            created_at=now,
            email=EMAIL_STATE[_preferences(user).frequency(own_content=own_content)],
            extra=extra or {},
        )
        for user in users
    ]
    if not notifications:
        return []
    Notification.objects.bulk_create(notifications)
    unread.forget(notification.recipient_id for notification in notifications)
    recipients = {notification.pk: notification.recipient_id for notification in notifications}
    immediate = sorted(
        {
            (notification.recipient_id, notification.initiative_id)
            for notification in notifications
            if notification.email == Notification.Email.PENDING_IMMEDIATE
        },
        key=lambda pair: (pair[0], pair[1] or 0),
    )
    announce(lambda: live.notifications_added(recipients))
    transaction.on_commit(lambda: tasks.enqueue_immediate(immediate))
    return notifications


def _preferences(user: User) -> NotificationSettings:
    try:
        return user.notification_settings
    except NotificationSettings.DoesNotExist:
        return NotificationSettings(user=user)


def mark_read(*, user: User, notification: Notification) -> None:
    if notification.recipient_id != user.pk or notification.is_read:
        return
    notification.read_at = timezone.now()
    Notification.objects.filter(pk=notification.pk, read_at=None).update(
        read_at=notification.read_at
    )
    unread.forget([user.pk])
    announce(lambda: live.unread_changed(user.pk))


def mark_read_about(*, user: User, kinds: list[str], **extra: int) -> int:
    """Mark read the person's notifications of these kinds about one thing (named by what the
    app that sent them put in `extra`), once the person has seen that thing itself."""
    matching = Notification.objects.unread().filter(
        recipient=user, kind__in=kinds, **{f"extra__{key}": value for key, value in extra.items()}
    )
    count = matching.update(read_at=timezone.now())
    if count:
        unread.forget([user.pk])
        announce(lambda: live.unread_changed(user.pk))
    return count


def mark_all_read(*, user: User) -> int:
    count = Notification.objects.unread().filter(recipient=user).update(read_at=timezone.now())
    unread.forget([user.pk])
    if count:
        announce(lambda: live.unread_changed(user.pk))
    return count


def set_preferences(*, user: User, **frequencies: str) -> NotificationSettings:
    """Set the email frequency of the categories given (own_content, followed). Choosing no
    email also cancels the emails of that category still waiting to be sent."""
    preferences = NotificationSettings.for_user(user)
    for field, frequency in frequencies.items():
        setattr(preferences, field, Frequency(frequency))
    with transaction.atomic():
        preferences.save(update_fields=list(frequencies))
        for field, frequency in frequencies.items():
            if frequency == Frequency.NONE:
                Notification.objects.filter(
                    recipient=user,
                    own_content=field == "own_content",
                    email__in=Notification.PENDING,
                ).update(email=Notification.Email.NOT_SENT)
    return preferences
