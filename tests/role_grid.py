"""What the role grid (tests/config/test_role_grid.py) and the form fuzzing
(tests/config/test_fuzz_forms.py) share: one person of every role, signed in as production has
them (staff with their second factor done), the site's URLs read from its URL conf, and how an
answer to a request is told apart: the write happened, sign in first, refused, or set up the
second factor first."""

import inspect
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.generic import RedirectView

from accounts.permissions import is_city_staff
from tests import sessions
from tests.factories import ResponderFactory, UserFactory, blocked_user, person

ROLES = [
    "visitor",
    "unverified",
    "resident",
    "org_member",
    "org_admin",
    "moderator",
    "responder",
    "administrator",
    "blocked",
    "staff_no_2fa",
]

# Signed in, whatever else they are (staff without their second factor aside: they are sent to
# set it up before anything else).
SIGNED_IN = [role for role in ROLES if role not in {"visitor", "staff_no_2fa"}]
# A verified email address and no block: who may propose, support, comment, flag and offer.
RESIDENTS = [role for role in SIGNED_IN if role not in {"unverified", "blocked"}]
# The administrator is a superuser: Django grants a superuser every permission, moderating too.
MODERATORS = ["moderator", "administrator"]

LOGIN_PATH = "/konto/login/"
# Where the staff two-factor check sends a person: the TOTP set-up (behind allauth's
# re-authentication), or confirming with the code.
MFA_PATHS = ("/konto/2fa/", "/konto/reauthenticate/")


def make_person(role: str, *, blocked_as: str = "resident"):
    """One person of `role`. The blocked person is a blocked resident, or, where the question is
    what blocked staff may do (assign, answer), a blocked responder. The administrator runs the
    platform (is_staff and is_superuser); staff_no_2fa is a moderator with TOTP set up who has
    not used it in this session (see sign_in)."""
    match role:
        case "administrator":
            return UserFactory(is_staff=True, is_superuser=True)
        case "staff_no_2fa":
            return person("moderator")
        case "blocked" if blocked_as == "responder":
            return blocked_user(user=ResponderFactory())
        case _:
            return person(role)


def sign_in(client: Client, role: str, user) -> None:
    """Sign `user` in on `client` as allauth's login flow leaves a session. Staff have TOTP set
    up, and but for staff_no_2fa the session records that they used it; staff_no_2fa signed in
    with the password alone."""
    if not user.is_authenticated:
        return
    if is_city_staff(user) and not user.authenticator_set.exists():
        TOTP.activate(user, generate_totp_secret())
    sessions.sign_in(client, user, second_factor=role != "staff_no_2fa")


def session_cookie(role: str, user) -> bytes:
    """The session cookie header of `user` signed in as sign_in() does, for a websocket."""
    client = Client()
    sign_in(client, role, user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={value}".encode()


# ---------------------------------------------------------------------------------------------
# The URL conf


@dataclass(frozen=True)
class Route:
    name: str  # namespace:name
    route: str  # the pattern, prefixes joined
    callback: object
    includes: tuple[str, ...]  # the URL confs (or namespaces) it was included through


def _included(resolver: URLResolver) -> str:
    module = resolver.urlconf_name
    if isinstance(module, str):
        return module
    return getattr(module, "__name__", "") or resolver.namespace or ""


def _walk(patterns, prefix: str = "", namespace: str = "", includes: tuple = ()):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from _walk(pattern.url_patterns, route, inner, (*includes, _included(pattern)))
        elif isinstance(pattern, URLPattern):
            # An unnamed URL is named by its route, so that it too needs a row.
            name = pattern.name or f"<unnamed {route}>"
            name = f"{namespace}:{name}" if namespace and pattern.name else name
            yield Route(name=name, route=route, callback=pattern.callback, includes=includes)


def _bare(route: str) -> str:
    """The route without i18n_patterns' language prefix (empty for the default language)."""
    return route.lstrip("^")


def _is_skipped(route: Route) -> bool:
    """Left out of the project's URLs, each for a reason:

    - allauth's URLs (under konto/): its flows (sign-up, sign-in, password, email, two-factor)
      have their own tests in tests/accounts; the two the rules name, sign-out and the second
      factor, are in the grid all the same (EXTRA_ROWS, and staff_no_2fa in every row).
    - the admin site's: a row set of their own (every one refused to all but the
      administrator, and /admin/login/ sends to allauth's sign-in).
    - Django's i18n/setlang/ (it sets the language cookie, for everyone alike) and the media
      files served in development only.
    - the open API's (config.api_urls): read-only for everyone alike, every operation a GET;
      tests/config/test_api.py checks that every other method is refused and writes nothing.
    """
    return (
        "config.api_urls" in route.includes
        or any(name.startswith("allauth") for name in route.includes)
        or "admin" in route.includes
        or "django.conf.urls.i18n" in route.includes
        or getattr(route.callback, "__module__", "") == "django.views.static"
    )


def project_routes() -> list[Route]:
    """Every URL of the project's own apps, from the resolver (includes and i18n_patterns
    walked), but for those _is_skipped() names."""
    return [route for route in _walk(get_resolver().url_patterns) if not _is_skipped(route)]


def admin_paths(*, object_id: int, user_id: int, content_type_id: int) -> list[tuple[str, str]]:
    """Every URL of the admin site as (name, path), its parameters filled in: `object_id` for any
    object, `user_id` for the password form, `content_type_id` (of `object_id`'s model) for
    "view on site"; one application's index, and one address that is none of these."""
    paths = []
    for route in _walk(get_resolver().url_patterns):
        if "admin" not in route.includes:
            continue
        if "(?P<app_label>" in route.route:
            paths.append((route.name, reverse(route.name, kwargs={"app_label": "accounts"})))
            continue
        path = "/" + _bare(route.route)
        path = path.replace("(?P<url>.*)$", "finns-inte/")
        path = path.replace("<path:object_id>", str(object_id)).replace("<id>", str(user_id))
        paths.append((route.name, path.replace("<path:content_type_id>", str(content_type_id))))
    return paths


_ALLOWS_POST = re.compile(r"@require_POST\b|@require_http_methods\(\[[^\]]*[\"']POST[\"']")
_SAFE_ONLY = re.compile(r"@require_GET\b|@require_safe\b")
_READS_POST = re.compile(r"request\.POST\b|request\.FILES\b|request\.method\s*==\s*[\"']POST")


def _helpers(function) -> list:
    """The functions of the view's own module that it calls, and theirs, transitively: a view
    that hands the request to a form helper (_flag, _initiative_form) handles what it does."""
    module = inspect.getmodule(function)
    seen, todo = [], [function]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.append(current)
        for name in current.__code__.co_names:
            candidate = getattr(module, name, None)
            if inspect.isfunction(candidate) and inspect.getmodule(candidate) is module:
                todo.append(inspect.unwrap(candidate))
    return seen


def accepts_post(callback) -> bool:
    """Whether the view takes a POST as a write: it says so with require_POST or
    require_http_methods, or it (or a helper of its module it calls) reads the POST body. A
    view limited to GET does not, and a class-based view does when it defines post() (a
    RedirectView's post() only redirects)."""
    if isinstance(callback, Feed):
        # A syndication feed renders its items whatever the method; it writes nothing.
        return False
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post") and not issubclass(view_class, RedirectView)
    function = inspect.unwrap(callback)
    source = inspect.getsource(function)
    if _ALLOWS_POST.search(source):
        return True
    if _SAFE_ONLY.search(source):
        return False
    return any(_READS_POST.search(inspect.getsource(helper)) for helper in _helpers(function))


def state_changing_url_names() -> set[str]:
    return {route.name for route in project_routes() if accepts_post(route.callback)}


# ---------------------------------------------------------------------------------------------
# Answers


def location_path(response) -> str:
    return urlsplit(response["Location"]).path


def answer_class(response) -> str:
    """ "login", "mfa", "refused" (a 4xx), "error" (a 5xx), or "done" (2xx, or a redirect
    elsewhere: whether the write happened is the caller's to check)."""
    status = response.status_code
    if status >= 500:
        return "error"
    if 300 <= status < 400:
        path = location_path(response).removeprefix("/en")
        if path.startswith(LOGIN_PATH):
            return "login"
        if path.startswith(MFA_PATHS):
            return "mfa"
        return "done"
    if status >= 400:
        return "refused"
    return "done"
