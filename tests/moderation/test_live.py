"""The moderation queue's socket and the author's badge, over the real ASGI application, session
and channel layer."""

import pytest
from asgiref.sync import sync_to_async

from ideas.actions import initiative_submit
from moderation.actions import initiative_approve
from notifications.actions import do_notify
from notifications.models import Notification
from partners.actions import message_flag
from partners.models import OfferMessage
from tests.factories import DraftFactory, ModeratorFactory, PartnerOfferFactory, UserFactory
from tests.moderation.conftest import submitted
from tests.sockets import open_socket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def test_a_moderator_sees_a_new_submission_arrive_in_the_queue():
    moderator = await sync_to_async(ModeratorFactory)()
    draft = await sync_to_async(DraftFactory)(title="Sommarbio på Gröningen")
    swedish, connected = await open_socket("/ws/moderering/?lang=sv", moderator)
    assert connected
    english, connected = await open_socket("/ws/moderering/?lang=en", moderator)
    assert connected

    await sync_to_async(initiative_submit)(user=draft.author, initiative=draft)

    message = await swedish.receive_from(timeout=3)
    assert 'id="moderation-queue"' in message
    assert f'id="queue-initiative-{draft.pk}"' in message
    assert "Sommarbio på Gröningen" in message
    assert "Granskas (1)" in message
    assert 'hx-swap-oob="innerHTML"' in message  # the polite announcement
    assert "In review (1)" in await english.receive_from(timeout=3)
    for socket in (swedish, english):
        await socket.disconnect()


async def test_a_moderator_sees_a_flagged_partner_message_arrive_in_the_queue():
    moderator = await sync_to_async(ModeratorFactory)()
    offer = await sync_to_async(PartnerOfferFactory)()
    message = await sync_to_async(OfferMessage.objects.create)(
        offer=offer, author=offer.offered_by, body="Ring mig på 070-123"
    )
    queue, connected = await open_socket("/ws/moderering/?lang=sv", moderator)
    assert connected

    await sync_to_async(message_flag)(user=offer.initiative.author, message=message)

    html = await queue.receive_from(timeout=3)
    assert 'id="moderation-queue"' in html
    assert "Ring mig på 070-123" in html
    await queue.disconnect()


async def test_a_decision_updates_the_queue_of_every_moderator():
    first, second = await sync_to_async(ModeratorFactory)(), await sync_to_async(ModeratorFactory)()
    initiative = await sync_to_async(submitted)(title="Boulebana")
    watching, connected = await open_socket("/ws/moderering/?lang=sv", second)
    assert connected

    await sync_to_async(initiative_approve)(moderator=first, initiative=initiative)

    message = await watching.receive_from(timeout=3)
    assert f'id="queue-initiative-{initiative.pk}"' not in message
    assert "Inget väntar på granskning." in message
    await watching.disconnect()


@pytest.mark.parametrize("who", ["visitor", "resident"])
async def test_only_moderators_may_open_the_queue_socket(who):
    user = None if who == "visitor" else await sync_to_async(UserFactory)()

    _socket, connected = await open_socket("/ws/moderering/?lang=sv", user)

    assert not connected


async def test_the_authors_unread_count_rises_when_their_initiative_is_approved():
    moderator = await sync_to_async(ModeratorFactory)()
    initiative = await sync_to_async(submitted)(title="Sommarbio")
    author_page, connected = await open_socket("/ws/notiser/?lang=sv", initiative.author)
    assert connected
    moderator_page, connected = await open_socket("/ws/notiser/?lang=sv", moderator)
    assert connected

    await sync_to_async(initiative_approve)(moderator=moderator, initiative=initiative)

    message = await author_page.receive_from(timeout=3)
    assert 'id="notification-badge"' in message
    assert '<span class="badge">1<' in message
    assert "”Sommarbio”" in message
    # The moderator who decided is not notified of their own decision.
    assert await moderator_page.receive_nothing(timeout=0.3)
    for socket in (author_page, moderator_page):
        await socket.disconnect()


@pytest.fixture
def staff_must_use_second_factor(settings):
    settings.STAFF_MFA_REQUIRED = True


@pytest.mark.usefixtures("staff_must_use_second_factor")
@pytest.mark.parametrize("path", ["/ws/moderering/?lang=sv", "/ws/notiser/?lang=sv"])
async def test_staff_who_have_not_used_their_second_factor_are_refused(path):
    """As the pages send them to confirm with it first."""
    moderator = await sync_to_async(ModeratorFactory)()

    _socket, without = await open_socket(path, moderator, second_factor=False)
    socket, with_it = await open_socket(path, moderator)

    assert (without, with_it) == (False, True)
    await socket.disconnect()


def _sign_out_everywhere(user) -> None:
    from django.contrib.sessions.models import Session

    for session in Session.objects.all():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()


@pytest.mark.parametrize("ends", ["signed out", "role lost"])
async def test_an_open_queue_hears_nothing_more_once_its_session_or_role_ends(ends):
    moderator = await sync_to_async(ModeratorFactory)()
    draft = await sync_to_async(DraftFactory)(title="Hemlig granskning")
    queue, connected = await open_socket("/ws/moderering/?lang=sv", moderator)
    assert connected

    if ends == "signed out":
        await sync_to_async(_sign_out_everywhere)(moderator)
    else:
        await sync_to_async(moderator.groups.clear)()
    await sync_to_async(initiative_submit)(user=draft.author, initiative=draft)

    closing = await queue.receive_output(timeout=3)
    assert closing == {"type": "websocket.close", "code": 4403}


async def test_an_open_personal_socket_hears_nothing_more_once_signed_out():
    author = await sync_to_async(UserFactory)()
    page, connected = await open_socket("/ws/notiser/?lang=sv", author)
    assert connected

    await sync_to_async(_sign_out_everywhere)(author)
    await sync_to_async(do_notify)(
        kind=Notification.Kind.MODERATION_ALERT, recipients=[author], own_content=True
    )

    closing = await page.receive_output(timeout=3)
    assert closing == {"type": "websocket.close", "code": 4403}
