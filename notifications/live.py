"""Live updates on a person's own channel: the unread badge, and new items for the centre.

The group `user-<pk>` is joined only by that person's signed-in sockets, so what is pushed here
may be personal; nothing about anyone else is ever sent on it. Called through on_commit from
actions; a failing channel layer is logged by core.live.send and never fails the write.
"""

from django.db.models import Count

from core import live as transport
from notifications.models import Notification


def user_group(pk: int) -> str:
    return f"user-{pk}"


def unread_counts(user_ids) -> dict[int, int]:
    rows = (
        Notification.objects.unread()
        .filter(recipient_id__in=user_ids)
        .values_list("recipient_id")
        .annotate(count=Count("pk"))
    )
    return dict(rows)


def notifications_added(pks: list[int]) -> None:
    """Each recipient's sockets get the new badge and an announcement; sockets of the
    notification centre also get the new item at the top of the list."""
    notifications = list(Notification.objects.for_centre().filter(pk__in=pks))
    counts = unread_counts({item.recipient_id for item in notifications})
    for notification in notifications:
        context = {
            "unread_count": counts.get(notification.recipient_id, 0),
            "notification": notification,
        }
        transport.send(
            user_group(notification.recipient_id),
            {
                "type": "notification.added",
                "html": transport.render_each_language(
                    "notifications/live/notification_added.html", context
                ),
                "list_html": transport.render_each_language(
                    "notifications/live/list_item.html", context
                ),
            },
        )


def unread_changed(user_id: int) -> None:
    """The person read something: every open page of theirs shows the new count."""
    context = {"unread_count": unread_counts([user_id]).get(user_id, 0)}
    html = transport.render_each_language("notifications/_badge.html", context)
    transport.send(user_group(user_id), {"type": "notification.badge", "html": html})
