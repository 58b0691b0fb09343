"""robots.txt and sitemap.xml: search engines find what anyone may read, and nothing else."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from ideas.models import Initiative
from programme.models import Fokusomrade, Viljeinriktning
from tests.factories import DraftFactory, InitiativeFactory, OrganisationFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

SITE_URL = "https://tillsammans.example.se"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


def _sitemap(client) -> dict[str, dict[str, str]]:
    """Each <loc> of the sitemap with its alternates, {hreflang: href}."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {
        url.findtext("sm:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href")
            for link in url.findall("xhtml:link", NS)
            if link.get("rel") == "alternate"
        }
        for url in root.findall("sm:url", NS)
    }


def _absolute(path: str) -> str:
    return SITE_URL + path


def test_the_sitemap_lists_public_initiatives_in_both_languages_and_nothing_else(client):
    public = InitiativeFactory(title="Bänkar vid vattnet")
    answered = InitiativeFactory(status=Initiative.Status.ANSWERED)
    not_public = [
        DraftFactory(title="Utkast om en skatepark"),
        DraftFactory(status=Initiative.Status.SUBMITTED, submitted_at=timezone.now()),
        DraftFactory(status=Initiative.Status.REJECTED),
        DraftFactory(status=Initiative.Status.WITHDRAWN),
        InitiativeFactory(hidden_at=timezone.now()),
    ]

    urls = _sitemap(client)

    for initiative in (public, answered):
        path = initiative.get_absolute_url()
        assert _absolute(path) in urls
        assert _absolute(f"/en{path}") in urls
        assert urls[_absolute(path)] == {
            "sv": _absolute(path),
            "en": _absolute(f"/en{path}"),
            "x-default": _absolute(path),
        }
    listed = " ".join(urls)
    for initiative in not_public:
        assert f"/initiativ/{initiative.pk}-" not in listed
    assert "skatepark" not in listed


def test_the_sitemap_lists_the_programme_organisations_and_trust_pages(client, programme):
    organisation = OrganisationFactory()

    urls = _sitemap(client)

    paths = [
        "/",
        "/initiativ/",
        "/programmet/",
        "/organisationer/",
        organisation.get_absolute_url(),
        "/om/",
        "/personuppgifter/",
        "/tillganglighet/",
        "/kontakt/",
    ]
    paths += [item.get_absolute_url() for item in Viljeinriktning.objects.all()]
    paths += [item.get_absolute_url() for item in Fokusomrade.objects.all()]
    assert len(paths) > 20
    for path in paths:
        assert _absolute(path) in urls, path
        assert _absolute("/en" + path) in urls, path
    assert len(urls) == 2 * len(paths)


def test_the_sitemap_lists_no_personal_or_staff_pages(client, programme):
    InitiativeFactory()

    listed = " ".join(_sitemap(client))

    for area in ("/konto/", "/mina-sidor/", "/notiser/", "/moderering/", "/admin/"):
        assert area not in listed


def test_robots_txt_allows_everything_but_personal_and_staff_areas_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    lines = response.content.decode().splitlines()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    for area in ("/konto/", "/mina-sidor/", "/moderering/", "/admin/", "/notiser/"):
        assert f"Disallow: {area}" in lines
        assert f"Disallow: /en{area}" in lines
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in lines
    assert "Disallow: /initiativ/" not in lines
    assert "Disallow: /" not in lines


def test_robots_txt_refuses_a_post(client):
    assert client.post("/robots.txt").status_code == 405


def test_the_sitemap_costs_the_same_queries_however_much_it_lists(client, programme):
    InitiativeFactory()
    OrganisationFactory()
    small = page_queries(client, "/sitemap.xml")
    InitiativeFactory.create_batch(15)
    OrganisationFactory.create_batch(10)

    assert page_queries(client, "/sitemap.xml") == small
