"""Moderators' decisions. Each one checks its permission, changes the content, writes an entry
to the append-only log with the state before and after, and tells the people concerned."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actions import do_organisation_review
from accounts.models import Block, Membership, Organisation, User
from core import ratelimit
from core.email import send_templated_email
from core.live import announce
from ideas import live as ideas_live
from ideas.actions import (
    do_alert_moderators,
    do_initiative_assign,
    do_initiative_publish,
    do_initiative_set_status,
)
from ideas.models import Comment, Initiative, InitiativeVersion
from ideas.permissions import can_assign, can_assign_to
from moderation import live
from moderation.models import AdmissibilityRule, Flag, ModerationDecision
from moderation.permissions import can_flag_comment, can_flag_initiative, can_moderate
from notifications.actions import do_notify
from notifications.models import Notification
from partners.models import OfferMessage
from programme.models import Forvaltning

Action = ModerationDecision.Action


def _initiative_state(initiative: Initiative) -> dict:
    return {"status": initiative.status, "hidden": initiative.hidden_at is not None}


def _comment_state(comment: Comment) -> dict:
    return {"hidden": comment.hidden_at is not None, "removed": comment.removed_at is not None}


def _log(**fields) -> ModerationDecision:
    return ModerationDecision.objects.create(**fields)


def _require_moderator(user: User) -> None:
    if not can_moderate(user):
        raise PermissionDenied(_("Only moderators can do this."))


def _in_review(initiative: Initiative, seen_version: int | None) -> Initiative:
    """The initiative, locked; refused with a message if it is no longer waiting for review, or
    if its author changed it after the moderator read it (`seen_version`; by default the version
    of the object the caller holds)."""
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if locked.status != Initiative.Status.SUBMITTED:
        raise ValidationError(
            _("“%(title)s” is no longer in review: another moderator may have decided already.")
            % {"title": locked.title},
            code="not_in_review",
        )
    seen = initiative.version if seen_version is None else seen_version
    if locked.version != seen:
        raise ValidationError(
            _(
                "“%(title)s” was changed by its author after you read it. Read it again, then "
                "decide."
            )
            % {"title": locked.title},
            code="changed",
        )
    return locked


def initiative_approve(
    *, moderator: User, initiative: Initiative, text: str = "", seen_version: int | None = None
) -> Initiative:
    """Publish the version the moderator read: the support period starts now."""
    _require_moderator(moderator)
    with transaction.atomic():
        before = _initiative_state(_in_review(initiative, seen_version))
        published = do_initiative_publish(initiative=initiative, actor=moderator)
        decision = _log(
            moderator=moderator,
            action=Action.APPROVE,
            initiative=published,
            subject_user=published.author,
            text=text,
            state_before=before,
            state_after=_initiative_state(published),
        )
        _tell_author(decision, published.author, text=text)
        announce(lambda: live.queue_changed())
    return published


def initiative_reject(
    *,
    moderator: User,
    initiative: Initiative,
    reasons: list[str],
    text: str,
    seen_version: int | None = None,
) -> Initiative:
    """Refuse with one or more of the city's admissibility reasons, and free text."""
    _require_moderator(moderator)
    in_use = {code for code, _text in AdmissibilityRule.choices()}
    if not reasons or any(reason not in in_use for reason in reasons):
        raise ValidationError(_("Choose at least one of the reasons."), code="reasons")
    return _decide_review(
        moderator,
        initiative,
        Initiative.Status.REJECTED,
        Action.REJECT,
        reasons,
        text,
        seen_version,
    )


def initiative_send_back(
    *, moderator: User, initiative: Initiative, text: str, seen_version: int | None = None
) -> Initiative:
    """Return to the author as a draft, with what to change."""
    _require_moderator(moderator)
    if not text.strip():
        raise ValidationError(_("Write what the author should change."), code="text")
    return _decide_review(
        moderator, initiative, Initiative.Status.DRAFT, Action.SEND_BACK, [], text, seen_version
    )


def _decide_review(
    moderator: User,
    initiative: Initiative,
    status: str,
    action: str,
    reasons: list,
    text: str,
    seen_version: int | None,
) -> Initiative:
    """Move an initiative out of review to `status`: timeline, log, the author told, queue."""
    with transaction.atomic():
        before = _initiative_state(_in_review(initiative, seen_version))
        locked = do_initiative_set_status(initiative, status=status, actor=moderator, note=text)
        decision = _log(
            moderator=moderator,
            action=action,
            initiative=locked,
            subject_user=locked.author,
            reasons=reasons,
            text=text,
            state_before=before,
            state_after=_initiative_state(locked),
        )
        _tell_author(decision, locked.author, reasons=reasons, text=text)
        announce(lambda: live.queue_changed())
    return locked


def _tell_author(decision: ModerationDecision, author: User, *, reasons=(), text="") -> None:
    """The author of the content is told what was decided and why; nobody else is."""
    do_notify(
        kind=Notification.Kind.MODERATION_DECISION,
        recipients=[author],
        initiative=decision.initiative or (decision.comment and decision.comment.initiative),
        comment=decision.comment,
        actor=decision.moderator,
        own_content=True,
        extra={"decision": decision.action, "reasons": list(reasons), "text": text[:1000]},
    )


def content_hide(
    *,
    moderator: User,
    text: str,
    initiative: Initiative | None = None,
    comment: Comment | None = None,
) -> ModerationDecision:
    """Hide an initiative or a comment from the public; its open flags count as handled."""
    _require_moderator(moderator)
    return _hide(moderator=moderator, text=text, initiative=initiative, comment=comment)


def _hide(
    *,
    moderator: User | None,
    text: str,
    initiative: Initiative | None,
    comment: Comment | None,
) -> ModerationDecision:
    """Hide, log and tell the author. Without a moderator the platform hid it by itself after
    flags (flag_add), and the flags stay open for a moderator to review."""
    with transaction.atomic():
        if moderator is not None:
            _resolve_flags(initiative=initiative, comment=comment)
        decision = _set_hidden(
            True,
            moderator=moderator,
            action=Action.HIDE if moderator is not None else Action.AUTO_HIDE,
            initiative=initiative,
            comment=comment,
            text=text,
        )
        _tell_author(decision, decision.subject_user, text=text)
        _announce_visibility(initiative=initiative, comment=comment)
    return decision


def content_unhide(
    *,
    moderator: User,
    text: str,
    initiative: Initiative | None = None,
    comment: Comment | None = None,
) -> ModerationDecision:
    """Show hidden content again; open flags on it are dismissed."""
    _require_moderator(moderator)
    with transaction.atomic():
        _resolve_flags(initiative=initiative, comment=comment)
        decision = _set_hidden(
            False,
            moderator=moderator,
            action=Action.UNHIDE,
            initiative=initiative,
            comment=comment,
            text=text,
        )
        _tell_author(decision, decision.subject_user, text=text)
        _announce_visibility(initiative=initiative, comment=comment)
    return decision


def flags_dismiss(
    *, moderator: User, text: str, initiative: Initiative | None = None, comment=None
) -> ModerationDecision:
    """The flags were unfounded: close them, and show the content if it was hidden for them."""
    _require_moderator(moderator)
    with transaction.atomic():
        _resolve_flags(initiative=initiative, comment=comment)
        decision = _set_hidden(
            False,
            moderator=moderator,
            action=Action.DISMISS_FLAGS,
            initiative=initiative,
            comment=comment,
            text=text,
        )
        if decision.state_before["hidden"]:
            _announce_visibility(initiative=initiative, comment=comment)
        announce(lambda: live.queue_changed())
    return decision


def _set_hidden(
    hidden: bool,
    *,
    moderator: User | None,
    action: str,
    initiative: Initiative | None,
    comment: Comment | None,
    text: str,
) -> ModerationDecision:
    """Hide or show the initiative or comment, and log the decision with the states before and
    after, read from the locked row rather than from the object the caller holds. Hiding what
    is already hidden keeps the moment it was first hidden."""
    held, state = _target(initiative, comment)
    target = type(held).objects.select_for_update().get(pk=held.pk)
    before = state(target)
    target.hidden_at = (target.hidden_at or timezone.now()) if hidden else None
    target.save(update_fields=["hidden_at"])
    held.hidden_at = target.hidden_at
    return _log(
        moderator=moderator,
        action=action,
        initiative=initiative,
        comment=comment,
        subject_user=target.author,
        text=text,
        state_before=before,
        state_after=state(target),
    )


def _target(initiative: Initiative | None, comment: Comment | None):
    if (initiative is None) == (comment is None):
        raise ValueError("Give exactly one of initiative and comment.")
    if initiative is not None:
        return initiative, _initiative_state
    return comment, _comment_state


def _resolve_flags(*, initiative: Initiative | None, comment: Comment | None) -> None:
    flags = Flag.objects.open().filter(initiative=initiative, comment=comment)
    flags.update(resolved_at=timezone.now())


def _announce_visibility(*, initiative: Initiative | None, comment: Comment | None) -> None:
    if comment is not None:
        announce(lambda: ideas_live.comment_changed(comment.pk))
    else:
        announce(lambda: ideas_live.initiative_changed(initiative.pk))
    announce(lambda: live.queue_changed())


def flag_add(
    *,
    user: User,
    reason: str,
    text: str = "",
    initiative: Initiative | None = None,
    comment: Comment | None = None,
) -> Flag:
    """Flag content once per person. At FLAG_HIDE_THRESHOLD open flags the content is hidden
    pending review, and moderators are alerted live and by email."""
    allowed = (
        can_flag_initiative(user, initiative)
        if initiative is not None
        else can_flag_comment(user, comment)
    )
    if not allowed:
        raise PermissionDenied(_("You cannot flag this."))
    if reason not in Flag.Reason.values:
        raise ValidationError(_("Choose a reason."), code="reason")
    if reason == Flag.Reason.OTHER and not text.strip():
        raise ValidationError(_("Say what is wrong."), code="text")
    existing = Flag.objects.filter(reporter=user, initiative=initiative, comment=comment).first()
    if existing is not None:
        return existing
    ratelimit.count("flag", user.pk)
    with transaction.atomic():
        try:
            with transaction.atomic():
                flag = Flag.objects.create(
                    reporter=user, initiative=initiative, comment=comment, reason=reason, text=text
                )
        except IntegrityError:
            return Flag.objects.get(reporter=user, initiative=initiative, comment=comment)
        target, _state = _target(initiative, comment)
        # Flags on one item count one at a time, so the item is hidden, and its author told,
        # exactly once however many flags arrive together.
        target = type(target).objects.select_for_update().get(pk=target.pk)
        open_flags = Flag.objects.open().filter(initiative=initiative, comment=comment).count()
        if open_flags >= settings.FLAG_HIDE_THRESHOLD and target.hidden_at is None:
            _hide(
                moderator=None,
                text=_("%(count)s people flagged it.") % {"count": open_flags},
                initiative=initiative,
                comment=comment,
            )
        about = initiative if initiative is not None else comment.initiative
        do_alert_moderators(initiative=about, actor=user)
        announce(lambda: live.queue_changed())
    return flag


def user_block_check(*, moderator: User, user: User, days: int, reason: str) -> datetime:
    """Refuse a block that would not be given, with the reason why; else return when it would
    end if given now. Nothing is written: the moderator confirms before user_block."""
    _require_moderator(moderator)
    if user.pk == moderator.pk or can_moderate(user):
        raise ValidationError(_("Moderators cannot block themselves or other moderators."))
    if not 1 <= days <= 3650:
        raise ValidationError(_("Block for between 1 and 3650 days."), code="days")
    if not reason.strip():
        raise ValidationError(_("Write the reason; the person will see it."), code="reason")
    return timezone.now() + timedelta(days=days)


def user_block(*, moderator: User, user: User, days: int, reason: str) -> Block:
    """The person may read, not write, for the given number of days; they are told by email
    why, until when, and how to ask for the decision to be reviewed."""
    user_block_check(moderator=moderator, user=user, days=days, reason=reason)
    ratelimit.count("block", moderator.pk)
    with transaction.atomic():
        now = timezone.now()
        block = Block.objects.create(
            user=user,
            moderator=moderator,
            reason=reason,
            starts_at=now,
            ends_at=now + timedelta(days=days),
        )
        _log(
            moderator=moderator,
            action=Action.BLOCK,
            subject_user=user,
            text=reason,
            state_before={"blocked": False},
            state_after={"blocked": True, "until": block.ends_at.isoformat()},
        )
        _tell_blocked_person("block", block)
    return block


def user_unblock(*, moderator: User, block: Block, text: str = "") -> Block:
    """Lift a block before its end: logged, and the person is told by email."""
    _require_moderator(moderator)
    with transaction.atomic():
        block.lifted_at = timezone.now()
        block.save(update_fields=["lifted_at"])
        _log(
            moderator=moderator,
            action=Action.UNBLOCK,
            subject_user=block.user,
            text=text,
            state_before={"blocked": True, "until": block.ends_at.isoformat()},
            state_after={"blocked": False},
        )
        _tell_blocked_person("unblock", block)
    return block


def _tell_blocked_person(template: str, block: Block) -> None:
    """An email in the person's own language, sent once the block (or its lifting) is saved."""
    person = block.user
    if person.is_deleted:
        return
    send_templated_email(
        template_prefix=f"moderation/email/{template}",
        to=person.email,
        context={"person": person, "blocking": block},  # "block" is taken in templates
        language=person.language,
    )


def offer_message_decide(*, moderator: User, message: OfferMessage, hide: bool, text: str) -> None:
    """A flagged message between partners: hide it, or dismiss the flag. Either closes the flag;
    the log records the message by its number, as it has no place in the public log links."""
    _require_moderator(moderator)
    with transaction.atomic():
        before = {"offer_message": message.pk, "hidden": message.hidden_at is not None}
        now = timezone.now()
        message.flag_resolved_at = now
        if hide:
            message.hidden_at = message.hidden_at or now
        message.save(update_fields=["flag_resolved_at", "hidden_at"])
        _log(
            moderator=moderator,
            action=Action.HIDE if hide else Action.DISMISS_FLAGS,
            initiative=message.offer.initiative,
            subject_user=message.author,
            text=text,
            state_before=before,
            state_after={"offer_message": message.pk, "hidden": message.hidden_at is not None},
        )
        announce(lambda: live.queue_changed())


def initiative_edits_review(
    *, moderator: User, initiative: Initiative, up_to: int, text: str = ""
) -> int:
    """Mark the author's edits of a published initiative as reviewed, up to the version the
    moderator read (`up_to`: the number of the last earlier version the queue showed), and log
    it; an edit made since stays in the queue. Return how many were marked: none for a repeated
    request, which logs nothing. To hide the initiative instead, moderators use content_hide."""
    _require_moderator(moderator)
    with transaction.atomic():
        locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
        awaiting = InitiativeVersion.objects.awaiting_review().filter(initiative=locked)
        before = awaiting.count()
        reviewed = awaiting.filter(number__lte=up_to).update(reviewed_at=timezone.now())
        if reviewed:
            _log(
                moderator=moderator,
                action=Action.REVIEW_EDIT,
                initiative=locked,
                subject_user=locked.author,
                text=text,
                state_before={"edits_awaiting_review": before},
                state_after={"edits_awaiting_review": before - reviewed, "reviewed_up_to": up_to},
            )
            announce(lambda: live.queue_changed())
    return reviewed


def initiative_assign(
    *, user: User, initiative: Initiative, forvaltning: Forvaltning, answer_due: date
) -> Initiative:
    """Staff choose the administration that answers the initiative, and by when: in the
    initiative's timeline and in the log. A case officer takes only initiatives nobody answers
    for yet, for their own administration; moderators may change it."""
    if not can_assign(user, initiative) or not can_assign_to(user, forvaltning):
        raise PermissionDenied(
            _(
                "Moderators choose the responsible administration. A case officer may only take "
                "an initiative without one, for their own administration."
            )
        )
    with transaction.atomic():
        locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if not can_assign(user, locked):
            raise ValidationError(
                _("Someone chose the responsible administration in the meantime."),
                code="assigned",
            )
        before = _assignment_state(locked)
        do_initiative_assign(locked, forvaltning=forvaltning, answer_due=answer_due, actor=user)
        _log(
            moderator=user,
            action=Action.ASSIGN,
            initiative=locked,
            text=str(forvaltning),
            state_before=before,
            state_after=_assignment_state(locked),
        )
    return locked


def _assignment_state(initiative: Initiative) -> dict:
    due = initiative.answer_due
    return {
        "forvaltning": initiative.forvaltning_id,
        "answer_due": due.isoformat() if due else None,
    }


def organisation_approve(
    *, moderator: User, organisation: Organisation, text: str = ""
) -> Organisation:
    """Show a new organisation to the public: in the directory, on its page, among partners."""
    return _decide_organisation(moderator, organisation, approved=True, text=text)


def organisation_reject(*, moderator: User, organisation: Organisation, text: str) -> Organisation:
    """Keep a new organisation from the public, with the reason its administrators read; they
    may change the profile, which sends it back to the queue."""
    if not text.strip():
        raise ValidationError(
            _("Write why the organisation is not approved; its administrators see it."),
            code="text",
        )
    return _decide_organisation(moderator, organisation, approved=False, text=text)


def organisation_verify(
    *, moderator: User, organisation: Organisation, verified: bool
) -> Organisation:
    """Mark the organisation verified (a moderator checked its organisation number against the
    register), or take the mark back. The badge shows on its profile and its offers. Pressing
    twice changes nothing the second time."""
    _require_moderator(moderator)
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if verified and not locked.organisation_number:
            raise ValidationError(
                _(
                    "“%(name)s” has no organisation number to check. Its administrators add it "
                    "to the profile first."
                )
                % {"name": locked.name},
                code="no_number",
            )
        if locked.is_verified == verified:
            return locked
        locked.is_verified = verified
        locked.save(update_fields=["is_verified"])
        _log(
            moderator=moderator,
            action=Action.ORGANISATION_VERIFY if verified else Action.ORGANISATION_UNVERIFY,
            organisation=locked,
            text=locked.organisation_number,
            state_before={"verified": not verified},
            state_after={"verified": verified},
        )
    return locked


def _decide_organisation(
    moderator: User, organisation: Organisation, *, approved: bool, text: str
) -> Organisation:
    """Decide once: a second decision (another moderator, a button pressed twice) finds the
    organisation no longer waiting and changes nothing."""
    _require_moderator(moderator)
    text = text.strip()
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.review_state != Organisation.Review.PENDING:
            raise ValidationError(
                _(
                    "“%(name)s” no longer waits for approval: another moderator may have "
                    "decided already."
                )
                % {"name": locked.name},
                code="not_pending",
            )
        before = {"review": locked.review_state}
        do_organisation_review(locked, approved=approved, reason=text)
        action = Action.ORGANISATION_APPROVE if approved else Action.ORGANISATION_REJECT
        decision = _log(
            moderator=moderator,
            action=action,
            organisation=locked,
            text=text,
            state_before=before,
            state_after={"review": locked.review_state},
        )
        do_notify(
            kind=Notification.Kind.MODERATION_DECISION,
            recipients=User.objects.filter(
                memberships__organisation=locked, memberships__role=Membership.Role.ADMIN
            ),
            actor=moderator,
            own_content=True,
            extra={"decision": decision.action, "organisation": locked.name, "text": text[:1000]},
        )
        announce(lambda: live.queue_changed())
    return locked
