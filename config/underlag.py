"""Underlag till nämnd: the document the city's committee reads about an initiative that reached
its support threshold, as a page to print and as a PDF drawn on the server (WeasyPrint).

It gathers several apps' content (the initiative and its supports, its place in the programme,
the partners that joined), so it is composed here, above them. Who supported is never in it:
the supports are counted by day, and the partners are named by organisation only.

The desk's people read the document of every initiative their desk shows (moderation.desk
in_reach), and the author reads their own's; to everyone else it does not exist (404).
"""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from accounts.models import User
from ideas.author_panel import support_period, supports_by_day
from ideas.charts import buckets, line_chart
from ideas.models import Comment, Initiative, InitiativeQuerySet, Support
from moderation.desk import in_reach
from moderation.permissions import can_use_desk
from partners.models import PartnerOffer

# The PDF's stylesheets, static files read from disk (templates/underlag/pdf.html).
PDF_STYLESHEET = "css/underlag-pdf.css"
CHART_STYLESHEET = "css/underlag-chart.css"


def underlag_initiatives(user: User) -> InitiativeQuerySet:
    """The initiatives past their threshold whose document this person may read: those the
    desk shows them, and their own public ones."""
    own = Initiative.objects.public().filter(author_id=user.pk)
    readable = in_reach(user) | own if can_use_desk(user) else own
    return readable.filter(ready_at__isnull=False)


def underlag_context(initiative: Initiative) -> dict:
    """What the document shows. A fixed number of queries, however many supports, comments or
    partners: the supports come counted by day, the rest in one query each."""
    series, weekly = buckets(supports_by_day(initiative), *support_period(initiative))
    partners = list(
        PartnerOffer.objects.accepted()
        .filter(initiative=initiative)
        .order_by("decided_at", "pk")
        .values_list("organisation__name", flat=True)
    )
    return {
        "initiative": initiative,
        "prioriteringar": list(initiative.prioriteringar.all()),
        "series": series,
        "weekly": weekly,
        "chart": line_chart(series) if series[-1].total else None,
        "organisations": [name for name in partners if name],
        # Residents who joined in their own name are counted, not named.
        "resident_partners": partners.count(None),
        # Supports from people verified with e-legitimation now (accounts.identity).
        "verified_supports": Support.objects.filter(
            initiative=initiative, user__is_verified_resident=True
        ).count(),
        "comments": Comment.objects.filter(
            initiative=initiative, removed_at__isnull=True, hidden_at__isnull=True
        ).count(),
        "compiled_on": timezone.localdate(),
    }


def _readable(request, pk: int) -> Initiative:
    initiatives = underlag_initiatives(request.user).select_related(
        "author",
        "organisation",
        "fokusomrade__viljeinriktning__programme",
        "stadsdel",
        "forvaltning",
    )
    return get_object_or_404(initiatives, pk=pk)


@login_required
@require_GET
def page(request, pk):
    return render(request, "underlag/page.html", underlag_context(_readable(request, pk)))


@login_required
@require_GET
def pdf(request, pk):
    context = underlag_context(_readable(request, pk)) | {"site_name": settings.SITE_NAME}
    html = render_to_string("underlag/pdf.html", context)
    response = HttpResponse(pdf_bytes(html), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"underlag-{pk}.pdf")
    return response


def _static_path(name: str) -> str:
    """A static file on disk: from the source folder, or where collectstatic put it."""
    return finders.find(name) or staticfiles_storage.path(name)


def _with_chart_style(html: str) -> str:
    """The charts with their style inside them: WeasyPrint draws an SVG with its own <style>
    element's rules only, not the document's."""
    style = Path(_static_path(CHART_STYLESHEET)).read_text()
    return re.sub(r"(<svg\b[^>]*>)", lambda svg: f"{svg.group(1)}<style>{style}</style>", html)


def pdf_bytes(html: str) -> bytes:
    """The PDF of the document's HTML. Nothing is fetched while it is drawn, not from the
    network, not from the disk: the stylesheets are read here, and a link to an image in what a
    resident wrote is left out. WeasyPrint (and Pango under it) is loaded on the first PDF, so
    the rest of the site starts without it."""
    from PIL import ImageFile
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher, URLFetchingError

    # WeasyPrint's import lets Pillow pad out truncated images, process-wide; the documents
    # hold no raster image, and the site's uploads must refuse truncated ones (ideas/images.py).
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    class NoFetching(URLFetcher):
        def fetch(self, url, headers=None):
            raise URLFetchingError(f"Not fetched: {url}")

    stylesheet = CSS(filename=_static_path(PDF_STYLESHEET), url_fetcher=NoFetching())
    document = HTML(string=_with_chart_style(html), url_fetcher=NoFetching())
    return document.write_pdf(stylesheets=[stylesheet])
