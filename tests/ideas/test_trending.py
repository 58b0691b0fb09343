from datetime import timedelta

import pytest
from django.utils import timezone

from ideas.models import Support
from tests.factories import FokusomradeFactory, InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _supports(initiative, number: int, days_ago: int) -> None:
    when = timezone.now() - timedelta(days=days_ago)
    for user in UserFactory.create_batch(number):
        Support.objects.create(initiative=initiative, user=user, created_at=when)


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

    everything = client.get("/initiativ/", {"sort": "trendar"}).context["page"]
    filtered = client.get(
        "/initiativ/", {"sort": "trendar", "fokusomrade": fokusomrade.slug}
    ).context["page"]

    assert list(everything.object_list) == [elsewhere, rising, long_popular]
    assert list(filtered.object_list) == [rising, long_popular]
    assert filtered.paginator.count == 2
