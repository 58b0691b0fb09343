"""The notifications section of a person's data (core/privacy.py): what they follow, what they
were told and how they want email. All of it only concerned them, so erasure removes it."""

from typing import Any

from accounts.models import User
from core.privacy import when
from notifications.models import Follow, Notification, NotificationSettings

# Notification.actor is not exported: a notification belongs to its recipient, and what the
# actor did (a comment, an offer) is exported by the app that holds it. Erasure keeps the link;
# the recipient's notification then names a deleted user.
COVERS = [
    "notifications.Follow.user",
    "notifications.Notification.recipient",
    "notifications.Notification.actor",
    "notifications.NotificationSettings.user",
]


def export(user: User) -> dict[str, Any]:
    preferences = NotificationSettings.objects.filter(user=user).first() or NotificationSettings()
    return {
        "follows": [
            {"initiative": follow.initiative.title, "active": follow.active}
            for follow in Follow.objects.filter(user=user).select_related("initiative")
        ],
        "notifications": [
            {"text": notification.sentence(), "created_at": when(notification.created_at)}
            for notification in Notification.objects.filter(recipient=user).select_related(
                "initiative", "actor"
            )
        ],
        "email_preferences": {
            "own_content": preferences.own_content,
            "followed": preferences.followed,
        },
    }


def erase(user: User) -> None:
    Notification.objects.filter(recipient=user).delete()
    Follow.objects.filter(user=user).delete()
    NotificationSettings.objects.filter(user=user).delete()
