"""The programme's pages: directions, focus areas and priorities, with the initiatives under
them. They live with the initiatives because they count and list them; the programme app below
knows nothing of initiatives."""

from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core import pagecache
from core.pagecache import same_for_every_reader
from ideas.actions import trending_since
from ideas.listing import ListQuery, current_choices
from ideas.models import Initiative, OfficialResponse, Support
from ideas.views import list_socket_query
from programme.models import Fokusomrade, Prioritering, Programme, Viljeinriktning

LATEST_ON_FOCUS_AREA = 10
# The home page: cards of each kind, and the city's latest answers.
HOME_CARDS = 4
HOME_ANSWERS = 5
# The home page's figures are counted at most this often, for everyone, and the page fetches
# them again this often (templates/programme/home.html); the page says when they were counted.
ACTIVITY_FRESH_SECONDS = 60
ACTIVITY_CACHE_KEY = "home-activity"


def _current_programme() -> Programme:
    programme = Programme.objects.current()
    if programme is None:
        raise Http404("No programme has been imported.")
    return programme


def _with_counts(fokusomraden):
    """Focus areas with their numbers of priorities and of public initiatives, each counted in
    its own subquery rather than over a join of the two."""
    initiatives = (
        Initiative.objects.public()
        .filter(fokusomrade=OuterRef("pk"))
        .order_by()
        .values("fokusomrade")
        .annotate(count=Count("pk"))
        .values("count")
    )
    prioriteringar = (
        Prioritering.objects.filter(fokusomrade=OuterRef("pk"))
        .order_by()
        .values("fokusomrade")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return fokusomraden.annotate(
        initiative_count=Coalesce(Subquery(initiatives, output_field=IntegerField()), 0),
        prioritering_count=Coalesce(Subquery(prioriteringar, output_field=IntegerField()), 0),
    )


@same_for_every_reader
def home(request):
    figures = _figures()
    if request.htmx and request.GET.get("del") == "siffror":
        return render(request, "programme/home.html#figures", figures)
    choices = current_choices()
    cards = Initiative.objects.public().for_cards(with_programme=False)
    trending = choices.show_on_cards(ListQuery(sort="trendar").apply(cards, choices)[:HOME_CARDS])
    # Not the trending ones again: a card is on the page once, so its live counts have one place.
    newest = ListQuery().apply(cards, choices).exclude(pk__in=[i.pk for i in trending])
    newest = choices.show_on_cards(newest[:HOME_CARDS])
    context = {
        **figures,
        "trending": trending,
        "newest": newest,
        "answers": _latest_answers(),
        "live_query": list_socket_query(trending + newest, shows_new=True),
    }
    return render(request, "programme/home.html", context)


def _latest_answers() -> list[OfficialResponse]:
    """The city's latest official responses, on initiatives anyone may read."""
    return list(
        OfficialResponse.objects.filter(initiative__in=Initiative.objects.public())
        .select_related("initiative", "forvaltning")
        .defer("initiative__body", "initiative__body_html", "initiative__search_vector")
        .order_by("-created_at", "-pk")[:HOME_ANSWERS]
    )


def _figures() -> dict:
    """The home page's figures, in total and for each direction of the programme in force."""
    programme = Programme.objects.current()
    activity = cache.get(ACTIVITY_CACHE_KEY)
    if activity is None:
        activity = _count_activity()
        cache.set(ACTIVITY_CACHE_KEY, activity, ACTIVITY_FRESH_SECONDS)
    viljeinriktningar = []
    if programme:
        viljeinriktningar = list(
            programme.viljeinriktningar.annotate(fokusomrade_count=Count("fokusomraden"))
        )
    for viljeinriktning in viljeinriktningar:
        viljeinriktning.activity = {
            name: counts.get(viljeinriktning.pk, 0) for name, counts in activity["counts"].items()
        }
    return {
        "programme": programme,
        "viljeinriktningar": viljeinriktningar,
        "totals": {name: sum(counts.values()) for name, counts in activity["counts"].items()},
        "counted_at": activity["at"],
    }


def _count_activity() -> dict:
    """Public initiatives, their supports of the last week and those the city answered this
    year, each counted by direction in one query. The totals are their sums, so initiatives of
    an earlier programme count in the totals too."""
    public = Initiative.objects.public()
    now = timezone.localtime()
    year_start = now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)

    def by_direction(rows, direction: str, count=None) -> dict[int, int]:
        return dict(rows.order_by().values_list(direction).annotate(count or Count("pk")))

    return {
        "at": now,
        "counts": {
            "initiatives": by_direction(public, "fokusomrade__viljeinriktning"),
            "supports": by_direction(
                Support.objects.filter(created_at__gte=trending_since(), initiative__in=public),
                "initiative__fokusomrade__viljeinriktning",
            ),
            "answered": by_direction(
                OfficialResponse.objects.filter(created_at__gte=year_start, initiative__in=public),
                "initiative__fokusomrade__viljeinriktning",
                Count("initiative", distinct=True),
            ),
        },
    }


@same_for_every_reader
def overview(request):
    programme = _current_programme()
    viljeinriktningar = list(
        programme.viljeinriktningar.prefetch_related(
            Prefetch("fokusomraden", queryset=_with_counts(Fokusomrade.objects.all()))
        )
    )
    fokusomraden = [item for vi in viljeinriktningar for item in vi.fokusomraden.all()]
    context = {
        "programme": programme,
        "viljeinriktningar": viljeinriktningar,
        "live_query": list_socket_query([], fokusomraden=fokusomraden),
    }
    return render(request, "programme/overview.html", context)


@same_for_every_reader
def viljeinriktning_detail(request, viljeinriktning):
    programme = _current_programme()
    viljeinriktning = get_object_or_404(
        Viljeinriktning.objects.prefetch_related(
            Prefetch("fokusomraden", queryset=_with_counts(Fokusomrade.objects.all())),
            "fokusomraden__prioriteringar",
        ),
        programme=programme,
        slug=viljeinriktning,
    )
    context = {
        "programme": programme,
        "viljeinriktning": viljeinriktning,
        "live_query": list_socket_query([], fokusomraden=viljeinriktning.fokusomraden.all()),
    }
    return render(request, "programme/viljeinriktning.html", context)


@dataclass(frozen=True)
class FocusArea:
    """A focus area of the programme in force, with what its page shows of the programme."""

    programme: Programme
    viljeinriktning: Viljeinriktning
    fokusomrade: Fokusomrade
    prioriteringar: list[Prioritering]


@pagecache.per_generation(maxsize=64)
def focus_area(today: date, viljeinriktning: str, fokusomrade: str) -> FocusArea | None:
    """The focus area at these slugs in the programme in force on this day (one comes into force
    on a date), or None. Called with the page generation first, it is read once per process for
    each generation, day and slugs."""
    found = (
        Fokusomrade.objects.select_related("viljeinriktning__programme")
        .prefetch_related("prioriteringar")
        .filter(
            viljeinriktning__programme__in=Programme.objects.current_pk_subquery(today),
            viljeinriktning__slug=viljeinriktning,
            slug=fokusomrade,
        )
        .first()
    )
    if found is None:
        return None
    return FocusArea(
        programme=found.viljeinriktning.programme,
        viljeinriktning=found.viljeinriktning,
        fokusomrade=found,
        prioriteringar=list(found.prioriteringar.all()),
    )


@same_for_every_reader
def fokusomrade_detail(request, viljeinriktning, fokusomrade):
    area = focus_area(pagecache.generation(), timezone.localdate(), viljeinriktning, fokusomrade)
    if area is None:
        raise Http404("No such focus area in the programme in force.")
    public = Initiative.objects.public().filter(fokusomrade=area.fokusomrade)
    initiatives = list(public.for_cards().order_by("-published_at", "-pk")[:LATEST_ON_FOCUS_AREA])
    context = {
        "programme": area.programme,
        "viljeinriktning": area.viljeinriktning,
        "fokusomrade": area.fokusomrade,
        "prioriteringar": area.prioriteringar,
        "initiative_count": public.count(),
        "initiatives": initiatives,
        "live_query": list_socket_query(
            initiatives,
            filters={"fokusomrade": area.fokusomrade.slug},
            shows_new=True,
            fokusomraden=[area.fokusomrade],
        ),
    }
    return render(request, "programme/fokusomrade.html", context)
