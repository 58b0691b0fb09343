"""Websocket consumers. They only listen: every write is an ordinary POST."""

import logging
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from ideas import live
from ideas.models import Initiative

logger = logging.getLogger(__name__)

# Close code 1013 ("try again later") makes the browser reconnect with backoff.
TRY_AGAIN_LATER = 1013
LIST_FILTERS = ["viljeinriktning", "fokusomrade", "prioritering", "stadsdel", "typ"]


class LiveConsumer(AsyncWebsocketConsumer):
    """Base: joins groups on connect, forwards fragments, and closes so the client retries when
    the channel layer fails."""

    groups_to_join: list[str]

    def language(self) -> str:
        requested = parse_qs(self.scope.get("query_string", b"").decode()).get("lang", [""])[0]
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

    async def live_html(self, event: dict) -> None:
        await self.send(text_data=event["html"])


class InitiativeConsumer(LiveConsumer):
    """One initiative's page. Only public initiatives can be watched."""

    async def connect(self) -> None:
        pk = self.scope["url_route"]["kwargs"]["pk"]
        if not await self._is_public(pk):
            await self.close(code=4404)
            return
        await self.join([live.initiative_group(pk, self.language())])

    @database_sync_to_async
    def _is_public(self, pk: int) -> bool:
        return Initiative.objects.public().filter(pk=pk).exists()


class InitiativeListConsumer(LiveConsumer):
    """Lists and programme pages: counts, and new initiatives that match the page's filters."""

    async def connect(self) -> None:
        query = parse_qs(self.scope.get("query_string", b"").decode())
        self.filters = {
            name: query[name][0][:120] for name in LIST_FILTERS if query.get(name, [""])[0]
        }
        await self.join([live.lists_group(self.language())])

    async def live_published(self, event: dict) -> None:
        if matches(event["match"], self.filters):
            await self.send(text_data=event["html"])


def matches(attributes: dict, filters: dict) -> bool:
    for name, wanted in filters.items():
        if name == "prioritering":
            if wanted not in attributes["prioriteringar"]:
                return False
        elif attributes.get(name) != wanted:
            return False
    return True
