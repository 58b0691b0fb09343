"""Whole pages for visitors without a session, kept for a few seconds.

A visitor who is not signed in and carries no session sees what every such visitor sees, in
their language. `AnonymousPageCache` keeps those pages, and serves them again while nothing
public has changed:

- **What changes a page.** Every save or delete of a model of the site's own apps starts a new
  *generation* (`changed`), except those that PAGE_CACHE names as changing no page on their own
  (a support only moves counts). A page is served only under the generation it was made in. So
  a hidden initiative, a new or edited comment, a new name or a programme change shows at once.
  The generation changes again when the change commits, so a page made from the state before
  the commit is never kept under the new one.
- **What may lag.** Counts moved by supports, and whatever depends on the clock, lag at most
  PAGE_CACHE["seconds"]. The page's live socket sends each new count as it happens.
- **What is never kept.** Anything for a visitor with a session or with messages waiting, htmx
  requests, other methods than GET, and every response that is not a plain 200 HTML page, that
  sets a cookie, that used the visitor's CSRF token or a message, or that says it is private.
- **The CSP nonce.** A kept page holds a placeholder where its nonce was; each response gets a
  fresh nonce in its place, and the CSP header names that one (the middleware sits inside
  Django's ContentSecurityPolicyMiddleware).

Entries live in the default cache: on Redis, every process serves and sees the same
generations. With a local-memory cache, each process has its own, which `make run`'s single
process does not notice.
"""

import secrets
import zlib

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.translation import get_language

from core.fragments import cache_key

GENERATION_KEY = "pages:generation"
NONCE_PLACEHOLDER = "\x00csp-nonce\x00"
# Headers of a kept page that belong to one response only; the outer middleware sets them again.
NOT_KEPT = {"set-cookie", "content-length", "content-security-policy", "date"}


def generation() -> str:
    """The current generation, started if the cache has none."""
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, secrets.token_hex(8), None)
        current = cache.get(GENERATION_KEY)
    return current or ""


def changed() -> None:
    """Something public changed: every kept page is out of date, now and once it commits."""
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, secrets.token_hex(8), None)


def page_key(request) -> str:
    """The page's address as the visitor asked for it (absolute links name the host), and the
    language it is in."""
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return cache_key("pages", get_language(), address)


def keeps(request) -> bool:
    """Whether this request may be answered from, and kept in, the cache."""
    seconds = settings.PAGE_CACHE["seconds"]
    return bool(
        seconds
        and request.method == "GET"
        and "HX-Request" not in request.headers
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def keepable(request, response) -> bool:
    """Whether the response looks the same to every visitor without a session. A page that
    used the visitor's CSRF token sets its cookie (CsrfViewMiddleware does on every response
    that used it), and a message added and shown in the same response sets none, so both are
    asked for."""
    messages = getattr(request, "_messages", None)
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not getattr(messages, "added_new", False)
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
    )


class AnonymousPageCache:
    """The middleware: after LocaleMiddleware (the language is the page's), inside
    ContentSecurityPolicyMiddleware (the nonce)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not keeps(request):
            return self.get_response(request)
        key = page_key(request)
        found = cache.get_many([GENERATION_KEY, key])
        current = found.get(GENERATION_KEY) or generation()
        kept = found.get(key)
        if kept is not None and kept["generation"] == current:
            return self._served(request, kept)
        response = self.get_response(request)
        if keepable(request, response):
            cache.set(key, self._kept(request, response, current), settings.PAGE_CACHE["seconds"])
        return response

    @staticmethod
    def _kept(request, response, current: str) -> dict:
        body = response.content.decode(response.charset)
        nonce = getattr(request, "_csp_nonce", None)
        if nonce:  # Generated, so the page may hold it.
            body = body.replace(str(nonce), NONCE_PLACEHOLDER)
        headers = {name: value for name, value in response.items() if name.lower() not in NOT_KEPT}
        # Compressed: what the cache holds is at most the pages made in PAGE_CACHE["seconds"],
        # which the servers' speed bounds, at a quarter of their size or less.
        return {"generation": current, "body": zlib.compress(body.encode(), 1), "headers": headers}

    @staticmethod
    def _served(request, kept: dict) -> HttpResponse:
        body = zlib.decompress(kept["body"]).decode()
        if NONCE_PLACEHOLDER in body:
            body = body.replace(NONCE_PLACEHOLDER, str(request._csp_nonce))
        return HttpResponse(body, headers=kept["headers"])


def changes_pages(model) -> bool:
    """Whether a save or delete of `model` may change a page (PAGE_CACHE)."""
    options = model._meta
    return (
        options.app_label in settings.PAGE_CACHE["changed_by_apps"]
        and options.label not in settings.PAGE_CACHE["not_changed_by"]
    )


def _on_change(sender, **kwargs) -> None:
    fields = kwargs.get("update_fields")
    ignored = settings.PAGE_CACHE["not_changed_by_fields"].get(sender._meta.label, ())
    if not (fields and set(fields) <= set(ignored)):
        changed()


def connect() -> None:
    """Start a new generation on every save or delete of a model a page may show (CoreConfig).
    Connected to those models only: a model with no receiver keeps Django's fast delete, so
    deleting many supports or notifications at once fetches none of them."""
    for label in settings.PAGE_CACHE["not_changed_by"]:
        apps.get_model(label)  # A name that is no model fails at start, not silently.
    for model in apps.get_models(include_auto_created=True):
        if changes_pages(model):
            uid = f"pagecache-{model._meta.label}"
            post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-delete")
            m2m_changed.connect(_on_change, sender=model, dispatch_uid=f"{uid}-m2m")
