"""An initiative's followers hear outside the request (notifications.fanout), and live messages
are rendered once per event and go only to people with a socket open (notifications.presence)."""

import pytest
from asgiref.sync import sync_to_async
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import live as transport
from ideas.actions import comment_add
from notifications import fanout, presence
from notifications.actions import do_follow, do_unfollow
from notifications.live import _Fragments, user_group
from notifications.models import Notification
from tests.factories import InitiativeFactory, UserFactory
from tests.sessions import sign_in
from tests.sockets import connected

Kind = Notification.Kind


def _followed_by(count: int):
    initiative = InitiativeFactory()
    for person in UserFactory.create_batch(count):
        do_follow(user=person, initiative=initiative)
    return initiative


def _post_comment(client, initiative, body: str):
    return client.post(
        f"/initiativ/{initiative.pk}/kommentarer/", {"body": body}, headers={"HX-Request": "true"}
    )


@pytest.mark.django_db
def test_a_comments_request_costs_the_same_with_200_followers_as_with_5(
    client, deferred_tasks, django_capture_on_commit_callbacks
):
    """The request enqueues one task whatever the number of followers, and creates none of
    their notifications itself."""
    costs = []
    for followers in (5, 200):
        initiative = _followed_by(followers)
        sign_in(client, UserFactory())
        deferred_tasks.clear()
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = _post_comment(client, initiative, "Ett förslag på plats.")
        assert response.status_code == 200
        fanouts = [
            result for result in deferred_tasks.results if result.task.name == "notify_followers"
        ]
        assert len(fanouts) == 1
        assert fanouts[0].kwargs["initiative_id"] == initiative.pk
        assert not Notification.objects.filter(
            initiative=initiative, kind=Kind.COMMENT_ON_FOLLOWED
        ).exists()
        costs.append(len(queries))
    assert costs[0] == costs[1], costs


@pytest.mark.django_db
def test_the_task_tells_each_active_follower_once_a_slice_at_a_time(monkeypatch, committing):
    monkeypatch.setattr(fanout, "SLICE", 2)
    initiative = InitiativeFactory()
    followers = UserFactory.create_batch(5)
    stopped, gone, commenter = UserFactory(), UserFactory(is_active=False), UserFactory()
    for person in (*followers, stopped, gone, commenter):
        do_follow(user=person, initiative=initiative)
    do_unfollow(user=stopped, initiative=initiative)

    with committing():
        comment = comment_add(user=commenter, initiative=initiative, body="Jag hjälper till.")

    told = Notification.objects.filter(comment=comment, kind=Kind.COMMENT_ON_FOLLOWED)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        person.pk for person in followers
    )
    assert all(not item.own_content for item in told)
    assert not Notification.objects.filter(recipient__in=[stopped, gone, commenter]).exists()


@pytest.mark.django_db
def test_the_task_for_a_comment_removed_since_tells_no_one(committing):
    initiative = _followed_by(3)
    arguments = {"kind": Kind.COMMENT_ON_FOLLOWED, "initiative_id": initiative.pk}

    told = fanout.notify_followers.call(
        **arguments, comment_id=10**9, actor_id=None, extra={}, exclude=[]
    )

    assert told == 0
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_only_followers_with_a_socket_open_get_a_live_message(
    capture_live, sockets_open, committing
):
    initiative = InitiativeFactory()
    watching, away = UserFactory(), UserFactory()
    for person in (watching, away):
        do_follow(user=person, initiative=initiative)
    sockets_open(watching)

    with capture_live() as sent:
        comment_add(user=UserFactory(), initiative=initiative, body="Bra!")

    personal = [group for group, message in sent if message["type"] == "notification.added"]
    assert personal == [user_group(watching.pk)]
    assert Notification.objects.filter(recipient=away).count() == 1  # told, only not live


@pytest.mark.django_db
def test_an_events_fragments_are_rendered_once_however_many_are_watching(
    capture_live, sockets_open
):
    """Each recipient gets their own number in the item, their own count in the badge; the
    templates run once per language, and once more per distinct count."""
    render = transport.render

    def renders_for(watchers: int) -> tuple[int, list[tuple[str, dict]]]:
        initiative = _followed_by(watchers)
        sockets_open(*(follow.user for follow in initiative.follows.all()))
        rendered = []
        with pytest.MonkeyPatch.context() as patch, capture_live() as sent:
            patch.setattr(
                transport,
                "render",
                lambda template, context, language: (
                    rendered.append(template) or render(template, context, language)
                ),
            )
            comment_add(user=UserFactory(), initiative=initiative, body="Vi ses där.")
        return len(rendered), sent

    few, _ = renders_for(2)
    many, sent = renders_for(30)

    assert few == many
    added = [(group, message) for group, message in sent if message["type"] == "notification.added"]
    assert len(added) == 30
    for group, message in added:
        recipient = int(group.removeprefix("user-"))
        notification = Notification.objects.get(recipient_id=recipient)
        for language in ("sv", "en"):
            item = message["list_html"][language]
            assert f'id="notis-{notification.pk}"' in item
            assert f"/notiser/{notification.pk}/las/" in item
            assert '<span class="badge">1<' in message["html"][language]


@pytest.mark.django_db
def test_a_title_that_holds_the_stand_in_number_is_shown_as_written(capture_live, sockets_open):
    title = f"Plats nummer {_Fragments.STAND_IN}"
    initiative = InitiativeFactory(title=title)
    people = UserFactory.create_batch(2)
    for person in people:
        do_follow(user=person, initiative=initiative)
    sockets_open(*people)

    with capture_live() as sent:
        comment_add(user=UserFactory(), initiative=initiative, body="Hej.")

    added = [message for _group, message in sent if message["type"] == "notification.added"]
    assert len(added) == 2
    for message in added:
        assert title in message["html"]["sv"]
        assert title in message["list_html"]["sv"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_personal_socket_counts_as_open_until_it_closes():
    person = await sync_to_async(UserFactory)()

    def present() -> bool:
        return person.pk in presence.with_open_sockets([person.pk])

    assert not await sync_to_async(present)()
    first = await connected("/ws/notiser/?lang=sv", person)
    second = await connected("/ws/notiser/?lang=en", person)
    assert await sync_to_async(present)()

    await first.disconnect()
    assert await sync_to_async(present)(), "the second tab is still open"
    await second.disconnect()
    assert not await sync_to_async(present)()


@pytest.mark.django_db(transaction=True)
def test_a_queue_that_fails_leaves_the_comment_stored_and_no_error_page(client, monkeypatch):
    initiative = _followed_by(2)
    sign_in(client, UserFactory())

    class QueueDown:
        def enqueue(self, **kwargs):
            raise ConnectionError("the task queue does not answer")

    monkeypatch.setattr(fanout, "notify_followers", QueueDown())
    response = _post_comment(client, initiative, "Det här sparas ändå.")

    assert response.status_code == 200
    assert initiative.comments.filter(body="Det här sparas ändå.").exists()
