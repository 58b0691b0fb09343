"""The partner panel of an initiative page, included from ideas/detail.html with one line, so
the initiative's view needs to know nothing about partners."""

from django import template
from django.db.models import Q

from accounts.permissions import membership_of
from ideas.models import Initiative
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
