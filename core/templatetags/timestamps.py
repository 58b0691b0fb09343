"""The <time> element every list of comments, messages and events shows.

One filter instead of two `date` filters an element: Django's `date` filter parses its format on
each call, which made the dates the costliest part of a long discussion page
(docs/decisions/0007-time-tag-filter.md).
"""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import format_html

register = template.Library()


@register.filter
def time_tag(value: datetime | None, precision: str = "minute") -> str:
    """`<time datetime="…">26 november 2026 14:05</time>` in the active language and time zone;
    `|time_tag:"date"` leaves the time of day out. Empty for no value."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    text = f"{local.day} {MONTHS[local.month]} {local.year}"
    if precision != "date":
        text = f"{text} {local:%H:%M}"
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), text)
