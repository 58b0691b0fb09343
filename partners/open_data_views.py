"""The open-data page: the newest dump's files to download, its licence, and the feeds."""

from django.shortcuts import render

from partners.open_data import LICENCE_URL, latest
from programme.models import Fokusomrade, Programme, Stadsdel


def open_data(request):
    current = Programme.objects.current_pk_subquery()
    context = {
        "dump": latest(),
        "licence_url": LICENCE_URL,
        "fokusomraden": Fokusomrade.objects.filter(viljeinriktning__programme__in=current),
        "stadsdelar": Stadsdel.objects.all(),
    }
    return render(request, "partners/open_data.html", context)
