"""Who may moderate, flag and answer."""

from accounts.models import User
from accounts.permissions import is_moderator, is_responder, may_write
from ideas.models import Comment, Initiative


def can_moderate(user: User) -> bool:
    return is_moderator(user)


def can_use_desk(user: User) -> bool:
    """Handläggning: moderators for every initiative, case officers for their administration's."""
    return is_moderator(user) or is_responder(user)


def can_flag_initiative(user: User, initiative: Initiative) -> bool:
    return (
        may_write(user)
        and initiative.status in Initiative.PUBLIC_STATUSES
        and initiative.author_id != user.pk
    )


def can_flag_comment(user: User, comment: Comment) -> bool:
    return (
        may_write(user)
        and comment.initiative.is_public
        and not comment.is_removed
        and comment.author_id != user.pk
    )
