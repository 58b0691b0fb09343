"""The programme's pages: directions, focus areas and priorities, with the initiatives under
them. They live with the initiatives because they count and list them; the programme app below
knows nothing of initiatives."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from ideas.models import Initiative
from ideas.views import list_socket_query
from programme.models import Fokusomrade, Prioritering, Programme, Viljeinriktning

LATEST_ON_FOCUS_AREA = 10


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


def home(request):
    programme = Programme.objects.current()
    viljeinriktningar = (
        programme.viljeinriktningar.annotate(fokusomrade_count=Count("fokusomraden"))
        if programme
        else []
    )
    context = {"programme": programme, "viljeinriktningar": viljeinriktningar}
    return render(request, "programme/home.html", context)


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


def fokusomrade_detail(request, viljeinriktning, fokusomrade):
    programme = _current_programme()
    fokusomrade = get_object_or_404(
        _with_counts(Fokusomrade.objects.select_related("viljeinriktning")).prefetch_related(
            "prioriteringar"
        ),
        viljeinriktning__programme=programme,
        viljeinriktning__slug=viljeinriktning,
        slug=fokusomrade,
    )
    initiatives = list(
        Initiative.objects.public()
        .for_cards()
        .filter(fokusomrade=fokusomrade)
        .order_by("-published_at", "-pk")[:LATEST_ON_FOCUS_AREA]
    )
    context = {
        "programme": programme,
        "viljeinriktning": fokusomrade.viljeinriktning,
        "fokusomrade": fokusomrade,
        "initiatives": initiatives,
        "live_query": list_socket_query(
            initiatives,
            filters={"fokusomrade": fokusomrade.slug},
            shows_new=True,
            fokusomraden=[fokusomrade],
        ),
    }
    return render(request, "programme/fokusomrade.html", context)
