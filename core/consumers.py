"""The base of every websocket consumer. Sockets only listen: every write is an ordinary POST."""

import asyncio
import logging
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings

logger = logging.getLogger(__name__)

# Close code 1013 ("try again later") makes the browser reconnect with backoff.
TRY_AGAIN_LATER = 1013
# The socket's session no longer allows what it listens to (signed out, deleted, role lost).
NO_LONGER_ALLOWED = 4403
# The ASGI extension that lets a refused handshake answer with an HTTP status of its own.
DENIAL_RESPONSE = "websocket.http.response"


class Handshake:
    """Watches one socket's ASGI messages: whether the connect arrived and the socket was
    answered (accepted, closed or refused), and refuses it as a page would be refused."""

    def __init__(self, scope, receive, send):
        self.scope, self._receive, self._send = scope, receive, send
        self.connected = self.answered = self.accepted = False

    async def receive(self):
        message = await self._receive()
        self.connected = self.connected or message["type"] == "websocket.connect"
        return message

    async def send(self, message):
        kind = message["type"]
        self.accepted = self.accepted or kind == "websocket.accept"
        self.answered = self.answered or kind in {
            "websocket.accept",
            "websocket.close",
            "websocket.http.response.start",
        }
        await self._send(message)

    async def refuse(self) -> None:
        """Refuse the handshake because a service it needs is down: with 503, as a page would
        be, where the server lets a handshake answer with a status; else with 1013, so that
        the browser comes back later either way."""
        if not self.connected:
            await self.receive()
        if DENIAL_RESPONSE in self.scope.get("extensions", {}):
            await self.send({
                "type": "websocket.http.response.start",
                "status": 503,
                "headers": [(b"retry-after", b"5"), (b"content-type", b"text/plain")],
            })  # fmt: skip
            await self.send({"type": "websocket.http.response.body", "body": b""})
        else:
            await self.send({"type": "websocket.close", "code": TRY_AGAIN_LATER})


class RefuseWhileDown:
    """ASGI middleware, outermost for websockets: a handshake that fails before the socket is
    answered (the session or the user could not be read while PostgreSQL restarts, the channel
    layer could not be joined while Redis is away) is refused with 503 and logged, instead of
    a connection dropped without an answer, which a proxy turns into a 502."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            return await self.application(scope, receive, send)
        handshake = Handshake(scope, receive, send)
        try:
            return await self.application(scope, handshake.receive, handshake.send)
        except Exception:
            if handshake.answered:
                raise
            logger.warning("Live socket refused: a service it needs is down", exc_info=True)
            await handshake.refuse()


class LiveConsumer(AsyncWebsocketConsumer):
    """Joins its groups on connect and forwards fragments. When the channel layer fails it
    closes with 1013, so the browser retries with backoff and catches up once it is back."""

    groups_to_join: list[str]

    async def __call__(self, scope, receive, send):
        """A channel layer that fails while the socket is open (Redis stopped) ends the loop
        that waits for its messages. Close with 1013 then: the server's own close on an
        exception carries no code (1005), which browsers do not reconnect after. A failure
        before the socket is open goes on to `RefuseWhileDown`, which refuses the handshake."""
        handshake = Handshake(scope, receive, send)
        try:
            await self.serve(scope, handshake.receive, handshake.send)
        except Exception:  # noqa: BLE001 — the layer failed; the browser comes back later.
            if not handshake.accepted:
                raise
            logger.warning("Live socket lost its channel layer", exc_info=True)
            try:
                await send({"type": "websocket.close", "code": TRY_AGAIN_LATER})
            except Exception:  # noqa: BLE001
                logger.info("Could not close the live socket", exc_info=True)

    async def serve(self, scope, receive, send) -> None:
        """Channels' own loop (`await_many_dispatch`) starts a task and an `asyncio.wait` for
        every message it hears. Here the socket's own messages and the layer's each have one
        task for the socket's whole life, and each dispatches in turn as messages come: one
        support to 10,000 sockets costs the two servers 1.3-1.7 s of CPU instead of 2.3-2.4 s
        (bench/fanout.py, decision 0021).

        Handlers still never overlap where it matters: the layer is heard only once the
        connect is handled (nothing is sent before the socket is accepted), and a disconnect
        stops the layer's task before it is handled (no group is joined after it is left)."""
        self.scope = scope
        self.base_send = send
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.channel_name = await self.channel_layer.new_channel()
        try:
            await self.dispatch(await receive())
        except StopConsumer:
            return
        layer = asyncio.ensure_future(self._hear_layer())
        socket = asyncio.ensure_future(self._hear_socket(receive, layer))
        try:
            # Both loops end only by raising: the socket's with StopConsumer after its
            # disconnect, the layer's when the layer fails. The layer's being cancelled for
            # the disconnect is not an exception, so the disconnect is still handled in full.
            done, _running = await asyncio.wait(
                {socket, layer}, return_when=asyncio.FIRST_EXCEPTION
            )
        finally:
            for task in (socket, layer):
                task.cancel()
            await asyncio.gather(socket, layer, return_exceptions=True)
        for task in done:
            error = None if task.cancelled() else task.exception()
            if error is not None and not isinstance(error, StopConsumer):
                raise error

    async def _hear_layer(self) -> None:
        while True:
            await self.dispatch(await self.channel_layer.receive(self.channel_name))

    async def _hear_socket(self, receive, layer: asyncio.Task) -> None:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                layer.cancel()
                await asyncio.gather(layer, return_exceptions=True)
            await self.dispatch(message)

    async def dispatch(self, message: dict) -> None:
        """Run the message's handler. Channels' own dispatch first closes stale database
        connections, a hop into the database thread for every socket and every message: one
        support heard by 10,000 pages queued 10,000 hops behind each other there. Every
        database access of these consumers goes through `database_sync_to_async`, which closes
        stale connections around itself, so the hop is left out."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    def query(self) -> dict[str, str]:
        parsed = parse_qs(self.scope.get("query_string", b"").decode())
        return {name: values[0][:2000] for name, values in parsed.items()}

    def language(self) -> str:
        requested = self.query().get("lang", "")
        codes = [code for code, _name in settings.LANGUAGES]
        return requested if requested in codes else settings.LANGUAGE_CODE

    async def join(self, groups: list[str]) -> None:
        """Join the groups, then accept. Redis away makes a group fail to join: the error goes
        on to `RefuseWhileDown`, which refuses the handshake so the browser comes back later."""
        self.groups_to_join = groups
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_to_join", []):
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:  # noqa: BLE001
                logger.info("Could not leave %s on disconnect", group, exc_info=True)

    async def still_allowed(self) -> bool:
        """Asked before anything reaches the socket: a socket that only public pages open may
        always listen; one that carries personal or staff content checks its session again."""
        return True

    async def forward(self, *fragments: str) -> None:
        """Send the fragments, or close the socket when its session no longer allows it."""
        if not await self.still_allowed():
            await self.close(code=NO_LONGER_ALLOWED)
            return
        for html in fragments:
            await self.send(text_data=html)

    async def live_html(self, event: dict) -> None:
        await self.forward(event["html"])
