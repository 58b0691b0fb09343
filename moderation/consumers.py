from channels.db import database_sync_to_async

from accounts.permissions import is_moderator
from ideas.consumers import LiveConsumer
from moderation.live import GROUP


class ModerationConsumer(LiveConsumer):
    """The review queue's socket: moderators only, signed in through their session."""

    async def connect(self) -> None:
        if not await database_sync_to_async(is_moderator)(self.scope["user"]):
            await self.close(code=4403)
            return
        await self.join([GROUP.format(language=self.language())])
