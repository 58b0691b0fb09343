"""Websockets over the real ASGI application, session and channel layer, as a browser opens
them: from the site's own origin, signed in through a session cookie or not at all."""

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from tests.sessions import sign_in

ORIGIN = (b"origin", b"http://localhost")
HOST = (b"host", b"localhost")


def session_cookie(user, *, second_factor: bool = True) -> bytes:
    client = Client()
    sign_in(client, user, second_factor=second_factor)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def communicator(path: str, *headers: tuple[bytes, bytes]) -> WebsocketCommunicator:
    """A socket to `path` from the site's origin, with any headers besides, not yet open."""
    return WebsocketCommunicator(application, path, headers=[HOST, ORIGIN, *headers])


async def open_socket(
    path: str, user=None, *, second_factor: bool = True
) -> tuple[WebsocketCommunicator, bool]:
    """Open `path` as `user` (signed in, with the second factor unless told otherwise) or as a
    visitor; the socket, and whether it was accepted."""
    headers = []
    if user is not None:
        cookie = await sync_to_async(session_cookie)(user, second_factor=second_factor)
        headers.append((b"cookie", cookie.encode()))
    socket = communicator(path, *headers)
    accepted, _code = await socket.connect(timeout=3)
    return socket, accepted


async def connected(path: str, user=None) -> WebsocketCommunicator:
    """An open socket to `path`; the test fails here when the socket is refused."""
    socket, accepted = await open_socket(path, user)
    assert accepted, path
    return socket
