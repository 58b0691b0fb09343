"""The initiatives' fragments that look the same to every viewer, from the cache
(core.fragments): the cards, and each comment's public part. Each `…_shows` lists every value
its template shows; a template change that shows a new value adds it there
(tests/ideas/test_card_cache.py and test_comment_cache.py change each one)."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.fragments import cached_fragments
from ideas.models import Comment, Initiative, ThreadPage


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
