"""The initiative list's filters and sorting, read from the URL so any view can be shared."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import pagecache
from core.fragments import cache_key
from core.pagination import RecentlyCountedPaginator
from core.params import text
from ideas.models import Initiative, InitiativeQuerySet
from programme.models import Fokusomrade, Prioritering, Programme, Stadsdel, Viljeinriktning

SORTS = {
    "nyast": _("Newest"),
    "mest-stod": _("Most supported"),
    "mest-diskuterade": _("Most discussed"),
    "trendar": _("Trending"),
}
AUTHOR_KINDS = {
    "resident": _("Residents"),
    "forening": _("Associations"),
    "foretag": _("Businesses"),
}
STATUS_FILTERS = {
    "oppna": (_("Open for support"), [Initiative.Status.PUBLISHED]),
    "besvarade": (
        _("Answered"),
        [
            Initiative.Status.ANSWERED,
            Initiative.Status.WILL_BE_DONE,
            Initiative.Status.IN_PROGRESS,
            Initiative.Status.DONE,
            Initiative.Status.NOT_POSSIBLE,
        ],
    ),
    "genomforda": (_("Done"), [Initiative.Status.DONE]),
}
# How old the count of a list's initiatives ("1,724 initiatives") may be. The cards are always
# read afresh; only the total and the number of pages can lag a publication by this much.
COUNT_SECONDS = 30


@dataclass
class ListQuery:
    q: str = ""
    viljeinriktning: str = ""
    fokusomrade: str = ""
    prioritering: str = ""
    stadsdel: str = ""
    status: str = ""
    typ: str = ""
    sort: str = "nyast"
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_request(cls, params: QueryDict) -> "ListQuery":
        def value(name: str) -> str:
            return text(params.get(name), 120)

        query = cls(
            q=value("q")[:200],
            viljeinriktning=value("viljeinriktning"),
            fokusomrade=value("fokusomrade"),
            prioritering=value("prioritering"),
            stadsdel=value("stadsdel"),
            status=value("status") if value("status") in STATUS_FILTERS else "",
            typ=value("typ") if value("typ") in AUTHOR_KINDS else "",
            sort=value("sort") if value("sort") in SORTS else "nyast",
        )
        return query

    @property
    def live_filters(self) -> dict:
        """The filters a live socket compares new initiatives against."""
        filters = {
            "viljeinriktning": self.viljeinriktning,
            "fokusomrade": self.fokusomrade,
            "prioritering": self.prioritering,
            "stadsdel": self.stadsdel,
            "typ": self.typ,
        }
        return {name: value for name, value in filters.items() if value}

    @property
    def shows_new_initiatives(self) -> bool:
        """Newly published initiatives belong at the top only of the newest-first list."""
        return self.sort == "nyast" and not self.q and self.status in ("", "oppna")

    def page(
        self,
        initiatives: InitiativeQuerySet,
        choices: "ProgrammeChoices",
        number: str | None,
        per_page: int,
    ) -> Page:
        """The page of the list asked for, filtered and sorted by this query, with its count
        from the last COUNT_SECONDS when another visitor asked for the same list."""
        paginator = RecentlyCountedPaginator(
            self.apply(initiatives, choices),
            per_page,
            count_key=self._count_key(),
            seconds=COUNT_SECONDS,
        )
        return paginator.get_page(number)

    def _count_key(self) -> str:
        """What decides how many initiatives the list holds: the filters, and whether it is the
        trending list, which holds only those supported in the last week."""
        filters = (
            self.q,
            self.viljeinriktning,
            self.fokusomrade,
            self.prioritering,
            self.stadsdel,
            self.status,
            self.typ,
            self.sort == "trendar",
        )
        return cache_key("initiative-count", *filters)

    def apply(
        self, initiatives: InitiativeQuerySet, choices: "ProgrammeChoices"
    ) -> InitiativeQuerySet:
        """The initiatives this query asks for, in its order. The programme's and the city's
        slugs are looked up in `choices`, so the query joins none of their tables (a slug no row
        has matches nothing)."""
        if self.viljeinriktning:
            pks = choices.fokusomrade_pks(viljeinriktning=self.viljeinriktning)
            initiatives = initiatives.filter(fokusomrade__in=pks)
        if self.fokusomrade:
            initiatives = initiatives.filter(
                fokusomrade__in=choices.fokusomrade_pks(self.fokusomrade)
            )
        if self.prioritering:
            initiatives = initiatives.filter(prioriteringar__slug=self.prioritering)
        if self.stadsdel:
            initiatives = initiatives.filter(stadsdel__in=choices.stadsdel_pks(self.stadsdel))
        if self.status:
            initiatives = initiatives.filter(status__in=STATUS_FILTERS[self.status][1])
        if self.typ == "resident":
            initiatives = initiatives.filter(organisation__isnull=True)
        elif self.typ:
            initiatives = initiatives.filter(organisation__kind=self.typ)
        if self.q:
            initiatives = initiatives.search(self.q)
        return self._sorted(initiatives)

    def _sorted(self, initiatives: InitiativeQuerySet) -> InitiativeQuerySet:
        if self.sort == "trendar":
            # Only initiatives supported in the last week, most such supports first; the count
            # is a column (Initiative.recent_support_count), so this reads an index like the
            # other orders instead of the week's supports.
            return initiatives.filter(recent_support_count__gt=0).order_by(
                "-recent_support_count", "-support_count", "-pk"
            )
        if self.sort == "mest-stod":
            return initiatives.order_by("-support_count", "-published_at", "-pk")
        if self.sort == "mest-diskuterade":
            return initiatives.order_by("-comment_count", "-published_at", "-pk")
        return initiatives.order_by("-published_at", "-pk")

    def is_filtered(self) -> bool:
        return bool(self.live_filters or self.q or self.status)


def filter_options(query: ListQuery, choices: "ProgrammeChoices") -> dict:
    """The choices of the list's filter form, for the programme in force."""
    return {
        "sorts": SORTS,
        "author_kinds": AUTHOR_KINDS,
        "status_filters": {key: label for key, (label, _statuses) in STATUS_FILTERS.items()},
        "viljeinriktningar": choices.viljeinriktningar,
        "fokusomraden": choices.fokusomraden,
        "prioriteringar": choices.prioriteringar.get(query.fokusomrade, []),
        "stadsdelar": choices.stadsdelar,
    }


@dataclass(frozen=True)
class ProgrammeChoices:
    """The filter form's choices (the programme in force, and the districts), and every focus
    area of any programme by its key: what the filters' slugs name, and what a card shows of its
    focus area and district without joining them (`show_on_cards`)."""

    viljeinriktningar: list[Viljeinriktning]
    fokusomraden: list[Fokusomrade]
    prioriteringar: dict[str, list[Prioritering]]  # by their focus area's slug
    stadsdelar: list[Stadsdel]
    every_fokusomrade: dict[int, Fokusomrade]  # with its direction, of every programme

    def fokusomrade_pks(self, slug: str = "", *, viljeinriktning: str = "") -> list[int]:
        """The keys of the focus areas with this slug, or in a direction with this slug, in any
        programme."""
        return [
            pk
            for pk, fokusomrade in self.every_fokusomrade.items()
            if (slug and fokusomrade.slug == slug)
            or (viljeinriktning and fokusomrade.viljeinriktning.slug == viljeinriktning)
        ]

    def stadsdel_pks(self, slug: str) -> list[int]:
        return [stadsdel.pk for stadsdel in self.stadsdelar if stadsdel.slug == slug]

    def show_on_cards(self, initiatives: Iterable[Initiative]) -> list[Initiative]:
        """The initiatives (read with `for_cards(with_programme=False)`), each given its focus
        area and district from here. One not here (made after these were read) is read when
        its card asks for it."""
        stadsdelar = {stadsdel.pk: stadsdel for stadsdel in self.stadsdelar}
        cards = list(initiatives)
        for initiative in cards:
            if initiative.fokusomrade_id in self.every_fokusomrade:
                initiative.fokusomrade = self.every_fokusomrade[initiative.fokusomrade_id]
            if initiative.stadsdel_id in stadsdelar:
                initiative.stadsdel = stadsdelar[initiative.stadsdel_id]
        return cards


def current_choices() -> ProgrammeChoices:
    """The choices for this request: the page generation is read first, so what is kept under
    it is never older than it (core.pagecache.per_generation)."""
    return programme_choices(pagecache.generation(), timezone.localdate())


@pagecache.per_generation(maxsize=2)
def programme_choices(today: date) -> ProgrammeChoices:
    """The programme in force on this day (one comes into force on a date) and the districts.
    Called with the page generation first, it is read once per process for each generation and
    day."""
    # The programme in force as a subquery, so the two lists below need no query of their own.
    programme = Programme.objects.current_pk_subquery(today)
    prioriteringar: dict[str, list[Prioritering]] = {}
    for item in Prioritering.objects.select_related("fokusomrade"):
        prioriteringar.setdefault(item.fokusomrade.slug, []).append(item)
    return ProgrammeChoices(
        viljeinriktningar=list(Viljeinriktning.objects.filter(programme__in=programme)),
        fokusomraden=list(Fokusomrade.objects.filter(viljeinriktning__programme__in=programme)),
        prioriteringar=prioriteringar,
        stadsdelar=list(Stadsdel.objects.all()),
        every_fokusomrade={
            fokusomrade.pk: fokusomrade
            for fokusomrade in Fokusomrade.objects.select_related("viljeinriktning")
        },
    )
