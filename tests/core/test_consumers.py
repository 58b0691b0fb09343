"""A socket whose handshake meets a service that is down is refused as a page would be."""

import logging

import pytest
from asgiref.sync import SyncToAsync, async_to_sync, sync_to_async
from asgiref.testing import ApplicationCommunicator
from channels.layers import get_channel_layer
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError

from config.asgi import application
from ideas.actions import do_initiative_publish
from ideas.consumers import InitiativeListConsumer
from ideas.live import card_group, initiative_group, lists_group
from ideas.models import Initiative
from tests import sockets
from tests.factories import DraftFactory, InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _database_down(monkeypatch):
    def gone(self):
        raise OperationalError("the database system is starting up")

    monkeypatch.setattr(SessionStore, "load", gone)


async def _handshake(path: str, cookie: bytes, extensions: dict) -> list[dict]:
    """What the server answers to a signed-in handshake, with the server's extensions."""
    scope = {
        "type": "websocket",
        "path": path,
        "query_string": b"lang=sv",
        "headers": [sockets.HOST, sockets.ORIGIN, (b"cookie", cookie)],
        "subprotocols": [],
        "extensions": extensions,
    }
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "websocket.connect"})
    answer = [await communicator.receive_output(timeout=3)]
    if answer[0]["type"] == "websocket.http.response.start":
        answer.append(await communicator.receive_output(timeout=3))
    if answer[0]["type"] == "websocket.accept":
        await communicator.send_input({"type": "websocket.disconnect", "code": 1000})
    await communicator.wait(timeout=3)
    return answer


def test_a_handshake_while_the_database_is_down_is_a_503(monkeypatch, caplog):
    initiative = InitiativeFactory()
    cookie = sockets.session_cookie(UserFactory()).encode()
    _database_down(monkeypatch)

    with caplog.at_level(logging.WARNING, logger="core.consumers"):
        answer = async_to_sync(_handshake)(
            f"/ws/initiativ/{initiative.pk}/", cookie, {"websocket.http.response": {}}
        )

    start, body = answer
    assert start["type"] == "websocket.http.response.start"
    assert start["status"] == 503
    assert (b"retry-after", b"5") in start["headers"]
    assert body == {"type": "websocket.http.response.body", "body": b""}
    assert "a service it needs is down" in caplog.text
    assert "the database system is starting up" in caplog.text


def test_without_the_denial_extension_the_handshake_is_closed_with_try_again_later(monkeypatch):
    initiative = InitiativeFactory()
    cookie = sockets.session_cookie(UserFactory()).encode()
    _database_down(monkeypatch)

    answer = async_to_sync(_handshake)(f"/ws/initiativ/{initiative.pk}/", cookie, {})

    assert answer == [{"type": "websocket.close", "code": 1013}]


def test_a_redis_outage_at_the_handshake_is_a_503_too(redis_channel_layer):
    initiative = InitiativeFactory()
    cookie = sockets.session_cookie(UserFactory()).encode()
    redis_channel_layer.stop()

    answer = async_to_sync(_handshake)(
        f"/ws/initiativ/{initiative.pk}/", cookie, {"websocket.http.response": {}}
    )

    assert answer[0]["status"] == 503


def test_a_healthy_handshake_is_accepted_as_before():
    initiative = InitiativeFactory()
    cookie = sockets.session_cookie(UserFactory()).encode()

    answer = async_to_sync(_handshake)(
        f"/ws/initiativ/{initiative.pk}/", cookie, {"websocket.http.response": {}}
    )

    assert answer[0]["type"] == "websocket.accept"


def test_a_live_message_reaches_public_sockets_without_a_hop_into_the_database_thread(
    monkeypatch,
):
    """Channels' own dispatch closes stale database connections in the database thread before
    each handler: one hop per socket and message, queued one behind the other. LiveConsumer
    leaves it out, so a message to 20 public sockets makes no hop into a thread at all."""
    initiative = InitiativeFactory()
    group = initiative_group(initiative.pk, "sv")
    hops = []
    hop = SyncToAsync.__call__

    async def counted(self, *args, **kwargs):
        hops.append(self.func)
        return await hop(self, *args, **kwargs)

    async def deliver() -> list[str]:
        watchers = [
            await sockets.connected(f"/ws/initiativ/{initiative.pk}/?lang=sv") for _ in range(20)
        ]
        monkeypatch.setattr(SyncToAsync, "__call__", counted)
        await get_channel_layer().group_send(group, {"type": "live.html", "html": "<p>nytt</p>"})
        heard = [await watcher.receive_from(timeout=3) for watcher in watchers]
        monkeypatch.undo()
        for watcher in watchers:
            await watcher.disconnect()
        return heard

    heard = async_to_sync(deliver)()

    assert heard == ["<p>nytt</p>"] * 20
    assert hops == []


def test_a_socket_let_go_leaves_every_group_even_one_it_joined_while_open(monkeypatch):
    """The disconnect is handled in full after the layer's loop stops, so the group a list
    socket joined live (for a card it began to show) is left too."""
    draft = DraftFactory(status=Initiative.Status.SUBMITTED)
    left = []
    leave = InitiativeListConsumer.disconnect

    async def recorded(consumer, code):
        await leave(consumer, code)
        left.extend(consumer.groups_to_join)

    monkeypatch.setattr(InitiativeListConsumer, "disconnect", recorded)

    async def watch_then_go() -> None:
        watcher = await sockets.connected(f"/ws/initiativ/?lang=sv&nya=1&visar={draft.pk + 1}")
        await sync_to_async(do_initiative_publish)(initiative=draft, actor=None)
        await watcher.receive_from(timeout=3)
        await watcher.disconnect()

    async_to_sync(watch_then_go)()

    assert sorted(left) == sorted([
        card_group(draft.pk + 1, "sv"), lists_group("sv"), card_group(draft.pk, "sv")
    ])  # fmt: skip


def test_an_open_socket_whose_layer_fails_is_told_to_come_back_later(redis_channel_layer, caplog):
    """Redis stopping under an open socket closes it with 1013, which browsers reconnect after,
    not with the bare close (1005) of a consumer that raised."""
    initiative = InitiativeFactory()

    async def watch_while_redis_stops() -> dict:
        watcher = await sockets.connected(f"/ws/initiativ/{initiative.pk}/?lang=sv")
        redis_channel_layer.stop()
        closed = await watcher.receive_output(timeout=10)
        await watcher.wait(timeout=3)
        return closed

    with caplog.at_level(logging.WARNING, logger="core.consumers"):
        closed = async_to_sync(watch_while_redis_stops)()

    assert closed == {"type": "websocket.close", "code": 1013}
    assert "Live socket lost its channel layer" in caplog.text
