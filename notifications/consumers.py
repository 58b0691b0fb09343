"""The person's own socket: the unread badge on every page, new items on the centre's page."""

from ideas.consumers import LiveConsumer
from notifications import live
from partners.consumers import PartnerPagesMixin

# Close code for "sign in first": the socket is personal, so visitors have nothing to hear.
NOT_SIGNED_IN = 4401


class NotificationConsumer(PartnerPagesMixin, LiveConsumer):
    """Every page of a signed-in person listens here. `lista=1` says the page shows the list
    of notifications, so it also gets new items; other pages get the badge only."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=NOT_SIGNED_IN)
            return
        self.lang = self.language()
        self.shows_list = self.query().get("lista") == "1"
        self.watch_partner_pages(self.query())
        await self.join([live.user_group(user.pk)])

    async def notification_added(self, event: dict) -> None:
        await self.send(text_data=event["html"][self.lang])
        if self.shows_list:
            await self.send(text_data=event["list_html"][self.lang])

    async def notification_badge(self, event: dict) -> None:
        await self.send(text_data=event["html"][self.lang])
