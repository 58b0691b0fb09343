"""Signed one-click unsubscribe tokens: whoever holds the link from the email may use it,
without signing in, for exactly one person and one category of email."""

from django.core import signing

SALT = "notifications.unsubscribe"
# Links in old emails keep working for a year; after that the settings page is the way.
MAX_AGE = 60 * 60 * 24 * 365
CATEGORIES = ("own_content", "followed", "all")


def make_token(user_pk: int, category: str) -> str:
    assert category in CATEGORIES
    return signing.dumps({"u": user_pk, "c": category}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, str]:
    """The person and category of a token; BadSignature (SignatureExpired included) if it
    was tampered with, is too old or says something unexpected."""
    data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    if not isinstance(data, dict) or data.get("c") not in CATEGORIES:
        raise signing.BadSignature("Unexpected token content")
    if not isinstance(data.get("u"), int):
        raise signing.BadSignature("Unexpected token content")
    return data["u"], data["c"]
