"""The list's filter choices (the programme in force and the districts) are read once per
process for each page generation and day (ideas.listing.programme_choices): a change to them
shows on the next list, and between changes no list reads them."""

from datetime import date

import pytest

from core import pagecache
from ideas.listing import programme_choices
from tests.core.pages import LIST, text
from tests.factories import InitiativeFactory, StadsdelFactory
from tests.queries import page_reads

pytestmark = pytest.mark.django_db

# Reading the choices: the lists' own queries (the cards' query joins none of these tables:
# tests/ideas/test_list_cards.py).
CHOICES = ['FROM "programme_stadsdel"', 'FROM "programme_viljeinriktning"']


@pytest.fixture(autouse=True)
def lists_made(settings, programme):
    """Every list made by its view, against the real programme."""
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "seconds": 0}
    InitiativeFactory()


def choices_read(client) -> bool:
    return page_reads(client, LIST, CHOICES)


def test_between_changes_no_list_reads_the_choices(client):
    assert choices_read(client)  # the first, in this generation
    assert not choices_read(client)
    assert not choices_read(client)


def test_a_new_district_shows_on_the_next_list(client):
    client.get(LIST)

    StadsdelFactory(name="Nya Hamnen")

    assert choices_read(client)
    assert "Nya Hamnen" in text(client.get(LIST))


def test_without_a_generation_the_choices_are_read_every_time(client, monkeypatch):
    """The cache unreachable: nothing would say when the choices change, so nothing is kept."""
    monkeypatch.setattr(pagecache, "generation", lambda: "")

    assert choices_read(client)
    assert choices_read(client)


def test_a_new_day_reads_the_choices_again():
    """A programme comes into force on a date, with no change to any row that day."""
    today, tomorrow = date(2026, 11, 29), date(2026, 11, 30)

    assert programme_choices("g1", today) is programme_choices("g1", today)
    assert programme_choices("g1", tomorrow) is not programme_choices("g1", today)
    assert programme_choices("g2", today) is not programme_choices("g1", today)
