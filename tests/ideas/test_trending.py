"""Trending: initiatives ranked by their supports of the last week. The count is a column that
each support raises and lowers at once, and that do_recent_supports_refresh() recounts as supports
age past the week."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from ideas.actions import do_recent_supports_refresh, support_set
from ideas.models import Initiative, Support
from tests.factories import FokusomradeFactory, InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _supports(initiative, number: int, days_ago: float) -> list[Support]:
    when = timezone.now() - timedelta(days=days_ago)
    return [
        Support.objects.create(initiative=initiative, user=user, created_at=when)
        for user in UserFactory.create_batch(number)
    ]


def _recent(initiative) -> int:
    return Initiative.objects.get(pk=initiative.pk).recent_support_count


def _trending(client, **filters) -> list:
    return list(client.get("/initiativ/", {"sort": "trendar", **filters}).context["page"])


def test_trending_ranks_by_the_last_weeks_supports_and_leaves_out_the_rest(client):
    fokusomrade = FokusomradeFactory()
    long_popular = InitiativeFactory(fokusomrade=fokusomrade, support_count=50)
    _supports(long_popular, 5, days_ago=30)
    _supports(long_popular, 1, days_ago=1)
    rising = InitiativeFactory(fokusomrade=fokusomrade)
    _supports(rising, 3, days_ago=2)
    InitiativeFactory(fokusomrade=fokusomrade)  # no supports this week
    elsewhere = InitiativeFactory()
    _supports(elsewhere, 9, days_ago=1)
    hidden = InitiativeFactory(hidden_at=timezone.now())
    _supports(hidden, 20, days_ago=1)
    do_recent_supports_refresh()

    assert _trending(client) == [elsewhere, rising, long_popular]
    filtered = client.get("/initiativ/", {"sort": "trendar", "fokusomrade": fokusomrade.slug})
    assert list(filtered.context["page"]) == [rising, long_popular]
    assert filtered.context["page"].paginator.count == 2


def test_equal_weeks_are_ranked_by_all_supports_then_newest(client):
    older = InitiativeFactory(support_count=5)
    popular = InitiativeFactory(support_count=40)
    newer = InitiativeFactory(support_count=5)
    for initiative in (older, popular, newer):
        _supports(initiative, 2, days_ago=1)
    do_recent_supports_refresh()

    assert _trending(client) == [popular, newer, older]


def test_a_support_counts_for_trending_at_once():
    initiative = InitiativeFactory()

    support_set(user=UserFactory(), initiative=initiative, supported=True)

    assert _recent(initiative) == 1


def test_withdrawing_this_weeks_support_lowers_the_count():
    initiative = InitiativeFactory()
    user = UserFactory()
    support_set(user=user, initiative=initiative, supported=True)

    support_set(user=user, initiative=initiative, supported=False)

    assert _recent(initiative) == 0


def test_withdrawing_an_older_support_leaves_the_weeks_count():
    initiative = InitiativeFactory(support_count=3)
    (old,) = _supports(initiative, 1, days_ago=10)
    _supports(initiative, 2, days_ago=1)
    do_recent_supports_refresh()

    support_set(user=old.user, initiative=initiative, supported=False)

    assert _recent(initiative) == 2
    assert Initiative.objects.get(pk=initiative.pk).support_count == 2


def test_supports_older_than_a_week_stop_counting_when_recounted():
    initiative = InitiativeFactory()
    supports = _supports(initiative, 3, days_ago=1)
    do_recent_supports_refresh()
    assert _recent(initiative) == 3
    # Two of them age past the week.
    Support.objects.filter(pk__in=[s.pk for s in supports[:2]]).update(
        created_at=timezone.now() - timedelta(days=7, minutes=1)
    )

    assert do_recent_supports_refresh() == 1
    assert _recent(initiative) == 1
    assert do_recent_supports_refresh() == 0  # nothing left to change


def test_the_recount_corrects_a_count_that_drifted(client):
    drifted = InitiativeFactory(recent_support_count=7)
    right = InitiativeFactory()
    _supports(right, 2, days_ago=3)

    assert do_recent_supports_refresh() == 2

    assert _recent(drifted) == 0
    assert _recent(right) == 2
    assert _trending(client) == [right]


def test_the_command_recounts_and_says_how_many_changed(capsys):
    initiative = InitiativeFactory()
    _supports(initiative, 4, days_ago=2)

    call_command("refresh_trending")

    assert _recent(initiative) == 4
    assert "1 initiative(s) recounted" in capsys.readouterr().out
