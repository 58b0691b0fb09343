"""Moderation's part of pages that other apps own: the initiative page's panel, and the
wording of the reasons in notifications."""

from django import template

from moderation.forms import DecisionForm
from moderation.models import AdmissibilityRule, ModerationDecision
from moderation.permissions import can_moderate

register = template.Library()


@register.filter
def admissibility_labels(codes: list[str] | None) -> list[str]:
    """The city's reasons named by `codes`, in the active language; unknown codes are left out."""
    labels = AdmissibilityRule.labels()
    return [labels[code] for code in codes or [] if code in labels]


@register.simple_tag
def rejection_reasons(initiative) -> list[str]:
    """The rules the latest rejection of `initiative` named, in the active language: what its
    author's page says beside the moderator's words."""
    decision = ModerationDecision.objects.rejections([initiative]).only("reasons").last()
    return admissibility_labels(decision.reasons if decision else [])


@register.simple_tag(takes_context=True)
def moderation_panel(context) -> dict:
    """What the initiative page's moderation panel shows (moderation/_initiative_panel.html),
    so that the initiative's view needs to know nothing about moderation."""
    moderator = can_moderate(context["user"])
    return {"can_moderate": moderator, "decision_form": DecisionForm() if moderator else None}
