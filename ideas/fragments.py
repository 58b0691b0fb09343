"""The initiatives' fragments that look the same to every viewer, from the cache
(core.fragments): the cards, each comment's public part, an initiative's public record and its
discussion's pages.

The cards and comments are keyed by what they show: each `…_shows` lists every value its
template shows, and a template change that shows a new value adds it there
(tests/ideas/test_card_cache.py and test_comment_cache.py change each one). The record and the
discussion's pages show too much for that, and are keyed by the page generation instead
(docs/decisions/0018)."""

from collections.abc import Callable

from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.fragments import cached_fragments
from ideas.models import (
    Comment,
    Initiative,
    InitiativeVersion,
    OfficialResponse,
    ThreadPage,
)


def card_shows(initiative: Initiative) -> tuple:
    """What ideas/_card.html shows, as it shows it in the active language."""
    fokusomrade, stadsdel, organisation = (
        initiative.fokusomrade,
        initiative.stadsdel,
        initiative.organisation,
    )
    return (
        initiative.pk,
        initiative.get_absolute_url(),
        initiative.title,
        initiative.summary,
        initiative.status,
        initiative.support_count,
        initiative.comment_count,
        initiative.seeking_partners,
        fokusomrade.title,
        getattr(fokusomrade, f"title_{get_language().split('-')[0]}", ""),
        stadsdel.name if stadsdel else None,
        organisation.name if organisation else None,
        initiative.author.public_name,
    )


def cards_html(initiatives) -> SafeString:
    """The initiatives' cards, in order."""
    cards = cached_fragments(
        "card",
        list(initiatives),
        shows=card_shows,
        render=lambda initiative: render_to_string("ideas/_card.html", {"initiative": initiative}),
    )
    return mark_safe("".join(cards))  # noqa: S308 — each one is safe


def comment_part_shows(comment: Comment, address: str) -> tuple:
    """What ideas/_comment.html#public shows of a comment that is not hidden."""
    return (
        comment.pk,
        address,
        comment.parent_id,
        comment.author.public_name,
        comment.is_staff_comment,
        comment.created_at,
        comment.edited_at,
        comment.removed_at,
        comment.body_html,
    )


def with_public_parts(page: ThreadPage, initiative: Initiative) -> None:
    """Give each comment of the page that is not hidden its public part (`public_html`), the
    same for every viewer. Hidden comments never go through the cache: what a moderator sees of
    them must not reach anyone else."""
    address = initiative.get_absolute_url()
    comments = [
        comment
        for thread in page.threads
        for comment in (thread.comment, *thread.replies)
        if not comment.is_hidden
    ]
    parts = cached_fragments(
        "comment-part",
        comments,
        shows=lambda comment: comment_part_shows(comment, address),
        render=lambda comment: render_to_string(
            "ideas/_comment.html#public", {"comment": comment, "initiative": initiative}
        ),
    )
    for comment, part in zip(comments, parts, strict=True):
        comment.public_html = part


# How long a part kept under the page generation lives. A change whose new generation Redis
# missed (it was unreachable at that moment) shows once the part expires: at most this late.
GENERATION_PART_SECONDS = 60

# The parts of an initiative's page that show its public record, the same for every reader: the
# template that renders each, by the name the page's context gives it (`record`).
RECORD_PARTS = {
    "edited_mark": "ideas/detail.html#edited-mark",
    "priorities": "ideas/detail.html#priorities",
    "responses": "ideas/detail.html#responses",
    "timeline": "ideas/detail.html#timeline",
    "versions": "ideas/_versions.html",
}


def record_lookups() -> tuple:
    """What the record parts read of the initiative beyond its own row: its priorities, its
    timeline (the events in their model's order, with no actor: the timeline names none), the
    city's answers and the earlier versions. The live parts read the same (ideas.live)."""
    return (
        "prioriteringar",
        "events",
        Prefetch("responses", queryset=OfficialResponse.objects.for_timeline()),
        Prefetch("versions", queryset=InitiativeVersion.objects.for_history()),
    )


def record_parts(initiative: Initiative, generation: str | None) -> dict[str, SafeString]:
    """The record parts of the initiative's page. A public initiative's come from the cache,
    under the page generation read before the initiative was (core.pagecache: every change to
    what they show starts a new one), so the record is fetched only when one is missing. Those
    of a draft, an initiative in review or one hidden are rendered each time (`generation`
    None): only their author and staff see them."""
    fetched = False

    def render(name: str) -> str:
        nonlocal fetched
        if not fetched:  # Once, for every missing part; Django skips what is fetched already.
            prefetch_related_objects([initiative], *record_lookups())
            fetched = True
        return render_to_string(RECORD_PARTS[name], {"initiative": initiative})

    names = list(RECORD_PARTS)
    if generation is None:
        return {name: mark_safe(render(name)) for name in names}  # noqa: S308 — the site's own
    parts = cached_fragments(
        "initiative-record",
        names,
        shows=lambda name: (initiative.pk, generation, name),
        render=render,
        seconds=GENERATION_PART_SECONDS,
    )
    return dict(zip(names, parts, strict=True))


def discussion_page(
    initiative: Initiative,
    generation: str,
    page: int,
    expanded: int | None,
    make: Callable[[], ThreadPage],
) -> SafeString:
    """The discussion's page (ideas/detail.html#comment-list) as a reader sees it who has no
    part in it: neither a moderator nor the author of a comment on the initiative. Rendered
    without a request, so nothing of the reader's can be in it; kept under the page generation
    (every comment, hiding and name change starts a new one). `make()` makes the ThreadPage when
    the cache has none."""
    return cached_fragments(
        "discussion-page",
        [page],
        shows=lambda number: (initiative.pk, generation, number, expanded),
        render=lambda number: render_to_string(
            "ideas/detail.html#comment-list", {"initiative": initiative, "threads": make()}
        ),
        seconds=GENERATION_PART_SECONDS,
    )[0]
