"""Two server processes sharing Redis: a support posted to one reaches a socket on the other."""

import asyncio
import os
import subprocess
import sys

import pytest
import websockets
from django.conf import settings
from django.test import Client

from tests.factories import InitiativeFactory, UserFactory
from tests.live_servers import database_url, free_port, post_form, wait_healthy

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_servers(redis_channel_layer):
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_channel_layer.url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "granian", "--interface", "asgi", "config.asgi:application"]
            + ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            cwd=settings.BASE_DIR,
            env=env,
        )
        for port in ports
    ]
    try:
        for port in ports:
            wait_healthy(port)
        yield ports
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


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
