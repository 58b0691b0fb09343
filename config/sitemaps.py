"""The sitemap and robots.txt: what search engines may find, composed from several apps.

Only what anyone may read is listed: public initiatives (published or later, never hidden),
the current programme's pages, the organisation directory's organisations and the trust pages;
each in Swedish and English, with the other language and Swedish as x-default as alternates.
Addresses are built from SITE_URL, like the pages' canonical links, not from the Host header.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.models import Organisation
from ideas.models import Initiative
from pages.models import TrustPage, url_name
from programme.models import Fokusomrade, Programme, Viljeinriktning


class SiteSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class StaticSitemap(SiteSitemap):
    """The front page and the lists, by URL name."""

    def items(self) -> list[str]:
        return ["home", "ideas:list", "programme:overview", "accounts:organisations"]

    def location(self, item: str) -> str:
        return reverse(item)


class TrustPageSitemap(SiteSitemap):
    def items(self) -> list[str]:
        return TrustPage.Slug.values

    def location(self, item: str) -> str:
        return reverse(url_name(item))


class InitiativeSitemap(SiteSitemap):
    def items(self):
        return Initiative.objects.public().only("pk", "slug", "updated_at").order_by("pk")

    def lastmod(self, initiative: Initiative):
        return initiative.updated_at


class ViljeinriktningSitemap(SiteSitemap):
    def items(self):
        return Viljeinriktning.objects.filter(
            programme__in=Programme.objects.current_pk_subquery()
        ).only("pk", "slug")


class FokusomradeSitemap(SiteSitemap):
    def items(self):
        return (
            Fokusomrade.objects.filter(
                viljeinriktning__programme__in=Programme.objects.current_pk_subquery()
            )
            .select_related("viljeinriktning")
            .only("pk", "slug", "viljeinriktning__slug")
        )


class OrganisationSitemap(SiteSitemap):
    """Every organisation the public directory lists (approved ones, unfiltered)."""

    def items(self):
        return Organisation.objects.public().directory().only("pk", "slug")


SITEMAPS = {
    "pages": StaticSitemap,
    "trust": TrustPageSitemap,
    "programme": ViljeinriktningSitemap,
    "fokusomraden": FokusomradeSitemap,
    "initiatives": InitiativeSitemap,
    "organisations": OrganisationSitemap,
}

# Personal pages, staff screens and forms: nothing there for a search engine, and most of it
# answers a visitor with the sign-in page. Each in Swedish and, under /en/, in English.
DISALLOWED = [
    "/admin/",
    "/konto/",
    "/mina-sidor/",
    "/notiser/",
    "/moderering/",
    "/handlaggning/",
    "/initiativ/nytt/",
]


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Allow: /"]
    for path in DISALLOWED:
        lines += [f"Disallow: {path}", f"Disallow: /en{path}"]
    # The language switch's POST target, outside the language prefixes.
    lines += ["Disallow: /i18n/"]
    lines += ["", f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
