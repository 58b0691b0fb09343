from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import directory
from ideas.models import Initiative
from notifications.actions import mark_read_about
from partners import actions
from partners.forms import AnswerForm, MessageForm, OfferForm
from partners.matching import needs_any, organisations_for
from partners.mine import THREAD_KINDS
from partners.models import OfferMessage, PartnerOffer
from partners.permissions import (
    OPEN_FOR_PARTNERS,
    can_answer,
    can_end,
    can_flag,
    can_message,
    can_offer,
    can_view_offer,
    can_withdraw,
    is_open_for_partners,
)

PER_PAGE = 20


def _public_initiative(pk: int) -> Initiative:
    return get_object_or_404(Initiative.objects.public().for_cards(), pk=pk)


@login_required
def offer_make(request, pk):
    initiative = _public_initiative(pk)
    organisations = [
        item
        for item in request.user.organisations.order_by("name")
        if can_offer(request.user, initiative, item)
    ]
    if not can_offer(request.user, initiative) and not organisations:
        raise PermissionDenied(_offer_refusal(request.user, initiative))
    form = OfferForm(request.POST or None, organisations=organisations, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            offer = actions.offer_make(
                user=request.user,
                initiative=initiative,
                organisation=form.chosen_organisation(),
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your offer was sent. The author answers here."))
            return redirect(offer)
    return render(request, "partners/offer_form.html", {"initiative": initiative, "form": form})


def _offer_refusal(user, initiative: Initiative) -> str:
    try:
        actions._refuse_offer(user, initiative, None)
    except (PermissionDenied, ValidationError) as error:
        return " ".join(getattr(error, "messages", [str(error)]))
    return _("You cannot offer help with this initiative.")


@login_required
def offers(request, pk):
    initiative = _public_initiative(pk)
    if initiative.author_id != request.user.pk:
        raise PermissionDenied(_("Only the initiative's author sees the offers of help."))
    context = {
        "initiative": initiative,
        "offers": initiative.partner_offers.for_listing().order_by("-created_at", "-pk"),
        "suggestions": organisations_for(initiative) if is_open_for_partners(initiative) else [],
        "live_query": f"&erbjudanden={initiative.pk}",
    }
    return render(request, "partners/offers.html", context)


def _offer_for(request, pk) -> PartnerOffer:
    offer = get_object_or_404(
        PartnerOffer.objects.for_listing().select_related("initiative__author"), pk=pk
    )
    if not can_view_offer(request.user, offer):
        raise PermissionDenied(_("Only the people in this conversation can read it."))
    return offer


@login_required
def offer_detail(request, pk):
    offer = _offer_for(request, pk)
    # Reading the conversation reads its news: the unread count on Mina sidor goes with it.
    mark_read_about(user=request.user, kinds=THREAD_KINDS, offer=offer.pk)
    form = MessageForm() if can_message(request.user, offer) else None
    return render(request, "partners/offer_detail.html", _thread_context(request, offer, form))


def _thread_context(request, offer: PartnerOffer, form: MessageForm | None) -> dict:
    thread = list(offer.messages.for_thread())
    return {
        "offer": offer,
        "initiative": offer.initiative,
        "thread": thread,
        "flaggable": {message.pk for message in thread if can_flag(request.user, message)},
        "form": form,
        "answer_form": AnswerForm() if can_answer(request.user, offer) else None,
        "can_withdraw": can_withdraw(request.user, offer),
        "can_end": can_end(request.user, offer),
        "live_query": f"&erbjudande={offer.pk}",
    }


@login_required
@require_POST
def offer_answer(request, pk):
    offer = _offer_for(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reply"]))
    elif "accept" in request.POST:
        actions.offer_accept(user=request.user, offer=offer, reply=form.cleaned_data["reply"])
        messages.success(request, _("You accepted the offer. The partner shows on the initiative."))
    else:
        actions.offer_decline(user=request.user, offer=offer, reply=form.cleaned_data["reply"])
        messages.success(request, _("You declined the offer."))
    if request.POST.get("tillbaka") == "lista":
        return redirect("partners:offers", offer.initiative_id)
    return redirect(offer)


@login_required
@require_POST
def offer_withdraw(request, pk):
    offer = actions.offer_withdraw(user=request.user, offer=_offer_for(request, pk))
    messages.success(request, _("You withdrew the offer."))
    return redirect(offer)


@login_required
@require_POST
def partnership_end(request, pk):
    offer = actions.partnership_end(user=request.user, offer=_offer_for(request, pk))
    messages.success(request, _("The partnership has ended."))
    return redirect(offer)


@login_required
@require_POST
def message_send(request, pk):
    offer = _offer_for(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            message = actions.message_send(
                user=request.user, offer=offer, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error("body", error)
        else:
            return redirect(f"{offer.get_absolute_url()}#{message.dom_id}")
    context = _thread_context(request, offer, form)
    return render(request, "partners/offer_detail.html", context, status=400)


@login_required
@require_POST
def message_flag(request, pk):
    message = get_object_or_404(OfferMessage.objects.select_related("offer__initiative"), pk=pk)
    try:
        actions.message_flag(user=request.user, message=message)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, _("Thank you. A moderator will look at the message."))
    return redirect(message.offer)


def directory_initiatives(request):
    options = directory.filter_options()
    chosen = {
        "q": directory.search_text(request.GET),
        "fokusomrade": directory.choice(request.GET, "fokusomrade", options["fokusomraden"]),
        "behov": directory.choice(request.GET, "behov", options["needs"]),
        "stadsdel": directory.choice(request.GET, "stadsdel", options["stadsdelar"]),
    }
    initiatives = Initiative.objects.public().filter(
        seeking_partners=True, status__in=OPEN_FOR_PARTNERS
    )
    if chosen["q"]:
        initiatives = initiatives.search(chosen["q"])
    if chosen["fokusomrade"]:
        initiatives = initiatives.filter(fokusomrade__slug=chosen["fokusomrade"])
    if chosen["behov"]:
        initiatives = initiatives.filter(needs_any([chosen["behov"]]))
    if chosen["stadsdel"]:
        initiatives = initiatives.filter(stadsdel__slug=chosen["stadsdel"])
    initiatives = initiatives.for_cards().order_by("-published_at", "-pk")
    page = Paginator(initiatives, PER_PAGE).get_page(request.GET.get("sida"))
    context = {**options, "chosen": chosen, "page": page}
    return render(request, "partners/directory_initiatives.html", context)
