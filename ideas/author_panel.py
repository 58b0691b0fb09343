"""The author's panel on their own initiative's page: how its support has grown, how long is
left, the link to share, and what to do next.

Rendered per request for the author alone (templates/ideas/_author_panel.html), never pushed
over a socket: the page's public socket only says that something changed, and the author's
browser fetches the panel again with its own session.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, Q, Subquery
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ideas.charts import buckets, line_chart
from ideas.models import Comment, Initiative, Support
from ideas.permissions import can_edit, is_author

# The id of the panel's element: its live refresh asks the page for this part alone.
PANEL_ID = "author-panel"
# A description shorter than this is worth another look before review.
SHORT_BODY = 400


@dataclass(frozen=True)
class Step:
    """A suggested next step: a sentence saying why, and a link to do it."""

    text: str
    link_text: str
    url: str


def author_panel(request, initiative: Initiative) -> dict | None:
    """The panel's context, or None for anyone but the author, and for an initiative that was
    rejected or withdrawn, where nothing is left to do."""
    user = request.user
    if not is_author(user, initiative) or initiative.status in {
        Initiative.Status.REJECTED,
        Initiative.Status.WITHDRAWN,
    }:
        return None
    panel: dict = {"steps": _steps(user, initiative), "days_left": days_left(initiative)}
    if initiative.is_public:
        series, weekly = buckets(supports_by_day(initiative), *support_period(initiative))
        panel |= {
            "share_url": settings.SITE_URL + initiative.get_absolute_url(),
            "series": series,
            "weekly": weekly,
            "chart": line_chart(series) if series[-1].total else None,
        }
    return panel


def supports_by_day(initiative: Initiative) -> dict[date, int]:
    """How many of the initiative's supports were given each day, in the site's time zone; one
    query. A withdrawn support's row is gone, so it counts on no day."""
    rows = (
        Support.objects.filter(initiative=initiative)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("day")
        .annotate(number=Count("pk"))
        .values_list("day", "number")
    )
    return dict(rows)


def support_period(initiative: Initiative) -> tuple[date, date]:
    """From the day of publication to today, or to the last day of the support period when it
    has ended."""
    today = timezone.localdate()
    first = timezone.localdate(initiative.published_at) if initiative.published_at else today
    last = today
    if initiative.support_ends_at is not None:
        last = min(today, timezone.localdate(initiative.support_ends_at))
    return first, last


def days_left(initiative: Initiative) -> int | None:
    """Whole days until the support period ends, 0 on its last day; None when it is not open."""
    if not initiative.is_open_for_support:
        return None
    return max(0, (timezone.localdate(initiative.support_ends_at) - timezone.localdate()).days)


def others_comments_since_author(initiative: Initiative) -> int:
    """Comments by others, still shown, written after the author's last comment (all of them
    when the author has not written any); one query."""
    if not initiative.comment_count:
        return 0
    comments = Comment.objects.filter(initiative=initiative)
    own = comments.filter(author_id=initiative.author_id)
    last_own = own.order_by("-created_at").values("created_at")[:1]
    return (
        comments.exclude(author_id=initiative.author_id)
        .filter(removed_at__isnull=True, hidden_at__isnull=True)
        .filter(Q(created_at__gt=Subquery(last_own)) | ~Exists(own))
        .count()
    )


def _steps(user, initiative: Initiative) -> list[Step]:
    """What the initiative lacks, each with what to do about it. Partners are not asked here:
    partners.templatetags.partners.partner_next_step adds theirs on the page."""
    steps = []
    if initiative.is_open_for_support and initiative.supports_missing:
        steps.append(
            Step(
                _(
                    "Share the link with neighbours, friends and associations who care: every "
                    "support brings the initiative closer to the committee."
                ),
                _("Go to the link"),
                "#share-link",
            )
        )
    if initiative.is_public and (waiting := others_comments_since_author(initiative)):
        steps.append(
            Step(
                ngettext(
                    "%(count)d comment by others has come since you last wrote.",
                    "%(count)d comments by others have come since you last wrote.",
                    waiting,
                )
                % {"count": waiting},
                _("Answer in the discussion"),
                "#comments-heading",
            )
        )
    if can_edit(user, initiative):
        edit_url = reverse("ideas:edit", args=[initiative.pk])
        if not initiative.image:
            steps.append(
                Step(
                    _("An image makes the initiative easier to notice and to understand."),
                    _("Add an image"),
                    edit_url,
                )
            )
        if len(initiative.body) < SHORT_BODY or initiative.stadsdel_id is None:
            steps.append(
                Step(
                    _(
                        "Say what should be done, where, and for whom: a longer description "
                        "and a district help others see what you mean."
                    ),
                    _("Edit to clarify"),
                    edit_url,
                )
            )
    return steps
