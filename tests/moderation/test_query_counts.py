"""Moderation pages run the same few queries whether a little or a lot waits in them."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas.models import Initiative
from moderation.models import Flag
from moderation.queue import QUEUE_LIMIT
from tests.factories import (
    CommentFactory,
    ForvaltningFactory,
    InitiativeFactory,
    MembershipFactory,
    UserFactory,
)
from tests.moderation.conftest import block, submitted
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def _fill_queue(number: int) -> list[str]:
    """Initiatives in review (some on behalf of organisations), flagged initiatives and flagged
    comments, each by other people, with flags of every reason."""
    reasons = Flag.Reason.values
    ids = []
    for index in range(number):
        kind = index % 3
        if kind == 0:
            organisation = MembershipFactory().organisation if index % 2 else None
            ids.append(f"queue-initiative-{submitted(organisation=organisation).pk}")
            continue
        target = {"initiative": InitiativeFactory()} if kind == 1 else {"comment": CommentFactory()}
        item = target.get("initiative") or target.get("comment")
        ids.append(f"queue-flagged-{'initiative' if kind == 1 else 'comment'}-{item.pk}")
        for flag in range(1 + index % 2):
            Flag.objects.create(
                reporter=UserFactory(),
                reason=reasons[(index + flag) % len(reasons)],
                text="Mer om det." if flag else "",
                **target,
            )
    return ids


def _count(client, url: str) -> tuple[int, str]:
    client.get(url)  # what a process caches once (content types, say) is not the page's cost
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_queue_runs_as_many_queries_for_40_items_as_for_3(moderator_client):
    assert QUEUE_LIMIT >= 40
    items = _fill_queue(3)
    small, page = _count(moderator_client, "/moderering/")
    assert all(f'id="{item}"' in page for item in items)

    items += _fill_queue(37)
    large, page = _count(moderator_client, "/moderering/")

    assert all(f'id="{item}"' in page for item in items)
    assert large == small
    assert large <= 10


def test_the_blocks_and_overdue_pages_run_as_many_queries_for_40_rows_as_for_3(
    moderator_client,
):
    forvaltning = ForvaltningFactory()

    def grow(number: int) -> None:
        for _ in range(number):
            block(UserFactory())
            InitiativeFactory(forvaltning=forvaltning, answer_due=date(2020, 1, 1))

    pages = ["/moderering/avstangningar/", "/moderering/forsenade-svar/"]
    grow(3)
    small = {url: page_queries(moderator_client, url) for url in pages}

    grow(37)
    large = {url: page_queries(moderator_client, url) for url in pages}

    assert Initiative.objects.filter(answer_due__isnull=False).count() == 40
    assert large == small
    assert max(large.values()) <= 10, large
