"""Who may do what with partner offers and their threads."""

from accounts.models import Organisation, User
from accounts.permissions import is_moderator, may_write, membership_of
from ideas.models import Initiative
from partners.models import OfferMessage, PartnerOffer

# An initiative takes offers while it is public and still to be carried out.
OPEN_FOR_PARTNERS = [
    Initiative.Status.PUBLISHED,
    Initiative.Status.ANSWERED,
    Initiative.Status.WILL_BE_DONE,
    Initiative.Status.IN_PROGRESS,
]


def is_open_for_partners(initiative: Initiative) -> bool:
    return (
        initiative.seeking_partners
        and initiative.status in OPEN_FOR_PARTNERS
        and initiative.hidden_at is None
    )


def is_own(user: User, initiative: Initiative) -> bool:
    """The person's own initiative, or one their organisation proposed."""
    if initiative.author_id == user.pk:
        return True
    return bool(initiative.organisation_id) and (
        membership_of(user, initiative.organisation) is not None
    )


def can_offer(user: User, initiative: Initiative, organisation: Organisation | None = None) -> bool:
    """A resident, alone or for an organisation they belong to, on someone else's initiative."""
    if not may_write(user) or not is_open_for_partners(initiative):
        return False
    if organisation is not None and (
        membership_of(user, organisation) is None or not organisation.is_public
    ):
        # An organisation a moderator has not approved acts in nobody's sight yet.
        return False
    return not is_own(user, initiative)


def is_initiative_author(user: User, offer: PartnerOffer) -> bool:
    return user.is_authenticated and offer.initiative.author_id == user.pk


def is_offering_party(user: User, offer: PartnerOffer) -> bool:
    """The person who offered, or a member of the organisation they offered for."""
    if not user.is_authenticated:
        return False
    if offer.offered_by_id == user.pk:
        return True
    return offer.organisation_id is not None and (
        membership_of(user, offer.organisation) is not None
    )


def is_party(user: User, offer: PartnerOffer) -> bool:
    return is_initiative_author(user, offer) or is_offering_party(user, offer)


def can_view_offer(user: User, offer: PartnerOffer) -> bool:
    return is_party(user, offer) or is_moderator(user)


def can_answer(user: User, offer: PartnerOffer) -> bool:
    return (
        may_write(user)
        and is_initiative_author(user, offer)
        and offer.status == PartnerOffer.Status.OFFERED
    )


def can_withdraw(user: User, offer: PartnerOffer) -> bool:
    return may_write(user) and is_offering_party(user, offer) and offer.is_open


def can_end(user: User, offer: PartnerOffer) -> bool:
    return (
        may_write(user)
        and is_initiative_author(user, offer)
        and offer.status == PartnerOffer.Status.ACCEPTED
    )


def can_message(user: User, offer: PartnerOffer) -> bool:
    return may_write(user) and is_party(user, offer) and offer.is_open


def can_flag(user: User, message: OfferMessage) -> bool:
    """Either party may flag what the other side wrote; blocked people may still report."""
    return (
        user.is_authenticated
        and message.author_id != user.pk
        and is_party(user, message.offer)
        and message.flagged_at is None
    )


def can_see_suggestions(user: User, organisation: Organisation) -> bool:
    return membership_of(user, organisation) is not None
