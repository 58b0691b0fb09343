"""The partner panel of an initiative page, included from ideas/detail.html with one line, so
the initiative's view needs to know nothing about partners."""

from urllib.parse import urlencode

from django import template
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import membership_of
from ideas.author_panel import Step
from ideas.models import Initiative
from ideas.permissions import can_edit, is_author
from partners.matching import initiatives_for, organisations_for
from partners.models import PartnerOffer
from partners.permissions import can_offer, is_open_for_partners

register = template.Library()


@register.simple_tag(takes_context=True)
def partner_panel(context, initiative) -> dict:
    user = context["user"]
    # Partners show on initiatives seeking them: the others' pages stay one query lighter.
    if not initiative.is_public or not initiative.seeking_partners:
        return {}
    author = user.is_authenticated and user.pk == initiative.author_id
    open_for_offers = is_open_for_partners(initiative)
    return {
        "partner_offers": PartnerOffer.objects.accepted_on(initiative.pk),
        "open_for_offers": open_for_offers,
        "may_offer": open_for_offers and user.is_authenticated and can_offer(user, initiative),
        "is_author": author,
        "suggestions": organisations_for(initiative, limit=3) if author and open_for_offers else [],
    }


@register.simple_tag(takes_context=True)
def organisation_partner_profile(context, organisation) -> dict:
    """What the organisation's page shows about partnering: the initiatives it proposed, those
    it helps carry out, and for its members, initiatives it could help."""
    # One query for both lists: what it proposed, and what it helps carry out.
    partnered = PartnerOffer.objects.accepted().filter(organisation=organisation)
    rows = list(
        Initiative.objects.public()
        .for_cards()
        .filter(Q(organisation=organisation) | Q(pk__in=partnered.values("initiative_id")))
        .order_by("-published_at", "-pk")[:40]
    )
    proposed = [row for row in rows if row.organisation_id == organisation.pk]
    partnering = [row for row in rows if row.organisation_id != organisation.pk]
    member = membership_of(context["user"], organisation) is not None
    return {
        "proposed": proposed,
        "partnering": partnering,
        "suggestions": initiatives_for(organisation) if member else [],
        "is_member": member,
    }


@register.simple_tag(takes_context=True)
def partner_next_step(context, initiative) -> Step | None:
    """The author's next step about partners, for the author's panel (ideas/_author_panel.html):
    say what is needed while it can still be edited, look in the directory when it does not
    seek partners, or see who could help when it seeks them and nobody has offered yet."""
    user = context["user"]
    if not is_author(user, initiative):
        return None
    if not initiative.seeking_partners:
        if can_edit(user, initiative):
            return Step(
                _("Associations and businesses can offer help if you say what is needed."),
                _("Ask for partners"),
                reverse("ideas:edit", args=[initiative.pk]),
            )
        if not initiative.is_public:
            return None
        directory = reverse("accounts:organisations")
        return Step(
            _("Associations and businesses in your focus area may help carry it out."),
            _("Find organisations"),
            f"{directory}?{urlencode({'fokusomrade': initiative.fokusomrade.slug})}",
        )
    if (
        not is_open_for_partners(initiative)
        or PartnerOffer.objects.open().filter(initiative_id=initiative.pk).exists()
    ):
        return None
    return Step(
        _("Nobody has offered help yet."),
        _("See organisations that could help"),
        reverse("partners:offers", args=[initiative.pk]),
    )
