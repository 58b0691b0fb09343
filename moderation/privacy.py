"""The moderation section of a person's data (core/privacy.py): what they flagged and the
decisions about them, and, for moderators, the decisions they made. Never the identity of the
moderator who decided about someone. (Blocks are a person's standing: accounts/privacy.py.)

Erasure keeps all of it. The decisions are the append-only moderation log, which database
triggers protect from any change; flags are the record those decisions rest on, and open flags
still count towards hiding what they flag.
"""

from typing import Any

from django.db.models import Q

from accounts.models import User
from core.privacy import when
from moderation.models import Flag, ModerationDecision

COVERS = [
    "moderation.Flag.reporter",
    "moderation.ModerationDecision.subject_user",
    "moderation.ModerationDecision.moderator",
]


def _decision_about(user: User) -> Q:
    """Decisions naming the person, and decisions on their initiatives and comments. Every
    decision names the author of its content today; the content catches any row that does not."""
    own_content = Q(comment__author=user) | Q(comment__isnull=True, initiative__author=user)
    return Q(subject_user=user) | Q(subject_user__isnull=True) & own_content


def export(user: User) -> dict[str, Any]:
    return {
        "flags_made": [
            {"reason": flag.reason, "text": flag.text, "flagged_at": when(flag.created_at)}
            for flag in Flag.objects.filter(reporter=user)
        ],
        "moderation_decisions": [
            {
                "action": decision.action,
                "initiative": _initiative_title(decision),
                "reasons": decision.reasons,
                "text": decision.text,
                "at": when(decision.created_at),
            }
            for decision in ModerationDecision.objects.filter(_decision_about(user))
            .select_related("initiative", "comment__initiative")
            .order_by("created_at", "pk")
        ],
        # What a moderator did, without whom it concerned: that is the other person's data.
        "moderation_decisions_made": [
            {"action": decision.action, "at": when(decision.created_at)}
            for decision in ModerationDecision.objects.filter(moderator=user).order_by(
                "created_at", "pk"
            )
        ],
    }


def _initiative_title(decision: ModerationDecision) -> str | None:
    if decision.comment_id:
        return decision.comment.initiative.title
    return decision.initiative.title if decision.initiative_id else None


def erase(user: User) -> None:
    """Nothing goes: see the module's description."""
