"""Who hears about what. Actions call these inside their transaction; each event notifies every
person concerned once, never the person who acted, and lets notify() do the sending on commit.
"""

from accounts.models import User
from accounts.roles import MODERATOR, RESPONDER
from ideas.models import Comment, Initiative, OfficialResponse
from moderation.models import ModerationDecision
from notifications.actions import follow_automatically, followers_of, notify
from notifications.models import Notification
from partners.models import OfferMessage, PartnerOffer

Kind = Notification.Kind


def initiative_created(*, initiative: Initiative) -> None:
    follow_automatically(user=initiative.author, initiative=initiative)


def supported(*, initiative: Initiative, user: User) -> None:
    follow_automatically(user=user, initiative=initiative)


def comment_added(*, comment: Comment) -> None:
    """The initiative's author, the author of the comment answered, and the followers."""
    initiative = comment.initiative
    follow_automatically(user=comment.author, initiative=initiative)
    told = {initiative.author_id}
    notify(
        kind=Kind.COMMENT_ON_MY_INITIATIVE,
        recipients=[initiative.author],
        initiative=initiative,
        comment=comment,
        actor=comment.author,
        own_content=True,
    )
    if comment.parent_id and comment.parent.author_id not in told:
        told.add(comment.parent.author_id)
        notify(
            kind=Kind.REPLY_TO_MY_COMMENT,
            recipients=[comment.parent.author],
            initiative=initiative,
            comment=comment,
            actor=comment.author,
            own_content=True,
        )
    notify(
        kind=Kind.COMMENT_ON_FOLLOWED,
        recipients=followers_of(initiative).exclude(pk__in=told),
        initiative=initiative,
        comment=comment,
        actor=comment.author,
        own_content=False,
    )


def threshold_reached(*, initiative: Initiative) -> None:
    """The author, the followers, and the case officers of the responsible administration;
    each once, a case officer who also follows as staff."""
    responders = User.objects.none()
    if initiative.forvaltning_id:
        responders = User.objects.filter(
            groups__name=RESPONDER, forvaltning_id=initiative.forvaltning_id
        ).exclude(pk=initiative.author_id)
    notify(
        kind=Kind.THRESHOLD_REACHED,
        recipients=[initiative.author],
        initiative=initiative,
        own_content=True,
    )
    notify(
        kind=Kind.THRESHOLD_REACHED,
        recipients=followers_of(initiative)
        .exclude(pk=initiative.author_id)
        .exclude(pk__in=responders.values("pk")),
        initiative=initiative,
        own_content=False,
    )
    notify(
        kind=Kind.THRESHOLD_REACHED,
        recipients=responders,
        initiative=initiative,
        own_content=True,
        extra={"staff": True},
    )


def decision_made(
    *, decision: ModerationDecision, author: User, reasons: list[str], text: str
) -> None:
    """The author of the content is told what was decided and why."""
    notify(
        kind=Kind.MODERATION_DECISION,
        recipients=[author],
        initiative=decision.initiative or (decision.comment and decision.comment.initiative),
        comment=decision.comment,
        actor=decision.moderator,
        own_content=True,
        extra={"decision": decision.action, "reasons": reasons, "text": text[:1000]},
    )


def needs_moderation(*, initiative: Initiative, actor: User | None) -> None:
    """Moderators hear of new submissions and of flagged content, live and by email."""
    notify(
        kind=Kind.MODERATION_ALERT,
        recipients=User.objects.filter(groups__name=MODERATOR),
        initiative=initiative,
        actor=actor,
        own_content=True,
    )


def response_published(*, response: OfficialResponse) -> None:
    """The author hears of the city's answer as their own news, the followers as followed."""
    initiative = response.initiative
    notify(
        kind=Kind.OFFICIAL_RESPONSE,
        recipients=[initiative.author],
        initiative=initiative,
        actor=response.author,
        own_content=True,
        extra={"status": response.status},
    )
    notify(
        kind=Kind.OFFICIAL_RESPONSE,
        recipients=followers_of(initiative).exclude(pk=initiative.author_id),
        initiative=initiative,
        actor=response.author,
        own_content=False,
        extra={"status": response.status},
    )


def _offering_party(offer: PartnerOffer):
    """The person who offered, and the members of the organisation they offered for."""
    if offer.organisation_id:
        return User.objects.filter(memberships__organisation_id=offer.organisation_id) | (
            User.objects.filter(pk=offer.offered_by_id)
        )
    return User.objects.filter(pk=offer.offered_by_id)


def offer_made(*, offer: PartnerOffer) -> None:
    """The initiative's author hears of the offer."""
    notify(
        kind=Kind.PARTNER_OFFER,
        recipients=[offer.initiative.author],
        initiative=offer.initiative,
        actor=offer.offered_by,
        own_content=True,
        extra={"offer": offer.pk},
    )


def offer_answered(*, offer: PartnerOffer, actor: User) -> None:
    """An answer, a withdrawal or an end: the other side hears of it."""
    if actor.pk == offer.initiative.author_id:
        recipients = _offering_party(offer)
    else:
        recipients = User.objects.filter(pk=offer.initiative.author_id)
    notify(
        kind=Kind.PARTNER_ANSWER,
        recipients=recipients,
        initiative=offer.initiative,
        actor=actor,
        own_content=True,
        extra={"offer": offer.pk, "status": offer.status},
    )


def offer_message_sent(*, message: OfferMessage) -> None:
    """Everyone in the conversation but the writer."""
    offer = message.offer
    recipients = _offering_party(offer) | User.objects.filter(pk=offer.initiative.author_id)
    notify(
        kind=Kind.PARTNER_MESSAGE,
        recipients=recipients,
        initiative=offer.initiative,
        actor=message.author,
        own_content=True,
        extra={"offer": offer.pk},
    )
