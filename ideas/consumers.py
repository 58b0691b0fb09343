"""Websocket consumers. They only listen: every write is an ordinary POST.

A socket forwards only what its page can show, so that no fragment arrives without a place to
go: the page says in its socket address which cards and counts it shows.
"""

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
MAX_WATCHED = 200


def _numbers(value: str) -> set[int]:
    return {int(item) for item in value.split(",")[:MAX_WATCHED] if item.isdigit()}


class LiveConsumer(AsyncWebsocketConsumer):
    """Joins its groups on connect and forwards fragments. When the channel layer fails it
    closes with 1013, so the browser retries with backoff and catches up once it is back."""

    groups_to_join: list[str]

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
    """Lists and programme pages.

    The address says what the page shows: `visar` the initiatives whose cards it shows,
    `fokusomraden` the focus areas whose counts it shows, and `nya=1` when it lists new
    initiatives (those matching the page's filters) as they are published.
    """

    async def connect(self) -> None:
        query = self.query()
        self.filters = {name: query[name][:120] for name in LIST_FILTERS if query.get(name)}
        self.watched = _numbers(query.get("visar", ""))
        self.fokusomraden = _numbers(query.get("fokusomraden", ""))
        self.shows_new = query.get("nya") == "1"
        await self.join([live.lists_group(self.language())])

    async def live_counts(self, event: dict) -> None:
        if event["pk"] in self.watched:
            await self.send(text_data=event["html"])

    async def live_published(self, event: dict) -> None:
        if self.shows_new and matches(event["match"], self.filters):
            if len(self.watched) < MAX_WATCHED:
                self.watched.add(event["pk"])
            await self.send(text_data=event["html"])
        if event["fokusomrade"] in self.fokusomraden:
            await self.send(text_data=event["fokusomrade_html"])


def matches(attributes: dict, filters: dict) -> bool:
    for name, wanted in filters.items():
        if name == "prioritering":
            if wanted not in attributes["prioriteringar"]:
                return False
        elif attributes.get(name) != wanted:
            return False
    return True
