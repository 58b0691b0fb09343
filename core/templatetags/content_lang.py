"""Marking Swedish content on English pages, so that a screen reader reads it in Swedish.

What people write (initiatives, comments, organisations' profiles, offers, official answers) is
Swedish whatever language the page is in; the programme's texts are Swedish where staff have not
written them in English. `<p{% content_lang %}>` gives ` lang="sv"` on a page in another
language and nothing on a Swedish page; `{% content_lang item "title" %}` only when the item's
English `title_en` is empty, so the Swedish text is what shows.
"""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()

CONTENT_LANGUAGE = settings.LANGUAGE_CODE


@register.simple_tag
def content_lang(item=None, field: str = "") -> str:
    language = get_language() or CONTENT_LANGUAGE
    if language.split("-")[0] == CONTENT_LANGUAGE:
        return ""
    if item is not None and field and getattr(item, f"{field}_{language.split('-')[0]}", ""):
        return ""
    return format_html(' lang="{}"', CONTENT_LANGUAGE)
