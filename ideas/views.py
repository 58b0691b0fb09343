from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from accounts.elegitimation import verification_redirect
from accounts.permissions import block_refusal, needs_elegitimation
from core import pagecache
from core.pagecache import same_for_every_reader
from core.params import number, text
from ideas import actions
from ideas.author_panel import PANEL_ID as AUTHOR_PANEL_ID
from ideas.author_panel import author_panel
from ideas.forms import CommentEditForm, CommentForm, InitiativeForm
from ideas.fragments import discussion_page, record_parts, with_public_parts
from ideas.listing import ListQuery, current_choices, filter_options
from ideas.live import edited_initiative, initiative_live_context, with_counts
from ideas.models import (
    Comment,
    Initiative,
    Support,
    ThreadPage,
)
from ideas.permissions import (
    can_assign,
    can_comment,
    can_edit,
    can_edit_comment,
    can_propose,
    can_remove_comment,
    can_respond,
    can_submit,
    can_support,
    can_withdraw,
    identity_refusal,
    verifies_to_support,
)
from notifications.actions import is_following
from notifications.models import Follow

PER_PAGE = 20
# A page of the discussion; its cost is in rendering the comments
# (docs/decisions/0004-discussion-thread-paging.md).
THREADS_PER_PAGE = 25
# Answers shown under each comment; "show all" opens one thread's every answer.
REPLIES_SHOWN = 5


@same_for_every_reader
def initiative_list(request):
    choices = current_choices()
    query = ListQuery.from_request(request.GET)
    cards = Initiative.objects.public().for_cards(with_programme=False)
    page = query.page(cards, choices, request.GET.get("sida"), PER_PAGE)
    page.object_list = choices.show_on_cards(page.object_list)
    shows_new = query.shows_new_initiatives and page.number == 1
    context = {
        **filter_options(query, choices),
        "page": page,
        "query": query,
        "shows_new": shows_new,
        "live_query": list_socket_query(
            page.object_list, filters=query.live_filters, shows_new=shows_new
        ),
    }
    partial = request.htmx and not request.htmx.boosted
    return render(request, "ideas/list.html#results" if partial else "ideas/list.html", context)


def list_socket_query(
    initiatives, *, filters: dict | None = None, shows_new: bool = False, fokusomraden=()
) -> str:
    """The live socket's address query: what this page shows, so it gets only that."""
    params = {**(filters or {}), "lang": get_language()}
    params["visar"] = ",".join(str(initiative.pk) for initiative in initiatives)
    if shows_new:
        params["nya"] = "1"
    if fokusomraden:
        params["fokusomraden"] = ",".join(str(item.pk) for item in fokusomraden)
    return urlencode(params)


def _detail_queryset(user):
    """The initiative with what its page shows, and whether the viewer supports, follows and
    has commented on it, in one query."""
    initiatives = with_counts(Initiative.objects.visible_to(user)).select_related(
        "fokusomrade__viljeinriktning", "stadsdel", "author", "organisation"
    )
    if not user.is_authenticated:
        return initiatives
    return initiatives.annotate(
        viewer_supports=Exists(Support.objects.filter(initiative=OuterRef("pk"), user=user)),
        viewer_follows=Exists(Follow.objects.active().filter(initiative=OuterRef("pk"), user=user)),
        viewer_commented=Exists(Comment.objects.filter(initiative=OuterRef("pk"), author=user)),
    )


def initiative_detail(request, pk, slug=None):
    # Read before the initiative: whatever changes after this starts a new generation, so no
    # part made from what is read here is kept under a generation that would outlive it.
    generation = pagecache.generation()
    initiative = get_object_or_404(
        _detail_queryset(request.user).select_related("forvaltning"), pk=pk
    )
    if slug != initiative.slug:
        return redirect(initiative, permanent=True)
    public = initiative.is_public
    panel = author_panel(request, initiative)
    if request.htmx.target == AUTHOR_PANEL_ID:  # The author's panel, fetched again when live.
        context = {"initiative": initiative, "author_panel": panel}
        return render(request, "ideas/_author_panel.html", context)
    context = {
        **initiative_live_context(initiative),
        **_personal_context(request.user, initiative),
        **_discussion(request, initiative, generation),
        # Rendered here, before the page: a draft's notice reads the events they fetch.
        "record": record_parts(initiative, generation if public else None),
        "author_panel": panel,
        "comment_form": _comment_form(request, initiative),
        "verify_to_comment": public and needs_elegitimation(request.user, "comment"),
        "similar": _similar(initiative) if can_submit(request.user, initiative) else [],
        "live_query": urlencode({"lang": get_language()}),
    }
    return render(request, "ideas/detail.html", context)


def _discussion(request, initiative: Initiative, generation: str) -> dict:
    """The page of the discussion: made for a moderator and for someone who has commented on
    the initiative (their own links and forms are in it), from the cache for everyone else."""
    if not initiative.is_public:
        return {"threads": None}
    own_parts = request.user.has_perm("accounts.moderate") or getattr(
        initiative, "viewer_commented", False
    )
    if own_parts:
        return {"threads": _thread_page(initiative, request.GET)}
    page, expanded = _thread_page_asked(request.GET)
    html = discussion_page(
        initiative, generation, page, expanded, lambda: _thread_page(initiative, request.GET)
    )
    return {"comment_list": html}


def _comment_form(request, initiative: Initiative) -> CommentForm | None:
    """The comment form, answering the comment named by ?svara= when there is one."""
    if not can_comment(request.user, initiative):
        return None
    replying_to = number(request.GET.get("svara"))
    initial = {"parent": replying_to} if replying_to is not None else {}
    return CommentForm(initiative=initiative, initial=initial)


def _similar(initiative: Initiative) -> list[Initiative]:
    return list(
        Initiative.objects.public().exclude(pk=initiative.pk).similar_to(initiative.title)[:5]
    )


def _thread_page_asked(params) -> tuple[int, int | None]:
    """The page of the discussion the address asks for (?kommentarer=), and the thread whose
    every answer it asks to show (?alla-svar=)."""
    return number(params.get("kommentarer")) or 1, number(params.get("alla-svar"))


def _thread_page(initiative: Initiative, params) -> ThreadPage | None:
    """The page of the discussion the address asks for."""
    if not initiative.is_public:
        return None
    page, expanded = _thread_page_asked(params)
    threads = Comment.objects.thread_page(
        initiative, page, THREADS_PER_PAGE, replies_shown=REPLIES_SHOWN, expanded=expanded
    )
    with_public_parts(threads, initiative)
    return threads


def _viewer(initiative: Initiative, annotation: str, ask) -> bool:
    """The viewer's relation as annotated by _detail_queryset, or asked when not annotated."""
    return getattr(initiative, annotation) if hasattr(initiative, annotation) else ask()


def _personal_context(user, initiative: Initiative) -> dict:
    """What depends on who is looking; rendered per request and never pushed."""
    return {
        "following": _viewer(
            initiative, "viewer_follows", lambda: is_following(user=user, initiative=initiative)
        ),
        "can_respond": can_respond(user, initiative),
        "can_assign": can_assign(user, initiative),
        "supported": user.is_authenticated
        and _viewer(
            initiative,
            "viewer_supports",
            lambda: Support.objects.filter(initiative=initiative, user=user).exists(),
        ),
        "can_support": can_support(user, initiative),
        "verify_to_support": verifies_to_support(user, initiative),
        "support_refusal": actions.support_refusal(user, initiative),
        "can_edit": can_edit(user, initiative),
        "can_submit": can_submit(user, initiative),
        "can_withdraw": can_withdraw(user, initiative),
    }


def sign_in_first(*, anchor: str = ""):
    """For a button or form on an initiative's page: a visitor is sent to sign in and then back
    to the page, not to the POST-only address the button sends to. An htmx request gets a client
    redirect (HX-Redirect), so the sign-in page is not swapped into the button's place."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk):
            if request.user.is_authenticated:
                return view(request, pk)
            initiative = get_object_or_404(Initiative.objects.visible_to(request.user), pk=pk)
            back = urlencode({"next": initiative.get_absolute_url() + anchor})
            login = f"{reverse('account_login')}?{back}"
            return HttpResponseClientRedirect(login) if request.htmx else redirect(login)

        return wrapper

    return decorator


def initiative_redirect(request, pk):
    initiative = get_object_or_404(Initiative.objects.visible_to(request.user), pk=pk)
    return redirect(initiative, permanent=True)


@require_POST
@sign_in_first()
def follow(request, pk):
    initiative = get_object_or_404(Initiative.objects.visible_to(request.user), pk=pk)
    wanted = request.POST.get("folj") == "1"
    try:
        following = actions.follow_set(user=request.user, initiative=initiative, following=wanted)
        refusal = ""
    except ValidationError as error:
        following, refusal = not wanted, " ".join(error.messages)
    if request.htmx:
        context = {"initiative": initiative, "following": following, "refusal": refusal}
        return render(request, "ideas/_follow_button.html", context)
    if refusal:
        messages.error(request, refusal)
    elif following:
        messages.success(request, _("You follow this initiative."))
    else:
        messages.success(request, _("You no longer follow this initiative."))
    return redirect(initiative)


@require_GET
def initiative_live_part(request, pk, part):
    """The live parts of a page, fetched again after a reconnect; the same fragments the socket
    pushes, and like them rendered without anything personal."""
    if part not in {"stod", "kommentarer", "text"}:
        raise Http404
    if part == "text":  # Title, text, timeline and versions, after an edit (live.initiative_edited)
        initiative = edited_initiative(pk)
        if initiative is None:
            raise Http404
        return render(request, "ideas/live/initiative_edited.html", {"initiative": initiative})
    initiative = get_object_or_404(
        with_counts(Initiative.objects.public()).select_related("fokusomrade__viljeinriktning"),
        pk=pk,
    )
    if part == "stod":
        return render(request, "ideas/detail.html#stats", initiative_live_context(initiative))
    threads = _thread_page(initiative, request.GET)
    return render(
        request, "ideas/detail.html#comment-list", {"initiative": initiative, "threads": threads}
    )


@login_required
def initiative_create(request):
    if not can_propose(request.user):
        # Said on the form's own page, with what to do about it, not on the bare refusal page.
        refusal = block_refusal(request.user) or identity_refusal(request.user, "propose")
        context = {"refusal": refusal, "verify": needs_elegitimation(request.user, "propose")}
        return render(request, "ideas/form.html", context, status=403)
    return _initiative_form(request, None)


@login_required
def initiative_edit(request, pk):
    initiative = get_object_or_404(Initiative.objects.filter(author=request.user), pk=pk)
    if not can_edit(request.user, initiative):
        raise PermissionDenied(block_refusal(request.user) or actions.EDIT_REFUSAL)
    return _initiative_form(request, initiative)


def _initiative_form(request, initiative: Initiative | None):
    form = InitiativeForm(
        request.POST or None, request.FILES or None, instance=initiative, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = actions.initiative_save(
                user=request.user,
                initiative=initiative,
                fields={name: data[name] for name in actions.INITIATIVE_FIELDS},
                prioriteringar=list(data["prioriteringar"]),
                organisation=data.get("organisation"),
                image=data.get("image"),
                version=data.get("version"),
                client_token=data.get("client_token"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if "submit" in request.POST and can_submit(request.user, saved):
                return _submit(request, saved)
            if saved.is_public and saved.version == data.get("version"):
                messages.info(request, _("Nothing was changed, so nothing was saved."))
            elif saved.is_public:
                messages.success(
                    request,
                    _(
                        "Your changes are published. The initiative shows that it was edited, "
                        "and the earlier text is kept in its history."
                    ),
                )
            else:
                messages.success(request, _("The draft was saved. This is how it will look."))
            return redirect(saved)
    template = "ideas/form.html"
    return render(request, template, {"form": form, "initiative": initiative})


def _submit(request, initiative: Initiative):
    initiative = actions.initiative_submit(user=request.user, initiative=initiative)
    if initiative.is_public:
        messages.success(request, _("Your initiative is published."))
    else:
        messages.success(
            request,
            _(
                "Thank you! Your initiative is in review. A moderator publishes it, usually within "
                "a few working days."
            ),
        )
    return redirect(initiative)


@login_required
@require_POST
def initiative_submit(request, pk):
    initiative = get_object_or_404(Initiative.objects.filter(author=request.user), pk=pk)
    return _submit(request, initiative)


@login_required
@require_POST
def initiative_withdraw(request, pk):
    initiative = get_object_or_404(Initiative.objects.filter(author=request.user), pk=pk)
    actions.initiative_withdraw(user=request.user, initiative=initiative)
    messages.success(request, _("The initiative was withdrawn."))
    return redirect(initiative)


# The initiative a person asked to support before they went to verify with e-legitimation.
PENDING_SUPPORT = "support_after_verification"


@require_POST
@sign_in_first()
def support(request, pk):
    initiative = get_object_or_404(_detail_queryset(request.user), pk=pk)
    wanted = request.POST.get("stod") != "0"
    if wanted and verifies_to_support(request.user, initiative):
        # Verified first, then back to support_resume, which gives the support asked for here.
        request.session[PENDING_SUPPORT] = initiative.pk
        back = reverse("ideas:support_resume", kwargs={"pk": initiative.pk})
        response = verification_redirect(request, back)
        if request.htmx and response.status_code == 302:
            return HttpResponseClientRedirect(response.url)
        return response
    _set_support(request, initiative, wanted)
    if request.htmx:
        initiative = _detail_queryset(request.user).get(pk=pk)
        context = {
            **initiative_live_context(initiative),
            **_personal_context(request.user, initiative),
        }
        return render(request, "ideas/detail.html#support", context)
    return redirect(initiative)


@login_required
@require_GET
def support_resume(request, pk):
    """Back from verifying with e-legitimation: the support the person asked for before they
    went is given now. Only one they asked for with the form (kept in their session, behind the
    form's CSRF check) is given: a link to this address alone gives nothing."""
    initiative = get_object_or_404(Initiative.objects.visible_to(request.user), pk=pk)
    if request.session.pop(PENDING_SUPPORT, None) != initiative.pk:
        return redirect(initiative)
    if _set_support(request, initiative, True):
        messages.success(request, _("Thank you: your support is given, as a verified resident."))
    return redirect(initiative)


def _set_support(request, initiative: Initiative, wanted: bool) -> bool:
    """Give or withdraw the person's support; a refusal is told as a message. Whether it went
    through."""
    try:
        actions.support_set(user=request.user, initiative=initiative, supported=wanted)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal))
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        return True
    return False


@require_POST
@sign_in_first(anchor="#kommentera")
def comment_add(request, pk):
    initiative = get_object_or_404(_detail_queryset(request.user), pk=pk)
    form = CommentForm(request.POST, initiative=initiative)
    if form.is_valid():
        try:
            comment = actions.comment_add(
                user=request.user,
                initiative=initiative,
                body=form.cleaned_data["body"],
                parent=form.cleaned_data["parent"],
                client_token=form.cleaned_data["client_token"],
            )
        except (PermissionDenied, ValidationError) as error:
            form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        else:
            if request.htmx:
                return _comment_posted(request, initiative, comment)
            return redirect(f"{initiative.get_absolute_url()}#{comment.dom_id}")
    if request.htmx:
        return render(request, "ideas/_comment_form.html", {"initiative": initiative, "form": form})
    return render(
        request,
        "ideas/comment_form_page.html",
        {"initiative": initiative, "comment_form": form},
        status=200,
    )


def _comment_posted(request, initiative: Initiative, comment: Comment):
    """For htmx: a fresh form, the new comment placed in the discussion, and focus moved to it
    (static/js/site.js listens for "comment-posted")."""
    context = {"initiative": initiative, "form": CommentForm(initiative=initiative)}
    response = render(request, "ideas/_comment_form.html", context | {"posted": comment})
    return trigger_client_event(response, "comment-posted", {"id": comment.dom_id}, after="settle")


@login_required
def comment_edit(request, pk):
    comment = get_object_or_404(
        Comment.objects.select_related("initiative").filter(author=request.user), pk=pk
    )
    if not can_edit_comment(request.user, comment):
        messages.error(request, _("A comment can be edited by its author for 15 minutes."))
        return redirect(f"{comment.initiative.get_absolute_url()}#{comment.dom_id}")
    initial = {
        "body": comment.body,
        "edited_at_seen": comment.edited_at.isoformat() if comment.edited_at else "",
    }
    form = CommentEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.comment_edit(
                user=request.user,
                comment=comment,
                body=form.cleaned_data["body"],
                edited_at_seen=form.cleaned_data["edited_at_seen"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(f"{comment.initiative.get_absolute_url()}#{comment.dom_id}")
    return render(request, "ideas/comment_edit.html", {"form": form, "comment": comment})


@login_required
@require_POST
def comment_remove(request, pk):
    comment = get_object_or_404(
        Comment.objects.select_related("initiative").filter(author=request.user), pk=pk
    )
    if can_remove_comment(request.user, comment) or comment.is_removed:
        actions.comment_remove(user=request.user, comment=comment)
        messages.success(request, _("Your comment was removed."))
    return redirect(f"{comment.initiative.get_absolute_url()}#{comment.dom_id}")


@require_GET
def similar(request):
    """Similar published initiatives, shown while an author types a title."""
    title = text(request.GET.get("title"), 120)
    initiatives = list(Initiative.objects.public().similar_to(title)[:5])
    return render(request, "ideas/similar.html", {"similar": initiatives, "title": title})
