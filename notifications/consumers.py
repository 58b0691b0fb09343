"""The person's own socket: the unread badge on every page, new items on the centre's page."""

from accounts.sessions import socket_person_now
from core.consumers import LiveConsumer
from notifications import live, presence

# Close code for "sign in first": the socket is personal, so visitors have nothing to hear.
NOT_SIGNED_IN = 4401


class NotificationConsumer(LiveConsumer):
    """Every page of a signed-in person listens here. `lista=1` says the page shows the list
    of notifications, so it also gets new items; other pages get the badge only.

    Apps above add what their pages watch on the same personal group through a mixin that
    overrides watch(); config.routing composes them."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=NOT_SIGNED_IN)
            return
        if not await self.still_allowed():
            await self.close(code=NOT_SIGNED_IN)
            return
        self.lang = self.language()
        self.shows_list = self.query().get("lista") == "1"
        self.watch(self.query())
        await self.join([live.user_group(user.pk)])
        self.counted = user.pk
        await presence.opened(user.pk)

    async def disconnect(self, code: int) -> None:
        if getattr(self, "counted", None) is not None:
            await presence.closed(self.counted)
        await super().disconnect(code)

    def watch(self, query: dict[str, str]) -> None:
        """What else the page shows, from its socket address; nothing here."""

    async def still_allowed(self) -> bool:
        """The session is still signed in as the socket's person, with the second factor done
        where staff need it: a signed-out, deleted or expired session hears nothing more. Asked
        together with the other personal sockets that hear something at the same moment."""
        return await socket_person_now(self.scope) is not None

    async def notification_added(self, event: dict) -> None:
        shown = [event["html"][self.lang]]
        if self.shows_list:
            shown.append(event["list_html"][self.lang])
        await self.forward(*shown)

    async def notification_badge(self, event: dict) -> None:
        await self.forward(event["html"][self.lang])
