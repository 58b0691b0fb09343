"""Live updates of initiatives: fragments announced to everyone watching, over core.live.

Every function here is called from an action through transaction.on_commit, never from save()
or a signal. Fragments are rendered from the same template partials that a GET returns.
"""

from accounts import elegitimation
from core import live as transport
from ideas.fragments import record_lookups
from ideas.models import Comment, Initiative, OfficialResponse


def initiative_group(pk: int, language: str) -> str:
    return f"initiative-{pk}-{language}"


def lists_group(language: str) -> str:
    """Lists that show new initiatives as they are published, and programme pages that show
    focus areas' counts: publications are rare, so each such socket hears of all of them."""
    return f"initiatives-{language}"


def card_group(pk: int, language: str) -> str:
    """The sockets of the pages that show this initiative's card: a support on one initiative
    reaches the pages that show it, and costs the thousands of others nothing."""
    return f"card-{pk}-{language}"


def initiative_live_context(initiative: Initiative) -> dict:
    """The context of the public, live parts of an initiative page; the GET uses it too. With
    e-legitimation on, the initiative comes with_verified_support_count."""
    return {"initiative": initiative, "counts_verified": elegitimation.is_enabled()}


def with_counts(initiatives):
    """The initiatives with what initiative_live_context shows beyond their own fields."""
    return initiatives.with_verified_support_count() if elegitimation.is_enabled() else initiatives


def _public_initiative(pk: int) -> Initiative | None:
    return (
        with_counts(Initiative.objects.public())
        .select_related("fokusomrade__viljeinriktning", "stadsdel", "author", "organisation")
        .filter(pk=pk)
        .first()
    )


def _send_to_page(pk: int, template: str, context: dict) -> None:
    """The fragment to the initiative's page, in each language, in one call into the layer."""
    transport.send_each_language(
        lambda language: initiative_group(pk, language),
        lambda language: transport.render(template, context, language),
    )


def initiative_changed(pk: int, *, announce: bool = True) -> None:
    """Counts, progress and status changed: tell the initiative's page, and the lists that show
    its card. After a comment the comment itself is announced, so the counts stay silent."""
    initiative = _public_initiative(pk)
    if initiative is None:
        return
    context = initiative_live_context(initiative)
    messages = []
    for language in transport.LANGUAGES:
        html = transport.render(
            "ideas/live/initiative_changed.html", {**context, "announce": announce}, language
        )
        messages.append((initiative_group(pk, language), {"type": "live.html", "html": html}))
        html = transport.render("ideas/live/list_counts.html", context, language)
        messages.append((card_group(pk, language), {"type": "live.counts", "pk": pk, "html": html}))
    transport.send_many(messages)


def edited_initiative(pk: int) -> Initiative | None:
    """A public initiative with what the edited parts of its page show (ideas/live/
    initiative_edited.html): its text, the city's answers, its timeline and its earlier
    versions. A reconnected page fetches these again (ideas.views.initiative_live_part)."""
    return (
        Initiative.objects.public()
        .select_related("fokusomrade__viljeinriktning", "author", "organisation")
        .prefetch_related(*record_lookups())
        .filter(pk=pk)
        .first()
    )


def initiative_edited(pk: int) -> None:
    """The author edited a public initiative: its page shows the new text, the "edited" mark,
    the timeline and the history of versions, from the same partials the page renders."""
    initiative = edited_initiative(pk)
    if initiative is None:
        return
    context = {"initiative": initiative, "announce": True}
    _send_to_page(pk, "ideas/live/initiative_edited.html", context)


def answered_initiative(pk: int) -> Initiative | None:
    """A public initiative with what the answer's parts of its page show (ideas/live/
    response_added.html): the city's answers and the timeline."""
    return (
        Initiative.objects.public()
        .select_related("fokusomrade__viljeinriktning")
        .prefetch_related(*record_lookups())
        .filter(pk=pk)
        .first()
    )


def response_added(pk: int) -> None:
    """An administration answered: the page shows the answer and the timeline entry, from the
    same partials the page renders, and says who answered; then its status and counts change
    quietly, as after a comment."""
    response = OfficialResponse.objects.select_related("forvaltning").filter(pk=pk).first()
    initiative = response and answered_initiative(response.initiative_id)
    if initiative is None:
        return
    context = {"initiative": initiative, "response": response}
    _send_to_page(initiative.pk, "ideas/live/response_added.html", context)
    initiative_changed(initiative.pk, announce=False)


def initiative_published(pk: int) -> None:
    """A new initiative: its card for lists that show new ones, and its focus area's new count
    for programme pages."""
    initiative = _public_initiative(pk)
    if initiative is None:
        return
    fokusomrade = initiative.fokusomrade
    count = Initiative.objects.public().filter(fokusomrade=fokusomrade).count()
    match = match_attributes(initiative)
    messages = []
    for language in transport.LANGUAGES:
        card = transport.render(
            "ideas/live/initiative_published.html", {"initiative": initiative}, language
        )
        counter = transport.render(
            "ideas/live/fokusomrade_count.html",
            {"fokusomrade": fokusomrade, "initiative_count": count},
            language,
        )
        messages.append(
            (
                lists_group(language),
                {
                    "type": "live.published",
                    "pk": pk,
                    "html": card,
                    "match": match,
                    "fokusomrade": fokusomrade.pk,
                    "fokusomrade_html": counter,
                },
            )
        )
    transport.send_many(messages)


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
    context = {"comment": comment, "initiative": comment.initiative}
    _send_to_page(comment.initiative_id, "ideas/live/comment_added.html", context)
    initiative_changed(comment.initiative_id, announce=False)


def comment_changed(pk: int) -> None:
    """An edited or removed comment replaces itself, keeping the answers under it."""
    comment = _comment_for_broadcast(pk)
    if comment is None:
        return
    replies = [] if comment.parent_id else list(comment.replies.for_thread())
    context = {"comment": comment, "initiative": comment.initiative, "replies": replies}
    _send_to_page(comment.initiative_id, "ideas/live/comment_changed.html", context)
    initiative_changed(comment.initiative_id, announce=False)


# Sockets that show the initiatives waiting for review (the moderation queue) listen here.
REVIEW_GROUP = "initiatives-review"


def review_changed() -> None:
    """An initiative entered review. The message carries nothing: whoever shows the review
    queue renders it afresh (moderation.consumers), so this app needs to know nothing of it."""
    transport.send(REVIEW_GROUP, {"type": "review.changed"})


# Sockets that show the city's desk (Handläggning, in moderation) listen here.
DESK_GROUP = "initiatives-desk"


def desk_changed() -> None:
    """An initiative was assigned, answered or reached its threshold. Empty, like
    review_changed: each open desk renders itself afresh for its own staff member."""
    transport.send(DESK_GROUP, {"type": "desk.changed"})
