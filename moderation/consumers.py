from channels.db import database_sync_to_async

from accounts.permissions import is_moderator
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
        if not await database_sync_to_async(is_moderator)(self.scope["user"]):
            await self.close(code=4403)
            return
        self.lang = self.language()
        await self.join(
            [GROUP.format(language=self.lang), ideas_live.REVIEW_GROUP, partners_live.REVIEW_GROUP]
        )

    async def review_changed(self, event: dict) -> None:
        await self.send(text_data=await database_sync_to_async(queue_html)(self.lang))
