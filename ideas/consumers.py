"""The initiative pages' websocket consumers. They only listen: every write is an ordinary POST.

A socket forwards only what its page can show, so that no fragment arrives without a place to
go: the page says in its socket address which cards and counts it shows.
"""

from channels.db import database_sync_to_async

from core.consumers import LiveConsumer
from core.params import numbers
from ideas import live
from ideas.models import Initiative

LIST_FILTERS = ["viljeinriktning", "fokusomrade", "prioritering", "stadsdel", "typ"]
MAX_WATCHED = 200


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
    initiatives (those matching the page's filters) as they are published. The socket joins
    one group per card it shows, so it hears only of those cards' counts; and the lists'
    group only when it shows new initiatives or focus areas' counts.
    """

    async def connect(self) -> None:
        query = self.query()
        self.lang = self.language()
        self.filters = {name: query[name][:120] for name in LIST_FILTERS if query.get(name)}
        self.watched = numbers(query.get("visar", ""), MAX_WATCHED)
        self.fokusomraden = numbers(query.get("fokusomraden", ""), MAX_WATCHED)
        self.shows_new = query.get("nya") == "1"
        groups = [live.card_group(pk, self.lang) for pk in sorted(self.watched)]
        if self.shows_new or self.fokusomraden:
            groups.append(live.lists_group(self.lang))
        await self.join(groups)

    async def live_counts(self, event: dict) -> None:
        await self.send(text_data=event["html"])

    async def live_published(self, event: dict) -> None:
        if self.shows_new and matches(event["match"], self.filters):
            await self.send(text_data=event["html"])
            if len(self.watched) < MAX_WATCHED:
                await self._watch(event["pk"])
        if event["fokusomrade"] in self.fokusomraden:
            await self.send(text_data=event["fokusomrade_html"])

    async def _watch(self, pk: int) -> None:
        """The page now shows this new card: its counts are heard from now on."""
        self.watched.add(pk)
        group = live.card_group(pk, self.lang)
        self.groups_to_join.append(group)
        await self.channel_layer.group_add(group, self.channel_name)


def matches(attributes: dict, filters: dict) -> bool:
    for name, wanted in filters.items():
        if name == "prioritering":
            if wanted not in attributes["prioriteringar"]:
                return False
        elif attributes.get(name) != wanted:
            return False
    return True
