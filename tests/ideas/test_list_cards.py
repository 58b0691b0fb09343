"""The list's and the home page's cards are read without joining the programme's or the city's
tables: the filters' slugs are looked up in the choices kept for the page generation, and each
card is given its focus area and district from them
(ideas.listing.ProgrammeChoices.show_on_cards)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import pagecache
from ideas.listing import programme_choices
from tests.core.pages import LIST, text
from tests.factories import (
    FokusomradeFactory,
    InitiativeFactory,
    ProgrammeFactory,
    StadsdelFactory,
    ViljeinriktningFactory,
)
from tests.queries import page_queries, page_reads

pytestmark = pytest.mark.django_db

PROGRAMME_TABLES = [
    '"programme_fokusomrade"',
    '"programme_viljeinriktning"',
    '"programme_stadsdel"',
]
CARDS_QUERY = 'SELECT "ideas_initiative"."id"'


@pytest.fixture(autouse=True)
def pages_made(settings):
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "seconds": 0}


@pytest.fixture
def world():
    """Two focus areas of the programme in force, in two directions, and two districts."""
    programme = ProgrammeFactory(valid_from=timezone.localdate() - timedelta(days=30))
    green = FokusomradeFactory(
        viljeinriktning=ViljeinriktningFactory(programme=programme, slug="grona"),
        slug="parker",
        title_sv="Parker och grönska",
        title_en="Parks and greenery",
    )
    culture = FokusomradeFactory(
        viljeinriktning=ViljeinriktningFactory(programme=programme, slug="kultur"),
        slug="scener",
    )
    north, south = StadsdelFactory(slug="norr", name="Norr"), StadsdelFactory(slug="soder")
    return {
        "match": InitiativeFactory(title="Träd i Norr", fokusomrade=green, stadsdel=north),
        "other_district": InitiativeFactory(
            title="Träd i Söder", fokusomrade=green, stadsdel=south
        ),
        "other_area": InitiativeFactory(title="Scen i Norr", fokusomrade=culture, stadsdel=north),
    }


def shown(client, url: str) -> set[str]:
    page = text(client.get(url))
    titles = ("Träd i Norr", "Träd i Söder", "Scen i Norr", "Gammalt träd")
    return {title for title in titles if title in page}


FILTERED = f"{LIST}?viljeinriktning=grona&fokusomrade=parker&stadsdel=norr&sort=mest-stod"


def test_a_filtered_list_joins_no_table_of_the_programme_or_the_city(client, world):
    assert page_queries(client, FILTERED) == 1  # the cards; their count is kept (COUNT_SECONDS)
    assert not page_reads(client, FILTERED, PROGRAMME_TABLES)
    assert shown(client, FILTERED) == {"Träd i Norr"}


def test_each_card_shows_its_focus_area_and_district_in_the_readers_language(client, world):
    swedish = text(client.get(FILTERED))
    english = text(client.get(f"/en{FILTERED}"))

    assert "Parker och grönska" in swedish
    assert "Norr" in swedish
    assert "Parks and greenery" in english


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("fokusomrade=parker", {"Träd i Norr", "Träd i Söder"}),
        ("viljeinriktning=kultur", {"Scen i Norr"}),
        ("stadsdel=norr", {"Träd i Norr", "Scen i Norr"}),
        ("stadsdel=soder&fokusomrade=scener", set()),
        ("fokusomrade=finns-inte", set()),
        ("stadsdel=finns-inte", set()),
        ("viljeinriktning=finns-inte", set()),
    ],
)
def test_the_filters_slugs_match_as_before(client, world, query, titles):
    assert shown(client, f"{LIST}?{query}") == titles


def test_a_focus_area_of_an_earlier_programme_with_the_same_slug_still_matches(client, world):
    """A slug names a focus area in every programme, as the join on the slug did."""
    earlier = ProgrammeFactory(
        valid_from=timezone.localdate() - timedelta(days=3000),
        valid_to=timezone.localdate() - timedelta(days=31),
    )
    old_parks = FokusomradeFactory(
        viljeinriktning=ViljeinriktningFactory(programme=earlier, slug="grona"), slug="parker"
    )
    InitiativeFactory(title="Gammalt träd", fokusomrade=old_parks)

    assert "Gammalt träd" in shown(client, f"{LIST}?fokusomrade=parker")
    assert "Gammalt träd" in shown(client, f"{LIST}?viljeinriktning=grona")


def test_a_focus_area_made_after_the_choices_were_read_is_read_for_its_card(
    client, world, monkeypatch
):
    """Created between the request's generation and its cards (no new generation seen): the
    card reads its focus area itself."""
    monkeypatch.setattr(pagecache, "generation", lambda: "fixed")
    client.get(LIST)  # the choices, kept under "fixed"
    late = FokusomradeFactory(
        viljeinriktning=world["match"].fokusomrade.viljeinriktning, title_sv="Sent fokusområde"
    )
    InitiativeFactory(title="Sent förslag", fokusomrade=late)

    page = text(client.get(LIST))

    assert "Sent förslag" in page
    assert "Sent fokusområde" in page


def test_the_home_pages_cards_join_no_table_of_the_programme_or_the_city(client, world):
    """Its figures read the programme; the queries of its cards join none of these tables."""
    home = reverse("home")
    client.get(home)

    with CaptureQueriesContext(connection) as queries:
        page = text(client.get(home))

    cards = [query["sql"] for query in queries if query["sql"].startswith(CARDS_QUERY)]
    assert len(cards) == 2  # the trending and the newest
    assert not any(table in sql for sql in cards for table in PROGRAMME_TABLES), cards
    assert "Träd i Norr" in page
    assert "Parker och grönska" in page


def test_the_choices_hold_every_programmes_focus_areas_and_match_slugs_in_all(world):
    today = timezone.localdate()
    other = FokusomradeFactory(slug="parker")  # another programme's

    choices = programme_choices("g1", today)

    parks = world["match"].fokusomrade
    assert sorted(choices.fokusomrade_pks("parker")) == sorted([parks.pk, other.pk])
    assert choices.fokusomrade_pks(viljeinriktning="grona") == [parks.pk]
    assert choices.stadsdel_pks("norr") == [world["match"].stadsdel_id]
    assert choices.fokusomrade_pks("finns-inte") == []
