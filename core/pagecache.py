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

`SharedPageCache` keeps the pages of views marked `@same_for_every_reader` for everyone else,
signed in or with a session: such a page differs between readers only in the layout's personal
parts, which the layout marks (`<!--person:NAME-->`, a partial of the same name in
PAGE_CACHE["parts_template"]). A kept page holds a placeholder for each; every response renders
them afresh for its reader, with their name, notification count, staff links, CSRF token, block
notice and messages. The generation, the lag and what is never kept are as above; a page that
carries a CSRF token outside the personal parts is not kept either.
"""

import functools
import re
import secrets
import zlib

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.template import RequestContext
from django.template.loader import get_template
from django.utils.translation import get_language

from core.fragments import cache_key

GENERATION_KEY = "pages:generation"
NONCE_PLACEHOLDER = "\x00csp-nonce\x00"
# Headers of a kept page that belong to one response only; the outer middleware sets them again.
NOT_KEPT = {"set-cookie", "content-length", "content-security-policy", "date"}
# The layout's personal parts, as PAGE_CACHE["parts_template"] marks them, and a kept page's
# placeholder for each.
PERSONAL_PART = re.compile(r"<!--person:([a-z-]+)-->.*?<!--/person:\1-->", re.DOTALL)
PART_PLACEHOLDER = re.compile("\x00person:([a-z-]+)\x00")


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


def per_generation(maxsize: int):
    """Keeps a read of public data in the process for each generation: `read(*args)` is then
    called as `kept(generation, *args)`, and read again only under a new generation (every change
    to the site's models starts one) or other arguments. The generation is the one the request
    read before the data, so what is kept is never older than the generation it is kept under.
    Without a generation (the cache unreachable) nothing says when the data change, and every
    call reads. What is kept serves every request at once: only read it, never change it."""

    def decorate(read):
        @functools.lru_cache(maxsize=maxsize)
        def kept_under(generation, *args):
            return read(*args)

        @functools.wraps(read)
        def kept(generation: str, *args):
            return kept_under(generation, *args) if generation else read(*args)

        kept.cache_clear = kept_under.cache_clear
        return kept

    return decorate


def page_key(request, reader: str = "visitor") -> str:
    """The page's address as the reader asked for it (absolute links name the host), the
    language it is in, and whether the reader is signed in."""
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return cache_key("pages", get_language(), reader, address)


def keeps(request, *, shared: bool = False) -> bool:
    """Whether this request may be answered from, and kept in, the cache: for a visitor
    without a session, or (`shared`) for everyone else."""
    seconds = settings.PAGE_CACHE["seconds"]
    has_session = (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or CookieStorage.cookie_name in request.COOKIES
    )
    return bool(
        seconds
        and request.method == "GET"
        and "HX-Request" not in request.headers
        and has_session == shared
    )


def keepable(request, response, *, shared: bool = False) -> bool:
    """Whether the response looks the same to every visitor without a session. A page that
    used the visitor's CSRF token sets its cookie (CsrfViewMiddleware does on every response
    that used it), and a message added and shown in the same response sets none, so both are
    asked for. A `shared` page renders its reader's cookies and messages in its personal parts,
    afresh for each reader, so those do not count."""
    messages = getattr(request, "_messages", None)
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and (shared or not response.cookies)
        and (shared or not getattr(messages, "added_new", False))
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
            return HttpResponse(kept_body(request, kept), headers=kept["headers"])
        response = self.get_response(request)
        if keepable(request, response):
            body = response.content.decode(response.charset)
            cache.set(key, entry(request, body, response, current), settings.PAGE_CACHE["seconds"])
        return response


def entry(request, body: str, response, current: str) -> dict:
    """What the cache keeps of a page: its body with a placeholder for the nonce, its headers
    and its generation."""
    nonce = getattr(request, "_csp_nonce", None)
    if nonce:  # Generated, so the page may hold it.
        body = body.replace(str(nonce), NONCE_PLACEHOLDER)
    headers = {name: value for name, value in response.items() if name.lower() not in NOT_KEPT}
    # Compressed: what the cache holds is at most the pages made in PAGE_CACHE["seconds"],
    # which the servers' speed bounds, at a quarter of their size or less.
    return {"generation": current, "body": zlib.compress(body.encode(), 1), "headers": headers}


def kept_body(request, kept: dict) -> str:
    """A kept page's body with this response's nonce."""
    body = zlib.decompress(kept["body"]).decode()
    if NONCE_PLACEHOLDER in body:
        body = body.replace(NONCE_PLACEHOLDER, str(request._csp_nonce))
    return body


def same_for_every_reader(view):
    """Marks a view whose page is the same for every reader in a language, but for the layout's
    personal parts: nothing in its own template or context depends on who is reading. Its page
    is then kept for signed-in readers too (SharedPageCache)."""
    view.same_for_every_reader = True
    return view


def without_personal_parts(body: str) -> str:
    """The page with a placeholder for each of the layout's personal parts."""
    return PERSONAL_PART.sub(lambda match: f"\x00person:{match[1]}\x00", body)


def with_personal_parts(request, body: str) -> str:
    """A kept page with the layout's personal parts rendered for this request's reader: each
    once, in one context, so the context processors run once."""
    names = dict.fromkeys(PART_PLACEHOLDER.findall(body))
    if not names:
        return body
    layout = settings.PAGE_CACHE["parts_template"]
    templates = [get_template(f"{layout}#{name}").template for name in names]
    context = RequestContext(request)
    with context.bind_template(templates[0]):
        parts = dict(zip(names, (template.render(context) for template in templates), strict=True))
    return PART_PLACEHOLDER.sub(lambda match: parts[match[1]], body)


class SharedPageCache:
    """The middleware for pages marked @same_for_every_reader, read by someone with a session
    (AnonymousPageCache serves those without). Last in MIDDLEWARE: its process_view runs once
    the person is known, the second factor asked for and the view chosen, and only for a view
    so marked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        keeping = getattr(request, "_page_to_keep", None)
        if keeping is not None and keepable(request, response, shared=True):
            key, current = keeping
            body = without_personal_parts(response.content.decode(response.charset))
            if "csrfmiddlewaretoken" not in body:  # A form of this reader's outside their parts.
                kept = entry(request, body, response, current)
                cache.set(key, kept, settings.PAGE_CACHE["seconds"])
        return response

    def process_view(self, request, view, args, kwargs):
        if not getattr(view, "same_for_every_reader", False) or not keeps(request, shared=True):
            return None
        reader = "person" if request.user.is_authenticated else "visitor-with-session"
        key = page_key(request, reader)
        found = cache.get_many([GENERATION_KEY, key])
        current = found.get(GENERATION_KEY) or generation()
        kept = found.get(key)
        if kept is not None and kept["generation"] == current:
            body = with_personal_parts(request, kept_body(request, kept))
            return HttpResponse(body, headers=kept["headers"])
        request._page_to_keep = (key, current)
        return None


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
