"""If Redis goes away, pages and writes keep working; live updates pause and then resume."""

import logging

import pytest
from asgiref.sync import async_to_sync

from ideas.models import Comment, Initiative
from tests import sockets
from tests.factories import InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _support(client, initiative, user):
    client.force_login(user)
    return client.post(f"/initiativ/{initiative.pk}/stod/", {"stod": "1"})


async def _watch_one_message(initiative_pk: int, act) -> str:
    communicator = sockets.communicator(f"/ws/initiativ/{initiative_pk}/?lang=sv")
    connected, _code = await communicator.connect(timeout=3)
    assert connected
    await act()
    message = await communicator.receive_from(timeout=5)
    await communicator.disconnect()
    return message


def test_writes_survive_redis_stopping_and_live_updates_resume(client, redis_channel_layer, caplog):
    initiative = InitiativeFactory()
    assert _support(client, initiative, UserFactory()).status_code == 302

    redis_channel_layer.stop()
    with caplog.at_level(logging.WARNING, logger="core.live"):
        supported = _support(client, initiative, UserFactory())
        commented = client.post(f"/initiativ/{initiative.pk}/kommentarer/", {"body": "Ändå sparad"})
        page = client.get(initiative.get_absolute_url())

    assert supported.status_code == 302
    assert commented.status_code == 302
    assert page.status_code == 200
    initiative.refresh_from_db()
    assert initiative.support_count == 2
    assert Comment.objects.get().body == "Ändå sparad"
    assert "channel layer failed" in caplog.text

    redis_channel_layer.start()
    third = UserFactory()

    async def support_again():
        from asgiref.sync import sync_to_async

        await sync_to_async(_support)(client, initiative, third)

    message = async_to_sync(_watch_one_message)(initiative.pk, support_again)

    assert "3 stöd" in message
    assert Initiative.objects.get(pk=initiative.pk).support_count == 3


def test_a_socket_is_told_to_come_back_later_while_redis_is_down(redis_channel_layer):
    initiative = InitiativeFactory()
    redis_channel_layer.stop()

    async def connect():
        return await sockets.communicator(f"/ws/initiativ/{initiative.pk}/").connect(timeout=5)

    connected, code = async_to_sync(connect)()

    assert not connected
    assert code == 1013
