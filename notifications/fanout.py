"""An initiative's followers hear of a comment, an answer or a decision outside the request.

Supporting an initiative follows it, so a popular one has as many followers as supporters: tens
of thousands. The action that tells them only enqueues one task when its transaction commits;
the task creates their notifications in slices, each slice one transaction of two queries, and
each slice's live updates go out as it commits, to the followers with a socket open. Emails and
digests follow from the same rows, as for any notification. A comment's request costs the same
with 50,000 followers as with five.
"""

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.tasks import task

from accounts.models import User
from notifications.actions import create_notifications, is_muted
from notifications.models import Follow, Notification

if TYPE_CHECKING:
    from ideas.models import Comment, Initiative

logger = logging.getLogger(__name__)

SLICE = 1000


def do_notify_followers(
    *,
    kind: str,
    initiative: "Initiative",
    comment: "Comment | None" = None,
    actor: User | None = None,
    extra: dict | None = None,
    exclude: Iterable[int] = (),
) -> None:
    """Tell everyone who follows the initiative, but the people in `exclude` (told already, as
    its author or as staff) and the actor, once the transaction commits."""
    if is_muted():
        return
    arguments = {
        "kind": kind,
        "initiative_id": initiative.pk,
        "comment_id": comment.pk if comment else None,
        "actor_id": actor.pk if actor else None,
        "extra": extra or {},
        "exclude": sorted({pk for pk in exclude if pk is not None}),
    }
    # Robust: the event is stored by then; a queue that fails is logged (by Django), and never
    # turns the stored comment or answer into an error page.
    transaction.on_commit(lambda: notify_followers.enqueue(**arguments), robust=True)


@task
def notify_followers(
    *,
    kind: str,
    initiative_id: int,
    comment_id: int | None,
    actor_id: int | None,
    extra: dict,
    exclude: list[int],
) -> int:
    """Create the followers' notifications, a slice at a time; return how many."""
    if comment_id is not None and not _comment_exists(comment_id):
        return 0  # Gone since (its author's account erased): nothing left to point to.
    followers = list(
        Follow.objects.active()
        .filter(initiative_id=initiative_id)
        .exclude(user_id__in=exclude)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    created = 0
    for start in range(0, len(followers), SLICE):
        user_ids = followers[start : start + SLICE]
        with transaction.atomic():
            created += len(
                create_notifications(
                    kind=kind,
                    chosen=Q(pk__in=user_ids),
                    initiative_id=initiative_id,
                    comment_id=comment_id,
                    actor_id=actor_id,
                    own_content=False,
                    extra=extra,
                )
            )
    logger.info("Told %d follower(s) of initiative %s: %s", created, initiative_id, kind)
    return created


def _comment_exists(pk: int) -> bool:
    # The comment's model is the ideas app's, above this one: reached through the field.
    return Notification._meta.get_field("comment").related_model.objects.filter(pk=pk).exists()
