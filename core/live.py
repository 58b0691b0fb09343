"""The live transport: server-rendered fragments sent to groups over Channels.

Apps call these from functions that actions run through transaction.on_commit, never from
save() or a signal. Fragments are rendered without a request, so nothing personal can travel.
A failing channel layer (Redis away) is logged and never fails the write that triggered it:
live updates pause and the pages catch up on reconnect.
"""

import logging
from collections.abc import Callable, Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def announce(announcement: Callable[[], None]) -> None:
    """Run the announcement once the surrounding transaction commits. The write is stored by
    then: an announcement that fails (the database gone in that very moment) is logged and
    never turns the stored write into an error page; open pages catch up when they reconnect."""
    transaction.on_commit(announcement, robust=True)


def send(group: str, message: dict) -> None:
    try:
        async_to_sync(get_channel_layer().group_send)(group, message)
    except Exception:  # noqa: BLE001 — any layer failure must leave the write standing.
        logger.warning(
            "Live update to %s was not sent; the channel layer failed", group, exc_info=True
        )


def send_many(messages: Iterable[tuple[str, dict]]) -> None:
    """Several messages, each to its group, in one call into the channel layer: one event loop
    and one set of Redis connections for all of them. Sent one by one through send(), each
    would start its own (about 6 ms each, measured by bench/follower_push.py). On Redis the
    whole batch goes in a few round trips (core.redis_layer); the in-memory layer takes them
    one by one."""
    batch = list(messages)
    if not batch:
        return

    async def send_all() -> None:
        layer = get_channel_layer()
        send_together = getattr(layer, "group_send_many", None)
        if send_together is not None:
            await send_together(batch)
            return
        for group, message in batch:
            await layer.group_send(group, message)

    try:
        async_to_sync(send_all)()
    except Exception:  # noqa: BLE001 — any layer failure must leave the write standing.
        logger.warning(
            "Live updates to %d groups were not all sent; the channel layer failed",
            len(batch),
            exc_info=True,
        )


def render(template: str, context: dict, language: str) -> str:
    with translation.override(language):
        return render_to_string(template, context)


def send_each_language(group_for: Callable[[str], str], render_in: Callable[[str], str]) -> None:
    """One live.html fragment to each language's group, in one call into the layer:
    `group_for(language)` names the group, `render_in(language)` renders the fragment."""
    send_many(
        (group_for(language), {"type": "live.html", "html": render_in(language)})
        for language in LANGUAGES
    )


def render_each_language(template: str, context: dict) -> dict[str, str]:
    """The fragment in every language, for a group whose sockets each pick their own."""
    return {language: render(template, context, language) for language in LANGUAGES}
