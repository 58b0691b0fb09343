"""The error summary at the top of a form (templates/includes/error_summary.html)."""

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def field_anchor(field: BoundField) -> str:
    """The id of the input a link in the summary leads to: the field's own input, or for a group
    of radio buttons or checkboxes (whose label points at no single input) the first of them."""
    return field.id_for_label or f"{field.auto_id}_0"
