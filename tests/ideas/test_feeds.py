"""The Atom feeds: a real feed parser reads each back as valid Atom; only public initiatives
and what their pages show appear, never an email address or a supporter; pages link to their
feed; and a feed costs the same number of queries however many entries it has."""

import re
from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from ideas.models import Initiative, InitiativeEvent
from tests.factories import (
    CommentFactory,
    DraftFactory,
    FokusomradeFactory,
    InitiativeEventFactory,
    InitiativeFactory,
    OfficialResponseFactory,
    ProgrammeFactory,
    StadsdelFactory,
    SupportFactory,
    UserFactory,
    ViljeinriktningFactory,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


@pytest.fixture
def world():
    # The newest programme that has started is the one in force (the factories' start earlier).
    programme = ProgrammeFactory(valid_from=timezone.localdate() - timedelta(days=365))
    fokus = FokusomradeFactory(viljeinriktning=ViljeinriktningFactory(programme=programme))
    other_fokus = FokusomradeFactory(viljeinriktning=fokus.viljeinriktning)
    stadsdel, other_stadsdel = StadsdelFactory(), StadsdelFactory()
    author = UserFactory(display_name="Greta Gata", email="greta.private@example.org")
    public = InitiativeFactory(
        title="Bänkar & bord <vid> vattnet",
        author=author,
        fokusomrade=fokus,
        stadsdel=stadsdel,
        published_at=timezone.now() - timedelta(days=10),
    )
    InitiativeEventFactory(
        initiative=public,
        status=Initiative.Status.PUBLISHED,
        created_at=timezone.now() - timedelta(days=10),
    )
    InitiativeEventFactory(
        initiative=public,
        kind=InitiativeEvent.Kind.READY,
        created_at=timezone.now() - timedelta(days=3),
    )
    response = OfficialResponseFactory(
        initiative=public,
        body_html="<p>Vi bygger dem i maj.</p>",
        created_at=timezone.now() - timedelta(days=1),
    )
    InitiativeEventFactory(
        initiative=public,
        status=Initiative.Status.WILL_BE_DONE,
        note="Besked från förvaltningen",
        created_at=response.created_at,
    )
    elsewhere = InitiativeFactory(
        title="Lekplats i Dalhem", fokusomrade=other_fokus, stadsdel=other_stadsdel
    )
    supporter = UserFactory(display_name="Sture Stödjare", email="sture.secret@example.org")
    SupportFactory(initiative=public, user=supporter)
    CommentFactory(initiative=public, body="En kommentar", author=UserFactory())

    hidden = InitiativeFactory(
        title="Dolt initiativ", fokusomrade=fokus, stadsdel=stadsdel, hidden_at=timezone.now()
    )
    OfficialResponseFactory(initiative=hidden, body_html="<p>Svar på dolt initiativ</p>")
    draft = DraftFactory(title="Utkast initiativ", fokusomrade=fokus, stadsdel=stadsdel)
    rejected = DraftFactory(
        title="Avslaget initiativ",
        fokusomrade=fokus,
        stadsdel=stadsdel,
        status=Initiative.Status.REJECTED,
    )
    return {
        "fokus": fokus,
        "stadsdel": stadsdel,
        "public": public,
        "response": response,
        "elsewhere": elsewhere,
        "hidden": hidden,
        "draft": draft,
        "rejected": rejected,
        "supporter": supporter,
    }


def feed_urls(world) -> dict[str, str]:
    return {
        "initiatives": "/initiativ/atom/",
        "fokusomrade": f"/initiativ/atom/fokusomrade/{world['fokus'].slug}/",
        "stadsdel": f"/initiativ/atom/stadsdel/{world['stadsdel'].slug}/",
        "responses": "/svar/atom/",
        "timeline": f"/initiativ/{world['public'].pk}/atom/",
    }


def read_feed(client, url: str) -> tuple[feedparser.FeedParserDict, str]:
    """The feed as a feed reader sees it, checked to be well-formed, valid Atom 1.0."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    text = response.content.decode()
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, f"{url}: {parsed.get('bozo_exception')}"
    assert parsed.version == "atom10"
    assert parsed.feed.id
    assert parsed.feed.title
    assert parsed.feed.updated_parsed
    assert parsed.feed.link.startswith("http")
    ids = [entry.id for entry in parsed.entries]
    assert len(ids) == len(set(ids)), "every entry has its own id"
    for entry in parsed.entries:
        assert entry.id.startswith("tag:")
        assert entry.title
        assert entry.link.startswith("http")
    # Atom requires <updated> of the feed and of every entry (feedparser would fill it in).
    assert text.count("<updated>") == 1 + len(parsed.entries)
    return parsed, text


@pytest.mark.parametrize(
    "name", ["initiatives", "fokusomrade", "stadsdel", "responses", "timeline"]
)
def test_every_feed_reads_back_as_valid_atom_with_entries(client, world, name):
    parsed, _text = read_feed(client, feed_urls(world)[name])

    assert parsed.entries, name
    assert any(link.rel == "self" for link in parsed.feed.links)


def test_the_feed_of_new_initiatives_lists_public_ones_newest_first(client, world):
    parsed, _text = read_feed(client, "/initiativ/atom/")

    titles = [entry.title for entry in parsed.entries]
    assert titles == [world["elsewhere"].title, world["public"].title]
    # Text, not HTML: "&" and "<" come back as written, not escaped twice.
    assert parsed.entries[1].title == "Bänkar & bord <vid> vattnet"
    assert parsed.entries[1].link.endswith(world["public"].get_absolute_url())
    assert parsed.entries[1].author == "Greta Gata"


def test_the_focus_area_and_district_feeds_hold_only_their_initiatives(client, world):
    for url in feed_urls(world)["fokusomrade"], feed_urls(world)["stadsdel"]:
        parsed, _text = read_feed(client, url)
        assert [entry.title for entry in parsed.entries] == [world["public"].title], url


def test_a_feed_of_an_unknown_focus_area_or_district_is_not_found(client, world):
    assert client.get("/initiativ/atom/fokusomrade/finns-inte/").status_code == 404
    assert client.get("/initiativ/atom/stadsdel/finns-inte/").status_code == 404


def test_the_answers_feed_names_the_administration_and_carries_the_answer(client, world):
    parsed, _text = read_feed(client, "/svar/atom/")

    [entry] = parsed.entries
    response = world["response"]
    assert response.forvaltning.name_sv in entry.title
    assert world["public"].title in entry.title
    assert "Vi bygger dem i maj." in entry.summary
    assert entry.link.endswith(world["public"].get_absolute_url() + "#initiative-responses")


def test_the_timeline_feed_has_the_steps_and_the_answer_newest_first(client, world):
    parsed, _text = read_feed(client, feed_urls(world)["timeline"])

    ids = [entry.id for entry in parsed.entries]
    assert [entry_id.rsplit(":", 1)[1].split("/")[0] for entry_id in ids] == [
        "svar",
        "handelse",
        "handelse",
        "handelse",
    ]
    assert "Vi bygger dem i maj." in parsed.entries[0].summary
    assert "Besked från förvaltningen" in parsed.entries[1].summary
    assert parsed.entries[-1].title == "Öppet för stöd"  # the step "published", in Swedish


def test_a_feed_is_in_the_language_of_its_address(client, world):
    swedish, _text = read_feed(client, feed_urls(world)["timeline"])
    english, text = read_feed(client, "/en" + feed_urls(world)["timeline"])

    assert 'xml:lang="en"' in text
    assert swedish.entries[-1].title == "Öppet för stöd"
    assert english.entries[-1].title == "Open for support"
    assert "/en/initiativ/" in english.entries[-1].link


@pytest.mark.parametrize("which", ["hidden", "draft", "rejected"])
def test_no_feed_shows_an_initiative_that_is_not_public(client, world, which):
    initiative = world[which]
    for url in feed_urls(world).values():
        _parsed, text = read_feed(client, url)
        assert initiative.title not in text, url
    assert "Svar på dolt initiativ" not in read_feed(client, "/svar/atom/")[1]
    assert client.get(f"/initiativ/{initiative.pk}/atom/").status_code == 404


def test_no_feed_carries_an_email_address_or_a_supporter(client, world):
    for url in feed_urls(world).values():
        for prefix in ("", "/en"):
            _parsed, text = read_feed(client, prefix + url)
            assert not EMAIL.search(text), (prefix + url, EMAIL.search(text))
            assert world["supporter"].display_name not in text
            assert "greta.private" not in text


def test_pages_link_to_their_feed(client, world):
    alternate = 'rel="alternate" type="application/atom+xml"'
    fokus, stadsdel, public = world["fokus"], world["stadsdel"], world["public"]

    list_page = client.get("/initiativ/").content.decode()
    title = gettext("New initiatives")
    assert f'{alternate} title="{title}" href="/initiativ/atom/"' in list_page
    filtered = client.get(f"/initiativ/?stadsdel={stadsdel.slug}").content.decode()
    assert f'href="/initiativ/atom/stadsdel/{stadsdel.slug}/"' in filtered
    by_focus = client.get(f"/initiativ/?fokusomrade={fokus.slug}").content.decode()
    assert f'href="/initiativ/atom/fokusomrade/{fokus.slug}/"' in by_focus
    assert "/atom/stadsdel/" not in by_focus

    detail = client.get(public.get_absolute_url()).content.decode()
    title = gettext("Timeline: %(title)s") % {"title": escape(public.title)}
    assert f'{alternate} title="{title}"' in detail
    assert f'href="/initiativ/{public.pk}/atom/"' in detail

    focus_page = client.get(fokus.get_absolute_url()).content.decode()
    assert f'href="/initiativ/atom/fokusomrade/{fokus.slug}/"' in focus_page
    english = client.get("/en" + fokus.get_absolute_url()).content.decode()
    assert f'href="/en/initiativ/atom/fokusomrade/{fokus.slug}/"' in english


def test_a_draft_page_has_no_feed_link(client, world):
    draft = world["draft"]
    client.force_login(draft.author)

    page = client.get(draft.get_absolute_url()).content.decode()

    assert "application/atom+xml" not in page


def _more(world, number: int) -> None:
    for _index in range(number):
        initiative = InitiativeFactory(fokusomrade=world["fokus"], stadsdel=world["stadsdel"])
        InitiativeEventFactory(initiative=initiative)
        OfficialResponseFactory(initiative=initiative)
        InitiativeEventFactory(initiative=world["public"], note="Ett steg till")
        OfficialResponseFactory(initiative=world["public"])


def test_each_feed_runs_as_many_queries_for_40_entries_as_for_4(client, world):
    _more(world, 3)
    small = {url: page_queries(client, url) for url in feed_urls(world).values()}

    _more(world, 36)
    large = {url: page_queries(client, url) for url in feed_urls(world).values()}

    assert large == small
    assert max(large.values()) <= 4, large
