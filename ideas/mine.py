"""A person's own initiatives, supports, follows and comments: what Mina sidor lists.

Each function answers for one person and costs the same number of queries however long that
person's history is. The pages that show them are composed in config (config/mypages.py).
"""

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from ideas.models import Comment, Initiative, InitiativeEvent, Support
from notifications.models import Follow

Status = Initiative.Status


class Stage(TextChoices):
    """Where one of the person's initiatives stands, in the words of its author. A draft a
    moderator sent back is a stage of its own: it waits for the author with a request."""

    DRAFT = "utkast", _("Drafts")
    SENT_BACK = "att-andra", _("Sent back for changes")
    IN_REVIEW = "granskas", _("In review")
    REJECTED = "avslagna", _("Not approved")
    PUBLISHED = "publicerade", _("Open for support")
    ANSWERED = "besvarade", _("Answered")
    WITHDRAWN = "tillbakadragna", _("Withdrawn")


def _last_status_event(field: str) -> Subquery:
    """A field of the initiative's latest status change."""
    latest = InitiativeEvent.objects.filter(
        initiative=OuterRef("pk"), kind=InitiativeEvent.Kind.STATUS
    ).order_by("-created_at", "-pk")
    return Subquery(latest.values(field)[:1])


# A draft is sent back when it was submitted once: only a moderator's request returns an
# initiative in review to the author as a draft, and the submission date stays.
_SENT_BACK = Q(status=Status.DRAFT, submitted_at__isnull=False)

STAGE_FILTERS = {
    Stage.DRAFT: Q(status=Status.DRAFT, submitted_at__isnull=True),
    Stage.SENT_BACK: _SENT_BACK,
    Stage.IN_REVIEW: Q(status=Status.SUBMITTED),
    Stage.REJECTED: Q(status=Status.REJECTED),
    Stage.PUBLISHED: Q(status=Status.PUBLISHED),
    Stage.ANSWERED: Q(status__in=Initiative.RESPONSE_STATUSES),
    Stage.WITHDRAWN: Q(status=Status.WITHDRAWN),
}


def my_initiatives(user: User) -> QuerySet[Initiative]:
    """The person's initiatives in every state, newest change first, with the note of the
    latest status change (a moderator's request or reasons) on each."""
    return (
        Initiative.objects.filter(author=user)
        .annotate(
            last_note=_last_status_event("note"),
        )
        .select_related("fokusomrade", "stadsdel", "organisation", "forvaltning")
        .defer("body", "body_html", "search_vector")
        .order_by("-updated_at", "-pk")
    )


def stage_counts(initiatives: QuerySet[Initiative]) -> dict[str, int]:
    """How many of these initiatives are at each stage, in one query."""
    totals = initiatives.order_by().aggregate(
        **{stage.value: Count("pk", filter=condition) for stage, condition in STAGE_FILTERS.items()}
    )
    return {stage: totals[stage.value] for stage in Stage}


def at_stage(initiatives: QuerySet[Initiative], stage: Stage) -> QuerySet[Initiative]:
    return initiatives.filter(STAGE_FILTERS[stage])


def my_supports(user: User) -> QuerySet[Initiative]:
    """What the person supports, most recent support first. Only the person sees this."""
    supported = Support.objects.filter(initiative=OuterRef("pk"), user=user)
    return (
        Initiative.objects.visible_to(user)
        .filter(Exists(supported))
        .annotate(supported_at=Subquery(supported.values("created_at")[:1]))
        .for_cards()
        .order_by("-supported_at", "-pk")
    )


def my_follows(user: User) -> QuerySet[Initiative]:
    """What the person follows and may still read, most recently followed first."""
    follows = Follow.objects.active().filter(initiative=OuterRef("pk"), user=user)
    return (
        Initiative.objects.visible_to(user)
        .filter(Exists(follows))
        .annotate(followed_at=Subquery(follows.values("created_at")[:1]))
        .for_cards()
        .order_by("-followed_at", "-pk")
    )


def my_comments(user: User) -> QuerySet[Comment]:
    """The person's comments, newest first, each with the page of its initiative's discussion
    that shows it (`threads_before` its thread), so a link opens the thread where it is."""
    thread_start = Coalesce(
        Subquery(Comment.objects.filter(pk=OuterRef("parent_id")).values("created_at")[:1]),
        F("created_at"),
    )
    thread_pk = Coalesce(F("parent_id"), F("pk"))
    earlier_threads = (
        Comment.objects.filter(
            initiative=OuterRef("initiative"),
            parent__isnull=True,
        )
        .filter(
            Q(created_at__lt=OuterRef("thread_start"))
            | Q(created_at=OuterRef("thread_start"), pk__lt=OuterRef("thread"))
        )
        .order_by()
        .values("initiative")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Comment.objects.filter(author=user, initiative__in=Initiative.objects.visible_to(user))
        .annotate(thread_start=thread_start, thread=thread_pk)
        .annotate(
            threads_before=Coalesce(Subquery(earlier_threads, output_field=IntegerField()), 0)
        )
        .select_related("initiative")
        .defer("initiative__body", "initiative__body_html", "initiative__search_vector")
        .order_by("-created_at", "-pk")
    )


def comment_link(comment: Comment, threads_per_page: int) -> str:
    """The address of the discussion page that shows the comment, opened at it. Comments
    annotated by my_comments know their page; an answer opens its whole thread."""
    params = []
    page = comment.threads_before // threads_per_page + 1
    if page > 1:
        params.append(f"kommentarer={page}")
    if comment.parent_id:
        params.append(f"alla-svar={comment.parent_id}")
    query = f"?{'&'.join(params)}" if params else ""
    return f"{comment.initiative.get_absolute_url()}{query}#{comment.dom_id}"
