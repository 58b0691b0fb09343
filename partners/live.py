"""Live updates of offers and their threads, on the personal `user-<pk>` groups of the parties.

Threads are private: nothing here goes to a public group except the initiative's list of
accepted partners, which the initiative page shows to everyone anyway. Called through on_commit
from partners.actions; a failing channel layer is logged by core.live.send and never fails the
write. The notification socket of each page forwards a fragment only to the page that shows it
(see partners.consumers.PartnerPagesMixin).
"""

from core import live as transport
from ideas.live import initiative_group
from notifications.live import user_group
from partners.models import OfferMessage, PartnerOffer
from partners.permissions import can_flag


def _offer(pk: int) -> PartnerOffer | None:
    return PartnerOffer.objects.for_listing().filter(pk=pk).first()


def offer_changed(pk: int) -> None:
    """A new offer, or a new status: the thread's status for both parties, the offer's card on
    the author's offers page, and the initiative's public list of partners."""
    offer = _offer(pk)
    if offer is None:
        return
    context = {"offer": offer, "initiative": offer.initiative}
    message = {
        "type": "partner.offer",
        "offer": offer.pk,
        "initiative": offer.initiative_id,
        "html": transport.render_each_language("partners/live/offer_changed.html", context),
        "list_html": transport.render_each_language("partners/live/offer_card.html", context),
    }
    parties = offer.parties().order_by("pk").values_list("pk", flat=True)
    transport.send_many((user_group(user_id), message) for user_id in parties)
    partners_changed(offer.initiative_id)


def partners_changed(initiative_pk: int) -> None:
    offers = PartnerOffer.objects.accepted_on(initiative_pk)
    context = {"partner_offers": offers}
    transport.send_each_language(
        lambda language: initiative_group(initiative_pk, language),
        lambda language: transport.render("partners/live/partners_changed.html", context, language),
    )


def message_added(pk: int) -> None:
    """The new message at the end of the thread, for each party: with a flag button for those
    who may flag it (the other side), without for its author."""
    message = OfferMessage.objects.select_related("author", "offer__initiative").get(pk=pk)
    rendered: dict[bool, dict[str, str]] = {}
    events = []
    for user in message.offer.parties().order_by("pk"):
        flaggable = can_flag(user, message)
        if flaggable not in rendered:
            context = {"message": message, "flaggable": {message.pk} if flaggable else set()}
            rendered[flaggable] = transport.render_each_language(
                "partners/live/message_added.html", context
            )
        event = {"type": "partner.message", "offer": message.offer_id, "html": rendered[flaggable]}
        events.append((user_group(user.pk), event))
    transport.send_many(events)


# Sockets that show flagged messages (the moderation queue) listen here.
REVIEW_GROUP = "offer-messages-review"


def review_changed() -> None:
    """A message was flagged. The message carries nothing: whoever shows the review queue
    renders it afresh (moderation.consumers), so this app needs to know nothing of it."""
    transport.send(REVIEW_GROUP, {"type": "review.changed"})
