"""Offers of help and the conversation about them. Each action checks its own permission,
notifies through notifications.events and announces itself live once the transaction commits."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.permissions import may_write, membership_of
from core import ratelimit
from core.live import announce
from ideas.actions import do_alert_moderators
from ideas.models import Initiative
from notifications.actions import do_notify
from notifications.models import Notification
from partners import live
from partners.models import MESSAGE_MAX_LENGTH, OfferMessage, PartnerOffer
from partners.permissions import (
    can_answer,
    can_end,
    can_flag,
    can_message,
    can_withdraw,
    is_open_for_partners,
    is_own,
)

Status = PartnerOffer.Status


def _refuse_offer(user: User, initiative: Initiative, organisation: Organisation | None) -> None:
    """Raise with words the person can act on when they may not make this offer."""
    if not user.is_authenticated or not may_write(user):
        raise PermissionDenied(_("Verify your email address before you offer help."))
    if organisation is not None and membership_of(user, organisation) is None:
        raise PermissionDenied(
            _("You can only offer help on behalf of an organisation you belong to.")
        )
    if is_own(user, initiative):
        raise ValidationError(
            _("You cannot offer help with your own initiative or your organisation's."), code="own"
        )
    if not initiative.is_public or not is_open_for_partners(initiative):
        raise ValidationError(_("This initiative does not take offers of help now."), code="closed")


def _check_length(text: str) -> str:
    text = text.strip()
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            _("Write at most %(limit)d characters (you wrote %(count)d).")
            % {"limit": MESSAGE_MAX_LENGTH, "count": len(text)},
            code="too_long",
        )
    return text


def _already_offered() -> ValidationError:
    return ValidationError(
        _("There is already an open offer of help with this initiative from you."), code="double"
    )


def offer_make(
    *, user: User, initiative: Initiative, message: str, organisation: Organisation | None = None
) -> PartnerOffer:
    """Offer help with an initiative, alone or on behalf of an organisation one belongs to."""
    _refuse_offer(user, initiative, organisation)
    message = _check_length(message)
    if not message:
        raise ValidationError(_("Write what you can offer."), code="required")
    open_offers = PartnerOffer.objects.open().filter(initiative=initiative)
    if organisation is not None:
        open_offers = open_offers.filter(organisation=organisation)
    else:
        open_offers = open_offers.filter(offered_by=user, organisation__isnull=True)
    if open_offers.exists():
        raise _already_offered()
    ratelimit.count("offer", user.pk)
    try:
        with transaction.atomic():
            offer = PartnerOffer.objects.create(
                initiative=initiative, offered_by=user, organisation=organisation, message=message
            )
            do_notify(
                kind=Notification.Kind.PARTNER_OFFER,
                recipients=[initiative.author],
                initiative=initiative,
                actor=user,
                own_content=True,
                extra={"offer": offer.pk},
            )
            announce(lambda: live.offer_changed(offer.pk))
    except IntegrityError:
        # The same offer arrived twice at once: the database constraint let only one through.
        raise _already_offered() from None
    return offer


def _decide(offer: PartnerOffer, *, status: str, actor: User, reply: str = "") -> PartnerOffer:
    with transaction.atomic():
        offer.status = status
        if reply:
            offer.reply = reply
        offer.decided_at = timezone.now()
        offer.save(update_fields=["status", "reply", "decided_at"])
        # An answer, a withdrawal or an end: the other side hears of it.
        author = actor.pk == offer.initiative.author_id
        do_notify(
            kind=Notification.Kind.PARTNER_ANSWER,
            recipients=offer.offering_party() if author else [offer.initiative.author],
            initiative=offer.initiative,
            actor=actor,
            own_content=True,
            extra={"offer": offer.pk, "status": offer.status},
        )
        announce(lambda: live.offer_changed(offer.pk))
    return offer


def _answer(*, user: User, offer: PartnerOffer, reply: str, status: str) -> PartnerOffer:
    if not can_answer(user, offer):
        if offer.status == status and offer.initiative.author_id == user.pk:
            return offer  # A double submit changes nothing.
        raise PermissionDenied(
            _("Only the initiative's author can answer an offer waiting for it.")
        )
    return _decide(offer, status=status, actor=user, reply=_check_length(reply))


def offer_accept(*, user: User, offer: PartnerOffer, reply: str = "") -> PartnerOffer:
    return _answer(user=user, offer=offer, reply=reply, status=Status.ACCEPTED)


def offer_decline(*, user: User, offer: PartnerOffer, reply: str = "") -> PartnerOffer:
    return _answer(user=user, offer=offer, reply=reply, status=Status.DECLINED)


def offer_withdraw(*, user: User, offer: PartnerOffer) -> PartnerOffer:
    if not can_withdraw(user, offer):
        if offer.status == Status.WITHDRAWN and offer.offered_by_id == user.pk:
            return offer
        raise PermissionDenied(_("Only the one who offered can withdraw an open offer."))
    return _decide(offer, status=Status.WITHDRAWN, actor=user)


def partnership_end(*, user: User, offer: PartnerOffer) -> PartnerOffer:
    if not can_end(user, offer):
        if offer.status == Status.ENDED and offer.initiative.author_id == user.pk:
            return offer
        raise PermissionDenied(_("Only the initiative's author can end a partnership."))
    return _decide(offer, status=Status.ENDED, actor=user)


def message_send(*, user: User, offer: PartnerOffer, body: str) -> OfferMessage:
    if not can_message(user, offer):
        raise PermissionDenied(
            _("Only the initiative's author and the offering party can write, while it is open.")
        )
    body = _check_length(body)
    if not body:
        raise ValidationError(_("Write a message."), code="required")
    ratelimit.count("message", user.pk)
    with transaction.atomic():
        message = OfferMessage.objects.create(offer=offer, author=user, body=body)
        do_notify(
            kind=Notification.Kind.PARTNER_MESSAGE,
            recipients=offer.parties(),
            initiative=offer.initiative,
            actor=user,
            own_content=True,
            extra={"offer": offer.pk},
        )
        announce(lambda: live.message_added(message.pk))
    return message


def message_flag(*, user: User, message: OfferMessage) -> OfferMessage:
    """A party reports a message: it waits in the moderation queue, and moderators hear of it."""
    if not can_flag(user, message):
        if message.flagged_at is not None and message.flagged_by_id == user.pk:
            return message
        raise PermissionDenied(_("Only the other party of the conversation can flag a message."))
    ratelimit.count("flag", user.pk)
    with transaction.atomic():
        message.flagged_at = timezone.now()
        message.flagged_by = user
        message.save(update_fields=["flagged_at", "flagged_by"])
        do_alert_moderators(initiative=message.offer.initiative, actor=user)
        announce(live.review_changed)
    return message
