"""`{% cards initiatives %}`: the initiatives' cards (ideas/_card.html), from the cache
(ideas.fragments.cards_html): each card is rendered once per language, and a page's cards are
read in one go."""

from django import template

from ideas.fragments import cards_html

register = template.Library()


@register.simple_tag
def cards(initiatives) -> str:
    return cards_html(initiatives)
