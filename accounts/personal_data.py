"""Everything the platform holds about one person, for them to download (GDPR art. 15 and 20)."""

from typing import Any

from allauth.account.models import EmailAddress

from accounts.models import Invitation, Membership, User
from ideas.models import Comment, Initiative, Support
from moderation.models import Flag
from notifications.models import Follow, Notification, NotificationSettings
from partners.models import OfferMessage, PartnerOffer


def _email_preferences(user: User) -> dict[str, str]:
    preferences = NotificationSettings.objects.filter(user=user).first() or NotificationSettings()
    return {"own_content": preferences.own_content, "followed": preferences.followed}


def _when(value) -> str | None:
    return value.isoformat() if value else None


def personal_data(user: User) -> dict[str, Any]:
    return {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "verified_resident": user.is_verified_resident,
            "administration": user.forvaltning.name_sv if user.forvaltning else None,
            "staff_roles": sorted(user.groups.values_list("name", flat=True)),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "two_factor_methods": sorted(user.authenticator_set.values_list("type", flat=True)),
        "organisations": [
            {
                "organisation": membership.organisation.name,
                "role": membership.role,
                "joined_at": membership.joined_at.isoformat(),
            }
            for membership in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "invitations_received": [
            {
                "organisation": invitation.organisation.name,
                "sent_at": invitation.created_at.isoformat(),
                "accepted_at": invitation.accepted_at.isoformat()
                if invitation.accepted_at
                else None,
            }
            for invitation in Invitation.objects.filter(email__iexact=user.email).select_related(
                "organisation"
            )
        ],
        "initiatives": [
            {
                "title": initiative.title,
                "summary": initiative.summary,
                "body": initiative.body,
                "status": initiative.status,
                "created_at": _when(initiative.created_at),
                "published_at": _when(initiative.published_at),
            }
            for initiative in Initiative.objects.filter(author=user).order_by("created_at")
        ],
        "comments": [
            {
                "initiative": comment.initiative.title,
                "body": comment.body,
                "written_at": _when(comment.created_at),
                "removed_at": _when(comment.removed_at),
            }
            for comment in Comment.objects.filter(author=user).select_related("initiative")
        ],
        # Who supported is secret from everyone else, but not from the person themself.
        "supports": [
            {"initiative": support.initiative.title, "given_at": _when(support.created_at)}
            for support in Support.objects.filter(user=user).select_related("initiative")
        ],
        "follows": [
            {"initiative": follow.initiative.title, "active": follow.active}
            for follow in Follow.objects.filter(user=user).select_related("initiative")
        ],
        "notifications": [
            {"text": notification.sentence(), "created_at": _when(notification.created_at)}
            for notification in Notification.objects.filter(recipient=user).select_related(
                "initiative", "actor"
            )
        ],
        "email_preferences": _email_preferences(user),
        "flags_made": [
            {"reason": flag.reason, "text": flag.text, "flagged_at": _when(flag.created_at)}
            for flag in Flag.objects.filter(reporter=user)
        ],
        "partner_offers": [
            {
                "initiative": offer.initiative.title,
                "message": offer.message,
                "status": offer.status,
                "offered_at": _when(offer.created_at),
            }
            for offer in PartnerOffer.objects.filter(offered_by=user).select_related("initiative")
        ],
        "partner_messages": [
            {"body": message.body, "written_at": _when(message.created_at)}
            for message in OfferMessage.objects.filter(author=user)
        ],
    }
