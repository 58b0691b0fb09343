"""Two server processes sharing Redis: a support posted to one reaches a socket on the other."""

import asyncio

import pytest
import websockets
from django.test import Client

from tests.factories import InitiativeFactory, UserFactory
from tests.live_servers import granian_servers, post_form, server_env

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_servers(redis_channel_layer):
    with granian_servers(server_env(REDIS_URL=redis_channel_layer.url)) as ports:
        yield ports


def test_a_support_posted_to_one_process_reaches_a_socket_on_the_other(two_servers):
    first, second = two_servers
    initiative = InitiativeFactory()
    client = Client()
    client.force_login(UserFactory())
    session_key = client.cookies["sessionid"].value

    async def watch_and_support() -> str:
        async with websockets.connect(
            f"ws://127.0.0.1:{second}/ws/initiativ/{initiative.pk}/?lang=sv",
            origin=f"http://127.0.0.1:{second}",
        ) as socket_on_second:
            status = await asyncio.to_thread(
                post_form,
                first,
                initiative.get_absolute_url(),
                f"/initiativ/{initiative.pk}/stod/",
                {"stod": "1"},
                session_key,
            )
            assert status == 302
            return await asyncio.wait_for(socket_on_second.recv(), timeout=10)

    message = asyncio.run(watch_and_support())

    assert f'id="initiativ-{initiative.pk}-stats"' in message
    assert "1 stöd" in message
