"""Mina sidor: one person's initiatives, supports, follows, comments and partnerships.

The page gathers several apps' content, so it is composed here, above them: each app answers
for its own part (ideas/mine.py, partners/mine.py, moderation's reasons), and each tab is a
page of its own address. Every tab is live: its list re-fetches itself when the person's own
socket hears of something (a decision, an answer, a message), and the initiatives' counts
update through the lists' socket like any card.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import Membership
from ideas.mine import (
    Stage,
    at_stage,
    comment_link,
    my_comments,
    my_follows,
    my_initiatives,
    my_supports,
    stage_counts,
)
from ideas.views import THREADS_PER_PAGE, list_socket_query
from moderation.models import ModerationDecision
from partners.mine import my_offers

PER_PAGE = 20
# How many initiatives of each stage the overview shows before "show all".
PER_STAGE = 5


def _tab(request, tab: str, context: dict):
    """Render a tab, or only its live part when the part asks for itself again."""
    context = {"tab": tab, **context}
    template = f"mypages/{tab}.html"
    if request.htmx and request.htmx.target == "mina-sidor-innehall":
        template += "#content"
    return render(request, template, context)


def _page(request, items):
    return Paginator(items, PER_PAGE).get_page(request.GET.get("sida"))


@login_required
@require_GET
def initiatives(request):
    mine = my_initiatives(request.user)
    counts = stage_counts(mine)
    wanted = request.GET.get("steg")
    if wanted in Stage.values:
        page = _page(request, at_stage(mine, Stage(wanted)))
        groups = [(Stage(wanted), page.object_list, counts[wanted])]
    else:
        page = None
        groups = [
            (stage, list(at_stage(mine, stage)[:PER_STAGE]), counts[stage])
            for stage in Stage
            if counts[stage]
        ]
    shown = [initiative for _stage, items, _count in groups for initiative in items]
    _add_rejection_reasons(shown)
    context = {
        "counts": [(stage, counts[stage]) for stage in Stage],
        "groups": groups,
        "page": page,
        "wanted": wanted if page else None,
        "per_stage": PER_STAGE,
        "live_query": list_socket_query(shown),
    }
    return _tab(request, "initiatives", context)


def _add_rejection_reasons(initiatives) -> None:
    """Give each rejected initiative the admissibility reasons it was refused for, from the
    moderation log, in one query for the page."""
    rejected = {item.pk: item for item in initiatives if item.status == item.Status.REJECTED}
    if not rejected:
        return
    for decision in ModerationDecision.objects.rejections(rejected):
        rejected[decision.initiative_id].rejection_reasons = decision.reasons


@login_required
@require_GET
def supports(request):
    return _initiatives_tab(request, "supports", my_supports(request.user))


@login_required
@require_GET
def follows(request):
    return _initiatives_tab(request, "follows", my_follows(request.user))


def _initiatives_tab(request, tab: str, initiatives):
    """A tab of other people's initiatives, a page of them, their counts live."""
    page = _page(request, initiatives)
    context = {"page": page, "live_query": list_socket_query(page.object_list)}
    return _tab(request, tab, context)


@login_required
@require_GET
def comments(request):
    page = _page(request, my_comments(request.user))
    for comment in page.object_list:
        comment.link = comment_link(comment, THREADS_PER_PAGE)
    return _tab(request, "comments", {"page": page})


@login_required
@require_GET
def partnerships(request):
    memberships = Membership.objects.filter(user=request.user).select_related("organisation")
    page = _page(request, my_offers(request.user))
    context = {"memberships": list(memberships), "page": page}
    return _tab(request, "partnerships", context)
