from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Block, User
from core.params import number
from ideas import actions as ideas_actions
from ideas.models import Comment, Initiative
from ideas.permissions import can_assign, can_respond, can_see_overdue
from moderation import actions
from moderation.forms import AssignForm, BlockForm, DecisionForm, FlagForm, ResponseForm
from moderation.models import ModerationDecision
from moderation.permissions import can_flag_comment, can_flag_initiative, can_moderate
from moderation.queue import queue_context
from partners.models import OfferMessage

LOG_PER_PAGE = 50


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
    context = {**queue_context(), "form": DecisionForm(), "lang": get_language()}
    return render(request, "moderation/queue.html", context)


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
            _decide_one(request.user, form.cleaned_data, target, request.POST)
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
    moderator: User, data: dict, target: Initiative | Comment | OfferMessage, versions
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
    # The version of the initiative the moderator read: a decision on another is refused.
    seen = {"seen_version": number(versions.get(f"version-{target.pk}")) or 0}
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
    decisions = ModerationDecision.objects.for_listing()
    chosen = {
        name: number(request.GET.get(name)) for name in ("moderator", "initiativ", "anvandare")
    }
    filters = {name: "" if pk is None else str(pk) for name, pk in chosen.items()}
    if chosen["moderator"] is not None:
        decisions = decisions.filter(moderator_id=chosen["moderator"])
    if chosen["initiativ"] is not None:
        decisions = decisions.filter(initiative_id=chosen["initiativ"])
    if chosen["anvandare"] is not None:
        decisions = decisions.filter(subject_user_id=chosen["anvandare"])
    page = Paginator(decisions, LOG_PER_PAGE).get_page(request.GET.get("sida"))
    context = {
        "page": page,
        "filters": filters,
        "moderators": User.objects.filter(groups__name="moderator").order_by("display_name"),
    }
    return render(request, "moderation/log.html", context)


@moderator_required
def block(request, user_pk):
    person = get_object_or_404(User, pk=user_pk, deleted_at__isnull=True)
    form = BlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.user_block(
                moderator=request.user,
                user=person,
                days=form.cleaned_data["days"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s is blocked.") % {"name": person.public_name})
            return redirect("moderation:blocks")
    return render(request, "moderation/block.html", {"form": form, "person": person})


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
    late = (
        Initiative.objects.public()
        .filter(answer_due__lt=timezone.localdate(), responses__isnull=True)
        .select_related("forvaltning")
        .order_by("answer_due", "pk")
    )
    if request.user.forvaltning_id and not can_moderate(request.user):
        late = late.filter(forvaltning_id=request.user.forvaltning_id)
    return render(request, "moderation/overdue.html", {"initiatives": late[:500]})
