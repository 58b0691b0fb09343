from channels.db import database_sync_to_async

from accounts.permissions import is_moderator
from accounts.sessions import socket_person
from core.consumers import LiveConsumer
from ideas import live as ideas_live
from moderation.live import GROUP, queue_html
from partners import live as partners_live


class ModerationConsumer(LiveConsumer):
    """The review queue's socket: moderators only, signed in through their session. Besides the
    queue this app pushes, it hears when an initiative enters review or a partner message is
    flagged (the apps below announce that without knowing the queue), and then sends its
    moderator the queue afresh."""

    async def connect(self) -> None:
        user = self.scope["user"]
        if not user.is_authenticated or not await self.still_allowed():
            await self.close(code=4403)
            return
        self.lang = self.language()
        await self.join(
            [GROUP.format(language=self.lang), ideas_live.REVIEW_GROUP, partners_live.REVIEW_GROUP]
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
