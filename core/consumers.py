"""The base of every websocket consumer. Sockets only listen: every write is an ordinary POST."""

import logging
from urllib.parse import parse_qs

from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

logger = logging.getLogger(__name__)

# Close code 1013 ("try again later") makes the browser reconnect with backoff.
TRY_AGAIN_LATER = 1013
# The socket's session no longer allows what it listens to (signed out, deleted, role lost).
NO_LONGER_ALLOWED = 4403


class LiveConsumer(AsyncWebsocketConsumer):
    """Joins its groups on connect and forwards fragments. When the channel layer fails it
    closes with 1013, so the browser retries with backoff and catches up once it is back."""

    groups_to_join: list[str]

    async def __call__(self, scope, receive, send):
        """A channel layer that fails while the socket is open (Redis stopped) ends the loop
        that waits for its messages. Close with 1013 then: the server's own close on an
        exception carries no code (1005), which browsers do not reconnect after."""
        try:
            await super().__call__(scope, receive, send)
        except Exception:  # noqa: BLE001 — the layer failed; the browser comes back later.
            logger.warning("Live socket lost its channel layer", exc_info=True)
            try:
                await send({"type": "websocket.close", "code": TRY_AGAIN_LATER})
            except Exception:  # noqa: BLE001
                logger.info("Could not close the live socket", exc_info=True)

    def query(self) -> dict[str, str]:
        parsed = parse_qs(self.scope.get("query_string", b"").decode())
        return {name: values[0][:2000] for name, values in parsed.items()}

    def language(self) -> str:
        requested = self.query().get("lang", "")
        codes = [code for code, _name in settings.LANGUAGES]
        return requested if requested in codes else settings.LANGUAGE_CODE

    async def join(self, groups: list[str]) -> None:
        self.groups_to_join = groups
        try:
            for group in groups:
                await self.channel_layer.group_add(group, self.channel_name)
        except Exception:  # noqa: BLE001 — Redis away: let the browser come back later.
            logger.warning("Live socket could not join %s", groups, exc_info=True)
            await self.close(code=TRY_AGAIN_LATER)
            return
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
