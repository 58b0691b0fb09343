"""What the personal socket forwards from partner offers. Mixed into notifications'
NotificationConsumer, which every signed-in page opens: a page says in its socket address which
offer's thread (`erbjudande`) or which initiative's offers (`erbjudanden`) it shows, and gets
only those fragments. The group is the person's own, so only parties ever receive them."""


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


class PartnerPagesMixin:
    def watch_partner_pages(self, query: dict[str, str]) -> None:
        self.watched_offer = _number(query.get("erbjudande"))
        self.watched_offers_of = _number(query.get("erbjudanden"))

    async def partner_offer(self, event: dict) -> None:
        if event["offer"] == getattr(self, "watched_offer", None):
            await self.send(text_data=event["html"][self.lang])
        if event["initiative"] == getattr(self, "watched_offers_of", None):
            await self.send(text_data=event["list_html"][self.lang])

    async def partner_message(self, event: dict) -> None:
        if event["offer"] == getattr(self, "watched_offer", None):
            await self.send(text_data=event["html"][self.lang])
