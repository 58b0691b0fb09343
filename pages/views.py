from django.shortcuts import render
from django.views.decorators.http import require_GET

from pages.models import TrustPage


@require_GET
def trust_page(request, slug):
    """The page in the visitor's language; the text it ships with until staff save their own."""
    page = TrustPage.objects.filter(slug=slug).first() or TrustPage.default(slug)
    return render(request, "pages/page.html", {"page": page, "text": page.text()})
