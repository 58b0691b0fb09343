"""Everything the platform holds about one person, for them to download (GDPR art. 15 and 20)."""

from typing import Any

from allauth.account.models import EmailAddress

from accounts.models import Invitation, Membership, User


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
    }
