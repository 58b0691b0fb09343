"""Who may do what with initiatives and comments."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from accounts.permissions import (
    has_verified_email,
    is_city_staff,
    is_moderator,
    is_responder,
    may_write,
    may_write_as,
    meets_identity_requirement,
    membership_of,
    needs_elegitimation,
)
from ideas.models import Comment, Initiative


def can_propose(user: User) -> bool:
    return may_write_as(user, "propose")


def can_act_for(user: User, organisation: Organisation) -> bool:
    """A member proposes in the organisation's name once a moderator has approved it: until
    then its name is shown nowhere public."""
    return (
        may_write(user) and organisation.is_public and membership_of(user, organisation) is not None
    )


# Why a person may not support, propose or comment, by what the city asks of them
# (settings.IDENTITY_REQUIRED): words they can act on.
IDENTITY_REFUSALS = {
    "support": {
        "email": _("Verify your email address before you support initiatives."),
        "e-legitimation": _(
            "Verify yourself with e-legitimation (BankID or Freja eID) before you support "
            "initiatives."
        ),
    },
    "propose": {
        "email": _("Verify your email address before you propose an initiative."),
        "e-legitimation": _(
            "Verify yourself with e-legitimation (BankID or Freja eID) before you propose an "
            "initiative."
        ),
    },
    "comment": {
        "email": _("Verify your email address before you comment."),
        "e-legitimation": _(
            "Verify yourself with e-legitimation (BankID or Freja eID) before you comment."
        ),
    },
}


def identity_refusal(user: User, action: str) -> str:
    """What the person lacks for the action, when it is their identity: a verified email
    address, or e-legitimation. Empty when they have what the city asks."""
    if not user.is_authenticated or meets_identity_requirement(user, action):
        return ""
    if not has_verified_email(user):
        return str(IDENTITY_REFUSALS[action]["email"])
    return str(IDENTITY_REFUSALS[action]["e-legitimation"])


def is_author(user: User, initiative: Initiative) -> bool:
    return user.is_authenticated and initiative.author_id == user.pk


def can_follow(user: User, initiative: Initiative) -> bool:
    """Signed-in people follow public initiatives, and their own in any state."""
    return user.is_authenticated and (initiative.is_public or is_author(user, initiative))


def can_edit(user: User, initiative: Initiative) -> bool:
    """The author edits freely before publishing, and corrects and clarifies a published
    initiative while it is published and not hidden (the edits are shown, with the earlier text
    kept). Once the city has answered, the text stays as it was answered: the answer and the
    committee's decision refer to it."""
    return (
        is_author(user, initiative)
        and (initiative.is_editable or is_correctable(initiative))
        and may_write_as(user, "propose")
    )


def is_correctable(initiative: Initiative) -> bool:
    """A published initiative its author may still correct, keeping each earlier version."""
    return initiative.status == Initiative.Status.PUBLISHED and not initiative.is_hidden


# What people supported: fixed from the first support on (supports_lock).
LOCKED_ONCE_SUPPORTED = ("title", "fokusomrade")


def supports_lock(initiative: Initiative) -> bool:
    """Whether the title and the focus area are fixed: somebody supports the initiative. An
    edit may correct what people supported, not change it."""
    return initiative.pk is not None and initiative.supports.exists()


def can_submit(user: User, initiative: Initiative) -> bool:
    return (
        is_author(user, initiative)
        and initiative.status == Initiative.Status.DRAFT
        and may_write_as(user, "propose")
    )


def can_withdraw(user: User, initiative: Initiative) -> bool:
    return is_author(user, initiative) and initiative.status in {
        Initiative.Status.DRAFT,
        Initiative.Status.SUBMITTED,
        Initiative.Status.PUBLISHED,
    }


def can_support(user: User, initiative: Initiative) -> bool:
    return (
        may_write_as(user, "support")
        and not is_author(user, initiative)
        and initiative.is_open_for_support
    )


def verifies_to_support(user: User, initiative: Initiative) -> bool:
    """Whether e-legitimation is all the person lacks to support this initiative: the button
    then takes them to verify, and back to give the support."""
    return (
        needs_elegitimation(user, "support")
        and not is_author(user, initiative)
        and initiative.is_open_for_support
    )


def can_comment(user: User, initiative: Initiative) -> bool:
    return may_write_as(user, "comment") and initiative.is_public


def can_edit_comment(user: User, comment: Comment) -> bool:
    return (
        user.is_authenticated
        and comment.author_id == user.pk
        and not comment.is_removed
        and timezone.now() < comment.edit_deadline()
        and may_write_as(user, "comment")
    )


def can_remove_comment(user: User, comment: Comment) -> bool:
    return user.is_authenticated and comment.author_id == user.pk and not comment.is_removed


def marks_as_staff(user: User) -> bool:
    """Comments from the city's staff are marked, so residents know who speaks for the city."""
    return is_city_staff(user)


def can_see_overdue(user: User) -> bool:
    """The staff list of answers that are late."""
    return is_moderator(user) or is_responder(user)


def can_assign(user: User, initiative: Initiative) -> bool:
    """Moderators choose, and change, the administration that answers an initiative and by
    when. A case officer may only take one that nobody answers for yet, for their own
    administration (can_assign_to): assigning is not a way to answer someone else's."""
    if not may_write(user) or not initiative.is_public:
        return False
    return is_moderator(user) or (is_responder(user) and initiative.forvaltning_id is None)


def can_assign_to(user: User, forvaltning) -> bool:
    return is_moderator(user) or (is_responder(user) and forvaltning.pk == user.forvaltning_id)


def can_respond(user: User, initiative: Initiative) -> bool:
    """A case officer answers in the name of the administration responsible for the initiative."""
    return (
        is_responder(user)
        and may_write(user)
        and initiative.status in Initiative.PUBLIC_STATUSES
        and initiative.forvaltning_id is not None
        and initiative.forvaltning_id == user.forvaltning_id
    )
