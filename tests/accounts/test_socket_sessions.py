"""Personal sockets check their session before each message. socket_people checks many at
once, as a burst to many open pages asks, and must answer exactly as Django's own get_user
would, one socket at a time (`alone`, the rule as it was written before)."""

import asyncio
from datetime import timedelta
from importlib import import_module
from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth import get_user
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import sessions
from accounts.models import User
from accounts.permissions import needs_second_factor
from accounts.sessions import socket_people, socket_person_now
from tests.factories import ModeratorFactory, UnverifiedUserFactory, UserFactory


def signed_in(user) -> dict:
    """A socket's scope: the session a sign-in made, and the person it was opened as."""
    client = Client()
    client.force_login(user)
    return {"session": SimpleNamespace(session_key=client.session.session_key), "user": user}


def cases(settings) -> dict[str, dict]:
    """A socket for each way a session may still allow it, or no longer."""
    settings.STAFF_MFA_REQUIRED = True
    scopes = {
        "resident": signed_in(UserFactory()),
        "unverified email": signed_in(UnverifiedUserFactory()),
        "signed out": signed_in(UserFactory()),
        "expired": signed_in(UserFactory()),
        "password changed": signed_in(UserFactory()),
        "deactivated": signed_in(UserFactory()),
        "moderator without the second factor": signed_in(ModeratorFactory()),
    }
    other = signed_in(UserFactory())
    scopes["another person's session"] = {"session": other["session"], "user": UserFactory()}
    scopes["no session"] = {"session": SimpleNamespace(session_key=None), "user": UserFactory()}
    Session.objects.filter(session_key=scopes["signed out"]["session"].session_key).delete()
    Session.objects.filter(session_key=scopes["expired"]["session"].session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    changed = User.objects.get(pk=scopes["password changed"]["user"].pk)
    changed.set_password("ett helt annat lösenord")
    changed.save()
    User.objects.filter(pk=scopes["deactivated"]["user"].pk).update(is_active=False)
    return scopes


def alone(scope):
    """One socket's person as Django's get_user reads its session, with the same rules."""
    store = SessionStore(session_key=scope["session"].session_key)
    person = get_user(SimpleNamespace(session=store))
    if person.pk is None or person.pk != scope["user"].pk or needs_second_factor(person, store):
        return None
    return person


@pytest.fixture
def closes_the_database_thread():
    """Checks run in Channels' database thread; close its connection after the test, or the
    test database cannot be dropped at the end of the run."""
    yield
    asyncio.run(database_sync_to_async(connections.close_all)())


def pks(people) -> list:
    return [person.pk if person is not None else None for person in people]


@pytest.mark.django_db
def test_together_each_socket_is_answered_as_when_asked_alone(settings):
    scopes = cases(settings)

    together = pks(socket_people(list(scopes.values())))
    one_by_one = pks(alone(scope) for scope in scopes.values())

    assert together == one_by_one
    allowed = {name for name, pk in zip(scopes, together, strict=True) if pk is not None}
    assert allowed == {"resident", "unverified email"}


@pytest.mark.django_db
def test_a_session_that_cannot_be_read_fails_only_its_own_socket():
    fine = signed_in(UserFactory())
    broken = signed_in(UserFactory())
    store = SessionStore(session_key=broken["session"].session_key)
    store["_auth_user_id"] = "not a number"
    store.save()

    assert pks(socket_people([fine, broken])) == [fine["user"].pk, None]


@pytest.mark.django_db
def test_sessions_kept_elsewhere_than_the_table_are_read_by_their_engine(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    kept, signed_out = signed_in(UserFactory()), signed_in(UserFactory())
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore(session_key=signed_out["session"].session_key).delete()

    assert pks(socket_people([kept, signed_out])) == [kept["user"].pk, None]


@pytest.mark.django_db
def test_the_second_factor_done_in_the_session_lets_staff_listen(settings):
    scope = cases(settings)["moderator without the second factor"]
    settings.STAFF_MFA_REQUIRED = False

    assert pks(socket_people([scope])) == [scope["user"].pk] == pks([alone(scope)])


@pytest.mark.django_db
def test_a_session_signed_under_a_retired_secret_key_still_listens(settings):
    scope = signed_in(UserFactory())
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a new secret key, the old one kept as a fallback"

    assert pks(socket_people([scope])) == [scope["user"].pk]
    # Only read: the session is still there for the person's next page to renew.
    assert Session.objects.filter(session_key=scope["session"].session_key).exists()
    settings.SECRET_KEY_FALLBACKS = []
    assert pks(socket_people([scope])) == [None]


@pytest.mark.django_db
def test_many_sockets_cost_the_queries_of_a_few(settings):
    few = [signed_in(UserFactory()) for _ in range(3)]
    many = [signed_in(UserFactory()) for _ in range(40)]

    with CaptureQueriesContext(connection) as for_few:
        assert None not in socket_people(few)
    with CaptureQueriesContext(connection) as for_many:
        assert None not in socket_people(many)

    assert len(for_many) == len(for_few) == 2


@pytest.mark.django_db(transaction=True)
def test_sockets_asking_at_once_are_answered_by_one_check(monkeypatch, closes_the_database_thread):
    scopes = [signed_in(UserFactory()) for _ in range(30)]
    signed_out = signed_in(UserFactory())
    Session.objects.filter(session_key=signed_out["session"].session_key).delete()
    batches = []

    def counted(asking):
        batches.append(len(asking))
        return socket_people(asking)

    monkeypatch.setattr(sessions, "socket_people", counted)

    async def all_at_once():
        return await asyncio.gather(*(socket_person_now(s) for s in [*scopes, signed_out]))

    people = asyncio.run(all_at_once())

    assert pks(people) == [scope["user"].pk for scope in scopes] + [None]
    assert batches == [31]


@pytest.mark.django_db(transaction=True)
def test_sockets_asking_one_after_another_within_the_window_share_one_check(
    monkeypatch, closes_the_database_thread
):
    """Messages are read from the channel layer one at a time, so the sockets of a burst ask a
    moment apart: those within the window still go in one check."""
    scopes = [signed_in(UserFactory()) for _ in range(5)]
    batches = []

    def counted(asking):
        batches.append(len(asking))
        return socket_people(asking)

    monkeypatch.setattr(sessions, "socket_people", counted)
    # A wide window, so that a slow machine's sleeps cannot make the asks miss it.
    monkeypatch.setattr(socket_person_now, "window", 0.5)

    async def a_moment_apart():
        asks = []
        for scope in scopes:
            asks.append(asyncio.ensure_future(socket_person_now(scope)))
            await asyncio.sleep(0.01)
        return await asyncio.gather(*asks)

    people = asyncio.run(a_moment_apart())

    assert pks(people) == [scope["user"].pk for scope in scopes]
    assert batches == [5]


@pytest.mark.django_db(transaction=True)
def test_a_check_that_fails_reaches_every_socket_that_asked(
    monkeypatch, closes_the_database_thread
):
    def down(asking):
        raise ConnectionError("the database is away")

    monkeypatch.setattr(sessions, "socket_people", down)
    scope = {"session": SimpleNamespace(session_key="x"), "user": SimpleNamespace(pk=1)}

    async def two_at_once():
        return await asyncio.gather(
            socket_person_now(scope), socket_person_now(scope), return_exceptions=True
        )

    outcomes = asyncio.run(two_at_once())

    assert [type(outcome) for outcome in outcomes] == [ConnectionError, ConnectionError]
    # The next ask starts a new check.
    monkeypatch.setattr(sessions, "socket_people", lambda asking: [None] * len(asking))
    assert asyncio.run(socket_person_now(scope)) is None
