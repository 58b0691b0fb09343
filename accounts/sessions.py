"""Sessions as the sockets and the second-factor rule see them."""

from importlib import import_module
from types import SimpleNamespace

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user

from accounts.permissions import needs_second_factor


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
    staff content ask before each message."""
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore(session_key=scope["session"].session_key)
    person = get_user(SimpleNamespace(session=session))
    if person.pk is None or person.pk != scope["user"].pk or needs_second_factor(person, session):
        return None
    return person
