import pytest

from ideas.models import Initiative
from moderation.models import Flag
from moderation.queue import queue_context
from tests.factories import CommentFactory, DraftFactory, InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_queue_holds_submissions_oldest_first_and_only_content_with_open_flags():
    newer = DraftFactory(status=Initiative.Status.SUBMITTED)
    older = DraftFactory(status=Initiative.Status.SUBMITTED)
    Initiative.objects.filter(pk=older.pk).update(submitted_at="2026-01-01T10:00:00Z")
    Initiative.objects.filter(pk=newer.pk).update(submitted_at="2026-02-01T10:00:00Z")
    unflagged = InitiativeFactory()
    flagged = InitiativeFactory()
    Flag.objects.create(reporter=UserFactory(), initiative=flagged, reason="spam")
    handled = InitiativeFactory()
    Flag.objects.create(
        reporter=UserFactory(), initiative=handled, reason="spam", resolved_at="2026-01-02T00:00Z"
    )
    comment = CommentFactory(initiative=unflagged)
    Flag.objects.create(reporter=UserFactory(), comment=comment, reason="offensive")

    queue = queue_context()

    assert [item.pk for item in queue["review"]] == [older.pk, newer.pk]
    assert [item.pk for item in queue["flagged_initiatives"]] == [flagged.pk]
    assert queue["flagged_initiatives"][0].open_flags == 1
    assert [item.pk for item in queue["flagged_comments"]] == [comment.pk]
