"""The trust pages: about, personal data, accessibility and contact, in both languages, with
the text staff write in the admin."""

import re
from importlib import import_module

import pytest
from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from pages.models import TrustPage, default_fields

pytestmark = pytest.mark.django_db

PAGES = {
    "om": "/om/",
    "personuppgifter": "/personuppgifter/",
    "tillganglighet": "/tillganglighet/",
    "kontakt": "/kontakt/",
}


def _article(html: str) -> str:
    """The page's <article> element, opening tag and all."""
    return re.search(r"<article class=\"trust-page[^>]*>.*?</article>", html, re.S).group(0)


def _opening_tag(html: str) -> str:
    return _article(html).split(">", 1)[0]


@pytest.fixture
def staff_client(client):
    client.force_login(
        get_user_model().objects.create_superuser(
            email="admin@example.org", password="x", display_name="Admin"
        )
    )
    return client


@pytest.mark.parametrize(("slug", "path"), PAGES.items())
def test_each_page_is_at_its_swedish_address_and_named_in_the_footer(client, slug, path):
    TrustPage.objects.filter(slug=slug).delete()
    TrustPage.objects.create(slug=slug, title_sv="Rubrik på svenska", body_sv="Text på svenska.")

    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Rubrik på svenska</h1>" in html
    assert "<p>Text på svenska.</p>" in html
    assert TrustPage.objects.get(slug=slug).get_absolute_url() == path
    footer = html.split('<footer class="site-footer">', 1)[1]
    assert f'href="{path}"' in footer


def test_the_english_page_shows_the_english_text_without_a_language_of_its_own(client):
    TrustPage.objects.filter(slug="om").delete()
    TrustPage.objects.create(
        slug="om", title_sv="Om", body_sv="På svenska.", title_en="About", body_en="In English."
    )

    html = client.get("/en/om/").content.decode()

    assert '<html lang="en">' in html
    assert "<h1>About</h1>" in _article(html)
    assert "In English." in _article(html)
    assert "lang=" not in _opening_tag(html)
    assert "På svenska." not in html


def test_without_english_text_the_english_page_shows_swedish_marked_as_swedish(client):
    TrustPage.objects.filter(slug="kontakt").delete()
    TrustPage.objects.create(slug="kontakt", title_sv="Kontakta oss", body_sv="Ring oss.")

    html = client.get("/en/kontakt/").content.decode()

    assert 'lang="sv"' in _opening_tag(html)
    assert "<h1>Kontakta oss</h1>" in _article(html)
    assert "not yet available in English" in html


def test_the_swedish_page_never_shows_the_english_text(client):
    TrustPage.objects.filter(slug="om").delete()
    TrustPage.objects.create(
        slug="om", title_sv="Om", body_sv="På svenska.", title_en="About", body_en="In English."
    )

    html = client.get("/om/").content.decode()

    assert "På svenska." in html
    assert "In English." not in html
    assert "lang=" not in _opening_tag(html)


def test_the_text_is_markdown_rendered_without_anything_dangerous(client):
    TrustPage.objects.filter(slug="om").delete()
    TrustPage.objects.create(
        slug="om",
        title_sv="Om <b>tjänsten</b>",
        body_sv=(
            "# Rubrik\n\n<script>alert(1)</script>\n\n"
            "[Dina uppgifter](/konto/mina-uppgifter/) [elak](javascript:alert(1)) "
            "[annan värd](//example.org/) [IMY](https://www.imy.se/)"
        ),
    )

    article = _article(client.get("/om/").content.decode())

    assert "<h1>Om &lt;b&gt;tjänsten&lt;/b&gt;</h1>" in article
    assert "<h2>Rubrik</h2>" in article
    assert "<script>" not in article
    assert "&lt;script&gt;" in article
    assert 'href="/konto/mina-uppgifter/"' in article
    assert 'href="https://www.imy.se/"' in article
    assert 'href="javascript' not in article
    assert "example.org" not in article


def test_headings_keep_the_levels_staff_wrote_below_the_one_h1(client):
    TrustPage.objects.filter(slug="om").delete()
    TrustPage.objects.create(
        slug="om", title_sv="Om", body_sv="# Ett\n\n## Två\n\n#### Fyra\n\n## Två igen\n\n### Tre"
    )

    article = _article(client.get("/om/").content.decode())

    assert re.findall(r"<(h\d)>", article) == ["h1", "h2", "h2", "h3", "h2", "h3"]


def test_a_page_with_no_row_shows_the_text_it_ships_with(client):
    TrustPage.objects.all().delete()

    html = client.get("/personuppgifter/").content.decode()
    english = client.get("/en/personuppgifter/").content.decode()

    assert f"<h1>{default_fields('personuppgifter')['title_sv']}</h1>" in html
    assert f"<h1>{default_fields('personuppgifter')['title_en']}</h1>" in english
    assert "Last updated" not in english


def test_the_data_migration_writes_every_page_in_both_languages_and_keeps_edited_ones():
    migration = import_module("pages.migrations.0002_default_content")
    TrustPage.objects.all().delete()
    TrustPage.objects.create(slug="kontakt", title_sv="Redan ändrad", body_sv="Av personalen.")

    migration.add_pages(global_apps, None)

    pages = {page.slug: page for page in TrustPage.objects.all()}
    assert set(pages) == set(TrustPage.Slug.values)
    assert pages["kontakt"].title_sv == "Redan ändrad"
    for slug in ("om", "personuppgifter", "tillganglighet"):
        assert pages[slug].title_sv == default_fields(slug)["title_sv"]
        assert pages[slug].body_sv.strip()
        assert pages[slug].body_en.strip()


@pytest.mark.parametrize("slug", TrustPage.Slug.values)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_link_to_this_site_in_the_shipped_text_leads_to_a_page_in_its_language(
    slug, language
):
    body = default_fields(slug)[f"body_{language}"]
    paths = re.findall(r"\]\((/[^)]*)\)", body)

    assert paths or slug == "tillganglighet"
    for path in paths:
        assert path.startswith("/en/") == (language == "en"), path
        try:
            with translation.override(language):
                resolve(path)
        except Resolver404:
            pytest.fail(f"{slug}.{language}.md links to {path}, which is no page")


def test_the_personal_data_page_links_to_the_export_and_the_account_deletion():
    body_sv, body_en = (default_fields("personuppgifter")[f"body_{lang}"] for lang in ("sv", "en"))

    for body, language in ((body_sv, "sv"), (body_en, "en")):
        with translation.override(language):
            assert f"({reverse('accounts:my_data')})" in body
            assert f"({reverse('accounts:account_delete')})" in body


def test_the_accessibility_statement_names_the_enforcement_body_and_how_to_report():
    body = default_fields("tillganglighet")["body_sv"]

    for part in (
        "## Hur tillgänglig är webbplatsen?",
        "## Rapportera brister i webbplatsens tillgänglighet",
        "## Tillsynsmyndighet",
        "https://www.digg.se/tdosanmalan",
        "## Hur vi testat webbplatsen",
        "2018:1937",
    ):
        assert part in body


# The admin ------------------------------------------------------------------------------------


def test_an_administrator_edits_a_page_and_the_site_shows_it(staff_client, client):
    page = TrustPage.objects.get_or_create(slug="om", defaults=default_fields("om"))[0]

    response = staff_client.post(
        f"/admin/pages/trustpage/{page.pk}/change/",
        {
            "title_sv": "Om Tillsammans",
            "body_sv": "Ny text om **tjänsten**.",
            "title_en": "About Tillsammans",
            "body_en": "New text about the service.",
        },
    )

    assert response.status_code == 302
    assert "<strong>tjänsten</strong>" in client.get("/om/").content.decode()
    assert "New text about the service." in client.get("/en/om/").content.decode()


def test_an_english_title_without_english_text_is_refused(staff_client):
    page = TrustPage.objects.get_or_create(slug="om", defaults=default_fields("om"))[0]

    response = staff_client.post(
        f"/admin/pages/trustpage/{page.pk}/change/",
        {"title_sv": "Om", "body_sv": "Text.", "title_en": "About", "body_en": ""},
    )

    assert response.status_code == 200
    # The admin speaks the staff member's language: Swedish here.
    assert "Skriv både den engelska rubriken och den engelska texten" in response.content.decode()
    page.refresh_from_db()
    assert page.title_en == default_fields("om")["title_en"]


def test_the_admin_offers_no_deletion_and_no_second_copy_of_a_page(staff_client):
    for slug in TrustPage.Slug.values:
        TrustPage.objects.get_or_create(slug=slug, defaults=default_fields(slug))
    page = TrustPage.objects.get(slug="personuppgifter")

    assert staff_client.get(f"/admin/pages/trustpage/{page.pk}/delete/").status_code == 403
    assert staff_client.get("/admin/pages/trustpage/add/").status_code == 403
    assert staff_client.get("/admin/pages/trustpage/").status_code == 200


def test_the_admin_can_add_a_page_that_is_missing(staff_client):
    TrustPage.objects.filter(slug="kontakt").delete()

    response = staff_client.post(
        "/admin/pages/trustpage/add/",
        {
            "slug": "kontakt",
            "title_sv": "Kontakt",
            "body_sv": "Ring.",
            "title_en": "",
            "body_en": "",
        },
    )

    assert response.status_code == 302
    assert TrustPage.objects.get(slug="kontakt").title_sv == "Kontakt"
