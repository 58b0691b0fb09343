import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import actions, elegitimation
from accounts.directory import DirectoryQuery, filter_options
from accounts.forms import AccountDeleteForm, InvitationForm, OrganisationForm, ProfileForm
from accounts.models import IdentityVerification, Invitation, Membership, Organisation
from accounts.permissions import (
    block_refusal,
    can_accept_invitation,
    can_create_organisation,
    can_edit_organisation,
    can_manage_members,
    can_see_members,
    can_see_organisation,
    is_invitee,
    membership_of,
)
from accounts.personal_data import personal_data
from programme.models import Fokusomrade


def organisation_list(request):
    """The organisation directory, also the partner directory's organisation tab."""
    options = filter_options()
    query = DirectoryQuery.from_request(request.GET, options)
    context = {
        **options,
        "query": query,
        "page": query.page(),
        "can_create": can_create_organisation(request.user),
    }
    partial = request.htmx and not request.htmx.boosted
    template = "accounts/organisation_list.html"
    return render(request, f"{template}#results" if partial else template, context)


def organisation_detail(request, slug):
    # Everything the profile shows of the organisation itself; the suggestions for its members
    # (partners.matching.initiatives_for) read the same prefetched lists.
    organisation = get_object_or_404(
        Organisation.objects.select_related("contact_person").prefetch_related(
            Prefetch(
                "fokusomraden", queryset=Fokusomrade.objects.select_related("viljeinriktning")
            ),
            "prioriteringar",
            "stadsdelar",
        ),
        slug=slug,
    )
    # Not approved yet, or not approved: as if it were not there, but for its members and staff.
    if not can_see_organisation(request.user, organisation):
        raise Http404
    context = {
        "organisation": organisation,
        "membership": membership_of(request.user, organisation),
        "can_edit": can_edit_organisation(request.user, organisation),
        "members": organisation.memberships.select_related("user")
        if can_see_members(request.user, organisation)
        else None,
    }
    return render(request, "accounts/organisation_detail.html", context)


@login_required
def organisation_create(request):
    if not can_create_organisation(request.user):
        raise PermissionDenied(_("Verify your email address before you create an organisation."))
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = actions.organisation_create(user=request.user, fields=form.cleaned_data)
        except ValidationError as error:
            form.add_error("name" if error.code == "name" else None, error)
        else:
            messages.success(
                request,
                _("The organisation was created. You are its administrator.")
                if organisation.is_public
                else _(
                    "The organisation was created. You are its administrator. Others see it once "
                    "a moderator has approved it."
                ),
            )
            return redirect(organisation)
    return render(request, "accounts/organisation_form.html", {"form": form})


@login_required
def organisation_edit(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can_edit_organisation(request.user, organisation):
        raise PermissionDenied(_("Only the organisation's administrators can edit it."))
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            actions.organisation_update(
                user=request.user, organisation=organisation, fields=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("name" if error.code == "name" else None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(organisation)
    context = {"form": form, "organisation": organisation}
    return render(request, "accounts/organisation_form.html", context)


@login_required
def organisation_members(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can_manage_members(request.user, organisation):
        raise PermissionDenied(_("Only the organisation's administrators can manage members."))
    form = InvitationForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            actions.invitation_send(
                user=request.user,
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("accounts:organisation_members", slug=organisation.slug)
    context = {
        "organisation": organisation,
        "form": form,
        "memberships": organisation.memberships.select_related("user"),
        "invitations": organisation.invitations.pending().select_related("invited_by"),
        "roles": Membership.Role.choices,
    }
    return render(request, "accounts/organisation_members.html", context)


@login_required
@require_POST
def membership_change(request, slug, pk):
    membership = get_object_or_404(
        Membership.objects.select_related("organisation", "user"), organisation__slug=slug, pk=pk
    )
    leaving = membership.user_id == request.user.pk and "remove" in request.POST
    try:
        if "remove" in request.POST:
            actions.membership_remove(user=request.user, membership=membership)
            messages.success(
                request,
                _("You left %(organisation)s.") % {"organisation": membership.organisation}
                if leaving
                else _("%(name)s is no longer a member.") % {"name": membership.user},
            )
        elif request.POST.get("role") in Membership.Role.values:
            actions.membership_set_role(
                user=request.user, membership=membership, role=request.POST["role"]
            )
            messages.success(request, _("The role was changed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if leaving or not can_manage_members(request.user, membership.organisation):
        return redirect(membership.organisation)
    return redirect("accounts:organisation_members", slug=slug)


def invitation(request, token):
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation", "invited_by"), token=token
    )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if "decline" in request.POST and is_invitee(request.user, invitation):
            actions.invitation_decline(user=request.user, invitation=invitation)
            messages.info(request, _("You declined the invitation."))
            return redirect("home")
        if not can_accept_invitation(request.user, invitation):
            raise PermissionDenied(_invitation_refusal(request.user, invitation))
        actions.invitation_accept(user=request.user, invitation=invitation)
        messages.success(
            request,
            _("Welcome to %(organisation)s!") % {"organisation": invitation.organisation},
        )
        return redirect(invitation.organisation)
    context = {
        "invitation": invitation,
        "can_accept": can_accept_invitation(request.user, invitation),
        "can_decline": is_invitee(request.user, invitation),
        "refusal": _invitation_refusal(request.user, invitation),
    }
    return render(request, "accounts/invitation.html", context)


def _invitation_refusal(user, invitation: Invitation) -> str:
    """Why this person cannot accept, in words they can act on; empty when they can."""
    if not invitation.is_pending:
        return _("This invitation is no longer valid. Ask the organisation to invite you again.")
    if not user.is_authenticated:
        return _("Sign in, or create an account, with the address the invitation was sent to.")
    if not is_invitee(user, invitation):
        return _(
            "This invitation was sent to another email address. Sign in with that address, or add "
            "and verify it under your email settings."
        )
    return block_refusal(user)


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, initial=_profile(request.user))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.profile_update(user=request.user, **form.cleaned_data)
        except PermissionDenied as refusal:
            form.add_error("display_name", str(refusal))
            status = 403
        except ValidationError as error:
            form.add_error(None, error)
            status = 429
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("accounts:profile")
    memberships = request.user.memberships.select_related("organisation").order_by(
        "organisation__name"
    )
    context = {
        "form": form,
        "memberships": memberships,
        "elegitimation": elegitimation.is_enabled(),
        "verification": IdentityVerification.objects.filter(user=request.user).first()
        if request.user.is_verified_resident
        else None,
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
@require_POST
def identity_forget(request):
    """Remove the person's e-legitimation: their identity may then verify another account."""
    try:
        actions.identity_forget(user=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(
            request,
            _("Your e-legitimation was removed. Your account no longer counts as verified."),
        )
    return redirect("accounts:profile")


def _profile(user) -> dict:
    return {"display_name": user.display_name, "language": user.language}


@login_required
def my_data(request):
    return render(request, "accounts/my_data.html")


@login_required
def my_data_download(request):
    payload = json.dumps(personal_data(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    filename = f"tillsammans-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        actions.account_delete(user=user)
        messages.success(request, _("Your account was deleted. What you wrote stays, anonymised."))
        return redirect("home")
    return render(request, "accounts/account_delete.html", {"form": form})
