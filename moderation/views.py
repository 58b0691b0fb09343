from datetime import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Block, Organisation, User
from core.params import number, text
from ideas import actions as ideas_actions
from ideas.models import Comment, Initiative
from ideas.permissions import can_assign, can_respond, can_see_overdue
from moderation import actions
from moderation import desk as desk_lists
from moderation.forms import (
    AssignForm,
    BlockForm,
    DecisionForm,
    FlagForm,
    InitiativeDecisionForm,
    LogFilterForm,
    OrganisationDecisionForm,
    ResponseForm,
)
from moderation.models import ModerationDecision
from moderation.permissions import (
    can_flag_comment,
    can_flag_initiative,
    can_moderate,
    can_use_desk,
)
from moderation.queue import queue_context
from partners.models import OfferMessage

LOG_PER_PAGE = 50
LOG_FILTERS = list(LogFilterForm.base_fields)


def moderator_required(view):
    @login_required
    @wraps(view)
    def check(request, *args, **kwargs):
        if not can_moderate(request.user):
            raise PermissionDenied(_("Only moderators can see this page."))
        return view(request, *args, **kwargs)

    return check


@moderator_required
def queue(request):
    return render(request, "moderation/queue.html", _queue_page())


def _queue_page(failed: InitiativeDecisionForm | OrganisationDecisionForm | None = None) -> dict:
    """The queue; `failed` is a single decision sent back with errors, shown at its item with
    what the moderator typed."""
    context = {**queue_context(), "form": DecisionForm(), "lang": get_language()}
    if isinstance(failed, InitiativeDecisionForm):
        for initiative in context["review"]:
            if initiative.pk == failed.initiative.pk:
                initiative.decision_form = failed
    if isinstance(failed, OrganisationDecisionForm):
        for organisation in context["organisations"]:
            if organisation.pk == failed.organisation.pk:
                organisation.decision_form = failed
    return context


DECIDED = {
    "approve": gettext_lazy("“%(title)s” is approved and published."),
    "reject": gettext_lazy("“%(title)s” is rejected. The author is told why."),
    "send_back": gettext_lazy("“%(title)s” is sent back to the author."),
}


@moderator_required
@require_POST
def decide_initiative(request, pk):
    """One decision about one initiative in review, with the button beside it in the queue."""
    initiative = get_object_or_404(Initiative, pk=pk)
    form = InitiativeDecisionForm(request.POST, initiative=initiative)
    if not form.is_valid():
        if initiative.status != Initiative.Status.SUBMITTED:
            messages.error(
                request,
                _("“%(title)s” is no longer in review: another moderator may have decided already.")
                % {"title": initiative.title},
            )
            return redirect("moderation:queue")
        messages.error(request, _("No decision was made: see what is missing below."))
        return render(request, "moderation/queue.html", _queue_page(failed=form))
    data = form.cleaned_data
    try:
        _decide_one(request.user, data, initiative, data["version"] or 0)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, DECIDED[data["action"]] % {"title": initiative.title})
    return redirect("moderation:queue")


ORGANISATION_DECIDED = {
    "approve": gettext_lazy("“%(name)s” is approved and shown to everyone."),
    "reject": gettext_lazy("“%(name)s” is not approved. Its administrators are told why."),
}


@moderator_required
@require_POST
def decide_organisation(request, pk):
    """Approve or reject one organisation waiting in the queue, with the buttons beside it."""
    organisation = get_object_or_404(Organisation, pk=pk)
    form = OrganisationDecisionForm(request.POST, organisation=organisation)
    if not form.is_valid():
        if organisation.review_state != Organisation.Review.PENDING:
            messages.error(request, _no_longer_pending(organisation))
            return redirect("moderation:queue")
        messages.error(request, _("No decision was made: see what is missing below."))
        return render(request, "moderation/queue.html", _queue_page(failed=form))
    action, text = form.cleaned_data["action"], form.cleaned_data["text"]
    decide = actions.organisation_approve if action == "approve" else actions.organisation_reject
    try:
        decide(moderator=request.user, organisation=organisation, text=text)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, ORGANISATION_DECIDED[action] % {"name": organisation.name})
    return redirect("moderation:queue")


@moderator_required
@require_POST
def verify_organisation(request, pk):
    """Mark an organisation verified, or take the mark back, from its page."""
    organisation = get_object_or_404(Organisation, pk=pk)
    verified = request.POST.get("verifierad") == "1"
    try:
        actions.organisation_verify(
            moderator=request.user, organisation=organisation, verified=verified
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = (
            _("“%(name)s” is marked verified.")
            if verified
            else _("“%(name)s” is no longer marked verified.")
        )
        messages.success(request, done % {"name": organisation.name})
    return redirect(organisation)


def _no_longer_pending(organisation: Organisation) -> str:
    return _(
        "“%(name)s” no longer waits for approval: another moderator may have decided already."
    ) % {"name": organisation.name}


@moderator_required
@require_POST
def decide(request):
    """Apply one decision to every chosen item; from the queue in bulk, or from a public page."""
    form = DecisionForm(request.POST)
    back = _back(request)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect(back)
    done, refused = 0, []
    data = form.cleaned_data
    for target in [*data["initiativ"], *data["kommentar"], *data["meddelande"]]:
        try:
            # The version of the initiative the moderator read: a decision on another is refused.
            seen = number(request.POST.get(f"version-{target.pk}")) or 0
            _decide_one(request.user, form.cleaned_data, target, seen)
            done += 1
        except (ValidationError, PermissionDenied) as error:
            refused.append(" ".join(getattr(error, "messages", [str(error)])))
    if done:
        messages.success(
            request,
            ngettext("%(count)d decision was made.", "%(count)d decisions were made.", done)
            % {"count": done},
        )
    for reason in refused:
        messages.error(request, reason)
    return redirect(back)


def _decide_one(
    moderator: User, data: dict, target: Initiative | Comment | OfferMessage, seen_version: int
) -> None:
    action, text = data["action"], data["text"].strip()
    if isinstance(target, OfferMessage):
        if action not in {"hide", "dismiss"}:
            raise ValidationError(
                _("Messages between partners are hidden, or their flag dismissed.")
            )
        actions.offer_message_decide(
            moderator=moderator, message=target, hide=action == "hide", text=text
        )
        return
    item = {"initiative": target} if isinstance(target, Initiative) else {"comment": target}
    if action in {"approve", "reject", "send_back"} and "initiative" not in item:
        raise ValidationError(_("Comments are hidden or shown, not approved or rejected."))
    seen = {"seen_version": seen_version}
    match action:
        case "approve":
            actions.initiative_approve(moderator=moderator, initiative=target, text=text, **seen)
        case "reject":
            actions.initiative_reject(
                moderator=moderator, initiative=target, reasons=data["reasons"], text=text, **seen
            )
        case "send_back":
            actions.initiative_send_back(moderator=moderator, initiative=target, text=text, **seen)
        case "hide":
            actions.content_hide(moderator=moderator, text=text, **item)
        case "unhide":
            actions.content_unhide(moderator=moderator, text=text, **item)
        case "dismiss":
            actions.flags_dismiss(moderator=moderator, text=text, **item)


def _back(request) -> str:
    """Where the form came from: a path on this site, else the queue. Anything else (another
    host, a scheme, a URL that does not even parse) goes to the queue."""
    back = request.POST.get("tillbaka", "")
    try:
        local = back.startswith("/") and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    except ValueError:  # e.g. "/[", which urllib cannot split
        local = False
    return back if local else reverse("moderation:queue")


@moderator_required
@require_POST
def edit_reviewed(request, pk):
    """A moderator read an author's edits of a published initiative in the queue."""
    initiative = get_object_or_404(Initiative, pk=pk)
    up_to = number(request.POST.get("upp_till")) or 0
    if actions.initiative_edits_review(moderator=request.user, initiative=initiative, up_to=up_to):
        messages.success(
            request,
            _("The edits of “%(title)s” are marked as reviewed.") % {"title": initiative.title},
        )
    else:
        messages.info(request, _("Those edits were already reviewed."))
    return redirect("moderation:queue")


@moderator_required
def log(request):
    filters = LogFilterForm({name: text(request.GET.get(name), 200) for name in LOG_FILTERS})
    decisions = filters.filter(
        ModerationDecision.objects.for_listing().select_related(
            "comment__initiative", "comment__author"
        )
    )
    page = Paginator(decisions, LOG_PER_PAGE).get_page(request.GET.get("sida"))
    for decision in page.object_list:
        _readable(decision)
    return render(request, "moderation/log.html", {"page": page, "filters": filters})


def _readable(decision: ModerationDecision) -> None:
    """What the log's sentence of `decision` needs (templates/moderation/log/<action>.html),
    read from the entry and what it is about, with no further query."""
    about = decision.initiative or (decision.comment and decision.comment.initiative)
    decision.item_title = about.title if about else ""
    if decision.organisation is not None:
        decision.item_title = decision.organisation.name
    # An assignment's text is the administration, which its sentence names: no reason.
    why = [] if decision.action == ModerationDecision.Action.ASSIGN else [decision.text]
    decision.why = " ".join([*decision.reason_labels(), *why]).strip()
    decision.until = _moment(decision.state_after.get("until"))
    due = decision.state_after.get("answer_due")
    decision.due = _moment(f"{due}T00:00" if due else None)
    decision.sentence = [f"moderation/log/{decision.action}.html", "moderation/log/_other.html"]


def _moment(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


@moderator_required
def block(request, user_pk):
    """Blocking takes two steps: the form, then a page that names the person, the end and the
    reason, from which the moderator confirms (bekrafta) or goes back to change it (andra)."""
    person = get_object_or_404(User, pk=user_pk, deleted_at__isnull=True)
    form = BlockForm(request.POST or None)
    context = {"form": form, "person": person}
    if request.method == "POST" and "andra" not in request.POST and form.is_valid():
        given = {"moderator": request.user, "user": person, **form.cleaned_data}
        try:
            if request.POST.get("bekrafta") == "1":
                actions.user_block(**given)
                messages.success(request, _("%(name)s is blocked.") % {"name": person.public_name})
                return redirect("moderation:blocks")
            context |= {"ends_at": actions.user_block_check(**given), "email": _masked(person)}
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "moderation/block.html", context)


def _masked(person: User) -> str:
    """The email address with the local part hidden but its first letter: enough to tell two
    people of the same name apart, not to copy it."""
    local, _at, domain = person.email.partition("@")
    return f"{local[:1]}***@{domain}"


@moderator_required
def blocks(request):
    active = Block.objects.active().select_related("user", "moderator").order_by("ends_at")
    return render(request, "moderation/blocks.html", {"blocks": active})


@moderator_required
@require_POST
def unblock(request, pk):
    active = get_object_or_404(Block.objects.active(), pk=pk)
    actions.user_unblock(moderator=request.user, block=active)
    messages.success(request, _("The block is lifted."))
    return redirect("moderation:blocks")


@login_required
def flag_initiative(request, pk):
    initiative = get_object_or_404(Initiative.objects.public(), pk=pk)
    if not can_flag_initiative(request.user, initiative):
        raise PermissionDenied(_("You cannot flag this initiative."))
    return _flag(request, initiative.get_absolute_url(), {"initiative": initiative})


@login_required
def flag_comment(request, pk):
    comment = get_object_or_404(
        Comment.objects.select_related("initiative").filter(
            initiative__in=Initiative.objects.public()
        ),
        pk=pk,
    )
    if not can_flag_comment(request.user, comment):
        raise PermissionDenied(_("You cannot flag this comment."))
    back = f"{comment.initiative.get_absolute_url()}#{comment.dom_id}"
    return _flag(request, back, {"comment": comment})


def _flag(request, back: str, target: dict):
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.flag_add(user=request.user, **form.cleaned_data, **target)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. A moderator will look at it."))
            return redirect(back)
    return render(request, "moderation/flag.html", {"form": form, "back": back, **target})


@login_required
def assign(request, pk):
    initiative = get_object_or_404(Initiative.objects.public(), pk=pk)
    if not can_assign(request.user, initiative):
        raise PermissionDenied(
            _(
                "Moderators choose the responsible administration. A case officer may only take "
                "an initiative without one, for their own administration."
            )
        )
    initial = {"forvaltning": initiative.forvaltning, "answer_due": initiative.answer_due}
    form = AssignForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.initiative_assign(user=request.user, initiative=initiative, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The responsible administration is saved."))
            return redirect(initiative)
    return render(request, "moderation/assign.html", {"form": form, "initiative": initiative})


@login_required
def respond(request, pk):
    initiative = get_object_or_404(Initiative.objects.public(), pk=pk)
    if not can_respond(request.user, initiative):
        raise PermissionDenied(
            _("Only case officers of the responsible administration can answer.")
        )
    form = ResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ideas_actions.response_add(user=request.user, initiative=initiative, **form.cleaned_data)
        messages.success(request, _("The response is published."))
        return redirect(initiative)
    return render(request, "moderation/respond.html", {"form": form, "initiative": initiative})


@login_required
def overdue(request):
    if not can_see_overdue(request.user):
        raise PermissionDenied(_("Only city staff can see this page."))
    late = desk_lists.overdue(request.user)
    return render(request, "moderation/overdue.html", {"initiatives": late[:500]})


@login_required
def desk(request):
    """Handläggning: what waits for the city, live (moderation.consumers.DeskConsumer)."""
    if not can_use_desk(request.user):
        raise PermissionDenied(_("Only city staff can see this page."))
    filters = desk_lists.DeskFilters.from_params(request.GET)
    context = {
        **desk_lists.desk_context(request.user, filters),
        **desk_lists.desk_options(request.user),
        "lang": get_language(),
    }
    return render(request, "moderation/desk.html", context)
