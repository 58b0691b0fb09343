"""The partners section of a person's data (core/privacy.py): the help they offered, the messages
they wrote and the messages they flagged. Erasure keeps all of it, under a deleted user: the
other party's thread stays whole, and a flag still waiting is still for a moderator to settle."""

from typing import Any

from accounts.models import User
from core.privacy import when
from partners.models import OfferMessage, PartnerOffer

COVERS = [
    "partners.PartnerOffer.offered_by",
    "partners.OfferMessage.author",
    "partners.OfferMessage.flagged_by",
]


def export(user: User) -> dict[str, Any]:
    return {
        "partner_offers": [
            {
                "initiative": offer.initiative.title,
                "message": offer.message,
                "status": offer.status,
                "offered_at": when(offer.created_at),
            }
            for offer in PartnerOffer.objects.filter(offered_by=user).select_related("initiative")
        ],
        "partner_messages": [
            {"body": message.body, "written_at": when(message.created_at)}
            for message in OfferMessage.objects.filter(author=user)
        ],
        # The flag, not the message: the message is its author's, who is someone else.
        "partner_messages_flagged": [
            {
                "initiative": message.offer.initiative.title,
                "flagged_at": when(message.flagged_at),
                "resolved_at": when(message.flag_resolved_at),
            }
            for message in OfferMessage.objects.filter(flagged_by=user).select_related(
                "offer__initiative"
            )
        ],
    }


def erase(user: User) -> None:
    """Nothing goes: see the module's description."""
