"""The review queue, live for moderators. The queue is staff-only, and so is its socket."""

from core import live as transport
from moderation.queue import queue_context

GROUP = "moderation-{language}"


def queue_html(language: str) -> str:
    """The queue as it is now: the same partial a GET renders."""
    return transport.render("moderation/live/queue_changed.html", queue_context(), language)


def queue_changed() -> None:
    """Send every watching moderator the queue as it is now."""
    transport.send_each_language(lambda language: GROUP.format(language=language), queue_html)
