"""Live updates: server-rendered fragments announced to everyone watching, over Channels.

Every function here is called from an action through transaction.on_commit, never from save()
or a signal. Fragments are rendered from the same template partials that a GET returns, without
a request, so nothing personal can travel. A failing channel layer (Redis away) is logged and
never fails the write that triggered it: live updates pause and the pages catch up on reconnect.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from ideas.models import Comment, Initiative

logger = logging.getLogger(__name__)

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def initiative_group(pk: int, language: str) -> str:
    return f"initiative-{pk}-{language}"


def lists_group(language: str) -> str:
    return f"initiatives-{language}"


def send(group: str, message: dict) -> None:
    try:
        async_to_sync(get_channel_layer().group_send)(group, message)
    except Exception:  # noqa: BLE001 — any layer failure must leave the write standing.
        logger.warning(
            "Live update to %s was not sent; the channel layer failed", group, exc_info=True
        )


def render(template: str, context: dict, language: str) -> str:
    with translation.override(language):
        return render_to_string(template, context)


def initiative_live_context(initiative: Initiative) -> dict:
    """The context of the public, live parts of an initiative page; the GET uses it too."""
    return {"initiative": initiative}


def _public_initiative(pk: int) -> Initiative | None:
    return (
        Initiative.objects.public()
        .select_related("fokusomrade__viljeinriktning", "stadsdel", "author", "organisation")
        .filter(pk=pk)
        .first()
    )


def initiative_changed(pk: int, *, announce: bool = True) -> None:
    """Counts, progress and status changed: tell the initiative's page, and the lists that show
    its card. After a comment the comment itself is announced, so the counts stay silent."""
    initiative = _public_initiative(pk)
    if initiative is None:
        return
    for language in LANGUAGES:
        context = initiative_live_context(initiative)
        html = render(
            "ideas/live/initiative_changed.html", {**context, "announce": announce}, language
        )
        send(initiative_group(pk, language), {"type": "live.html", "html": html})
        html = render("ideas/live/list_counts.html", context, language)
        send(lists_group(language), {"type": "live.counts", "pk": pk, "html": html})


def initiative_published(pk: int) -> None:
    """A new initiative: its card for lists that show new ones, and its focus area's new count
    for programme pages."""
    initiative = _public_initiative(pk)
    if initiative is None:
        return
    fokusomrade = initiative.fokusomrade
    count = Initiative.objects.public().filter(fokusomrade=fokusomrade).count()
    for language in LANGUAGES:
        card = render("ideas/live/initiative_published.html", {"initiative": initiative}, language)
        counter = render(
            "ideas/live/fokusomrade_count.html",
            {"fokusomrade": fokusomrade, "initiative_count": count},
            language,
        )
        send(
            lists_group(language),
            {
                "type": "live.published",
                "pk": pk,
                "html": card,
                "match": match_attributes(initiative),
                "fokusomrade": fokusomrade.pk,
                "fokusomrade_html": counter,
            },
        )


def match_attributes(initiative: Initiative) -> dict:
    """What a list's filters compare against, so each socket only shows what its page lists."""
    return {
        "viljeinriktning": initiative.fokusomrade.viljeinriktning.slug,
        "fokusomrade": initiative.fokusomrade.slug,
        "prioriteringar": list(initiative.prioriteringar.values_list("slug", flat=True)),
        "stadsdel": initiative.stadsdel.slug if initiative.stadsdel_id else "",
        "typ": initiative.author_kind,
        "status": initiative.status,
    }


def _comment_for_broadcast(pk: int) -> Comment | None:
    comment = Comment.objects.select_related("author", "initiative").filter(pk=pk).first()
    if comment is None or not comment.initiative.is_public:
        return None
    return comment


def comment_added(pk: int) -> None:
    comment = _comment_for_broadcast(pk)
    if comment is None:
        return
    for language in LANGUAGES:
        context = {"comment": comment, "initiative": comment.initiative}
        html = render("ideas/live/comment_added.html", context, language)
        send(initiative_group(comment.initiative_id, language), {"type": "live.html", "html": html})
    initiative_changed(comment.initiative_id, announce=False)


def comment_changed(pk: int) -> None:
    """An edited or removed comment replaces itself, keeping the answers under it."""
    comment = _comment_for_broadcast(pk)
    if comment is None:
        return
    replies = [] if comment.parent_id else list(comment.replies.for_thread())
    for language in LANGUAGES:
        context = {"comment": comment, "initiative": comment.initiative, "replies": replies}
        html = render("ideas/live/comment_changed.html", context, language)
        send(initiative_group(comment.initiative_id, language), {"type": "live.html", "html": html})
    initiative_changed(comment.initiative_id, announce=False)
