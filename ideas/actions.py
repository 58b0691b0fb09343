"""Writes about initiatives, supports, comments and follows. Each checks its own permission,
decides who hears of it (notifications only deliver), and announces itself live once the
transaction commits. The `do_` steps check nothing: the action that calls them has.
"""

from datetime import date, datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Organisation, User
from accounts.permissions import block_refusal
from accounts.roles import MODERATOR, RESPONDER
from core import ratelimit
from core.live import announce
from ideas import live
from ideas.markdown import render_comment_markdown, render_markdown, render_response_markdown
from ideas.models import (
    TRENDING_DAYS,
    Comment,
    Initiative,
    InitiativeEvent,
    InitiativeVersion,
    OfficialResponse,
    Support,
    SupportRule,
)
from ideas.permissions import (
    LOCKED_ONCE_SUPPORTED,
    can_act_for,
    can_comment,
    can_edit,
    can_edit_comment,
    can_follow,
    can_propose,
    can_remove_comment,
    can_respond,
    can_submit,
    can_support,
    can_withdraw,
    identity_refusal,
    marks_as_staff,
    supports_lock,
)
from notifications.actions import (
    do_follow,
    do_follow_automatically,
    do_notify,
    do_unfollow,
)
from notifications.fanout import do_notify_followers
from notifications.models import Notification
from programme.models import Forvaltning, Prioritering

Kind = Notification.Kind

INITIATIVE_FIELDS = [
    "title",
    "summary",
    "body",
    "fokusomrade",
    "stadsdel",
    "seeking_partners",
    "partner_needs",
    "partner_needs_text",
    "image_alt",
]


class StaleEdit(ValidationError):
    """Someone saved the item after this form was opened; the form's text is not applied."""


EDIT_REFUSAL = _lazy(
    "Only the author can edit an initiative, until the city has answered it, and not while a "
    "moderator has hidden it."
)

# Fields of INITIATIVE_FIELDS whose change the history names by another part.
_PART_OF = {
    "seeking_partners": "partners",
    "partner_needs": "partners",
    "partner_needs_text": "partners",
    "image_alt": "image",
}


def _record(initiative: Initiative, *, actor: User | None, note: str = "", kind=None) -> None:
    InitiativeEvent.objects.create(
        initiative=initiative,
        kind=kind or InitiativeEvent.Kind.STATUS,
        status=initiative.status,
        actor=actor,
        note=note,
    )


def initiative_save(
    *,
    user: User,
    fields: dict,
    prioriteringar: list[Prioritering],
    organisation: Organisation | None = None,
    image: ContentFile | bool | None = None,
    initiative: Initiative | None = None,
    version: int | None = None,
    client_token: UUID | None = None,
) -> Initiative:
    """Create a draft, or save the author's changes to a draft, an initiative in review, or a
    published one.

    A repeated create with the same client token returns the first initiative unchanged; a save
    made from a form older than the last save raises StaleEdit, unless it asks for exactly what
    is saved (the same form sent twice). `image` is a new image, False to remove the current
    one, or None to keep it.

    An edit of a published initiative keeps the text it replaces as an InitiativeVersion, shows
    in the timeline, and is announced live; once somebody supports it, its title and focus area
    are fixed (permissions.supports_lock). A save that changes nothing writes nothing.
    """
    if initiative is None and not can_propose(user):
        raise PermissionDenied(
            block_refusal(user)
            or identity_refusal(user, "propose")
            or _("Verify your email address before you propose an initiative.")
        )
    if initiative is not None and not can_edit(user, initiative):
        raise PermissionDenied(EDIT_REFUSAL)
    if organisation is not None and not can_act_for(user, organisation):
        raise PermissionDenied(_("You can only write on behalf of an organisation you belong to."))
    if any(item.fokusomrade_id != fields["fokusomrade"].pk for item in prioriteringar):
        raise ValidationError(_("Choose priorities of the chosen focus area."))
    if initiative is not None and initiative.is_public:
        ratelimit.count("initiative_edit", user.pk)

    with transaction.atomic():
        changed, previous = [], None
        if initiative is None:
            if client_token is not None:
                existing = Initiative.objects.filter(author=user, client_token=client_token).first()
                if existing is not None:
                    return existing
            ratelimit.count("proposal", user.pk)
            initiative = Initiative(author=user, client_token=client_token)
        else:
            initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
            changed = _changes(initiative, fields, prioriteringar, organisation, image)
            if not changed:
                return initiative  # Nothing to save: a repeated submit, or an unchanged form.
            if version is not None and version != initiative.version:
                raise StaleEdit(
                    _(
                        "The initiative was changed after you opened this form. Your text is "
                        "kept below: compare it with the saved version and save again."
                    ),
                    code="stale",
                )
            if not can_edit(user, initiative):  # answered or hidden since the form was read
                raise PermissionDenied(EDIT_REFUSAL)
            if set(changed) & set(LOCKED_ONCE_SUPPORTED) and supports_lock(initiative):
                raise ValidationError(
                    _(
                        "People have supported the initiative, so its title and focus area can "
                        "no longer be changed. Your other changes are kept below: save them "
                        "with the saved title and focus area."
                    ),
                    code="locked",
                )
            previous = _version_of(initiative) if initiative.is_public else None
            initiative.version = F("version") + 1
        for name in INITIATIVE_FIELDS:
            setattr(initiative, name, fields[name])
        if not initiative.seeking_partners:
            initiative.partner_needs, initiative.partner_needs_text = [], ""
        initiative.organisation = organisation
        initiative.body_html = render_markdown(initiative.body)
        initiative.set_slug()
        if image is False and initiative.image:
            initiative.image.delete(save=False)
            initiative.image_alt = ""
        elif image:
            initiative.image.save(image.name, image, save=False)
        try:
            with transaction.atomic():
                initiative.save()
        except IntegrityError:
            # The same form arrived twice at the same moment: the first one won.
            return Initiative.objects.get(author=user, client_token=client_token)
        initiative.prioriteringar.set(prioriteringar)
        Initiative.objects.filter(pk=initiative.pk).refresh_search_vector()
        if initiative.status == Initiative.Status.DRAFT and not initiative.events.exists():
            _record(initiative, actor=user)
            do_follow_automatically(user=initiative.author, initiative=initiative)
        if previous is not None:
            _keep_version(initiative, previous, changed=changed, user=user)
    initiative.refresh_from_db()
    return initiative


def _changes(
    initiative: Initiative,
    fields: dict,
    prioriteringar: list[Prioritering],
    organisation: Organisation | None,
    image: ContentFile | bool | None,
) -> list[str]:
    """What saving `fields` would change in the saved initiative: InitiativeVersion.PARTS keys,
    in the form's order."""
    wanted = dict(fields)
    if not wanted["seeking_partners"]:
        wanted["partner_needs"], wanted["partner_needs_text"] = [], ""
    changed = []
    for name in INITIATIVE_FIELDS:
        new = wanted[name]
        if name in {"fokusomrade", "stadsdel"}:
            differs = getattr(initiative, f"{name}_id") != (new.pk if new is not None else None)
        else:
            differs = getattr(initiative, name) != new
        if differs:
            changed.append(_PART_OF.get(name, name))
    saved = set(initiative.prioriteringar.values_list("pk", flat=True))
    if saved != {item.pk for item in prioriteringar}:
        changed.append("prioriteringar")
    if initiative.organisation_id != (organisation.pk if organisation is not None else None):
        changed.append("organisation")
    if image or (image is False and initiative.image):
        changed.append("image")
    return list(dict.fromkeys(changed))


def _version_of(initiative: Initiative) -> dict:
    """The text an edit is about to replace."""
    return {
        "title": initiative.title,
        "summary": initiative.summary,
        "body": initiative.body,
        "fokusomrade_id": initiative.fokusomrade_id,
    }


def _keep_version(initiative: Initiative, previous: dict, *, changed: list[str], user: User):
    """Keep the replaced text of a published initiative, say so in its timeline, and tell the
    page's watchers (and, when edits are reviewed, the moderators' queue) once it commits. The
    caller holds the initiative's row lock, so the numbers follow each other."""
    review = settings.REVIEW_PUBLISHED_EDITS
    InitiativeVersion.objects.create(
        initiative=initiative,
        number=initiative.versions.count() + 1,
        changed=changed,
        edited_by=user,
        needs_review=review,
        **previous,
    )
    _record(initiative, actor=user, kind=InitiativeEvent.Kind.EDITED)
    pk = initiative.pk
    announce(lambda: live.initiative_edited(pk))
    if review:
        announce(lambda: live.review_changed())


def do_initiative_set_status(
    initiative: Initiative,
    *,
    status: str,
    actor: User | None,
    note: str = "",
    announced_by_caller: bool = False,
    **fields,
) -> Initiative:
    """The one place an initiative's status changes: it refuses a step Initiative.TRANSITIONS
    does not allow, writes the timeline entry, and announces the change once the transaction
    commits, unless the caller announces it in its own words (`announced_by_caller`: an
    official response is announced as an answer, not as a count). `fields` are set with it (a
    publication's dates). Returns the changed row, and updates `initiative` too.

    Asking again for the status the initiative already has (a double submit, two tabs) changes
    nothing, unless the step is allowed from a status to itself (a new official response).
    """
    with transaction.atomic():
        locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
        allowed = Initiative.TRANSITIONS[locked.status]
        if status == locked.status and status not in allowed:
            return locked
        if status not in allowed:
            statuses = dict(Initiative.Status.choices)
            raise ValidationError(
                _("“%(title)s” cannot go from “%(current)s” to “%(wanted)s”.")
                % {
                    "title": locked.title,
                    "current": statuses[locked.status],
                    "wanted": statuses[status],
                },
                code="transition",
            )
        was_public = locked.is_public
        locked.status = status
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=["status", *fields, "updated_at"])
        for name in ["status", *fields, "updated_at"]:
            setattr(initiative, name, getattr(locked, name))
        _record(locked, actor=actor, note=note)
        if status == Initiative.Status.PUBLISHED:
            announce(lambda: live.initiative_published(locked.pk))
        elif was_public and not announced_by_caller:
            announce(lambda: live.initiative_changed(locked.pk))
    return locked


def initiative_submit(*, user: User, initiative: Initiative) -> Initiative:
    """Send a draft to review; with PUBLISH_WITHOUT_REVIEW it is published at once."""
    if not can_submit(user, initiative):
        if initiative.status == Initiative.Status.SUBMITTED and initiative.author_id == user.pk:
            return initiative  # A double submit changes nothing.
        raise PermissionDenied(_("Only the author can submit a draft."))
    with transaction.atomic():
        initiative = do_initiative_set_status(
            initiative,
            status=Initiative.Status.SUBMITTED,
            actor=user,
            submitted_at=timezone.now(),
        )
        if not settings.PUBLISH_WITHOUT_REVIEW:
            do_alert_moderators(initiative=initiative, actor=user)
            announce(lambda: live.review_changed())
    if settings.PUBLISH_WITHOUT_REVIEW:
        return do_initiative_publish(initiative=initiative, actor=None)
    return initiative


def do_initiative_publish(*, initiative: Initiative, actor: User | None) -> Initiative:
    """Open an initiative in review for support: moderation's approval calls this."""
    now, rule = timezone.now(), SupportRule.current()
    return do_initiative_set_status(
        initiative,
        status=Initiative.Status.PUBLISHED,
        actor=actor,
        published_at=now,
        support_ends_at=now + timedelta(days=rule.period_days),
        support_threshold=rule.threshold,
    )


def initiative_withdraw(*, user: User, initiative: Initiative) -> Initiative:
    """The author withdraws. Those who follow a public initiative hear of it (the follow
    button promises status changes)."""
    if not can_withdraw(user, initiative):
        if initiative.status == Initiative.Status.WITHDRAWN and initiative.author_id == user.pk:
            return initiative
        raise PermissionDenied(_("Only the author can withdraw an initiative that is still open."))
    with transaction.atomic():
        was_public = initiative.is_public
        initiative = do_initiative_set_status(
            initiative, status=Initiative.Status.WITHDRAWN, actor=user
        )
        if was_public:
            do_notify_followers(
                kind=Kind.STATUS_CHANGED,
                initiative=initiative,
                actor=user,
                extra={"status": initiative.status},
            )
    return initiative


def do_alert_moderators(*, initiative: Initiative, actor: User | None) -> None:
    """Moderators hear of a new submission or of flagged content, live and by email."""
    do_notify(
        kind=Kind.MODERATION_ALERT,
        recipients=User.objects.filter(groups__name=MODERATOR),
        initiative=initiative,
        actor=actor,
        own_content=True,
    )


def support_refusal(user: User, initiative: Initiative) -> str:
    """Why this person cannot support this initiative, in words they can act on."""
    if not user.is_authenticated:
        return _("Sign in to support initiatives.")
    if initiative.author_id == user.pk:
        return _("You cannot support your own initiative.")
    if not initiative.is_public:
        return _("This initiative is not published, so it cannot be supported.")
    if not initiative.is_open_for_support:
        return _("The support period for this initiative has ended.")
    if blocked := block_refusal(user):
        return blocked
    if not can_support(user, initiative):
        return identity_refusal(user, "support") or _(
            "Verify your email address before you support initiatives."
        )
    return ""


def support_set(*, user: User, initiative: Initiative, supported: bool) -> bool:
    """Give or withdraw the person's support; return whether they support it now.

    The wanted state is explicit, so a double submit never undoes itself. The first support that
    reaches the threshold marks the initiative ready for the committee, exactly once.
    """
    if not can_support(user, initiative):
        raise PermissionDenied(support_refusal(user, initiative))
    ratelimit.count("support", user.pk)
    with transaction.atomic():
        if supported:
            # Taken before the support is written, so an author's edit, which locks the row
            # too, sees this support and keeps the title and focus area as supported.
            list(Initiative.objects.select_for_update().filter(pk=initiative.pk).values("pk"))
            _support, changed = Support.objects.get_or_create(initiative=initiative, user=user)
            recent = changed
        else:
            given = Support.objects.filter(initiative=initiative, user=user)
            given_at = given.values_list("created_at", flat=True).first()
            changed = bool(given.delete()[0])
            # A support given a moment ago by a request racing this one has no date read yet.
            recent = changed and (given_at is None or given_at >= trending_since())
        if supported:
            do_follow_automatically(user=user, initiative=initiative)
        if changed:
            step = 1 if supported else -1
            counts = {"support_count": F("support_count") + step}
            if recent:
                counts["recent_support_count"] = Greatest(F("recent_support_count") + step, 0)
            rows = Initiative.objects.filter(pk=initiative.pk)
            rows.update(**counts)
            if supported and rows.filter(
                ready_at__isnull=True, support_count__gte=F("support_threshold")
            ).update(ready_at=timezone.now()):
                initiative.refresh_from_db()
                _record(initiative, actor=None, kind=InitiativeEvent.Kind.READY)
                _notify_threshold_reached(initiative)
                announce(lambda: live.desk_changed())
            announce(lambda: live.initiative_changed(initiative.pk))
    return supported


def _notify_threshold_reached(initiative: Initiative) -> None:
    """The author, the followers, and the city's side: the case officers of the responsible
    administration, or, when none is responsible yet, every moderator, so that someone assigns
    it. Each once, a staff member who also follows as staff. support_set calls this once per
    initiative: the threshold is marked by a conditional update."""
    if initiative.forvaltning_id:
        staff = User.objects.filter(
            groups__name=RESPONDER, forvaltning_id=initiative.forvaltning_id
        )
    else:
        staff = User.objects.filter(groups__name=MODERATOR)
    staff = staff.exclude(pk=initiative.author_id)
    do_notify(
        kind=Kind.THRESHOLD_REACHED,
        recipients=[initiative.author],
        initiative=initiative,
        own_content=True,
    )
    do_notify_followers(
        kind=Kind.THRESHOLD_REACHED,
        initiative=initiative,
        exclude=[initiative.author_id, *staff.values_list("pk", flat=True)],
    )
    do_notify(
        kind=Kind.THRESHOLD_REACHED,
        recipients=staff,
        initiative=initiative,
        own_content=True,
        extra={"staff": True, "assign": not initiative.forvaltning_id},
    )


def trending_since() -> datetime:
    return timezone.now() - timedelta(days=TRENDING_DAYS)


def do_recent_supports_refresh() -> int:
    """Recount every initiative's supports of the last week, so supports that have aged out stop
    counting for trending; return how many initiatives changed. The scheduler runs it
    (manage.py refresh_trending); support_set keeps the counts current in between.

    Only initiatives with a count, or with supports this week, are read and written, so the cost
    follows the week's activity, not the history.
    """
    since = trending_since()
    this_week = Support.objects.filter(created_at__gte=since)
    counted = (
        this_week.filter(initiative=OuterRef("pk"))
        .order_by()
        .values("initiative")
        .annotate(number=Count("pk"))
        .values("number")
    )
    recount = Coalesce(Subquery(counted), 0)
    return (
        Initiative.objects.filter(
            Q(recent_support_count__gt=0) | Q(pk__in=this_week.values("initiative"))
        )
        .exclude(recent_support_count=recount)
        .update(recent_support_count=recount)
    )


def comment_add(
    *,
    user: User,
    initiative: Initiative,
    body: str,
    parent: Comment | None = None,
    client_token: UUID | None = None,
) -> Comment:
    if not can_comment(user, initiative):
        raise PermissionDenied(
            block_refusal(user)
            or (initiative.is_public and identity_refusal(user, "comment"))
            or _("Only published initiatives can be discussed, by verified residents.")
        )
    if parent is not None and (parent.initiative_id != initiative.pk or parent.parent_id):
        raise ValidationError(_("You can only answer a comment on the same initiative."))
    if client_token is not None:
        existing = Comment.objects.filter(author=user, client_token=client_token).first()
        if existing is not None:
            return existing
    ratelimit.count("comment", user.pk)
    with transaction.atomic():
        try:
            with transaction.atomic():
                comment = Comment.objects.create(
                    initiative=initiative,
                    parent=parent,
                    author=user,
                    body=body,
                    body_html=render_comment_markdown(body),
                    is_staff_comment=marks_as_staff(user),
                    client_token=client_token,
                )
        except IntegrityError:
            # The same form arrived twice at the same moment: the first one won.
            return Comment.objects.get(author=user, client_token=client_token)
        Initiative.objects.filter(pk=initiative.pk).update(comment_count=F("comment_count") + 1)
        _notify_comment_added(comment)
        announce(lambda: live.comment_added(comment.pk))
    return comment


def _notify_comment_added(comment: Comment) -> None:
    """The initiative's author, the author of the comment answered, and the followers: each
    once. The writer starts following."""
    initiative = comment.initiative
    do_follow_automatically(user=comment.author, initiative=initiative)
    told = {initiative.author_id}
    about = {"initiative": initiative, "comment": comment, "actor": comment.author}
    do_notify(
        kind=Kind.COMMENT_ON_MY_INITIATIVE,
        recipients=[initiative.author],
        own_content=True,
        **about,
    )
    if comment.parent_id and comment.parent.author_id not in told:
        told.add(comment.parent.author_id)
        do_notify(
            kind=Kind.REPLY_TO_MY_COMMENT,
            recipients=[comment.parent.author],
            own_content=True,
            **about,
        )
    do_notify_followers(kind=Kind.COMMENT_ON_FOLLOWED, exclude=told, **about)


def comment_edit(
    *, user: User, comment: Comment, body: str, edited_at_seen: str | None = None
) -> Comment:
    if not can_edit_comment(user, comment):
        raise PermissionDenied(_("A comment can be edited by its author for 15 minutes."))
    ratelimit.count("comment_edit", user.pk)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        seen = comment.edited_at.isoformat() if comment.edited_at else ""
        if edited_at_seen is not None and edited_at_seen != seen:
            raise StaleEdit(
                _("The comment was changed in another window. Your text is kept below."),
                code="stale",
            )
        comment.body = body
        comment.body_html = render_comment_markdown(body)
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "body_html", "edited_at"])
        announce(lambda: live.comment_changed(comment.pk))
    return comment


def comment_remove(*, user: User, comment: Comment) -> Comment:
    """The author removes a comment; "removed" stays in its place so the thread keeps its shape."""
    if not can_remove_comment(user, comment):
        if comment.is_removed and comment.author_id == user.pk:
            return comment
        raise PermissionDenied(_("Only the author can remove a comment."))
    with transaction.atomic():
        comment.removed_at = timezone.now()
        comment.body = ""
        comment.body_html = ""
        comment.save(update_fields=["removed_at", "body", "body_html"])
        announce(lambda: live.comment_changed(comment.pk))
    return comment


def validate_answer_due(answer_due: date) -> None:
    """An answer cannot be due before today, in the site's time zone (not the server's, nor
    the viewer's): the assign form's field and do_initiative_assign both ask this."""
    if answer_due < timezone.localdate(timezone=timezone.get_default_timezone()):
        raise ValidationError(
            _("The due date cannot be in the past. Choose today or a later day."),
            code="answer_due_past",
        )


def do_initiative_assign(
    initiative: Initiative, *, forvaltning: Forvaltning, answer_due: date, actor: User
) -> Initiative:
    """Set the administration that answers and by when, and say so in the timeline.
    moderation.actions.initiative_assign checks who may, and logs it. A due date in the past
    is refused here, so that no way in can store one."""
    validate_answer_due(answer_due)
    initiative.forvaltning = forvaltning
    initiative.answer_due = answer_due
    initiative.save(update_fields=["forvaltning", "answer_due", "updated_at"])
    _record(initiative, actor=actor, note=str(forvaltning), kind=InitiativeEvent.Kind.ASSIGNED)
    announce(lambda: live.desk_changed())
    return initiative


def response_add(*, user: User, initiative: Initiative, body: str, status: str) -> OfficialResponse:
    """A case officer answers in public, in the name of the administration, and sets the status."""
    if not can_respond(user, initiative):
        raise PermissionDenied(
            _("Only case officers of the responsible administration can answer.")
        )
    if status not in Initiative.RESPONSE_STATUSES:
        raise ValidationError(_("Choose the initiative's new status."), code="status")
    with transaction.atomic():
        response = OfficialResponse.objects.create(
            initiative=initiative,
            forvaltning=user.forvaltning,
            author=user,
            body=body,
            body_html=render_response_markdown(body),
            status=status,
        )
        initiative = do_initiative_set_status(
            initiative,
            status=status,
            actor=user,
            note=str(user.forvaltning),
            announced_by_caller=True,
        )
        announce(lambda: live.response_added(response.pk))
        # The author hears of the city's answer as their own news, the followers as followed.
        about = {"initiative": initiative, "actor": user, "extra": {"status": status}}
        do_notify(
            kind=Kind.OFFICIAL_RESPONSE,
            recipients=[initiative.author],
            own_content=True,
            **about,
        )
        do_notify_followers(kind=Kind.OFFICIAL_RESPONSE, exclude=[initiative.author_id], **about)
        announce(lambda: live.desk_changed())
    return response


def follow_set(*, user: User, initiative: Initiative, following: bool) -> bool:
    """Start or stop following an initiative the person can see; return whether they follow."""
    if not can_follow(user, initiative):
        raise PermissionDenied(_("Sign in to follow an initiative you can see."))
    ratelimit.count("follow", user.pk)
    if following:
        do_follow(user=user, initiative=initiative)
    else:
        do_unfollow(user=user, initiative=initiative)
    return following
