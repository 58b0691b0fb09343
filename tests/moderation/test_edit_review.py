"""With settings.REVIEW_PUBLISHED_EDITS on, authors' edits of published initiatives wait in the
moderation queue until a moderator marks them reviewed (or hides the initiative)."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from ideas.models import Initiative, InitiativeVersion
from moderation.actions import initiative_edits_review
from moderation.live import GROUP
from moderation.models import ModerationDecision
from tests.factories import InitiativeFactory, ModeratorFactory, UserFactory, published_edit
from tests.moderation.conftest import messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(settings):
    settings.REVIEW_PUBLISHED_EDITS = True


def _edit(initiative: Initiative, body: str) -> Initiative:
    return published_edit(initiative, body=body)


def _edited(body: str = "Vi föreslår tolv nya bänkar.") -> Initiative:
    return _edit(InitiativeFactory(body="Vi föreslår tio nya bänkar."), body)


def _queue(client) -> str:
    response = client.get("/moderering/")
    assert response.status_code == 200
    return response.content.decode()


def _item(initiative: Initiative) -> str:
    return f'id="queue-edited-initiative-{initiative.pk}"'


def _mark_url(initiative: Initiative) -> str:
    return f"/moderering/andringar/{initiative.pk}/granskad/"


def test_the_queue_shows_an_edit_only_when_edits_are_reviewed(moderator_client, settings):
    initiative = _edited()

    settings.REVIEW_PUBLISHED_EDITS = False
    assert _item(initiative) not in _queue(moderator_client)

    settings.REVIEW_PUBLISHED_EDITS = True
    initiative = _edit(initiative, "Vi föreslår femton nya bänkar.")
    page = _queue(moderator_client)
    assert _item(initiative) in page
    # What changed since the last review, word by word.
    assert re.search(r"<del>.*tolv", page, re.S)
    assert re.search(r"<ins>.*femton", page, re.S)


def test_edits_made_while_nobody_reviewed_them_do_not_wait(moderator_client, settings):
    initiative = _edited()  # REVIEW_PUBLISHED_EDITS is off by default

    settings.REVIEW_PUBLISHED_EDITS = True

    assert _item(initiative) not in _queue(moderator_client)
    assert not InitiativeVersion.objects.awaiting_review().exists()


def test_marking_reviewed_takes_the_edit_out_of_the_queue_and_logs_it(moderator_client, reviewed):
    initiative = _edited()
    version = initiative.versions.get()

    response = moderator_client.post(_mark_url(initiative), {"upp_till": version.number})

    assert response.status_code == 302
    version.refresh_from_db()
    assert version.reviewed_at is not None
    decision = ModerationDecision.objects.get()
    assert decision.action == ModerationDecision.Action.REVIEW_EDIT
    assert (decision.moderator, decision.initiative, decision.subject_user) == (
        moderator_client.user,
        initiative,
        initiative.author,
    )
    assert decision.state_before == {"edits_awaiting_review": 1}
    assert _item(initiative) not in _queue(moderator_client)


def test_marking_twice_logs_once_and_says_so(moderator_client, reviewed):
    initiative = _edited()

    moderator_client.post(_mark_url(initiative), {"upp_till": 1})
    again = moderator_client.post(_mark_url(initiative), {"upp_till": 1})

    assert again.status_code == 302
    assert ModerationDecision.objects.count() == 1
    assert messages_of(again)[-1] == gettext("Those edits were already reviewed.")


def test_an_edit_made_after_the_moderator_read_the_queue_keeps_waiting(reviewed):
    initiative = _edited()
    read_up_to = initiative.versions.get().number
    initiative = _edit(initiative, "Vi föreslår tjugo nya bänkar.")

    marked = initiative_edits_review(
        moderator=ModeratorFactory(), initiative=initiative, up_to=read_up_to
    )

    assert marked == 1
    waiting = InitiativeVersion.objects.awaiting_review()
    assert [version.number for version in waiting] == [2]


def test_only_moderators_mark_edits_reviewed(reviewed):
    initiative = _edited()

    with pytest.raises(PermissionDenied):
        initiative_edits_review(moderator=UserFactory(), initiative=initiative, up_to=1)

    assert InitiativeVersion.objects.awaiting_review().count() == 1


def test_hiding_the_edited_initiative_with_the_existing_tools_takes_it_out_of_the_queue(
    moderator_client, reviewed
):
    initiative = _edited()

    moderator_client.post(
        "/moderering/beslut/",
        {"action": "hide", "initiativ": initiative.pk, "text": "Texten bryter mot reglerna."},
    )

    assert Initiative.objects.get(pk=initiative.pk).hidden_at is not None
    assert _item(initiative) not in _queue(moderator_client)


def test_the_mark_button_is_not_the_decision_forms_default_button(moderator_client, reviewed):
    """Enter in the decision form must not mark an edit reviewed: the buttons belong to a form
    of their own."""
    initiative = _edited()

    page = _queue(moderator_client)

    button = re.search(r"<button[^>]*" + re.escape(_mark_url(initiative)) + r"[^>]*>", page)
    assert button is not None
    assert 'form="edit-review-form"' in button.group(0)
    assert 'id="edit-review-form"' in page


def test_marking_reviewed_updates_every_moderators_queue(reviewed, capture_live):
    initiative = _edited()

    with capture_live() as sent:
        initiative_edits_review(
            moderator=ModeratorFactory(),
            initiative=initiative,
            up_to=initiative.versions.get().number,
        )

    groups = {group for group, _message in sent}
    assert groups == {GROUP.format(language="sv"), GROUP.format(language="en")}
    assert _item(initiative) not in dict(sent)[GROUP.format(language="sv")]["html"]


def _count(client) -> int:
    client.get("/moderering/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/moderering/").status_code == 200
    return len(queries)


def test_the_queue_runs_as_many_queries_for_15_edited_initiatives_as_for_1(
    moderator_client, reviewed
):
    _edited()
    one = _count(moderator_client)

    for index in range(14):
        edited = _edited(f"Vi föreslår {index + 12} nya bänkar.")
        _edit(edited, f"Vi föreslår {index + 40} nya bänkar.")
    fifteen = _count(moderator_client)

    assert InitiativeVersion.objects.awaiting_review().count() == 29
    assert fifteen == one
