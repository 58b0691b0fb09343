"""Writes about people and organisations. Each checks its own permission."""

from datetime import timedelta

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts import live
from accounts.elegitimation import PROVIDER_ID
from accounts.identity import Identity, masked_email
from accounts.models import IdentityVerification, Invitation, Membership, Organisation, User
from accounts.permissions import (
    block_refusal,
    can_accept_invitation,
    can_create_organisation,
    can_edit_organisation,
    can_manage_members,
    is_invitee,
    may_write,
)
from core import privacy, ratelimit
from core.email import send_templated_email
from core.live import announce


def organisation_create(*, user: User, fields: dict) -> Organisation:
    """Create an organisation with its creator as its first administrator. Where
    settings.ORGANISATIONS_NEED_APPROVAL is on, it waits in the moderation queue and only its
    members and staff see it until a moderator approves it."""
    if not can_create_organisation(user):
        raise PermissionDenied
    ratelimit.count("organisation", user.pk)
    related = _pop_related(fields)
    waits = settings.ORGANISATIONS_NEED_APPROVAL
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                slug=Organisation.unique_slug_for(fields["name"]),
                **fields,
                review_state=Organisation.Review.PENDING if waits else Organisation.Review.APPROVED,
                review_decided_at=None if waits else timezone.now(),
            )
            for name, values in related.items():
                getattr(organisation, name).set(values)
            Membership.objects.create(
                organisation=organisation, user=user, role=Membership.Role.ADMIN
            )
            if waits:
                announce(live.review_changed)
    except IntegrityError:
        # The same name, or the same address, was taken a moment ago by another request.
        raise _name_taken() from None
    return organisation


def _name_taken() -> ValidationError:
    return ValidationError(
        _("An organisation with this name already exists. Choose another name."), code="name"
    )


def organisation_update(*, user: User, organisation: Organisation, fields: dict) -> None:
    """Save the profile. A profile a moderator did not approve goes back to the queue with the
    changes, for the moderator to look at again; a new organisation number takes away the
    verified mark, which a moderator gave for the number checked."""
    if not can_edit_organisation(user, organisation):
        raise PermissionDenied
    related = _pop_related(fields)
    try:
        with transaction.atomic():
            stored = Organisation.objects.filter(pk=organisation.pk).values_list(
                "organisation_number", flat=True
            )
            if fields.get("organisation_number", stored[0]) != stored[0]:
                organisation.is_verified = False
            for name, value in fields.items():
                setattr(organisation, name, value)
            resubmitted = organisation.review_state == Organisation.Review.REJECTED
            if resubmitted:
                organisation.review_state = Organisation.Review.PENDING
            organisation.save()
            if resubmitted:
                announce(live.review_changed)
            for name, values in related.items():
                getattr(organisation, name).set(values)
    except IntegrityError:
        raise _name_taken() from None


def do_organisation_review(organisation: Organisation, *, approved: bool, reason: str) -> None:
    """Record a moderator's decision on the organisation, with the reason its members read.
    Unchecked: moderation.actions checks the moderator and logs the decision."""
    organisation.review_state = (
        Organisation.Review.APPROVED if approved else Organisation.Review.REJECTED
    )
    organisation.review_reason = reason
    organisation.review_decided_at = timezone.now()
    organisation.save(update_fields=["review_state", "review_reason", "review_decided_at"])


# The profile's many-to-many fields: set after the row is saved, never assigned directly.
ORGANISATION_RELATED = ["fokusomraden", "prioriteringar", "stadsdelar"]


def _pop_related(fields: dict) -> dict:
    return {name: fields.pop(name) for name in ORGANISATION_RELATED if name in fields}


def invitation_send(*, user: User, organisation: Organisation, email: str, role: str) -> Invitation:
    """Invite someone by email; inviting the same address again resends the pending invitation."""
    if not can_manage_members(user, organisation):
        raise PermissionDenied
    email = email.strip().lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError(_("This person is already a member."))
    ratelimit.count("invitation", user.pk)
    with transaction.atomic():
        invitation = (
            organisation.invitations.pending()
            .filter(email__iexact=email)
            .select_for_update()
            .first()
        )
        if invitation is None:
            invitation = Invitation.objects.create(
                organisation=organisation, email=email, role=role, invited_by=user
            )
        else:
            resend_after = invitation.sent_at + timedelta(
                seconds=settings.INVITATION_RESEND_SECONDS
            )
            if timezone.now() < resend_after:
                raise ValidationError(
                    _(
                        "An invitation was sent to this address less than a day ago. It is still "
                        "waiting for an answer."
                    ),
                    code="recently_sent",
                )
            invitation.role = role
            invitation.sent_at = timezone.now()
            invitation.save(update_fields=["role", "sent_at"])
        send_templated_email(
            template_prefix="accounts/email/invitation",
            to=email,
            context={"invitation": invitation, "organisation": organisation, "inviter": user},
            language=get_language() or "sv",
        )
    return invitation


def invitation_accept(*, user: User, invitation: Invitation) -> Membership:
    if not can_accept_invitation(user, invitation):
        raise PermissionDenied
    with transaction.atomic():
        membership, _created = Membership.objects.get_or_create(
            organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return membership


def invitation_decline(*, user: User, invitation: Invitation) -> None:
    if not is_invitee(user, invitation):
        raise PermissionDenied
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])


def membership_remove(*, user: User, membership: Membership) -> None:
    """An administrator removes a member, or a member leaves. The last administrator stays."""
    own = membership.user_id == user.pk
    if not own and not can_manage_members(user, membership.organisation):
        raise PermissionDenied
    with transaction.atomic():
        admins = Membership.objects.select_for_update().filter(
            organisation=membership.organisation, role=Membership.Role.ADMIN
        )
        if membership.is_admin and admins.count() == 1:
            raise ValidationError(
                _("An organisation needs at least one administrator. Appoint another one first.")
            )
        membership.delete()
    if own:
        user.__dict__.get("_memberships", {}).pop(membership.organisation_id, None)


def membership_set_role(*, user: User, membership: Membership, role: str) -> None:
    if not can_manage_members(user, membership.organisation):
        raise PermissionDenied
    with transaction.atomic():
        admins = Membership.objects.select_for_update().filter(
            organisation=membership.organisation, role=Membership.Role.ADMIN
        )
        if membership.is_admin and role != Membership.Role.ADMIN and admins.count() == 1:
            raise ValidationError(
                _("An organisation needs at least one administrator. Appoint another one first.")
            )
        membership.role = role
        membership.save(update_fields=["role"])


def profile_update(*, user: User, display_name: str, language: str) -> None:
    """The person's name beside what they write, and the language of their emails. A blocked
    person keeps their name: renaming is writing, in public."""
    if display_name != user.display_name and not may_write(user):
        raise PermissionDenied(block_refusal(user) or _("Verify your email address first."))
    ratelimit.count("profile", user.pk)
    user.display_name = display_name
    user.language = language
    user.save(update_fields=["display_name", "language"])


class IdentityTaken(ValidationError):
    """The identity already verifies another account: one person, one verified account."""

    def __init__(self, holder: User | None) -> None:
        where = masked_email(holder.email) if holder else _("another account")
        super().__init__(
            _(
                "Your e-legitimation already verifies the account %(account)s. One person can "
                "verify one account only. Sign in to that account instead; or, to verify this "
                "one, sign in there and remove the verification under Your profile, or delete "
                "that account, and then verify here again."
            )
            % {"account": where},
            code="identity_taken",
        )


def identity_verify(*, user: User, identity: Identity) -> IdentityVerification:
    """Record that the person proved this identity with e-legitimation, now, at its level of
    assurance. One identity verifies one account: when another account holds it, IdentityTaken
    names that account, masked. Two verifications of one identity at once leave one: the
    digest is unique, and the loser is told as if it had come second."""
    if not user.is_authenticated or not user.is_active or user.is_deleted:
        raise PermissionDenied
    ratelimit.count("identity", user.pk)
    holder = IdentityVerification.objects.of_identity(identity).select_related("user").first()
    if holder is not None and holder.user_id != user.pk:
        raise IdentityTaken(holder.user)
    fields = {
        "digest": identity.digest,
        "layers": identity.layers,
        "level_of_assurance": identity.level_of_assurance,
        "verified_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            verification, _created = IdentityVerification.objects.update_or_create(
                user=user, defaults=fields
            )
            User.objects.filter(pk=user.pk).update(is_verified_resident=True)
    except IntegrityError:
        holder = IdentityVerification.objects.of_identity(identity).select_related("user").first()
        if holder is not None and holder.user_id == user.pk:  # The same person, twice at once.
            return holder
        raise IdentityTaken(holder.user if holder else None) from None
    user.is_verified_resident = True
    return verification


def identity_forget(*, user: User) -> None:
    """Remove the person's verification and the sign-in method that gave it: the identity is
    free to verify another account, and this one counts as unverified from now on."""
    if not user.is_authenticated:
        raise PermissionDenied
    ratelimit.count("identity", user.pk)
    with transaction.atomic():
        IdentityVerification.objects.filter(user=user).delete()
        SocialAccount.objects.filter(user=user, provider=PROVIDER_ID).delete()
        User.objects.filter(pk=user.pk).update(is_verified_resident=False)
    user.is_verified_resident = False


def account_delete(*, user: User) -> None:
    """Delete a person's account. What they wrote stays, under an anonymous name.

    The row is kept so that initiatives and comments keep their author link; everything that
    identifies the person is removed or overwritten, and they can never sign in again. Other
    sessions end too: Django checks each session against the password hash, which changes here.
    Each app erases its own part (core/privacy.py); this overwrites the account itself.
    """
    if not user.is_authenticated or user.is_deleted:
        raise PermissionDenied
    with transaction.atomic():
        # First, while the sections can still find what is matched by the email address.
        privacy.erase(user)
        user.email = f"deleted-{user.pk}@deleted.invalid"
        user.display_name = ""
        user.set_unusable_password()
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.is_verified_resident = False
        user.forvaltning = None
        user.deleted_at = timezone.now()
        user.save()
