from channels.db import database_sync_to_async

from accounts import live as accounts_live
from accounts.permissions import is_moderator
from accounts.sessions import socket_person
from core.consumers import NO_LONGER_ALLOWED, LiveConsumer
from ideas import live as ideas_live
from moderation.desk import DeskFilters, desk_html
from moderation.live import GROUP, queue_html
from moderation.permissions import can_use_desk
from partners import live as partners_live


class ModerationConsumer(LiveConsumer):
    """The review queue's socket: moderators only, signed in through their session. Besides the
    queue this app pushes, it hears when an initiative enters review, a partner message is
    flagged or an organisation starts waiting for approval (the apps below announce that
    without knowing the queue), and then sends its moderator the queue afresh."""

    async def connect(self) -> None:
        user = self.scope["user"]
        if not user.is_authenticated or not await self.still_allowed():
            await self.close(code=4403)
            return
        self.lang = self.language()
        await self.join(
            [
                GROUP.format(language=self.lang),
                ideas_live.REVIEW_GROUP,
                partners_live.REVIEW_GROUP,
                accounts_live.REVIEW_GROUP,
            ]
        )

    async def still_allowed(self) -> bool:
        """Checked again before each message: the session is still signed in as this moderator,
        who is still a moderator and has done the second factor where staff must."""
        return await database_sync_to_async(self._session_allows)()

    def _session_allows(self) -> bool:
        person = socket_person(self.scope)
        return person is not None and is_moderator(person)

    async def review_changed(self, event: dict) -> None:
        await self.forward(await database_sync_to_async(queue_html)(self.lang))


class DeskConsumer(LiveConsumer):
    """Handläggning's socket: moderators and case officers, signed in through their session.
    The apps below only ping (an initiative assigned, answered, ready for the committee, or
    newly published); each socket then renders the desk afresh for its own staff member, with
    the filters its page shows (the socket's address carries the page's query)."""

    async def connect(self) -> None:
        user = self.scope["user"]
        if not user.is_authenticated or not await self.still_allowed():
            await self.close(code=4403)
            return
        self.lang = self.language()
        self.filters = DeskFilters.from_params(self.query())
        await self.join([ideas_live.DESK_GROUP, ideas_live.lists_group(self.lang)])

    async def still_allowed(self) -> bool:
        return await database_sync_to_async(self._person_allowed)() is not None

    def _person_allowed(self):
        """The staff member as the session stands now, while they may still use the desk."""
        person = socket_person(self.scope)
        return person if person is not None and can_use_desk(person) else None

    def _desk_for_person(self) -> str | None:
        person = self._person_allowed()
        return None if person is None else desk_html(person, self.filters, self.lang)

    async def desk_changed(self, event: dict) -> None:
        html = await database_sync_to_async(self._desk_for_person)()
        if html is None:
            await self.close(code=NO_LONGER_ALLOWED)
            return
        await self.send(text_data=html)

    async def live_published(self, event: dict) -> None:
        """A newly published initiative has no administration yet: it joins the first list."""
        await self.desk_changed(event)

    async def live_counts(self, event: dict) -> None:
        """Support counts: the desk shows none; reaching the threshold pings desk.changed."""
