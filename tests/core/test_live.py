"""An announcement runs once the write is stored; one that fails then (the database gone in that
very moment) is logged and never turns the stored write into an error page."""

import logging

import pytest
from django.db import OperationalError

from ideas import live
from ideas.models import Comment
from tests.factories import InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_comment_stays_stored_and_acknowledged_when_its_announcement_fails(
    client, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def database_gone(pk):
        raise OperationalError("the database went away")

    monkeypatch.setattr(live, "comment_added", database_gone)
    initiative = InitiativeFactory()
    client.force_login(UserFactory())

    with (
        caplog.at_level(logging.ERROR, logger="django.db.backends.base"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(f"/initiativ/{initiative.pk}/kommentarer/", {"body": "Ja!"})

    assert response.status_code == 302
    assert Comment.objects.filter(body="Ja!").exists()
    assert "the database went away" in caplog.text
