"""Suggestions both ways: organisations that could help an initiative, and initiatives an
organisation could help. Pure functions over querysets, ranked by fit, each with its reasons.

Cost: a fixed handful of queries whatever the data. The candidates are chosen in SQL (sharing
a focus area, a priority, a need or a district), at most CANDIDATE_LIMIT of them, most recent
first; they are then scored in Python, which is cheap for a few hundred rows.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, PartnerNeed, offers_any
from ideas.models import Initiative
from partners.models import PartnerOffer
from partners.permissions import OPEN_FOR_PARTNERS
from programme.models import Fokusomrade, Prioritering, Stadsdel

CANDIDATE_LIMIT = 300
RECENT_DAYS = 30

# How much each kind of fit weighs: a shared focus area is the strongest sign.
FOKUSOMRADE_POINTS = 10
PRIORITERING_POINTS = 4
NEED_POINTS = 5
STADSDEL_POINTS = 3
WHOLE_CITY_POINTS = 2
RECENT_POINTS = 1


@dataclass
class Suggestion:
    item: object
    score: int = 0
    reasons: list[str] = field(default_factory=list)

    def add(self, points: int, reason: str) -> None:
        self.score += points
        self.reasons.append(reason)


def needs_any(values: list[str]) -> Q:
    query = Q(pk__in=[])
    for value in values:
        query |= Q(partner_needs__icontains=f'"{value}"')
    return query


def _need_labels() -> dict[str, str]:
    return dict(PartnerNeed.choices)


def _needs_met(suggestion: Suggestion, offers: list[str], needs: list[str]) -> None:
    labels = _need_labels()
    for need in needs:
        if need in offers and need in labels:
            suggestion.add(
                NEED_POINTS,
                _("offers %(offer)s, which is needed") % {"offer": str(labels[need]).lower()},
            )


def _prioriteringar(suggestion: Suggestion, shared: list[Prioritering]) -> None:
    if shared:
        tags = ", ".join(f"#{item.tag}" for item in shared)
        suggestion.add(
            PRIORITERING_POINTS * len(shared), _("Shared priorities: %(tags)s") % {"tags": tags}
        )


def _excluded_offers(**filters) -> "PartnerOffer":
    """Pairs already answered or under way: every offer but a withdrawn one."""
    return PartnerOffer.objects.filter(**filters).exclude(status=PartnerOffer.Status.WITHDRAWN)


def organisations_for(initiative: Initiative, limit: int = 10) -> list[Suggestion]:
    """Organisations that could help with an initiative, best fit first."""
    needs = list(initiative.partner_needs or [])
    prioriteringar = list(initiative.prioriteringar.all())
    prio_ids = {item.pk for item in prioriteringar}
    where = Q(fokusomraden=initiative.fokusomrade_id) | offers_any(needs) | Q(whole_city=True)
    if prio_ids:
        where |= Q(prioriteringar__in=prio_ids)
    if initiative.stadsdel_id:
        where |= Q(stadsdelar=initiative.stadsdel_id)
    recent = timezone.now() - timedelta(days=RECENT_DAYS)
    candidates = (
        Organisation.objects.public()
        .filter(where)
        .exclude(pk__in=_excluded_offers(initiative=initiative).values("organisation_id"))
        .exclude(pk=initiative.organisation_id or 0)
        .exclude(memberships__user=initiative.author_id)
        .annotate(
            recently_active=Exists(
                Initiative.objects.public().filter(
                    organisation=OuterRef("pk"), published_at__gte=recent
                )
            )
            | Exists(
                PartnerOffer.objects.filter(organisation=OuterRef("pk"), created_at__gte=recent)
            )
        )
        .prefetch_related(
            Prefetch("fokusomraden", queryset=Fokusomrade.objects.only("pk")),
            Prefetch("prioriteringar", queryset=Prioritering.objects.only("pk")),
            Prefetch("stadsdelar", queryset=Stadsdel.objects.only("pk")),
        )
        .distinct()
        .order_by("-created_at", "pk")[:CANDIDATE_LIMIT]
    )
    suggestions = []
    for organisation in candidates:
        suggestion = Suggestion(organisation)
        if initiative.fokusomrade_id in {item.pk for item in organisation.fokusomraden.all()}:
            suggestion.add(
                FOKUSOMRADE_POINTS,
                _("Same focus area: %(name)s") % {"name": initiative.fokusomrade.title},
            )
        theirs = {item.pk for item in organisation.prioriteringar.all()}
        _prioriteringar(suggestion, [item for item in prioriteringar if item.pk in theirs])
        _needs_met(suggestion, organisation.offers or [], needs)
        stadsdelar = {item.pk for item in organisation.stadsdelar.all()}
        if initiative.stadsdel_id and initiative.stadsdel_id in stadsdelar:
            suggestion.add(
                STADSDEL_POINTS,
                _("Active in the same district: %(name)s") % {"name": initiative.stadsdel.name},
            )
        elif organisation.whole_city:
            suggestion.add(WHOLE_CITY_POINTS, _("Active in the whole city"))
        if organisation.recently_active and suggestion.score:
            suggestion.add(RECENT_POINTS, _("Active on Tillsammans recently"))
        if suggestion.score:
            suggestions.append(suggestion)
    return _best(suggestions, limit, key=lambda item: item.name)


def initiatives_for(organisation: Organisation, limit: int = 10) -> list[Suggestion]:
    """Initiatives seeking partners that an organisation could help, best fit first."""
    # .all(), not values_list: the profile page has prefetched these, so they cost no query.
    fokus_ids = {item.pk for item in organisation.fokusomraden.all()}
    prio_ids = {item.pk for item in organisation.prioriteringar.all()}
    stadsdel_ids = {item.pk for item in organisation.stadsdelar.all()}
    offers = list(organisation.offers or [])
    where = Q(fokusomrade__in=fokus_ids) | Q(prioriteringar__in=prio_ids) | needs_any(offers)
    if organisation.whole_city:
        where |= Q(stadsdel__isnull=False)
    elif stadsdel_ids:
        where |= Q(stadsdel__in=stadsdel_ids)
    recent = timezone.now() - timedelta(days=RECENT_DAYS)
    candidates = (
        Initiative.objects.public()
        .filter(seeking_partners=True, status__in=OPEN_FOR_PARTNERS)
        .filter(pk__in=Initiative.objects.filter(where).values("pk"))
        .exclude(organisation=organisation)
        .exclude(pk__in=_excluded_offers(organisation=organisation).values("initiative_id"))
        .exclude(author__memberships__organisation=organisation)
        .annotate(recent_supports=Count("supports", filter=Q(supports__created_at__gte=recent)))
        .for_cards()
        .prefetch_related(
            Prefetch("prioriteringar", queryset=Prioritering.objects.only("pk", "tag"))
        )
        .order_by("-published_at", "-pk")[:CANDIDATE_LIMIT]
    )
    suggestions = []
    for initiative in candidates:
        suggestion = Suggestion(initiative)
        if initiative.fokusomrade_id in fokus_ids:
            suggestion.add(
                FOKUSOMRADE_POINTS,
                _("Same focus area: %(name)s") % {"name": initiative.fokusomrade.title},
            )
        shared = [item for item in initiative.prioriteringar.all() if item.pk in prio_ids]
        _prioriteringar(suggestion, shared)
        _needs_met(suggestion, offers, list(initiative.partner_needs or []))
        if initiative.stadsdel_id and initiative.stadsdel_id in stadsdel_ids:
            suggestion.add(
                STADSDEL_POINTS,
                _("In a district where you are active: %(name)s")
                % {"name": initiative.stadsdel.name},
            )
        elif organisation.whole_city and initiative.stadsdel_id:
            suggestion.add(WHOLE_CITY_POINTS, _("You are active in the whole city"))
        if suggestion.score and initiative.published_at and initiative.published_at >= recent:
            suggestion.add(RECENT_POINTS, _("Published recently"))
        if suggestion.score and initiative.recent_supports:
            suggestion.add(RECENT_POINTS, _("Supported recently"))
        if suggestion.score:
            suggestions.append(suggestion)
    return _best(suggestions, limit, key=lambda item: -item.pk)


def _best(suggestions: list[Suggestion], limit: int, key) -> list[Suggestion]:
    suggestions.sort(key=lambda suggestion: (-suggestion.score, key(suggestion.item)))
    return suggestions[:limit]
