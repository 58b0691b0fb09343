"""Sessions as the sockets and the second-factor rule see them."""

from importlib import import_module
from types import SimpleNamespace

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user


def record_second_factor_setup(*, request, user, authenticator: Authenticator, **kwargs) -> None:
    """allauth records a second factor used to sign in or to confirm, not one just set up; the
    person has just typed a code from it, so this session has used it too. (allauth has no
    public call for this; its internal one is pinned by the version range in pyproject.toml and
    tests/accounts/test_staff_two_factor.py notices if it changes.)"""
    if authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)


def signed_in_user(session_key: str | None):
    """Who the session is signed in as now: AnonymousUser for a session that was signed out,
    deleted or has expired, or whose password changed since (Django's own check)."""
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore(session_key=session_key)
    return get_user(SimpleNamespace(session=session)), session
