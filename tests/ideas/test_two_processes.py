"""Two server processes sharing Redis: a support posted to one reaches a socket on the other."""

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
import websockets
from django.conf import settings
from django.db import connection
from django.test import Client

from ideas.models import Initiative
from tests.factories import InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def two_servers(redis_channel_layer):
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_channel_layer.url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    ports = [_free_port(), _free_port()]
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
            _wait_healthy(port)
        yield ports
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


def _wait_healthy(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not become healthy")


def _post_support(port: int, initiative: Initiative, session_key: str) -> int:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("Cookie", f"sessionid={session_key}")]
    base = f"http://127.0.0.1:{port}"
    page = opener.open(f"{base}{initiative.get_absolute_url()}", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    csrf_cookie = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    request = urllib.request.Request(
        f"{base}/initiativ/{initiative.pk}/stod/",
        data=urllib.parse.urlencode({"csrfmiddlewaretoken": token, "stod": "1"}).encode(),
        headers={"Cookie": f"sessionid={session_key}; csrftoken={csrf_cookie}"},
    )
    no_redirects = urllib.request.build_opener(_NoRedirect)
    try:
        return no_redirects.open(request, timeout=10).status
    except urllib.error.HTTPError as answer:
        return answer.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


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
            status = await asyncio.to_thread(_post_support, first, initiative, session_key)
            assert status == 302
            return await asyncio.wait_for(socket_on_second.recv(), timeout=10)

    message = asyncio.run(watch_and_support())

    assert f'id="initiativ-{initiative.pk}-stats"' in message
    assert "1 stöd" in message
