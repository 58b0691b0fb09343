"""The review queue, live for moderators. The queue is staff-only, and so is its socket."""

from ideas import live as ideas_live
from moderation.queue import queue_context

GROUP = "moderation-{language}"


def queue_changed() -> None:
    """Send every watching moderator the queue as it is now (the same partial a GET renders)."""
    context = queue_context()
    for language in ideas_live.LANGUAGES:
        html = ideas_live.render("moderation/live/queue_changed.html", context, language)
        ideas_live.send(GROUP.format(language=language), {"type": "live.html", "html": html})
