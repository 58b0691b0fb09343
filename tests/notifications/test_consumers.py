"""The personal socket over the real ASGI application, session and channel layer."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from notifications.actions import do_notify
from notifications.models import Notification
from tests import sockets
from tests.factories import CommentFactory, InitiativeFactory, UserFactory
from tests.sockets import connected

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def _connect(user, query: str) -> WebsocketCommunicator:
    return await connected(f"/ws/notiser/?{query}", user)


def _comment_on(initiative):
    comment = CommentFactory(initiative=initiative)
    do_notify(
        kind=Notification.Kind.COMMENT_ON_MY_INITIATIVE,
        recipients=[initiative.author],
        initiative=initiative,
        comment=comment,
        actor=comment.author,
        own_content=True,
    )


async def test_the_authors_unread_count_rises_live():
    initiative = await sync_to_async(InitiativeFactory)()
    page = await _connect(initiative.author, "lang=sv")
    centre = await _connect(initiative.author, "lang=en&lista=1")
    stranger = await _connect(await sync_to_async(UserFactory)(), "lang=sv&lista=1")

    await sync_to_async(_comment_on)(initiative)

    message = await page.receive_from(timeout=3)
    assert 'id="notification-badge"' in message
    assert '<span class="badge">1<' in message
    assert 'id="live-announcer"' in message
    assert await page.receive_nothing(timeout=0.2)  # no list item where there is no list
    assert "Notifications" in await centre.receive_from(timeout=3)
    item = await centre.receive_from(timeout=3)
    assert 'hx-swap-oob="afterbegin:#notification-list"' in item
    assert "commented on your initiative" in item
    # It can be marked read at once: its button submits the page's form, which holds the token.
    assert 'form="notification-read-form"' in item
    assert "Mark as read" in item
    assert await stranger.receive_nothing(timeout=0.2)
    for socket in (page, centre, stranger):
        await socket.disconnect()


async def test_visitors_cannot_open_a_notification_socket():
    communicator = sockets.communicator("/ws/notiser/")

    connected, _code = await communicator.connect(timeout=3)

    assert not connected
