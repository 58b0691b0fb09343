"""Signing a test client in as allauth would, with or without the second factor."""

import time

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

# allauth keeps whose records they are beside them (allauth.account.internal.flows.login).
RECORDS_USER_KEY = "account_authentication_methods_user"


def sign_in(client, user, *, second_factor: bool = True) -> None:
    """Sign `client` in as `user` with the password and, unless told otherwise, TOTP: the
    session holds the records allauth writes for those steps, which the second-factor rule
    (accounts.permissions.needs_second_factor) reads."""
    client.force_login(user)
    session = client.session
    records = [{"method": "password", "at": time.time(), "email": user.email}]
    if second_factor:
        records.append({"method": "mfa", "at": time.time(), "type": "totp"})
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[RECORDS_USER_KEY] = str(user.pk)
    session.save()
