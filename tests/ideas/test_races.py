"""Writes that race with themselves: a double submit, two tabs at once. Nothing fails, nothing is
written twice, and every count equals its rows."""

import uuid

import pytest

from ideas.actions import comment_add, support_set
from ideas.models import Comment, Initiative, Support
from tests.concurrency import at_once
from tests.factories import InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_comment_submitted_twice_at_once_is_written_once():
    initiative, person, token = InitiativeFactory(), UserFactory(), uuid.uuid4()

    def submit():
        return comment_add(user=person, initiative=initiative, body="Ja!", client_token=token)

    outcomes = at_once(submit, submit, submit)

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len({outcome.pk for outcome in outcomes}) == 1
    assert Comment.objects.count() == 1
    assert Initiative.objects.get().comment_count == 1


def test_supporting_and_withdrawing_at_once_keeps_the_count_equal_to_the_rows():
    initiative, person = InitiativeFactory(), UserFactory()
    support_set(user=person, initiative=initiative, supported=True)

    def give():
        return support_set(user=person, initiative=initiative, supported=True)

    def withdraw():
        return support_set(user=person, initiative=initiative, supported=False)

    outcomes = at_once(withdraw, give, withdraw, give, withdraw, give)

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    initiative.refresh_from_db()
    rows = Support.objects.filter(initiative=initiative).count()
    assert rows in {0, 1}
    assert initiative.support_count == rows
    assert initiative.recent_support_count == rows
