"""A focus area's page reads the programme (the focus area, its direction and its priorities)
once per process for each page generation and day (ideas.programme_views.focus_area): a change
to them shows on the next page, and between changes no page reads them. Its count of
initiatives and its cards are read every time."""

from datetime import date

import pytest
from django.utils import timezone

from core import pagecache
from ideas.models import Initiative
from ideas.programme_views import focus_area
from programme.models import Fokusomrade
from tests.core.pages import text
from tests.factories import InitiativeFactory, PrioriteringFactory
from tests.queries import page_reads

pytestmark = pytest.mark.django_db

PAGE = "/programmet/allas-delaktighet/vi-ser-till-barn-och-ungas-perspektiv/"
# Reading the programme: the focus area's own query and its priorities' (the cards' query joins
# the focus areas, but names no priority and selects from the initiatives).
PROGRAMME = ['FROM "programme_fokusomrade"', 'FROM "programme_prioritering"']


@pytest.fixture(autouse=True)
def pages_made(settings, programme):
    """Every page made by its view, against the real programme."""
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "seconds": 0}


@pytest.fixture
def area(programme) -> Fokusomrade:
    return Fokusomrade.objects.get(slug="vi-ser-till-barn-och-ungas-perspektiv")


def programme_read(client, address: str = PAGE) -> bool:
    return page_reads(client, address, PROGRAMME)


def test_between_changes_no_page_reads_the_programme(client):
    assert programme_read(client)  # the first, in this generation
    assert not programme_read(client)
    assert not programme_read(client, "/en" + PAGE)  # the same objects, in another language


def test_the_page_shows_what_the_programme_says(client, area):
    content = text(client.get(PAGE))

    assert area.title_sv in content
    assert area.viljeinriktning.title_sv in content
    for tag in ["barnmiljö", "lyckadebarn", "uppväxtvillkor", "barnetsröst"]:
        assert f"#{tag}" in content


def test_a_new_priority_shows_on_the_next_page(client, area):
    client.get(PAGE)

    PrioriteringFactory(fokusomrade=area, tag="nyttfokus")

    assert programme_read(client)
    assert "#nyttfokus" in text(client.get(PAGE))


def test_an_edited_title_shows_on_the_next_page(client, area):
    client.get(PAGE)

    area.title_sv = "Barn och unga först"
    area.save()

    assert "Barn och unga först" in text(client.get(PAGE))


def test_the_count_and_the_cards_are_read_every_time(client, area):
    """Written past the models' signals, as a bulk update is: no new generation, and yet the next
    page shows the new count and the new title."""
    first = InitiativeFactory(fokusomrade=area, title="Lekplats vid Slottshagen")
    second = InitiativeFactory(fokusomrade=area, title="Skolgård med skugga")
    assert "2 initiativ" in text(client.get(PAGE))
    generation = pagecache.generation()

    Initiative.objects.filter(pk=second.pk).update(hidden_at=timezone.now())
    Initiative.objects.filter(pk=first.pk).update(title="Lekplats vid Sofiero")
    content = text(client.get(PAGE))

    assert pagecache.generation() == generation
    assert "1 initiativ" in content
    assert "Lekplats vid Sofiero" in content
    assert second.title not in content


def test_an_unknown_focus_area_is_404_and_stays_so_only_until_it_exists(client, area):
    address = "/programmet/allas-delaktighet/ny-fokus/"
    assert client.get(address).status_code == 404

    Fokusomrade.objects.create(
        viljeinriktning=area.viljeinriktning, position=99, slug="ny-fokus", title_sv="Ny fokus"
    )

    assert client.get(address).status_code == 200


def test_without_a_generation_the_programme_is_read_every_time(client, monkeypatch):
    """The cache unreachable: nothing would say when the programme changes, so nothing is kept."""
    monkeypatch.setattr(pagecache, "generation", lambda: "")

    assert programme_read(client)
    assert programme_read(client)


def test_a_new_day_reads_the_programme_again(programme):
    """A programme comes into force on a date, with no change to any row that day."""
    today, tomorrow = date(2026, 11, 29), date(2026, 11, 30)
    slugs = ("allas-delaktighet", "vi-ser-till-barn-och-ungas-perspektiv")

    assert focus_area("g1", today, *slugs) is focus_area("g1", today, *slugs)
    assert focus_area("g1", tomorrow, *slugs) is not focus_area("g1", today, *slugs)
    assert focus_area("g2", today, *slugs) is not focus_area("g1", today, *slugs)
