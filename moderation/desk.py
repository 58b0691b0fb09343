"""Handläggning, the city's desk: what waits for staff to assign, answer or bring to the
committee. Moderators see every public initiative; a case officer sees those of their own
administration and those no administration answers for yet (they may take one).

The page and its socket render the same lists from here (moderation.views.desk,
moderation.consumers.DeskConsumer), and the overdue page reads its rows from here too.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import is_moderator
from core import live as transport
from core.params import number, text
from ideas.models import Initiative, InitiativeQuerySet
from programme.models import Fokusomrade, Forvaltning, Programme, Stadsdel

SOON_DAYS = 7
# Rows each list shows on the desk; its "show all" link pages through the rest.
PREVIEW = 10
PER_PAGE = 50

# An answer sets one of the response statuses (ideas.actions.response_add), so a public
# initiative still open for support has had no answer.
NOT_ANSWERED = Q(status=Initiative.Status.PUBLISHED)


def _overdue(today: date) -> Q:
    return NOT_ANSWERED & Q(answer_due__lt=today)


# Each list's name, and its name in the address (?lista=) when it is shown whole.
SLUGS = {
    "unassigned": "utan-forvaltning",
    "assigned": "att-besvara",
    "ready": "redo-for-namnd",
    "soon": "svar-inom-en-vecka",
    "overdue": "forsenade",
}


def _conditions(today: date) -> dict[str, tuple[Q, tuple]]:
    """Which initiatives each list holds, and in which order."""
    soon = Q(answer_due__gte=today, answer_due__lte=today + timedelta(days=SOON_DAYS))
    return {
        "unassigned": (
            Q(forvaltning__isnull=True) & (NOT_ANSWERED | Q(ready_at__isnull=False)),
            (F("ready_at").asc(nulls_last=True), "published_at", "pk"),
        ),
        "assigned": (
            Q(forvaltning__isnull=False) & NOT_ANSWERED,
            (F("answer_due").asc(nulls_last=True), "pk"),
        ),
        "ready": (Q(ready_at__isnull=False) & NOT_ANSWERED, ("ready_at", "pk")),
        "soon": (NOT_ANSWERED & soon, ("answer_due", "pk")),
        "overdue": (_overdue(today), ("answer_due", "pk")),
    }


def _titles() -> dict[str, str]:
    """In the language active when the desk is rendered (a page's, or a socket's)."""
    return {
        "unassigned": _("No administration responsible"),
        "assigned": _("To answer"),
        "ready": _("Ready for the committee"),
        "soon": _("Answer due within 7 days"),
        "overdue": _("Overdue answers"),
    }


def in_reach(user: User) -> InitiativeQuerySet:
    """The public initiatives this staff member handles."""
    initiatives = Initiative.objects.public()
    if is_moderator(user):
        return initiatives
    return initiatives.filter(Q(forvaltning_id=user.forvaltning_id) | Q(forvaltning__isnull=True))


def overdue(user: User) -> InitiativeQuerySet:
    """Answers that are late, the latest first: the desk's list and the overdue page's."""
    return (
        in_reach(user)
        .filter(_overdue(timezone.localdate()))
        .select_related("forvaltning")
        .order_by("answer_due", "pk")
    )


@dataclass(frozen=True)
class DeskFilters:
    """The desk's filters and the one list shown whole, from a page's or a socket's address.
    What is not a plain slug or number is ignored: it filters nothing."""

    forvaltning: str = ""
    fokusomrade: str = ""
    stadsdel: str = ""
    lista: str = ""
    sida: int = 1

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "DeskFilters":
        def value(name: str) -> str:
            return text(params.get(name), 120)

        return cls(
            forvaltning=value("forvaltning"),
            fokusomrade=value("fokusomrade"),
            stadsdel=value("stadsdel"),
            lista=value("lista") if value("lista") in SLUGS.values() else "",
            sida=number(params.get("sida")) or 1,
        )

    def apply(self, initiatives: InitiativeQuerySet) -> InitiativeQuerySet:
        if self.forvaltning:
            initiatives = initiatives.filter(forvaltning__slug=self.forvaltning)
        if self.fokusomrade:
            initiatives = initiatives.filter(fokusomrade__slug=self.fokusomrade)
        if self.stadsdel:
            initiatives = initiatives.filter(stadsdel__slug=self.stadsdel)
        return initiatives

    def query_string(self, **changes) -> str:
        """The address's query for these filters with `changes`, empty values left out."""
        fields = replace(self, **changes).__dict__
        return urlencode({name: value for name, value in fields.items() if value not in ("", 1)})


def desk_context(user: User, filters: DeskFilters) -> dict:
    """The desk's lists for this person: each with its count, its first rows (or, for the list
    shown whole, a page of them) and, when there are more, the query of its "show all" link.
    Two queries for the counts and the rows of all five lists' previews, one per list besides."""
    today = timezone.localdate()
    conditions = _conditions(today)
    scope = filters.apply(in_reach(user))
    counts = scope.aggregate(
        **{key: Count("pk", filter=condition) for key, (condition, _order) in conditions.items()}
    )
    titles = _titles()
    shown = []
    for key, (condition, order) in conditions.items():
        slug = SLUGS[key]
        if filters.lista and slug != filters.lista:
            continue
        rows = (
            scope.filter(condition)
            .select_related("forvaltning", "fokusomrade", "stadsdel")
            .order_by(*order)
        )
        page = None
        if filters.lista:
            page = Paginator(rows, PER_PAGE).get_page(filters.sida)
            rows = list(page.object_list)
        else:
            rows = list(rows[:PREVIEW])
        for initiative in rows:
            left = (initiative.answer_due - today).days if initiative.answer_due else None
            initiative.days_left, initiative.days_late = left, -left if left and left < 0 else 0
        shown.append(
            {
                "slug": slug,
                "title": titles[key],
                "count": counts[key],
                "rows": rows,
                "page": page,
                "more": filters.query_string(lista=slug, sida=1)
                if page is None and counts[key] > len(rows)
                else "",
                "previous": filters.query_string(sida=page.previous_page_number())
                if page and page.has_previous()
                else "",
                "next": filters.query_string(sida=page.next_page_number())
                if page and page.has_next()
                else "",
            }
        )
    return {
        "lists": shown,
        "filters": filters,
        "all_lists": filters.query_string(lista="", sida=1),
    }


def desk_options(user: User) -> dict:
    """The choices of the desk's filter form: administrations for moderators only (a case
    officer's desk shows one), the focus areas of the programme in force, the districts."""
    programme = Programme.objects.current_pk_subquery()
    return {
        "forvaltningar": Forvaltning.objects.all() if is_moderator(user) else [],
        "fokusomraden": Fokusomrade.objects.filter(viljeinriktning__programme__in=programme),
        "stadsdelar": Stadsdel.objects.all(),
    }


def desk_html(user: User, filters: DeskFilters, language: str) -> str:
    """The lists as they are now, for one person's open desk: the same partial a GET renders,
    with a polite announcement."""
    return transport.render("moderation/desk.html#live", desk_context(user, filters), language)
