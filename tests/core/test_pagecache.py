"""Whole pages for visitors without a session (core/pagecache.py): served again without being
made, with a nonce of their own, and never once something public has changed."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import pagecache
from ideas.actions import comment_add, support_set
from ideas.models import Support
from moderation.actions import content_hide
from notifications.models import Notification
from tests.core.pages import LIST, NONCE, text
from tests.factories import (
    CommentFactory,
    InitiativeFactory,
    ModeratorFactory,
    NotificationFactory,
    OrganisationFactory,
    PartnerOfferFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def made(response) -> bool:
    """Whether the response was made by a view (its templates rendered), not served kept."""
    return bool(response.templates)


def test_a_visitor_is_served_the_kept_page_without_anything_made(client, django_assert_num_queries):
    initiative = InitiativeFactory(title="Bänkar vid Sundstorget")
    first = client.get(LIST)

    with django_assert_num_queries(0):
        again = Client().get(LIST)

    assert made(first)
    assert not made(again)
    assert again.status_code == 200
    assert initiative.title in text(again)
    assert NONCE.sub("", text(again)) == NONCE.sub("", text(first))
    assert again["Content-Language"] == "sv"


def test_each_response_has_a_nonce_of_its_own_and_its_header_names_it(client):
    InitiativeFactory()
    responses = [Client().get(LIST) for _ in range(3)]

    nonces = []
    for response in responses:
        in_page = set(NONCE.findall(text(response)))
        assert len(in_page) == 1, in_page
        (nonce,) = in_page
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert len(set(nonces)) == 3
    assert not any(made(response) for response in responses[1:])


PUBLIC_PAGES = [
    "/",
    "/initiativ/",
    "/initiativ/?sort=mest-stod&q=bänkar",
    "{initiative}",
    "/programmet/",
    "{viljeinriktning}",
    "{fokusomrade}",
    "/organisationer/",
    "{organisation}",
    "/samarbeten/initiativ/",
    "/statistik/",
    "/om/",
    "/kontakt/",
]


@pytest.mark.parametrize("address", PUBLIC_PAGES)
def test_every_public_page_is_kept_for_visitors(client, address):
    """None holds a visitor's CSRF token or anything else of theirs: a form that needs one is
    offered to signed-in people only (a visitor gets a link to sign in)."""
    offer = PartnerOfferFactory()
    CommentFactory(initiative=offer.initiative)
    fokusomrade = offer.initiative.fokusomrade
    path = address.format(
        initiative=offer.initiative.get_absolute_url(),
        viljeinriktning=fokusomrade.viljeinriktning.get_absolute_url(),
        fokusomrade=fokusomrade.get_absolute_url(),
        organisation=OrganisationFactory().get_absolute_url(),
    )

    first = client.get(path)
    again = Client().get(path)

    assert first.status_code == 200
    assert made(first)
    assert "csrfmiddlewaretoken" not in text(first)
    assert not made(again)


def test_a_hidden_initiative_vanishes_at_once(client):
    initiative = InitiativeFactory(title="Ett initiativ som döljs")
    detail = initiative.get_absolute_url()
    assert initiative.title in text(client.get(LIST))
    assert client.get(detail).status_code == 200

    content_hide(moderator=ModeratorFactory(), text="Kränkande.", initiative=initiative)

    assert initiative.title not in text(Client().get(LIST))
    assert Client().get(detail).status_code == 404


def test_a_new_comment_and_a_new_name_show_at_once(client):
    initiative = InitiativeFactory()
    author = UserFactory(display_name="Ada Andersson")
    detail = initiative.get_absolute_url()
    client.get(detail)

    comment_add(user=author, initiative=initiative, body="Bra förslag, jag hjälper gärna till.")
    after_comment = Client().get(detail)
    author.display_name = "Ada Berg"
    author.save(update_fields=["display_name"])
    after_name = Client().get(detail)

    assert "Bra förslag, jag hjälper gärna till." in text(after_comment)
    assert "Ada Andersson" in text(after_comment)
    assert "Ada Berg" in text(after_name)


def test_a_programme_change_shows_at_once(client):
    initiative = InitiativeFactory()
    client.get(LIST)
    focus = initiative.fokusomrade
    focus.title_sv = "Ett nytt namn på fokusområdet"
    focus.save()

    assert "Ett nytt namn på fokusområdet" in text(Client().get(LIST))


def test_a_support_or_a_sign_in_keeps_the_pages(client):
    """Supports only move counts (the live socket sends them), and a sign-in only saves when
    the person last signed in: under load, neither may empty the cache."""
    initiative = InitiativeFactory()
    resident = UserFactory()
    client.get(LIST)
    before = pagecache.generation()

    support_set(user=resident, initiative=initiative, supported=True)
    Client().force_login(resident)  # Django's login, which saves last_login

    assert pagecache.generation() == before
    assert not made(Client().get(LIST))


def test_a_change_also_starts_a_new_generation_when_it_commits(
    django_capture_on_commit_callbacks,
):
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        CommentFactory()
    at_once = pagecache.generation()
    for callback in callbacks:
        callback()

    assert at_once != before
    assert pagecache.generation() != at_once


def test_signed_in_people_never_get_a_kept_page(client):
    InitiativeFactory()
    client.get(LIST)
    person = UserFactory(display_name="Berit Signerad")
    signed_in = Client()
    signed_in.force_login(person)

    response = signed_in.get(LIST)

    assert made(response)
    assert "Berit Signerad" in text(response)
    assert "Berit Signerad" not in text(Client().get(LIST))


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_visitor_with_a_session_or_waiting_messages_gets_a_page_made(client, cookie):
    client.get(LIST)
    visitor = Client()
    visitor.cookies[cookie] = "something"

    assert made(visitor.get(LIST))


def test_a_page_with_the_visitors_csrf_token_is_not_kept(client):
    sign_in = reverse("account_login")
    first = client.get(sign_in)
    again = client.get(sign_in)  # with the CSRF cookie the first set

    assert "csrfmiddlewaretoken" in text(first)
    assert made(again)
    assert made(Client().get(sign_in))


def test_languages_are_kept_apart(client):
    InitiativeFactory()
    swedish = client.get(LIST)
    english = Client().get(f"/en{LIST}")
    english_again = Client().get(f"/en{LIST}")

    assert swedish["Content-Language"] == "sv"
    assert english["Content-Language"] == "en"
    assert made(english)
    assert not made(english_again)
    assert '<html lang="en"' in text(english_again)


def test_htmx_requests_and_other_methods_are_not_served_kept_pages(client):
    InitiativeFactory()
    client.get(LIST)

    htmx = Client().get(LIST, headers={"HX-Request": "true"})
    head = Client().head(LIST)

    assert made(htmx)
    assert made(head)


def test_off_keeps_nothing(client, settings):
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "seconds": 0}
    InitiativeFactory()
    client.get(LIST)

    assert made(Client().get(LIST))


def test_deleting_many_supports_or_notifications_fetches_none_of_them():
    """No receiver on what changes no page, so Django deletes such rows in one statement."""
    initiative = InitiativeFactory()
    for person in UserFactory.create_batch(3):
        support_set(user=person, initiative=initiative, supported=True)
    NotificationFactory.create_batch(2)
    before = pagecache.generation()

    with CaptureQueriesContext(connection) as supports_deleted:
        Support.objects.filter(initiative=initiative).delete()
    with CaptureQueriesContext(connection) as notifications_deleted:
        Notification.objects.all().delete()

    assert [q["sql"].split()[0] for q in supports_deleted.captured_queries] == ["DELETE"]
    assert [q["sql"].split()[0] for q in notifications_deleted.captured_queries] == ["DELETE"]
    assert pagecache.generation() == before


def test_a_page_that_shows_a_message_added_for_it_is_not_kept(rf):
    """A message added and shown in the same response leaves no cookie behind."""
    request = rf.get(LIST)
    request.session = {}
    request._messages = FallbackStorage(request)
    page = HttpResponse("<p>Sparat.</p>", content_type="text/html; charset=utf-8")
    assert pagecache.keepable(request, page)

    messages.success(request, "Sparat.")
    list(messages.get_messages(request))  # shown

    assert not pagecache.keepable(request, page)


def test_a_page_kept_for_one_host_is_not_served_on_another(client, settings):
    """Absolute links in a page (its address for link previews) name the host it was asked on."""
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    InitiativeFactory()
    client.get(LIST)

    assert made(Client().get(LIST, headers={"host": "localhost"}))
    assert not made(Client().get(LIST, headers={"host": "localhost"}))
