"""Live updates on a person's own channel: the unread badge, and new items for the centre.

The group `user-<pk>` is joined only by that person's signed-in sockets, so what is pushed here
may be personal; nothing about anyone else is ever sent on it. Called through on_commit from
actions; a failing channel layer is logged by core.live.send and never fails the write.
"""

import copy
import json

from django.db.models import Count
from django.utils import translation

from core import live as transport
from notifications import presence
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


def notifications_added(recipients: dict[int, int]) -> None:
    """New notifications, `{pk: recipient_id}`: each recipient with a socket open gets the new
    badge and an announcement, and a socket of the notification centre the new item at the top
    of the list. Nobody else costs anything: no query, no rendering, no message.

    The notifications of one event are alike but for their number, so each fragment is rendered
    once per language and per unread count, not once per person (see `_Fragments`)."""
    present = presence.with_open_sockets(set(recipients.values()))
    shown = [pk for pk, recipient_id in recipients.items() if recipient_id in present]
    if not shown:
        return
    notifications = list(Notification.objects.for_centre().filter(pk__in=shown))
    counts = unread_counts({item.recipient_id for item in notifications})
    fragments = _Fragments()
    messages = []
    for notification in notifications:
        count = counts.get(notification.recipient_id, 0)
        item = fragments.item(notification)
        message = {
            "type": "notification.added",
            "html": {
                language: fragments.badge(count, language) + item["announcement"][language]
                for language in transport.LANGUAGES
            },
            "list_html": item["list_item"],
        }
        messages.append((user_group(notification.recipient_id), message))
    transport.send_many(messages)


class _Fragments:
    """The fragments of one batch of notifications, rendered once and shared.

    A notification's fragment differs from its siblings' (same event, same moment) only by its
    number, in its id and its links. So the first of each event is rendered with `STAND_IN` as
    its number, and each sibling gets a copy with its own number put in. Should the stand-in
    occur in the rendered text for another reason (a title made of digits), that event's
    notifications are rendered one by one, as before."""

    STAND_IN = 918273645546372819

    def __init__(self) -> None:
        self.badges: dict[tuple[int, str], str] = {}
        self.events: dict[tuple, dict | None] = {}

    def badge(self, count: int, language: str) -> str:
        key = (count, language)
        if key not in self.badges:
            self.badges[key] = transport.render(
                "notifications/_badge.html", {"unread_count": count}, language
            )
        return self.badges[key]

    def item(self, notification: Notification) -> dict[str, dict[str, str]]:
        event = (
            notification.kind,
            notification.initiative_id,
            notification.comment_id,
            notification.actor_id,
            notification.own_content,
            notification.created_at,
            json.dumps(notification.extra, sort_keys=True),
            notification.is_read,
        )
        if event not in self.events:
            self.events[event] = self._shared(notification)
        shared = self.events[event]
        if shared is None:
            return self._render(notification)
        number = str(notification.pk)
        return {
            part: {language: html.replace(self.stand_in, number) for language, html in by.items()}
            for part, by in shared.items()
        }

    @property
    def stand_in(self) -> str:
        return str(self.STAND_IN)

    def _shared(self, notification: Notification) -> dict | None:
        model = copy.copy(notification)
        model.pk = self.STAND_IN
        for language in transport.LANGUAGES:
            with translation.override(language):
                if self.stand_in in model.sentence() + model.details():
                    return None
        return self._render(model)

    @staticmethod
    def _render(notification: Notification) -> dict[str, dict[str, str]]:
        context = {"notification": notification}
        return {
            "announcement": transport.render_each_language(
                "notifications/live/announcement.html", context
            ),
            "list_item": transport.render_each_language(
                "notifications/live/list_item.html", context
            ),
        }


def unread_changed(user_id: int) -> None:
    """The person read something: every open page of theirs shows the new count."""
    context = {"unread_count": unread_counts([user_id]).get(user_id, 0)}
    html = transport.render_each_language("notifications/_badge.html", context)
    transport.send(user_group(user_id), {"type": "notification.badge", "html": html})
