"""Pages the same for every reader, kept for signed-in people too (core/pagecache.py,
SharedPageCache): served again without being made, with each reader's own personal parts (name,
notifications, staff links, CSRF token, block notice, messages) and nobody else's."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.urls import reverse

from core import pagecache
from ideas.views import initiative_detail
from notifications import unread
from tests.core.pages import LIST, NONCE, text
from tests.factories import (
    InitiativeFactory,
    ModeratorFactory,
    NotificationFactory,
    ResponderFactory,
    UserFactory,
    blocked_user,
)

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOGOUT = reverse("account_logout")


# What rendering the layout's personal parts renders, on a kept page too.
PERSONAL_PARTS = {"staff-links", "account", "notices", "notifications/_badge.html"}


def made(response) -> bool:
    """Whether the response was made by its view (templates rendered beyond the layout's
    personal parts), not served kept."""
    return any(template.name not in PERSONAL_PARTS for template in response.templates)


def signed_in(person, **client_options) -> Client:
    client = Client(**client_options)
    client.force_login(person)
    return client


@pytest.fixture
def initiative():
    return InitiativeFactory(title="Bänkar vid Sundstorget")


@pytest.fixture
def pages(initiative):
    """The pages marked @same_for_every_reader, with something on each, by name."""
    fokusomrade = initiative.fokusomrade
    return {
        "home": "/",
        "list": LIST,
        "list sorted": f"{LIST}?sort=mest-stod",
        "programme": "/programmet/",
        "direction": fokusomrade.viljeinriktning.get_absolute_url(),
        "focus area": fokusomrade.get_absolute_url(),
        "list in English": "/en/initiativ/",
    }


def test_a_resident_is_served_the_page_kept_for_another_with_their_own_name(
    django_assert_max_num_queries,
):
    InitiativeFactory(title="Bänkar vid Sundstorget")
    # Everyone exists before the first page is kept: a new account starts a new generation.
    first_reader = signed_in(UserFactory(display_name="Anna Först"))
    second_reader = signed_in(UserFactory(display_name="Bertil Sedan"))
    first = first_reader.get(LIST)

    # The session, the person, and their unread notifications: nothing of the page itself.
    with django_assert_max_num_queries(3):
        again = second_reader.get(LIST)

    assert made(first)
    assert not made(again)
    assert again.status_code == 200
    assert "Bänkar vid Sundstorget" in text(again)
    assert "Bertil Sedan" in text(again)
    assert "Anna Först" not in text(again)


@pytest.mark.parametrize(
    "page",
    ["home", "list", "list sorted", "programme", "direction", "focus area", "list in English"],
)
def test_every_kept_page_costs_its_reader_three_queries_at_most(
    pages, page, django_assert_max_num_queries
):
    """The session, the person and their unread notifications, on every marked page: nothing
    of the page itself, however much it shows."""
    first_reader, second_reader = signed_in(UserFactory()), signed_in(UserFactory())
    first = first_reader.get(pages[page])

    with django_assert_max_num_queries(3):
        again = second_reader.get(pages[page])

    assert made(first)
    assert not made(again)
    assert again.status_code == 200


@pytest.mark.parametrize(
    "page",
    ["home", "list", "list sorted", "programme", "direction", "focus area", "list in English"],
)
def test_a_kept_page_is_what_the_reader_would_have_been_made(initiative, pages, settings, page):
    """The kept page with this reader's parts equals the page made for them, but for the nonce
    and the CSRF token, which are new in every response."""
    path = pages[page]
    reader = ModeratorFactory(display_name="Maja Moderator")
    NotificationFactory(recipient=reader, initiative=initiative, actor=UserFactory())
    someone_else = signed_in(UserFactory())
    client = signed_in(reader)
    someone_else.get(path)  # kept for someone else

    kept = client.get(path)
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "seconds": 0}
    fresh = signed_in(reader).get(path)

    def same(response) -> str:
        return CSRF.sub("", NONCE.sub("", text(response)))

    assert kept.status_code == fresh.status_code == 200
    assert not made(kept)
    assert made(fresh)
    assert same(kept) == same(fresh)
    assert "Maja Moderator" in text(kept)


ROLES = {
    "resident": (lambda: UserFactory(display_name="Rut Resident"), ["Rut Resident"]),
    "moderator": (
        lambda: ModeratorFactory(display_name="Mats Moderator"),
        ["Mats Moderator", 'href="/en/moderering/"', 'href="/en/handlaggning/"'],
    ),
    "responder": (
        lambda: ResponderFactory(display_name="Rakel Handläggare"),
        ["Rakel Handläggare", 'href="/en/handlaggning/"'],
    ),
    "blocked": (
        lambda: blocked_user(user__display_name="Bo Blockerad", reason="Upprepade påhopp."),
        ["Bo Blockerad", "Your account is blocked until", "Upprepade påhopp."],
    ),
}


@pytest.mark.parametrize(
    ("maker", "reader"), [(maker, reader) for maker in ROLES for reader in ROLES if maker != reader]
)
def test_each_role_sees_its_own_parts_and_nobody_elses(maker, reader):
    """Over every pair of roles: whoever the page was kept for, the reader sees their own name,
    links and notices, and none of the one who made it."""
    make, made_shows = ROLES[maker]
    read, reader_shows = ROLES[reader]
    path = "/en/initiativ/"
    maker_client, reader_client = signed_in(make()), signed_in(read())
    maker_client.get(path)

    response = reader_client.get(path)

    assert not made(response)
    for shown in reader_shows:
        assert shown in text(response), shown
    for shown in set(made_shows) - set(reader_shows):
        assert shown not in text(response), shown


def test_a_visitor_with_a_session_gets_the_visitors_parts_not_a_persons(client):
    InitiativeFactory()
    signed_in(UserFactory(display_name="Anna Först")).get(LIST)
    visitor = Client()
    visitor.get(LIST)
    visitor.cookies["sessionid"] = "not-a-session-of-anyone"

    first = visitor.get(LIST)
    again = visitor.get(LIST)

    assert made(first)
    assert not made(again)
    assert "Anna Först" not in text(again)
    assert 'href="/konto/login/"' in text(again)


def test_the_csrf_token_on_a_kept_page_is_the_readers_own():
    """The sign-out form of a kept page works for its reader: its token is made for them."""
    InitiativeFactory()
    someone_else = signed_in(UserFactory())
    reader = signed_in(UserFactory(), enforce_csrf_checks=True)
    someone_else.get(LIST)

    page = reader.get(LIST)
    (token,) = CSRF.findall(text(page))
    signed_out = reader.post(LOGOUT, {"csrfmiddlewaretoken": token})

    assert not made(page)
    assert signed_out.status_code == 302
    assert "_auth_user_id" not in reader.session


def test_a_readers_waiting_message_shows_once_on_a_kept_page(rf):
    InitiativeFactory()
    someone_else, reader = signed_in(UserFactory()), signed_in(UserFactory())
    someone_else.get(LIST)
    waiting = CookieStorage(rf.get("/"))._encode([Message(messages.SUCCESS, "Tack för ditt stöd.")])
    reader.cookies[CookieStorage.cookie_name] = waiting

    shown = reader.get(LIST)
    later = reader.get(LIST)

    assert not made(shown)
    assert "Tack för ditt stöd." in text(shown)
    assert "Tack för ditt stöd." not in text(later)


def test_a_new_notification_shows_on_the_kept_page(django_capture_on_commit_callbacks):
    """A notification starts no new generation: the badge is rendered for each response."""
    initiative = InitiativeFactory()
    reader, actor = UserFactory(), UserFactory()
    client = signed_in(reader)
    client.get(LIST)
    before = pagecache.generation()

    with django_capture_on_commit_callbacks(execute=True):
        NotificationFactory(recipient=reader, initiative=initiative, actor=actor)
        unread.forget([reader.pk])  # as notifying does
    response = client.get(LIST)

    assert pagecache.generation() == before
    assert not made(response)
    assert 'class="badge">1<' in text(response)


def test_a_public_change_shows_at_once_to_signed_in_readers():
    initiative = InitiativeFactory(title="Före ändringen")
    client = signed_in(UserFactory())
    client.get(LIST)

    initiative.title = "Efter ändringen"
    initiative.save()

    assert "Efter ändringen" in text(client.get(LIST))


def test_staff_without_their_second_factor_are_stopped_before_any_kept_page(settings):
    settings.STAFF_MFA_REQUIRED = True
    InitiativeFactory()
    resident, moderator = signed_in(UserFactory()), signed_in(ModeratorFactory())
    resident.get(LIST)
    assert not made(resident.get(LIST))

    response = moderator.get(LIST)

    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/totp/activate/"


def test_pages_not_marked_are_made_for_every_signed_in_reader():
    """An initiative's page shows the reader's support, follow and own comments: never kept
    for signed-in readers."""
    initiative = InitiativeFactory()
    client, other = signed_in(UserFactory()), signed_in(UserFactory())
    client.get(initiative.get_absolute_url())

    assert not getattr(initiative_detail, "same_for_every_reader", False)
    assert made(other.get(initiative.get_absolute_url()))


def test_htmx_requests_and_off_make_the_page(settings):
    InitiativeFactory()
    client = signed_in(UserFactory())
    client.get(LIST)

    assert made(client.get(LIST, headers={"HX-Request": "true"}))
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "seconds": 0}
    assert made(client.get(LIST))


@pytest.mark.parametrize(
    ("own_part", "kept"), [("<form>{% csrf_token %}</form>", False), ("", True)]
)
def test_a_marked_page_with_a_csrf_token_outside_the_personal_parts_is_not_kept(rf, own_part, kept):
    """A marked view that puts a form of its reader's in its own part would hand that reader's
    token to the next: the middleware refuses to keep it. The same page without the form is
    kept, and served to the second reader without the view."""
    page = engines["django"].from_string(
        f"<!--person:account-->{{{{ user }}}}<!--/person:account-->{own_part}"
    )

    @pagecache.same_for_every_reader
    def view(request):
        return HttpResponse(page.render(request=request))

    readers = [UserFactory(), UserFactory()]  # both before the first page: a new account
    # starts a new generation, which would make the second page whatever the middleware did.

    def request(reader):
        made = rf.get("/en/initiativ/")
        made.COOKIES["sessionid"] = "a session"
        made.user = reader
        made._csp_nonce = "n0nce"
        return made

    middleware = pagecache.SharedPageCache(view)
    first, second = request(readers[0]), request(readers[1])
    assert middleware.process_view(first, view, (), {}) is None
    middleware(first)
    served = middleware.process_view(second, view, (), {})

    assert (served is not None) == kept


def test_a_page_still_names_its_own_part_of_the_personal_socket():
    """The notification centre asks its socket for the list too: a child template's block
    inside the layout's personal part still overrides the layout's."""
    client = signed_in(UserFactory())

    centre = text(client.get(reverse("notifications:list")))
    elsewhere = text(client.get(LIST))

    assert 'ws-connect="/ws/notiser/?lang=sv&amp;lista=1"' in centre
    assert 'ws-connect="/ws/notiser/?lang=sv"' in elsewhere
