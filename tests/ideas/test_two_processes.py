"""Two server processes sharing Redis: a support posted to one reaches a socket on the other,
also after the sockets have been quiet for longer than the channel layer blocks in Redis."""

import asyncio
from contextlib import AsyncExitStack

import pytest
import websockets
from channels_redis.core import RedisChannelLayer
from django.test import Client

from tests.factories import InitiativeFactory, UserFactory
from tests.live_servers import granian_servers, post_form, server_env

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server_log(tmp_path):
    return tmp_path / "servers.log"


@pytest.fixture
def two_servers(redis_channel_layer, server_log):
    with (
        server_log.open("w") as log,
        granian_servers(server_env(REDIS_URL=redis_channel_layer.url), log=log) as ports,
    ):
        yield ports


def _watch(port: int, initiative):
    return websockets.connect(
        f"ws://127.0.0.1:{port}/ws/initiativ/{initiative.pk}/?lang=sv",
        origin=f"http://127.0.0.1:{port}",
    )


async def _support(port: int, initiative) -> None:
    """A signed-in resident supports the initiative through the page's form on `port`."""
    client = Client()
    await asyncio.to_thread(client.force_login, await asyncio.to_thread(UserFactory))
    status = await asyncio.to_thread(
        post_form,
        port,
        initiative.get_absolute_url(),
        f"/initiativ/{initiative.pk}/stod/",
        {"stod": "1"},
        client.cookies["sessionid"].value,
    )
    assert status == 302


def test_a_support_posted_to_one_process_reaches_a_socket_on_the_other(two_servers):
    first, second = two_servers
    initiative = InitiativeFactory()

    async def watch_and_support() -> str:
        async with _watch(second, initiative) as socket_on_second:
            await _support(first, initiative)
            return await asyncio.wait_for(socket_on_second.recv(), timeout=10)

    message = asyncio.run(watch_and_support())

    assert f'id="initiativ-{initiative.pk}-stats"' in message
    assert "1 stöd" in message


def test_sockets_left_quiet_past_the_layers_blocking_read_still_receive(two_servers, server_log):
    """channels_redis waits for a process's messages with a blocking read of up to
    RedisChannelLayer.brpop_timeout seconds. A Redis socket timeout no longer than that read
    kills the receive loop of one consumer each time a process is quiet that long."""
    first, second = two_servers
    initiative = InitiativeFactory()
    per_process, quiet_seconds = 20, 3 * RedisChannelLayer.brpop_timeout + 1

    async def watch_quietly_then_support() -> list[str]:
        async with AsyncExitStack() as stack:
            sockets = [
                await stack.enter_async_context(_watch(port, initiative))
                for port in [first, second] * per_process
            ]
            await asyncio.sleep(quiet_seconds)
            await _support(first, initiative)

            async def received(socket) -> str:
                try:
                    return await asyncio.wait_for(socket.recv(), timeout=10)
                except (websockets.ConnectionClosed, TimeoutError) as error:
                    return f"nothing: {error!r}"

            return await asyncio.gather(*(received(socket) for socket in sockets))

    messages = asyncio.run(watch_quietly_then_support())

    missed = [message for message in messages if "1 stöd" not in message]
    assert missed == [], f"{len(missed)} of {len(messages)} sockets missed the update"
    log = server_log.read_text()
    assert "Traceback" not in log, log
    assert " ERROR " not in log, log
