"""A websocket opens only from the site's own origin: scheme, host and port, as Django's CSRF
check compares a form's Origin (config/websocket_origin.py)."""

import pytest
from asgiref.sync import async_to_sync

from config.websocket_origin import allowed
from tests import sockets
from tests.factories import InitiativeFactory


def _scope(origin: str, host: str = "tillsammans.example", *, scheme="ws", proxy_https=False):
    headers = [(b"host", host.encode()), (b"origin", origin.encode())]
    if proxy_https:
        headers.append((b"x-forwarded-proto", b"https"))
    return {"type": "websocket", "scheme": scheme, "headers": headers}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.ALLOWED_HOSTS = ["tillsammans.example", "localhost"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://www.tillsammans.example"]
    # As production sets it behind its TLS proxy.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (_scope("http://tillsammans.example"), True),
        (_scope("https://tillsammans.example", scheme="wss"), True),
        (_scope("https://tillsammans.example", proxy_https=True), True),
        (_scope("https://tillsammans.example:443", scheme="wss"), True),
        (_scope("http://tillsammans.example:8000", "tillsammans.example:8000"), True),
        (_scope("https://www.tillsammans.example", scheme="wss"), True),  # a trusted origin
        # The right host, but another scheme or port: a page the site did not serve.
        (_scope("http://tillsammans.example", scheme="wss"), False),
        (_scope("https://tillsammans.example"), False),
        (_scope("http://tillsammans.example:8080"), False),
        (_scope("http://tillsammans.example", "tillsammans.example:8000"), False),
        # Another host, a host the site does not serve, or no origin at all.
        (_scope("https://evil.example", scheme="wss"), False),
        (_scope("http://evil.example", "evil.example"), False),
        (_scope("null"), False),
        (_scope(""), False),
        (_scope("http://tillsammans.example:99999"), False),
    ],
)
def test_only_the_sites_own_origin_may_open_a_socket(scope, expected):
    assert allowed(scope) is expected


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("origin", "accepted"),
    [(b"http://localhost", True), (b"https://localhost", False), (b"http://localhost:8000", False)],
)
def test_the_application_refuses_a_socket_from_another_scheme_or_port(origin, accepted):
    initiative = InitiativeFactory()
    socket = sockets.communicator(f"/ws/initiativ/{initiative.pk}/")
    socket.scope["headers"] = [sockets.HOST, (b"origin", origin)]

    connected, _code = async_to_sync(socket.connect)(timeout=3)

    assert connected is accepted
