"""Live updates of offers and their threads, on the personal `user-<pk>` groups of the parties.

Threads are private: nothing here goes to a public group except the initiative's list of
accepted partners, which the initiative page shows to everyone anyway. Called through on_commit
from partners.actions; a failing channel layer is logged by ideas.live.send and never fails the
write. The notification socket of each page forwards a fragment only to the page that shows it
(see partners.consumers.PartnerPagesMixin).
"""

from accounts.models import User
from ideas import live as ideas_live
from notifications.live import user_group
from partners.models import OfferMessage, PartnerOffer
from partners.permissions import can_flag


def party_ids(offer: PartnerOffer) -> set[int]:
    """The initiative's author, the one who offered, and the members of their organisation."""
    ids = {offer.initiative.author_id, offer.offered_by_id}
    if offer.organisation_id:
        ids |= set(
            User.objects.filter(memberships__organisation_id=offer.organisation_id).values_list(
                "pk", flat=True
            )
        )
    return ids


def _offer(pk: int) -> PartnerOffer | None:
    return PartnerOffer.objects.for_listing().filter(pk=pk).first()


def _per_language(template: str, context: dict) -> dict[str, str]:
    return {
        language: ideas_live.render(template, context, language)
        for language in ideas_live.LANGUAGES
    }


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
        "html": _per_language("partners/live/offer_changed.html", context),
        "list_html": _per_language("partners/live/offer_card.html", context),
    }
    for user_id in sorted(party_ids(offer)):
        ideas_live.send(user_group(user_id), message)
    partners_changed(offer.initiative_id)


def partners_changed(initiative_pk: int) -> None:
    from partners.templatetags.partners import accepted_offers

    offers = accepted_offers(initiative_pk)
    for language in ideas_live.LANGUAGES:
        html = ideas_live.render(
            "partners/live/partners_changed.html", {"partner_offers": offers}, language
        )
        ideas_live.send(
            ideas_live.initiative_group(initiative_pk, language),
            {"type": "live.html", "html": html},
        )


def message_added(pk: int) -> None:
    """The new message at the end of the thread, for each party: with a flag button for those
    who may flag it (the other side), without for its author."""
    message = OfferMessage.objects.select_related("author", "offer__initiative").get(pk=pk)
    rendered: dict[bool, dict[str, str]] = {}
    for user in User.objects.filter(pk__in=party_ids(message.offer)).order_by("pk"):
        flaggable = can_flag(user, message)
        if flaggable not in rendered:
            context = {"message": message, "flaggable": {message.pk} if flaggable else set()}
            rendered[flaggable] = _per_language("partners/live/message_added.html", context)
        event = {"type": "partner.message", "offer": message.offer_id, "html": rendered[flaggable]}
        ideas_live.send(user_group(user.pk), event)


def moderation_queue_changed() -> None:
    from moderation import live as moderation_live

    moderation_live.queue_changed()
