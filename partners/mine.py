"""The partner offers a person takes part in, for Mina sidor: their own, those made to their
initiatives, and their organisations'. Each with how many of its notifications the person has
not read, so a thread with news stands out."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce

from accounts.models import User
from notifications.models import Notification
from partners.models import PartnerOffer

# What an offer's thread sends to its parties; reading the thread marks these read.
THREAD_KINDS = [
    Notification.Kind.PARTNER_OFFER,
    Notification.Kind.PARTNER_ANSWER,
    Notification.Kind.PARTNER_MESSAGE,
]


def my_offers(user: User) -> QuerySet[PartnerOffer]:
    """The offers the person is a party to, newest first, each with `unread`: the person's
    unread notifications about it."""
    unread = (
        Notification.objects.unread()
        .filter(recipient=user, kind__in=THREAD_KINDS)
        .annotate(offer=Cast(KeyTextTransform("offer", "extra"), IntegerField()))
        .filter(offer=OuterRef("pk"))
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        PartnerOffer.objects.involving(user)
        .for_listing()
        .annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), 0))
        .order_by("-created_at", "-pk")
    )
