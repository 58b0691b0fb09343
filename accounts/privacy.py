"""The accounts section of a person's data (core/privacy.py): the account, its sign-in methods,
staff roles, organisations and invitations, what the person did in the admin site, and the
blocks on them (and, for moderators, the blocks they gave).

Two things hold personal data without a link to the user model, so COVERS cannot name them:
sessions end because account_delete makes the password unusable, which changes the hash that
every session is checked against; django_tasks_db's task results hold no person.
"""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry

from accounts.models import (
    Block,
    IdentityVerification,
    Invitation,
    Membership,
    Organisation,
    User,
)
from core.privacy import when

COVERS = [
    "accounts.User_groups.user",
    "accounts.User_user_permissions.user",
    "accounts.Membership.user",
    "accounts.Organisation.contact_person",
    "accounts.Invitation.invited_by",
    "account.EmailAddress.user",
    "mfa.Authenticator.user",
    "admin.LogEntry.user",
    "accounts.Block.user",
    "accounts.Block.moderator",
    "accounts.IdentityVerification.user",
    "socialaccount.SocialAccount.user",
]

ADMIN_ACTIONS = {ADDITION: "addition", CHANGE: "change", DELETION: "deletion"}


def export(user: User) -> dict[str, Any]:
    return {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": when(user.last_login),
            "verified_resident": user.is_verified_resident,
            # That and when, never the number nor its hash (accounts.identity).
            "e_legitimation": _verification(user),
            "administration": user.forvaltning.name_sv if user.forvaltning else None,
            "staff_roles": sorted(user.groups.values_list("name", flat=True)),
        },
        "permissions": sorted(
            f"{app_label}.{codename}"
            for app_label, codename in user.user_permissions.values_list(
                "content_type__app_label", "codename"
            )
        ),
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
        "contact_person_for": list(
            Organisation.objects.filter(contact_person=user).values_list("name", flat=True)
        ),
        "invitations_received": [
            {
                "organisation": invitation.organisation.name,
                "sent_at": invitation.created_at.isoformat(),
                "accepted_at": when(invitation.accepted_at),
            }
            for invitation in Invitation.objects.filter(email__iexact=user.email).select_related(
                "organisation"
            )
        ],
        "invitations_sent": [
            {
                "organisation": invitation.organisation.name,
                "email": invitation.email,
                "role": invitation.role,
                "sent_at": invitation.created_at.isoformat(),
            }
            for invitation in Invitation.objects.filter(invited_by=user).select_related(
                "organisation"
            )
        ],
        "admin_site_actions": [
            {
                "action": ADMIN_ACTIONS.get(entry.action_flag, str(entry.action_flag)),
                "object": entry.object_repr,
                "kind": f"{entry.content_type.app_label}.{entry.content_type.model}"
                if entry.content_type
                else None,
                "change": entry.get_change_message(),
                "at": when(entry.action_time),
            }
            for entry in LogEntry.objects.filter(user=user)
            .select_related("content_type")
            .order_by("action_time", "pk")
        ],
        "blocks": [
            {
                "reason": block.reason,
                "from": when(block.starts_at),
                "until": when(block.ends_at),
                "lifted_at": when(block.lifted_at),
            }
            for block in Block.objects.filter(user=user).order_by("starts_at", "pk")
        ],
        # What a moderator did, without whom it concerned: that is the other person's data.
        "blocks_given": [
            {"from": when(block.starts_at), "until": when(block.ends_at)}
            for block in Block.objects.filter(moderator=user).order_by("starts_at", "pk")
        ],
    }


def _verification(user: User) -> dict | None:
    verification = IdentityVerification.objects.filter(user=user).first()
    if verification is None:
        return None
    return {
        "verified_at": verification.verified_at.isoformat(),
        "level_of_assurance": verification.level_of_assurance,
    }


def erase(user: User) -> None:
    """Kept: invitations the person sent, which are the organisation's record and now show a
    deleted user as the inviter; the admin site's log of what they did as staff, which the
    city keeps to account for changes made to others' data; and blocks, given or received, which
    the append-only moderation log rests on."""
    # Matched by address, so this runs before account_delete overwrites the address.
    Invitation.objects.filter(email__iexact=user.email).delete()
    EmailAddress.objects.filter(user=user).delete()
    # The identity's hash goes: the person may verify another account with it.
    IdentityVerification.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()
    # A deleted person answers no messages: the organisation is left to name another.
    Organisation.objects.filter(contact_person=user).update(contact_person=None)
    user.authenticator_set.all().delete()
    user.groups.clear()
    user.user_permissions.clear()
