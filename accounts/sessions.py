"""Sessions as the sockets and the second-factor rule see them."""

from importlib import import_module

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
    load_backend,
)
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from accounts.permissions import needs_second_factor
from core.together import Together


def record_second_factor_setup(*, request, user, authenticator: Authenticator, **kwargs) -> None:
    """allauth records a second factor used to sign in or to confirm, not one just set up; the
    person has just typed a code from it, so this session has used it too. (allauth has no
    public call for this; its internal one is pinned by the version range in pyproject.toml and
    tests/accounts/test_staff_two_factor.py notices if it changes.)"""
    if authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)


def socket_person(scope):
    """The socket's person as their session stands now, or None: once the session was signed
    out, deleted or has expired, the password changed (Django's own check), it is another
    person's, or staff have not used their second factor in it. Sockets that carry personal or
    staff content ask before each message. Only reads: a session signed under a retired secret
    key still listens, and is renewed by the person's next page, as Django's get_user does."""
    return socket_people([scope])[0]


def socket_people(scopes: list) -> list:
    """socket_person for many sockets at once, as a burst of messages asks: every session in
    one query and every person in one more, whatever the number of sockets. The same rules as
    socket_person, which Django's get_user applies there and this applies here to sessions read
    together: the session exists and has not expired, names a backend in use and a person who
    may sign in, and carries that person's password hash (or one under a fallback secret key);
    the person is the socket's; staff have used their second factor in it (the equivalence is
    tests/accounts/test_socket_sessions.py's)."""
    sessions = _sessions({scope["session"].session_key for scope in scopes} - {None})
    people = _people(sessions.values())
    return [_person(sessions.get(scope["session"].session_key), people, scope) for scope in scopes]


def _sessions(keys: set[str]) -> dict[str, dict]:
    """The data of the sessions that exist and have not expired, by key: from the sessions
    table in one query, or from another engine one by one (reading only)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not issubclass(store, DatabaseSessionStore):
        return {key: store(session_key=key).load() for key in keys}
    rows = store.get_model_class().objects.filter(
        session_key__in=keys, expire_date__gt=timezone.now()
    )
    return {row.session_key: store().decode(row.session_data) for row in rows}


def _people(sessions) -> dict:
    """The people the sessions name, by backend and id, each backend asked once."""
    wanted: dict[str, set] = {}
    for session in sessions:
        backend, user_id = session.get(BACKEND_SESSION_KEY), _user_id(session)
        if backend in settings.AUTHENTICATION_BACKENDS and user_id is not None:
            wanted.setdefault(backend, set()).add(user_id)
    people = {}
    for backend, ids in wanted.items():
        loaded = load_backend(backend)
        found = loaded.get_users(ids) if hasattr(loaded, "get_users") else {
            pk: user for pk in ids if (user := loaded.get_user(pk)) is not None
        }  # fmt: skip
        people.update({(backend, pk): user for pk, user in found.items()})
    return people


def _user_id(session: dict):
    """The id the session was signed in as, or None when it has none that could be one: one
    session that cannot be read must not fail the check of the others asked with it."""
    try:
        return get_user_model()._meta.pk.to_python(session[SESSION_KEY])
    except (KeyError, TypeError, ValidationError):
        return None


def _person(session: dict | None, people: dict, scope):
    if session is None:
        return None
    person = people.get((session.get(BACKEND_SESSION_KEY), _user_id(session)))
    if person is None or person.pk != scope["user"].pk:
        return None
    session_hash = session.get(HASH_SESSION_KEY)
    hashes = [person.get_session_auth_hash(), *person.get_session_auth_fallback_hash()]
    if not session_hash or not any(constant_time_compare(session_hash, h) for h in hashes):
        return None
    return None if needs_second_factor(person, session) else person


# socket_person, asked from a socket's own coroutine together with the other sockets of its event
# loop asking within the same 10 ms: a burst of messages (a comment's followers told) is read
# from the channel layer one message at a time, so without the window each check would go alone.
# socket_people is looked up at each call (tests replace it).
SOCKET_CHECK_WINDOW = 0.01
socket_person_now = Together(lambda scopes: socket_people(scopes), window=SOCKET_CHECK_WINDOW)
