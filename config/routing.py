"""Websocket routes. Sockets only listen; every write is an ordinary POST."""

from django.urls import path

from ideas import consumers
from moderation.consumers import DeskConsumer, ModerationConsumer
from notifications.consumers import NotificationConsumer
from partners.consumers import PartnerPagesMixin


class PersonalConsumer(PartnerPagesMixin, NotificationConsumer):
    """The socket every signed-in page opens: notifications, and the partner pages' threads."""


websocket_urlpatterns = [
    path("ws/initiativ/<int:pk>/", consumers.InitiativeConsumer.as_asgi()),
    path("ws/initiativ/", consumers.InitiativeListConsumer.as_asgi()),
    path("ws/moderering/", ModerationConsumer.as_asgi()),
    path("ws/handlaggning/", DeskConsumer.as_asgi()),
    path("ws/notiser/", PersonalConsumer.as_asgi()),
]
