"""The notification centre, the settings page and the one-click unsubscribe."""

import re

import pytest
from django.test import Client

from notifications.actions import do_notify, mark_read
from notifications.models import Frequency, Notification, NotificationSettings
from notifications.tokens import make_token
from tests.factories import CommentFactory, InitiativeFactory, UserFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def _notifications(recipient, number):
    initiative = InitiativeFactory()
    for index in range(number):
        comment = CommentFactory(initiative=initiative)
        do_notify(
            kind=Kind.COMMENT_ON_FOLLOWED if index % 2 else Kind.STATUS_CHANGED,
            recipients=[recipient],
            initiative=InitiativeFactory() if index % 3 else initiative,
            comment=comment,
            actor=comment.author,
            own_content=False,
            extra={"status": "answered"},
        )


def test_the_centre_runs_as_many_queries_for_50_notifications_as_for_5(client):
    person = UserFactory()
    client.force_login(person)
    _notifications(person, 5)
    small = page_queries(client, "/notiser/")

    _notifications(person, 45)
    large = page_queries(client, "/notiser/")

    assert large == small
    assert large <= 8


def test_the_centre_lists_only_ones_own_newest_first_with_unread_marked(client):
    person, other = UserFactory(), UserFactory()
    _notifications(person, 2)
    _notifications(other, 1)
    client.force_login(person)

    response = client.get("/notiser/")

    newest, oldest = Notification.objects.filter(recipient=person).order_by("-pk")
    assert response.text.index(f'id="notis-{newest.pk}"') < response.text.index(
        f'id="notis-{oldest.pk}"'
    )
    assert response.text.count("notification--unread") == 2
    assert f"/notiser/{newest.pk}/" in response.text
    other_pk = Notification.objects.get(recipient=other).pk
    assert f'id="notis-{other_pk}"' not in response.text


def test_the_centre_needs_signing_in(client):
    response = client.get("/notiser/")
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


def test_opening_a_notification_marks_it_read_and_leads_to_the_comment(client):
    person = UserFactory()
    _notifications(person, 1)
    notification = Notification.objects.get()
    client.force_login(person)

    response = client.get(f"/notiser/{notification.pk}/")

    assert response.status_code == 302
    expected = f"{notification.initiative.get_absolute_url()}#kommentar-{notification.comment_id}"
    assert response["Location"] == expected
    notification.refresh_from_db()
    assert notification.is_read


def test_nobody_can_open_or_read_someone_elses_notification(client):
    _notifications(UserFactory(), 1)
    notification = Notification.objects.get()
    client.force_login(UserFactory())

    assert client.get(f"/notiser/{notification.pk}/").status_code == 404
    assert client.post(f"/notiser/{notification.pk}/las/").status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_mark_one_and_mark_all_read(client, capture_live):
    person = UserFactory()
    _notifications(person, 3)
    first = Notification.objects.order_by("pk").first()
    client.force_login(person)

    with capture_live() as sent:
        assert client.post(f"/notiser/{first.pk}/las/").status_code == 302
    assert Notification.objects.unread().count() == 2
    (group, message), *_rest = sent
    assert group == f"user-{person.pk}"
    assert '<span class="badge">2<' in message["html"]["sv"]

    assert client.post("/notiser/markera-lasta/").status_code == 302
    assert Notification.objects.unread().count() == 0
    assert "notification--unread" not in client.get("/notiser/").text


def test_the_badge_pushed_live_equals_the_badge_of_a_page(client, capture_live):
    """Reading one of three: the badge the person's sockets get is the badge a page fetches."""
    person = UserFactory()
    _notifications(person, 3)
    client.force_login(person)

    with capture_live() as sent:
        mark_read(user=person, notification=Notification.objects.filter(recipient=person).first())

    [(group, message)] = sent
    page = client.get("/notiser/antal/").text
    assert group == f"user-{person.pk}"
    assert message["html"]["sv"] == page
    assert ">2<" in page
    assert page in client.get("/").text


def test_the_settings_page_saves_both_choices(client):
    person = UserFactory()
    client.force_login(person)
    assert client.get("/notiser/installningar/").status_code == 200

    response = client.post(
        "/notiser/installningar/", {"own_content": "digest", "followed": "immediate"}
    )

    assert response.status_code == 302
    preferences = NotificationSettings.objects.get(user=person)
    assert (preferences.own_content, preferences.followed) == ("digest", "immediate")


def test_unsubscribing_works_without_signing_in_and_without_a_csrf_token():
    person = UserFactory()
    url = f"/notiser/avregistrera/{make_token(person.pk, 'followed')}/"
    client = Client(enforce_csrf_checks=True)

    page = client.get(url)
    assert page.status_code == 200
    assert f'action="{url}"' in page.text
    assert not NotificationSettings.objects.filter(user=person).exists()

    response = client.post(url, "List-Unsubscribe=One-Click", content_type="text/plain")

    assert response.status_code == 200
    preferences = NotificationSettings.objects.get(user=person)
    assert preferences.followed == Frequency.NONE
    assert preferences.own_content == Frequency.IMMEDIATE


def test_an_unsubscribe_link_for_all_stops_both_categories(client):
    person = UserFactory()
    client.post(f"/notiser/avregistrera/{make_token(person.pk, 'all')}/")

    preferences = NotificationSettings.objects.get(user=person)
    assert preferences.followed == preferences.own_content == Frequency.NONE


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_unsubscribe_token_is_a_clear_400(client, method):
    person, victim = UserFactory(), UserFactory()
    token = make_token(person.pk, "own_content")
    tampered = token.replace(token.split(":")[0], make_token(victim.pk, "all").split(":")[0])

    for bad in (tampered, token[:-2] + "xx", "garbage"):
        response = getattr(client, method)(f"/notiser/avregistrera/{bad}/")
        assert response.status_code == 400
        assert 'href="/notiser/installningar/"' in response.text
    assert not NotificationSettings.objects.exists()


def test_mark_as_read_posts_with_the_pages_csrf_token():
    """An item that arrives live has no token of its own: its button submits the page's
    #notification-read-form, which holds one."""
    person = UserFactory()
    _notifications(person, 1)
    notification = Notification.objects.get()
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    page = client.get("/notiser/").content.decode()
    form = re.search(r'<form id="notification-read-form" method="post" hidden>(.*?)</form>', page)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(1)).group(1)
    url = f"/notiser/{notification.pk}/las/"
    assert f'form="notification-read-form" formaction="{url}"' in page

    assert client.post(url).status_code == 403
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    notification.refresh_from_db()
    assert notification.is_read
