"""Initiative cards come from the cache (ideas.fragments.cards_html, through {% cards %}): a
list seen again renders no card, and a card shows every change to what it shows at once. The
list's count is kept a short while per filter (ideas.listing.COUNT_SECONDS)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas import fragments
from ideas.models import Initiative
from tests.factories import InitiativeFactory, OrganisationFactory, StadsdelFactory
from tests.renders import watch_renders

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages_made_each_time(settings):
    """The cards' own cache, with every page made: whole pages kept for visitors are
    core.pagecache's, which tests/core/test_pagecache.py tests."""
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "seconds": 0}


def _card(html: str, initiative: Initiative) -> str:
    """The initiative's card on the page."""
    match = re.search(
        rf'<li class="card initiative-card" id="initiativ-{initiative.pk}">.*?</li>', html, re.S
    )
    assert match, f"no card of {initiative.pk} on the page"
    return match.group(0)


def _list(client, language="sv") -> str:
    response = client.get("/initiativ/" if language == "sv" else f"/{language}/initiativ/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_list_seen_again_renders_no_card_and_shows_the_same(client, monkeypatch):
    shown = InitiativeFactory.create_batch(3)
    rendered = watch_renders(monkeypatch, fragments, lambda context: context["initiative"].pk)

    first = _list(client)
    first_rendered = sorted(rendered)
    rendered.clear()
    second = _list(client)

    assert first_rendered == sorted(initiative.pk for initiative in shown)
    assert rendered == []
    assert [_card(second, i) for i in shown] == [_card(first, i) for i in shown]


def _title(initiative):
    Initiative.objects.filter(pk=initiative.pk).update(title="Ny rubrik om Sundstorget")
    return "Ny rubrik om Sundstorget"


def _summary(initiative):
    Initiative.objects.filter(pk=initiative.pk).update(summary="En helt ny sammanfattning.")
    return "En helt ny sammanfattning."


def _status(initiative):
    Initiative.objects.filter(pk=initiative.pk).update(status=Initiative.Status.WILL_BE_DONE)
    return "Ska genomföras"


def _supports(initiative):
    Initiative.objects.filter(pk=initiative.pk).update(support_count=4321)
    return "4321 stöd"


def _comments(initiative):
    Initiative.objects.filter(pk=initiative.pk).update(comment_count=77)
    return "77 kommentarer"


def _seeking_partners(initiative):
    Initiative.objects.filter(pk=initiative.pk).update(seeking_partners=True)
    return "Söker samarbetspartner"


def _focus_area(initiative):
    initiative.fokusomrade.title_sv = "Ett omdöpt fokusområde"
    initiative.fokusomrade.save(update_fields=["title_sv"])
    return "Ett omdöpt fokusområde"


def _district(initiative):
    Initiative.objects.filter(pk=initiative.pk).update(stadsdel=StadsdelFactory(name="Maria"))
    return "Maria"


def _organisation(initiative):
    Initiative.objects.filter(pk=initiative.pk).update(
        organisation=OrganisationFactory(name="Sundets roddklubb")
    )
    return "Sundets roddklubb"


def _author_name(initiative):
    initiative.author.display_name = "Greta Nyman"
    initiative.author.save(update_fields=["display_name"])
    return "Greta Nyman"


@pytest.mark.parametrize(
    "change",
    [
        _title,
        _summary,
        _status,
        _supports,
        _comments,
        _seeking_partners,
        _focus_area,
        _district,
        _organisation,
        _author_name,
    ],
)
def test_a_card_shows_each_change_at_once(client, change):
    initiative = InitiativeFactory()
    _list(client)  # the card is in the cache now

    expected = change(initiative)

    assert expected in _card(_list(client), initiative)


def test_the_card_follows_the_language(client):
    initiative = InitiativeFactory()
    initiative.fokusomrade.title_en = "A focus area in English"
    initiative.fokusomrade.save(update_fields=["title_en"])

    swedish = _card(_list(client, "sv"), initiative)
    english = _card(_list(client, "en"), initiative)

    assert "A focus area in English" in english
    assert "A focus area in English" not in swedish
    assert "Öppet för stöd" in swedish
    assert "Open for support" in english


def test_the_list_is_counted_once_for_its_visitors_while_its_cards_stay_fresh(client):
    InitiativeFactory.create_batch(2)

    with CaptureQueriesContext(connection) as first:
        first_page = _list(client)
    newcomer = InitiativeFactory(title="Nyss publicerat förslag")
    with CaptureQueriesContext(connection) as second:
        second_page = _list(client)

    assert _counted(first) == 1
    assert _counted(second) == 0
    assert "2 initiativ" in first_page
    assert "Nyss publicerat förslag" in _card(second_page, newcomer)  # the cards are read afresh


def test_each_filter_has_its_own_count(client):
    shown = InitiativeFactory()
    InitiativeFactory.create_batch(2)
    _list(client)  # the whole list counted: 3

    response = client.get("/initiativ/", {"fokusomrade": shown.fokusomrade.slug})

    assert "1 initiativ<" in response.content.decode()


def _counted(queries) -> int:
    """The list's COUNT queries among the queries of a request."""
    return sum(
        "COUNT(" in query["sql"].upper() and "ideas_initiative" in query["sql"]
        for query in queries.captured_queries
    )
