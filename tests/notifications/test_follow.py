"""Following: by choice, automatically, and stopping for good."""

import pytest
from django.utils import timezone

from notifications.actions import (
    do_follow,
    do_follow_automatically,
    do_unfollow,
    followers_of,
    is_following,
)
from notifications.models import Follow
from tests.factories import DraftFactory, InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_person_who_follows_is_among_the_followers():
    person, initiative = UserFactory(), InitiativeFactory()

    do_follow(user=person, initiative=initiative)

    assert list(followers_of(initiative)) == [person]
    assert is_following(user=person, initiative=initiative)


def test_unfollowing_keeps_the_row_so_automatic_follows_do_not_start_it_again():
    person, initiative = UserFactory(), InitiativeFactory()
    do_follow_automatically(user=person, initiative=initiative)

    do_unfollow(user=person, initiative=initiative)
    do_follow_automatically(user=person, initiative=initiative)

    assert list(followers_of(initiative)) == []
    assert Follow.objects.get(user=person, initiative=initiative).active is False


def test_unfollowing_what_one_never_followed_also_stops_automatic_follows():
    person, initiative = UserFactory(), InitiativeFactory()

    do_unfollow(user=person, initiative=initiative)
    do_follow_automatically(user=person, initiative=initiative)

    assert not is_following(user=person, initiative=initiative)


def test_following_again_by_choice_after_stopping_works():
    person, initiative = UserFactory(), InitiativeFactory()
    do_follow(user=person, initiative=initiative)
    do_unfollow(user=person, initiative=initiative)

    do_follow(user=person, initiative=initiative)

    assert is_following(user=person, initiative=initiative)
    assert Follow.objects.count() == 1


def test_followers_leave_out_inactive_and_deleted_accounts():
    initiative = InitiativeFactory()
    active = UserFactory()
    for person in (active, UserFactory(is_active=False), UserFactory(deleted_at=timezone.now())):
        do_follow(user=person, initiative=initiative)

    assert list(followers_of(initiative)) == [active]


def test_the_follow_button_follows_and_unfollows(client):
    person, initiative = UserFactory(), InitiativeFactory()
    client.force_login(person)
    url = f"/initiativ/{initiative.pk}/folj/"

    response = client.post(url, {"folj": "1"})
    assert response.status_code == 302
    assert response["Location"] == initiative.get_absolute_url()
    assert is_following(user=person, initiative=initiative)

    response = client.post(url, {"folj": "0"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="follow-{initiative.pk}"' in response.text
    assert 'name="folj" value="1"' in response.text
    assert not is_following(user=person, initiative=initiative)


def test_a_visitor_is_offered_a_link_to_sign_in_and_come_back_to_follow(client):
    """A link, not a form: a visitor's page holds no CSRF token (core.pagecache keeps it)."""
    initiative = InitiativeFactory()

    page = client.get(initiative.get_absolute_url()).content.decode()

    follow = page[page.index(f'id="follow-{initiative.pk}"') :].split("</p>")[0]
    assert f'href="/konto/login/?next={initiative.get_absolute_url()}"' in follow
    assert ">Följ<" in follow
    assert "<form" not in follow


def test_visitors_are_sent_to_sign_in_and_hidden_initiatives_cannot_be_followed(client):
    initiative = InitiativeFactory()
    response = client.post(f"/initiativ/{initiative.pk}/folj/", {"folj": "1"})
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]

    client.force_login(UserFactory())
    draft = DraftFactory()
    assert client.post(f"/initiativ/{draft.pk}/folj/", {"folj": "1"}).status_code == 404
    assert client.get(f"/initiativ/{initiative.pk}/folj/").status_code == 405
    assert Follow.objects.count() == 0
