"""Helpers for tests that run real server processes against the test database."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar
from typing import IO

from django.conf import settings
from django.db import connection


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The test database, as a DATABASE_URL for a server process of the test's own."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def server_env(**extra: str) -> dict[str, str]:
    """The environment of a server process of the test's own: the test database, DEBUG."""
    return {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database_url(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        **extra,
    }


@contextmanager
def granian_servers(
    env: dict[str, str], count: int = 2, log: IO | None = None
) -> Iterator[list[int]]:
    """`count` granian processes serving the site as production does, each on a free port;
    yields the ports once every one answers /healthz, and stops them afterwards. With `log`, a
    file open for writing, their output goes there instead of the test's."""
    ports = [free_port() for _ in range(count)]
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "granian", "--interface", "asginl", "config.asgi:application"]
            + ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT if log else None,
        )
        for port in ports
    ]
    try:
        for port in ports:
            wait_healthy(port)
        yield ports
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


def wait_healthy(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not become healthy")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_form(port: int, page: str, action: str, data: dict, session_key: str) -> int:
    """Open `page` as the session's user to get a CSRF token, then POST `data` to `action`, as a
    browser would; return the status without following redirects."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("Cookie", f"sessionid={session_key}")]
    base = f"http://127.0.0.1:{port}"
    html = opener.open(f"{base}{page}", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    csrf_cookie = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    request = urllib.request.Request(
        f"{base}{action}",
        data=urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}).encode(),
        headers={"Cookie": f"sessionid={session_key}; csrftoken={csrf_cookie}"},
    )
    try:
        return urllib.request.build_opener(_NoRedirect).open(request, timeout=10).status
    except urllib.error.HTTPError as answer:
        return answer.code
