"""What the personal socket forwards from partner offers. config.routing mixes this into
notifications' NotificationConsumer, which every signed-in page opens: a page says in its socket
address which offer's thread (`erbjudande`) or which initiative's offers (`erbjudanden`) it
shows, and gets only those fragments. The group is the person's own, so only parties ever
receive them."""

from core.params import number


class PartnerPagesMixin:
    def watch(self, query: dict[str, str]) -> None:
        super().watch(query)
        self.watched_offer = number(query.get("erbjudande"))
        self.watched_offers_of = number(query.get("erbjudanden"))

    async def partner_offer(self, event: dict) -> None:
        shown = []
        if event["offer"] == getattr(self, "watched_offer", None):
            shown.append(event["html"][self.lang])
        if event["initiative"] == getattr(self, "watched_offers_of", None):
            shown.append(event["list_html"][self.lang])
        if shown:
            await self.forward(*shown)

    async def partner_message(self, event: dict) -> None:
        if event["offer"] == getattr(self, "watched_offer", None):
            await self.forward(event["html"][self.lang])
