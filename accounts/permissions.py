"""Who may do what. Plain predicates: each takes the user first and answers yes or no."""

from types import SimpleNamespace

from allauth.account.authentication import get_authentication_records
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.functions import Now
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Block, Membership, Organisation, User


def standing_annotations() -> dict:
    """Whether the person's email address is verified, and the id of the block in force on them
    if any, as annotations of a User query (the auth backend reads them with the person)."""
    return {
        "standing_verified": Exists(
            EmailAddress.objects.filter(
                user=OuterRef("pk"), email__iexact=OuterRef("email"), verified=True
            )
        ),
        # The database's clock, not Python's: the query is compiled once (accounts.backends).
        "standing_block_id": Subquery(
            Block.objects.active(Now())
            .filter(user=OuterRef("pk"))
            .order_by("-ends_at")
            .values("pk")[:1]
        ),
    }


def _standing(user: User) -> tuple[bool, "Block | None"]:
    """Whether the person's email address is verified, and the block in force on them if any.

    Read with the person at the start of the request (accounts.backends), or else in one query,
    then kept on the user object for the request: almost every page asks both.
    """
    if not hasattr(user, "_standing"):
        if hasattr(user, "standing_block_id"):
            # bool(): read through raw() (accounts.backends), SQLite gives 0 or 1.
            row = {"verified": bool(user.standing_verified), "block": user.standing_block_id}
        else:
            row = User.objects.filter(pk=user.pk).annotate(**standing_annotations()).values(
                verified=F("standing_verified"), block=F("standing_block_id")
            ).first() or {"verified": False, "block": None}
        block = Block.objects.get(pk=row["block"]) if row["block"] else None
        user._standing = (row["verified"], block)
    return user._standing


def has_verified_email(user: User) -> bool:
    return user.is_authenticated and user.is_active and _standing(user)[0]


def active_block(user: User) -> "Block | None":
    """The block in force on this person, if any. Blocks end by themselves at their end time."""
    return _standing(user)[1] if user.is_authenticated else None


def block_refusal(user: User) -> str:
    """ "Blocked until …" when a block is in force on the person, else empty."""
    block = active_block(user)
    if block is None:
        return ""
    until = formats.date_format(timezone.localtime(block.ends_at), "DATETIME_FORMAT")
    return _("Your account is blocked until %(until)s.") % {"until": until}


def may_write(user: User) -> bool:
    """The one rule for whether a person may write anything: propose, support, comment, flag,
    offer, rename themselves, join or run organisations, and as staff assign or answer. A
    verified email address, and not blocked: a blocked person may read, not write (they may
    still take back their own words, and manage or delete their account)."""
    return has_verified_email(user) and active_block(user) is None


def meets_identity_requirement(user: User, action: str) -> bool:
    """What settings.IDENTITY_REQUIRED asks before supporting, proposing or commenting: an
    account ("off"), a verified email address ("email"), or that and e-legitimation."""
    if not (user.is_authenticated and user.is_active):
        return False
    level = settings.IDENTITY_REQUIRED[action]
    if level == "off":
        return True
    return has_verified_email(user) and (level == "email" or user.is_verified_resident)


def may_write_as(user: User, action: str) -> bool:
    """may_write, with the identity the city asks for this action ("support", "propose" or
    "comment") instead of a verified email address."""
    return meets_identity_requirement(user, action) and active_block(user) is None


def needs_elegitimation(user: User, action: str) -> bool:
    """Whether e-legitimation is the one thing this person lacks for the action: verifying
    would let them do it."""
    return (
        settings.IDENTITY_REQUIRED[action] == "e-legitimation"
        and may_write(user)
        and not user.is_verified_resident
    )


def is_moderator(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("accounts.moderate")


def is_responder(user: User) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.forvaltning_id is not None
        and user.has_perm("accounts.respond")
    )


def is_city_staff(user: User) -> bool:
    return user.is_authenticated and (user.is_staff or is_moderator(user) or is_responder(user))


def used_second_factor(user: User, session) -> bool:
    """Whether the person completed their second factor (TOTP) in this session: signing in with
    it, confirming with it, or setting it up. allauth records each step in the session."""
    records = get_authentication_records(SimpleNamespace(session=session), user)
    return any(record.get("method") == "mfa" for record in records)


def needs_second_factor(user: User, session) -> bool:
    """Staff who have not completed their second factor in this session may do nothing else
    (production's default, STAFF_MFA_REQUIRED): not on pages, not on sockets. Having TOTP set
    up is not enough; a session signed in with the password alone has not used it."""
    return (
        settings.STAFF_MFA_REQUIRED
        and is_city_staff(user)
        and not used_second_factor(user, session)
    )


def membership_of(user: User, organisation: Organisation) -> Membership | None:
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_memberships", {})
    if organisation.pk not in cache:
        cache[organisation.pk] = Membership.objects.filter(
            user=user, organisation=organisation
        ).first()
    return cache[organisation.pk]


def can_see_organisation(user: User, organisation: Organisation) -> bool:
    """Anyone sees an approved organisation; one waiting for approval, or not approved, only its
    members and city staff (moderators decide on it from its page too)."""
    return (
        organisation.is_public
        or membership_of(user, organisation) is not None
        or is_city_staff(user)
    )


def can_create_organisation(user: User) -> bool:
    return may_write(user)


def can_edit_organisation(user: User, organisation: Organisation) -> bool:
    membership = membership_of(user, organisation)
    return may_write(user) and membership is not None and membership.is_admin


def can_manage_members(user: User, organisation: Organisation) -> bool:
    return can_edit_organisation(user, organisation)


def can_see_members(user: User, organisation: Organisation) -> bool:
    """Members see each other; the public sees the organisation, not its people."""
    return membership_of(user, organisation) is not None or is_moderator(user)


def can_leave_organisation(user: User, organisation: Organisation) -> bool:
    return membership_of(user, organisation) is not None


def is_invitee(user: User, invitation) -> bool:
    """Only the person the invitation was sent to, once they have verified that address."""
    return (
        has_verified_email(user)
        and invitation.is_pending
        and EmailAddress.objects.filter(
            user=user, email__iexact=invitation.email, verified=True
        ).exists()
    )


def can_accept_invitation(user: User, invitation) -> bool:
    """Joining an organisation is writing: a blocked invitee may decline, not accept."""
    return may_write(user) and is_invitee(user, invitation)
