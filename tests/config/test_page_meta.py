"""What a page's <head> tells search engines and link previews: the canonical address, the
page in every language, and Open Graph tags, never for something that is not public."""

from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from ideas.models import Initiative
from tests.factories import DraftFactory, InitiativeFactory, ModeratorFactory, UserFactory
from tests.sessions import sign_in

pytestmark = pytest.mark.django_db

SITE_URL = "https://tillsammans.example.se"


@pytest.fixture(autouse=True)
def _site_url(settings, tmp_path):
    settings.SITE_URL = SITE_URL
    settings.MEDIA_ROOT = tmp_path


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[dict] = []
        self.meta: list[dict] = []
        self._in_head = True

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self._in_head = False
        elif self._in_head and tag == "link":
            self.links.append(dict(attrs))
        elif self._in_head and tag == "meta":
            self.meta.append(dict(attrs))


class Head:
    """The <link> and <meta> elements of a page's <head>."""

    def __init__(self, response):
        assert response.status_code == 200
        parser = _Head()
        parser.feed(response.content.decode())
        self.links, self.meta = parser.links, parser.meta

    def canonical(self) -> list[str]:
        return [link["href"] for link in self.links if link.get("rel") == "canonical"]

    def alternates(self) -> dict[str, str]:
        pairs = [
            (link["hreflang"], link["href"])
            for link in self.links
            if link.get("rel") == "alternate" and "hreflang" in link
        ]
        assert len(pairs) == len(dict(pairs)), "an hreflang is listed twice"
        return dict(pairs)

    def og(self) -> dict[str, list[str]]:
        tags: dict[str, list[str]] = {}
        for meta in self.meta:
            name = meta.get("property") or meta.get("name") or ""
            if name.startswith(("og:", "twitter:")):
                tags.setdefault(name, []).append(meta.get("content", ""))
        return tags


def _get(client, path: str) -> Head:
    return Head(client.get(path))


@pytest.mark.parametrize(
    ("path", "canonical", "swedish"),
    [
        ("/", "/", "/"),
        ("/en/", "/en/", "/"),
        ("/om/", "/om/", "/om/"),
        ("/en/personuppgifter/", "/en/personuppgifter/", "/personuppgifter/"),
        ("/organisationer/?typ=forening&q=park", "/organisationer/", "/organisationer/"),
        ("/initiativ/?sida=2&sortera=nyast", "/initiativ/?sida=2", "/initiativ/?sida=2"),
        ("/en/initiativ/?sida=1", "/en/initiativ/", "/initiativ/"),
        ("/initiativ/?sida=" + "9" * 50, "/initiativ/", "/initiativ/"),
    ],
)
def test_every_page_has_an_absolute_canonical_and_every_language_with_x_default(
    client, programme, path, canonical, swedish
):
    head = _get(client, path)

    english = "/en" + swedish
    assert head.canonical() == [SITE_URL + canonical]
    assert head.alternates() == {
        "sv": SITE_URL + swedish,
        "en": SITE_URL + english,
        "x-default": SITE_URL + swedish,
    }


def test_an_initiatives_page_lists_both_languages_and_previews_its_own_content(client):
    initiative = InitiativeFactory(
        title="Bänkar vid vattnet",
        summary="Fler sittplatser längs Sundstorget.",
        image=SimpleUploadedFile("bank.png", b"not read by the page", content_type="image/png"),
        image_alt="En parkbänk vid vattnet",
    )
    path = initiative.get_absolute_url()

    head = _get(client, path)
    og = head.og()

    assert head.canonical() == [SITE_URL + path]
    assert head.alternates()["en"] == f"{SITE_URL}/en{path}"
    assert og["og:title"] == ["Bänkar vid vattnet"]
    assert og["og:description"] == ["Fler sittplatser längs Sundstorget."]
    assert og["og:type"] == ["article"]
    assert og["og:url"] == [SITE_URL + path]
    assert og["og:image"] == [SITE_URL + initiative.image.url]
    assert og["og:image"][0].startswith(f"{SITE_URL}/media/initiativ/")
    assert og["og:image:alt"] == ["En parkbänk vid vattnet"]
    assert og["og:site_name"] == ["Tillsammans Helsingborg"]
    assert og["og:locale"] == ["sv_SE"]
    assert og["og:locale:alternate"] == ["en_GB"]
    assert og["twitter:card"] == ["summary_large_image"]


def test_an_initiative_without_an_image_previews_the_sites_picture(client):
    path = InitiativeFactory().get_absolute_url()

    og = _get(client, "/en" + path).og()

    assert og["og:image"] == [f"{SITE_URL}/static/img/og-default.png"]
    assert og["og:image:width"] == ["1200"]
    assert og["og:image:height"] == ["630"]
    assert og["og:locale"] == ["en_GB"]


def test_the_sites_picture_is_a_png_of_the_size_open_graph_asks_for():
    path = finders.find("img/og-default.png")

    with Image.open(path) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))


def test_other_pages_preview_the_site(client, programme):
    og = _get(client, "/programmet/").og()

    assert og["og:title"] == ["Tillsammans Helsingborg"]
    assert og["og:type"] == ["website"]
    assert og["og:url"] == [f"{SITE_URL}/programmet/"]
    assert og["og:image"] == [f"{SITE_URL}/static/img/og-default.png"]


@pytest.mark.parametrize(
    "status",
    [
        Initiative.Status.DRAFT,
        Initiative.Status.SUBMITTED,
        Initiative.Status.REJECTED,
        Initiative.Status.WITHDRAWN,
        "hidden",
    ],
)
def test_an_initiative_that_is_not_public_gives_no_link_preview_to_its_author(client, status):
    author = UserFactory()
    fields = {"author": author, "title": "Hemligt om en skatepark", "summary": "Bara för mig."}
    if status == "hidden":
        initiative = InitiativeFactory(hidden_at=timezone.now(), **fields)
    else:
        initiative = DraftFactory(status=status, **fields)
    sign_in(client, author)

    response = client.get(initiative.get_absolute_url())
    head = Head(response)

    assert head.og() == {}
    assert not any("skatepark" in (meta.get("content") or "") for meta in head.meta)


def test_a_hidden_initiative_gives_no_link_preview_to_a_moderator_either(client):
    initiative = InitiativeFactory(title="Dold skatepark", hidden_at=timezone.now())
    sign_in(client, ModeratorFactory())

    head = _get(client, initiative.get_absolute_url())

    assert head.og() == {}


def test_the_page_title_ends_with_the_site_name_from_the_settings(client, settings, programme):
    settings.SITE_NAME = "Tillsammans Testby"

    html = client.get("/programmet/").content.decode()

    assert "– Tillsammans Testby</title>" in html
    assert "{#" not in html
    assert '<meta property="og:site_name" content="Tillsammans Testby">' in html
