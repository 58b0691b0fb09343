"""Template filters about initiatives, for templates of apps that know no initiative model."""

from django import template

from ideas.models import Initiative

register = template.Library()


@register.filter
def status_label(code: str | None) -> str:
    """The name of an initiative's status in the active language; empty for an unknown code."""
    return str(dict(Initiative.Status.choices).get(code, ""))
