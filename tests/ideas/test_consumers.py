"""Sockets over the real ASGI application and channel layer."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from ideas.actions import do_initiative_publish, support_set
from ideas.consumers import InitiativeListConsumer
from ideas.models import Initiative
from tests import sockets
from tests.factories import DraftFactory, FokusomradeFactory, InitiativeFactory, UserFactory
from tests.sockets import connected

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def test_a_visitor_watching_an_initiative_sees_a_support_arrive():
    initiative = await sync_to_async(InitiativeFactory)()
    user = await sync_to_async(UserFactory)()
    watcher = await connected(f"/ws/initiativ/{initiative.pk}/?lang=sv")

    await sync_to_async(support_set)(user=user, initiative=initiative, supported=True)

    message = await watcher.receive_from(timeout=3)
    assert f'id="initiativ-{initiative.pk}-stats"' in message
    assert "1 stöd" in message
    assert "har nu 1 stöd" in message  # the polite live region's announcement
    await watcher.disconnect()


async def test_the_socket_speaks_the_language_of_the_page():
    initiative = await sync_to_async(InitiativeFactory)()
    watcher = await connected(f"/ws/initiativ/{initiative.pk}/?lang=en")

    await sync_to_async(support_set)(
        user=await sync_to_async(UserFactory)(), initiative=initiative, supported=True
    )

    assert "1 support" in await watcher.receive_from(timeout=3)
    await watcher.disconnect()


async def test_unpublished_initiatives_cannot_be_watched():
    draft = await sync_to_async(DraftFactory)()
    communicator = sockets.communicator(f"/ws/initiativ/{draft.pk}/")

    accepted, _code = await communicator.connect(timeout=3)

    assert not accepted


async def test_a_foreign_origin_is_refused():
    initiative = await sync_to_async(InitiativeFactory)()
    communicator = WebsocketCommunicator(
        application,
        f"/ws/initiativ/{initiative.pk}/",
        headers=[(b"origin", b"https://evil.example")],
    )

    accepted, _code = await communicator.connect(timeout=3)

    assert not accepted


async def test_lists_receive_new_initiatives_that_match_their_filters_only():
    fokusomrade = await sync_to_async(FokusomradeFactory)()
    other = await sync_to_async(FokusomradeFactory)()
    matching = await connected(f"/ws/initiativ/?lang=sv&nya=1&fokusomrade={fokusomrade.slug}")
    unfiltered = await connected("/ws/initiativ/?lang=sv&nya=1")
    elsewhere = await connected(f"/ws/initiativ/?lang=sv&nya=1&fokusomrade={other.slug}")
    sorted_list = await connected("/ws/initiativ/?lang=sv")
    draft = await sync_to_async(DraftFactory)(
        fokusomrade=fokusomrade, status=Initiative.Status.SUBMITTED, title="Nya lekplatser"
    )

    await sync_to_async(do_initiative_publish)(initiative=draft, actor=None)

    for socket in (matching, unfiltered):
        message = await socket.receive_from(timeout=3)
        assert "Nya lekplatser" in message
        assert 'hx-swap-oob="afterbegin:#live-new-initiatives"' in message
    # A list for another focus area, and a list that does not show new ones, get nothing.
    assert await elsewhere.receive_nothing(timeout=0.3)
    assert await sorted_list.receive_nothing(timeout=0.1)
    for socket in (matching, unfiltered, elsewhere, sorted_list):
        await socket.disconnect()


async def test_programme_pages_receive_the_new_count_of_their_focus_areas():
    draft = await sync_to_async(DraftFactory)(status=Initiative.Status.SUBMITTED)
    overview = await connected(f"/ws/initiativ/?lang=sv&fokusomraden={draft.fokusomrade_id}")

    await sync_to_async(do_initiative_publish)(initiative=draft, actor=None)

    message = await overview.receive_from(timeout=3)
    assert message == (f'<span id="fokusomrade-{draft.fokusomrade_id}-count">1 initiativ</span>\n')
    await overview.disconnect()


async def test_lists_get_count_updates_only_for_the_cards_they_show():
    initiative = await sync_to_async(InitiativeFactory)()
    showing = await connected(f"/ws/initiativ/?lang=sv&visar=99999,{initiative.pk}")
    not_showing = await connected("/ws/initiativ/?lang=sv&visar=99999")

    await sync_to_async(support_set)(
        user=await sync_to_async(UserFactory)(), initiative=initiative, supported=True
    )

    message = await showing.receive_from(timeout=3)
    assert f'id="initiativ-{initiative.pk}-counts"' in message
    assert "1 stöd" in message
    assert await not_showing.receive_nothing(timeout=0.3)
    await showing.disconnect()
    await not_showing.disconnect()


async def test_a_new_card_shown_live_then_gets_its_count_updates():
    draft = await sync_to_async(DraftFactory)(status=Initiative.Status.SUBMITTED)
    watcher = await connected("/ws/initiativ/?lang=sv&nya=1")
    published = await sync_to_async(do_initiative_publish)(initiative=draft, actor=None)
    await watcher.receive_from(timeout=3)

    await sync_to_async(support_set)(
        user=await sync_to_async(UserFactory)(), initiative=published, supported=True
    )

    assert f'id="initiativ-{draft.pk}-counts"' in await watcher.receive_from(timeout=3)
    await watcher.disconnect()


async def test_a_support_reaches_no_list_socket_that_does_not_show_its_card(monkeypatch):
    """Not filtered on arrival: never delivered. The support wakes only the sockets of the pages
    that show the card, however many other list pages are open."""
    initiative, other = await sync_to_async(InitiativeFactory.create_batch)(2)
    woken = []
    forward = InitiativeListConsumer.live_counts

    async def counting(consumer, event):
        woken.append(sorted(consumer.watched))
        await forward(consumer, event)

    monkeypatch.setattr(InitiativeListConsumer, "live_counts", counting)
    showing = await connected(f"/ws/initiativ/?lang=sv&visar={initiative.pk}")
    others = [
        await connected(f"/ws/initiativ/?lang={language}&visar={other.pk}&nya=1")
        for language in ("sv", "en")
    ]

    await sync_to_async(support_set)(
        user=await sync_to_async(UserFactory)(), initiative=initiative, supported=True
    )

    assert "1 stöd" in await showing.receive_from(timeout=3)
    for socket in others:
        assert await socket.receive_nothing(timeout=0.3)
    assert woken == [[initiative.pk]]
    for socket in (showing, *others):
        await socket.disconnect()
