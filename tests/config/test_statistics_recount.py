"""The public numbers past their freshness: readers see the last ones, with the time they were
counted, while the task worker counts them again, once however many readers come and for every
language at once (config.statistics.recount)."""

import dataclasses
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from config import statistics
from tests.config.test_statistics import PUBLIC_URL, tables
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

WHOLE_CITY = {"sv": "Hela staden", "en": "The whole city"}


@pytest.fixture(autouse=True)
def pages_made(settings):
    """Every page made by its view: a page kept for visitors (core.pagecache) reads no numbers."""
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "seconds": 0}


def whole_city(client, language: str = "sv") -> int:
    response = client.get(PUBLIC_URL if language == "sv" else f"/{language}{PUBLIC_URL}")
    assert response.status_code == 200
    return int(tables(response)["stadsdelar"][WHOLE_CITY[language]][0])


KINDS = [("totals", None), ("months", statistics.Period.default())]


def kept_keys() -> list[str]:
    """The page's two tables in the cache, in both languages: the totals, and the months of its
    default period."""
    return [
        statistics._key(kind, period, language)
        for kind, period in KINDS
        for language in ("sv", "en")
    ]


def age_every_count(seconds: int) -> None:
    """Move every kept table's count `seconds` into the past."""
    for key in kept_keys():
        value = cache.get(key)
        if value is not None:
            earlier = value.computed_at - timedelta(seconds=seconds)
            cache.set(key, dataclasses.replace(value, computed_at=earlier))


def recounts(deferred_tasks) -> list:
    return [result for result in deferred_tasks.results if result.task.name == "recount"]


def test_fresh_numbers_are_shown_without_a_recount(client, programme, deferred_tasks):
    InitiativeFactory()
    assert whole_city(client) == 1  # never counted: counted for this reader

    InitiativeFactory()
    assert whole_city(client) == 1
    assert recounts(deferred_tasks) == []


def test_stale_numbers_are_shown_while_the_worker_counts_once(client, programme, deferred_tasks):
    InitiativeFactory()
    whole_city(client)
    InitiativeFactory()
    age_every_count(statistics.FRESHNESS + 1)

    # Three readers: each sees the last numbers, and each table is recounted once.
    assert whole_city(client) == 1
    assert whole_city(client) == 1
    assert whole_city(client) == 1
    enqueued = recounts(deferred_tasks)
    assert sorted(result.args[0] for result in enqueued) == ["months", "totals"]

    for result in enqueued:
        statistics.recount.call(*result.args)

    assert whole_city(client) == 2
    # Counted afresh: fresh again, and no recount pending.
    assert len(recounts(deferred_tasks)) == 2


def test_the_page_says_when_the_numbers_it_shows_were_counted(client, programme, deferred_tasks):
    whole_city(client)
    age_every_count(statistics.FRESHNESS + 60)

    response = client.get(PUBLIC_URL)

    counted = response.context["computed_at"]
    assert timezone.now() - counted > timedelta(seconds=statistics.FRESHNESS)
    assert f'datetime="{counted.isoformat()}"' in response.content.decode()


def test_a_recount_that_never_ended_lets_another_start_after_its_time(
    client, programme, deferred_tasks
):
    whole_city(client)
    age_every_count(statistics.FRESHNESS + 1)
    whole_city(client)
    assert len(recounts(deferred_tasks)) == 2  # and their worker died: the marks stay
    whole_city(client)
    assert len(recounts(deferred_tasks)) == 2

    for kind, period in KINDS:
        cache.delete(statistics._recounting_key(kind, period))  # what RECOUNT_SECONDS does
    whole_city(client)

    assert len(recounts(deferred_tasks)) == 4


def test_with_tasks_run_at_once_the_reader_sees_the_new_count(client, programme):
    """`make run` and the tests run a task inside the request that enqueues it."""
    InitiativeFactory()
    whole_city(client)
    InitiativeFactory()
    age_every_count(statistics.FRESHNESS + 1)

    assert whole_city(client) == 2


def test_one_recount_counts_once_for_both_languages(client, programme, deferred_tasks, monkeypatch):
    InitiativeFactory()
    whole_city(client)
    InitiativeFactory()
    age_every_count(statistics.FRESHNESS + 1)
    assert whole_city(client) == 1
    assert whole_city(client, "en") == 1  # the English tables were counted with the Swedish
    enqueued = recounts(deferred_tasks)
    assert len(enqueued) == 2  # one a table, for both languages

    counted_paths = []
    participants_by = statistics.participants_by

    def counting(path):
        counted_paths.append(path)
        return participants_by(path)

    monkeypatch.setattr(statistics, "participants_by", counting)
    for result in enqueued:
        statistics.recount.call(*result.args)

    # Each group of participants counted once, not once a language.
    assert sorted(counted_paths, key=str) == sorted(
        [None, "fokusomrade", "fokusomrade__viljeinriktning", "prioriteringar", "stadsdel"],
        key=str,
    )
    assert whole_city(client, "en") == 2
    assert whole_city(client) == 2
    assert len(recounts(deferred_tasks)) == 2
    swedish, english = (cache.get(statistics._key("totals", None, code)) for code in ("sv", "en"))
    assert swedish.computed_at == english.computed_at
