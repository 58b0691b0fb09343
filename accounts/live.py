"""What accounts announces live: only that an organisation started waiting for a moderator's
approval. The message carries nothing; the review queue (moderation.consumers) listens on the
group and renders itself afresh, so this app needs to know nothing of it."""

from core import live as transport

REVIEW_GROUP = "organisations-review"


def review_changed() -> None:
    transport.send(REVIEW_GROUP, {"type": "review.changed"})
