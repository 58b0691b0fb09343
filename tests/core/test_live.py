"""The live transport (core.live). An announcement runs once the write is stored; one that fails
then (the database gone in that very moment) is logged and never turns the stored write into an
error page. A fan-out goes out in one call into the layer, and a failing layer is logged."""

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


def test_send_many_delivers_each_message_to_its_group_in_one_call(settings):
    """One call into the layer for a whole fan-out, each message to its own group."""
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    from core import live

    layer = get_channel_layer()
    channels = {}
    for group in ("user-1", "user-2"):
        channels[group] = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)(group, channels[group])

    live.send_many(
        [
            ("user-1", {"type": "live.html", "html": "ett"}),
            ("user-2", {"type": "live.html", "html": "två"}),
        ]
    )

    for group, html in (("user-1", "ett"), ("user-2", "två")):
        assert async_to_sync(layer.receive)(channels[group])["html"] == html


def test_send_many_survives_a_failing_layer(monkeypatch, caplog):
    from core import live

    class Down:
        async def group_send(self, group, message):
            raise ConnectionError("Redis is away")

    monkeypatch.setattr(live, "get_channel_layer", Down)
    live.send_many([("user-1", {"type": "live.html", "html": "x"})])

    assert "were not all sent" in caplog.text


def test_send_each_language_sends_each_language_its_own_fragment_in_one_call(monkeypatch):
    """One fragment per language, each to that language's group, through one send_many."""
    from core import live

    calls = []
    monkeypatch.setattr(live, "send_many", lambda messages: calls.append(list(messages)))

    live.send_each_language(
        lambda language: f"page-{language}", lambda language: f"<p>{language}</p>"
    )

    assert calls == [
        [
            (f"page-{language}", {"type": "live.html", "html": f"<p>{language}</p>"})
            for language in live.LANGUAGES
        ]
    ]
    assert len(live.LANGUAGES) > 1  # Otherwise the test would not tell the languages apart.
