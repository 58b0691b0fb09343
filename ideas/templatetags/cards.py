"""`{% cards initiatives %}`: the initiatives' cards (ideas/_card.html), from the cache.

A card looks the same to everyone who sees it, so each is rendered once per language and kept
under a key that names everything it shows: a new count, title or status is a new key at once.
The cards of a page come from the cache in one read.
"""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.fragments import cache_key, cached_renders

register = template.Library()

# How long a card nobody has asked for stays in the cache. A changed card is a new key at once.
CARD_SECONDS = 15 * 60


def card_key(initiative, language: str, zone: str) -> str:
    """The key of the initiative's card: every value ideas/_card.html shows, as it shows them
    in the active language (tests/ideas/test_card_cache.py changes each one)."""
    fokusomrade, stadsdel, organisation = (
        initiative.fokusomrade,
        initiative.stadsdel,
        initiative.organisation,
    )
    return cache_key(
        "card",
        initiative.pk,
        language,
        zone,
        initiative.get_absolute_url(),
        initiative.title,
        initiative.summary,
        initiative.status,
        initiative.support_count,
        initiative.comment_count,
        initiative.seeking_partners,
        fokusomrade.title,
        getattr(fokusomrade, f"title_{language.split('-')[0]}", ""),
        stadsdel.name if stadsdel else None,
        organisation.name if organisation else None,
        initiative.author.public_name,
    )


@register.simple_tag
def cards(initiatives) -> str:
    """The cards, in order, each from the cache or rendered and stored."""
    shown = list(initiatives)
    language, zone = get_language(), timezone.get_current_timezone_name()
    keys = {initiative.pk: card_key(initiative, language, zone) for initiative in shown}
    parts = cached_renders(
        shown,
        key=lambda initiative: keys[initiative.pk],
        render=lambda initiative: render_to_string("ideas/_card.html", {"initiative": initiative}),
        timeout=CARD_SECONDS,
    )
    return mark_safe("".join(parts[keys[initiative.pk]] for initiative in shown))  # noqa: S308
