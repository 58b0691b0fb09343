from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from programme.models import Fokusomrade, Programme, Viljeinriktning


def _current_programme() -> Programme:
    programme = Programme.objects.current()
    if programme is None:
        raise Http404("No programme has been imported.")
    return programme


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
    viljeinriktningar = programme.viljeinriktningar.prefetch_related(
        Prefetch(
            "fokusomraden",
            queryset=Fokusomrade.objects.annotate(prioritering_count=Count("prioriteringar")),
        )
    )
    context = {"programme": programme, "viljeinriktningar": viljeinriktningar}
    return render(request, "programme/overview.html", context)


def viljeinriktning_detail(request, viljeinriktning):
    programme = _current_programme()
    viljeinriktning = get_object_or_404(
        Viljeinriktning.objects.prefetch_related("fokusomraden__prioriteringar"),
        programme=programme,
        slug=viljeinriktning,
    )
    context = {"programme": programme, "viljeinriktning": viljeinriktning}
    return render(request, "programme/viljeinriktning.html", context)


def fokusomrade_detail(request, viljeinriktning, fokusomrade):
    programme = _current_programme()
    fokusomrade = get_object_or_404(
        Fokusomrade.objects.select_related("viljeinriktning").prefetch_related("prioriteringar"),
        viljeinriktning__programme=programme,
        viljeinriktning__slug=viljeinriktning,
        slug=fokusomrade,
    )
    context = {
        "programme": programme,
        "viljeinriktning": fokusomrade.viljeinriktning,
        "fokusomrade": fokusomrade,
    }
    return render(request, "programme/fokusomrade.html", context)
