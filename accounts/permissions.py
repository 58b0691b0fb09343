"""Who may do what. Plain predicates: each takes the user first and answers yes or no."""

from allauth.account.models import EmailAddress

from accounts.models import Membership, Organisation, User


def has_verified_email(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_has_verified_email"):
        user._has_verified_email = EmailAddress.objects.filter(
            user=user, email__iexact=user.email, verified=True
        ).exists()
    return user._has_verified_email


def is_resident(user: User) -> bool:
    """A person who may propose, support, comment and join organisations."""
    return has_verified_email(user)


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


def membership_of(user: User, organisation: Organisation) -> Membership | None:
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_memberships", {})
    if organisation.pk not in cache:
        cache[organisation.pk] = Membership.objects.filter(
            user=user, organisation=organisation
        ).first()
    return cache[organisation.pk]


def can_create_organisation(user: User) -> bool:
    return is_resident(user)


def can_edit_organisation(user: User, organisation: Organisation) -> bool:
    membership = membership_of(user, organisation)
    return is_resident(user) and membership is not None and membership.is_admin


def can_manage_members(user: User, organisation: Organisation) -> bool:
    return can_edit_organisation(user, organisation)


def can_see_members(user: User, organisation: Organisation) -> bool:
    """Members see each other; the public sees the organisation, not its people."""
    return membership_of(user, organisation) is not None or is_moderator(user)


def can_leave_organisation(user: User, organisation: Organisation) -> bool:
    return membership_of(user, organisation) is not None


def can_accept_invitation(user: User, invitation) -> bool:
    """Only the person the invitation was sent to, once they have verified that address."""
    return (
        has_verified_email(user)
        and invitation.is_pending
        and EmailAddress.objects.filter(
            user=user, email__iexact=invitation.email, verified=True
        ).exists()
    )
