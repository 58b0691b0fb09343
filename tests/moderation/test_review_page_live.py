"""The author's page in review follows the moderator's decision: the decision reaches the
author's own socket, and the page's listener then fetches the page, which is the published page,
or says what was decided and why."""

import pytest
from django.test import Client
from django.utils.html import escape

from ideas.models import Initiative
from moderation import actions
from moderation.models import AdmissibilityRule
from notifications.live import user_group
from tests.factories import ModeratorFactory
from tests.moderation.conftest import submitted

pytestmark = pytest.mark.django_db

LISTENER = 'hx-trigger="personal:changed from:body"'


@pytest.fixture
def in_review():
    return submitted(title="Parklek i Slottshagen")


@pytest.fixture
def author_client(in_review):
    client = Client()
    client.force_login(in_review.author)
    return client


def _fetched(client, initiative) -> str:
    """What the listener's request gets: the page, asked by htmx for the article."""
    initiative.refresh_from_db()
    response = client.get(initiative.get_absolute_url(), headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


def _notice(page: str) -> str:
    start = page.index('id="review-notice"')
    return page[start : page.index("</div>", start)]


def test_the_authors_page_in_review_listens_on_the_personal_socket(author_client, in_review):
    page = author_client.get(in_review.get_absolute_url()).content.decode()

    assert LISTENER in page
    assert f'hx-get="{in_review.get_absolute_url()}"' in page
    assert 'hx-select="article.initiative"' in page
    moderator = Client()
    moderator.force_login(ModeratorFactory())
    assert LISTENER not in moderator.get(in_review.get_absolute_url()).content.decode()


def test_a_decision_reaches_the_authors_own_socket(capture_live, in_review, sockets_open):
    sockets_open(in_review.author)
    with capture_live() as sent:
        actions.initiative_approve(moderator=ModeratorFactory(), initiative=in_review)

    assert user_group(in_review.author_id) in {group for group, _message in sent}


def test_after_approval_the_page_fetched_is_the_published_page(author_client, in_review):
    actions.initiative_approve(moderator=ModeratorFactory(), initiative=in_review)

    page = _fetched(author_client, in_review)

    assert f'ws-connect="/ws/initiativ/{in_review.pk}/' in page
    assert f'id="initiativ-{in_review.pk}-stats"' in page
    assert 'id="review-notice"' not in page
    assert LISTENER not in page


def test_after_rejection_the_page_fetched_shows_the_decision_and_why(author_client, in_review):
    code, rule = AdmissibilityRule.choices()[1]
    actions.initiative_reject(
        moderator=ModeratorFactory(),
        initiative=in_review,
        reasons=[code],
        text="Det finns redan ett likadant initiativ.",
    )

    page = _fetched(author_client, in_review)

    notice = _notice(page)
    assert str(Initiative.Status.REJECTED.label) in notice
    assert "Det finns redan ett likadant initiativ." in notice
    assert f"<li>{escape(rule)}</li>" in notice
    other_rules = [text for other, text in AdmissibilityRule.choices() if other != code]
    assert not any(escape(text) in notice for text in other_rules)
    assert LISTENER not in page


def test_after_being_sent_back_the_page_fetched_is_the_draft_with_what_to_change(
    author_client, in_review
):
    actions.initiative_send_back(
        moderator=ModeratorFactory(), initiative=in_review, text="Lägg till var parken ligger."
    )

    page = _fetched(author_client, in_review)

    notice = _notice(page)
    assert "Lägg till var parken ligger." in notice
    assert f'action="/initiativ/{in_review.pk}/skicka-in/"' in page  # to submit it again
    assert LISTENER not in page
