"""Settings for Tillsammans, read from the environment.

The defaults are the embedded development setup that `make run` serves: SQLite, the in-memory
channel layer, tasks run at once and emails printed to the console. Production sets DEBUG=0 and
the variables documented in README.md and platform/env.example.
"""

import json
import os
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.channel_layers import channel_layer_on_redis

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The address people reach the site at, for links in emails and the pages' canonical links.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The municipality the site serves is data: a directory with municipality.json (its name, the
# site's name, the support rule's defaults, förvaltningar, districts and admissibility rules),
# its programme file and the trust pages' first text (pages/<slug>.<language>.md). Another
# municipality runs the same code with MUNICIPALITY_DIR pointing at its own directory.
MUNICIPALITY_DIR = Path(
    os.environ.get("MUNICIPALITY_DIR") or BASE_DIR / "programme" / "data" / "helsingborg"
).resolve()
MUNICIPALITY = json.loads((MUNICIPALITY_DIR / "municipality.json").read_text(encoding="utf-8"))
# The municipality's name, wherever a page or an email names the place.
CITY_NAME = MUNICIPALITY["name"]
# The site's name wherever it is named: page titles, emails (allauth's greet from it), the
# two-factor app's entry and link previews.
SITE_NAME = MUNICIPALITY["site_name"]

# Demo accounts and demo content may only ever be loaded where this is on; production leaves it off.
DEMO_CONTENT_ALLOWED = env_bool("DEMO_CONTENT_ALLOWED", DEBUG)

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "channels",
    "django_htmx",
    "django_tasks_db",
    "core",
    "pages",
    "accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "programme",
    "ideas",
    "moderation",
    "notifications",
    "partners",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Whole pages for visitors without a session (core/pagecache.py, docs/decisions/0016).
    "core.pagecache.AnonymousPageCache",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Pages the same for every reader, kept with each one's personal parts (core/pagecache.py).
    "core.pagecache.SharedPageCache",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = None
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.language_links",
                "config.context_processors.site",
                "moderation.context_processors.block",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_POOL", True
):
    # Under ASGI each request runs in a fresh thread, so persistent connections (CONN_MAX_AGE)
    # are never reused: every request would open a new one. A pool lends them out instead;
    # pages were about twice as fast with it (docs/decisions/0003-database-connection-pool.md).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN", "2")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX", "10")),
        "timeout": 10,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the live server read while a request writes; the timeout rides out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, so tests with threads and the browser tests' server see real SQLite
    # locking, as `make run` does.
    _test_dir = Path("/dev/shm") if Path("/dev/shm").is_dir() else BASE_DIR
    DATABASES["default"]["TEST"] = {"NAME": str(_test_dir / f"tillsammans-test-{os.getpid()}.db")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")

if REDIS_URL:
    # Its Redis connections outlast the layer's blocking read: see config/channel_layers.py.
    # Past one Redis, the live layer shards over CHANNEL_REDIS_URLS (the cache stays on
    # REDIS_URL): the same list, in the same order, on every process.
    CHANNEL_LAYERS = {"default": channel_layer_on_redis(*env_list("CHANNEL_REDIS_URLS", REDIS_URL))}
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # Set, not redis-py's default: the cache never blocks in Redis, so one second is
            # plenty, and a Redis that hangs costs a page at most that before it degrades to a
            # miss (config/cache.py).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole pages for visitors without a session (core/pagecache.py): kept `seconds` (0: off), and
# served while no model of `changed_by_apps` changed, but for those listed after it: a support
# moves counts only, which lag at most `seconds` on a kept page (the live socket sends each new
# one); the others are not shown on a page. Pages kept for signed-in readers too hold a placeholder
# for each personal part that `parts_template` marks (<!--person:NAME-->, a partial of that name).
PAGE_CACHE = {
    "seconds": int(os.environ.get("PAGE_CACHE_SECONDS", "30")),
    "changed_by_apps": [
        "accounts",
        "ideas",
        "moderation",
        "notifications",
        "pages",
        "partners",
        "programme",
    ],
    "not_changed_by": [
        "ideas.Support",
        "ideas.AnswerReminder",
        "notifications.Follow",
        "notifications.Notification",
        "notifications.NotificationSettings",
        "moderation.Flag",
        "accounts.Invitation",
    ],
    # A sign-in saves the person's last_login, which no page shows.
    "not_changed_by_fields": {"accounts.User": ["last_login"]},
    "parts_template": "base.html",
}

# Background tasks. Production runs a database queue with a worker process (manage.py db_worker);
# the embedded default runs each task at once, inside the process that enqueued it.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND],
    }
}

AUTH_USER_MODEL = "accounts.User"
# Each app's part of a person's data export and erasure (core/privacy.py), lowest app first.
PERSONAL_DATA_SECTIONS = [
    "accounts.privacy",
    "notifications.privacy",
    "ideas.privacy",
    "partners.privacy",
    "moderation.privacy",
]
# allauth's backend, extended to load the signed-in person with their standing and permissions
# in as few queries as it can (accounts/backends.py).
AUTHENTICATION_BACKENDS = ["accounts.backends.PermissionsInOneQueryBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Tillsammans] "
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_PREVENT_ENUMERATION = True
# allauth's rate limits count per client address. In production three hops lead here: the TLS
# terminator, nginx, granian. nginx trusts the terminator and SETS X-Forwarded-For to the one
# client address it decided on (platform/nginx.conf), so the app trusts exactly one proxy:
# TRUSTED_PROXY_COUNT=1 (docker-compose.yml). The default, 0, ignores the header and counts the
# peer's address, the only safe choice without nginx in front (a client could name any address).
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if ALLAUTH_TRUSTED_PROXY_COUNT not in (0, 1):
    # More would make allauth look past the one address nginx sends, and fail every sign-in.
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 (no proxy) or 1 (nginx).")
# allauth's own rate limits stay on; they need a cache shared by every process (Redis).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# Staff must have TOTP before they can use the site; off in the embedded default so the demo works.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", not DEBUG)

# Swedish e-legitimation (BankID, Freja eID) through a broker that speaks OpenID Connect
# (accounts/elegitimation.py). Off until OIDC_ISSUER is set: then people may verify their
# account, or create one, with it. The personal identity number comes in IDENTITY_CLAIM and is
# kept only as a keyed hash under IDENTITY_HASH_KEYS (accounts/identity.py; oldest key first,
# rotated with `manage.py rotate_identity_key`). The defaults follow the Swedish OpenID Connect
# profile (oidc.se).
ELEGITIMATION = {
    "issuer": os.environ.get("OIDC_ISSUER", "").rstrip("/"),
    "client_id": os.environ.get("OIDC_CLIENT_ID", ""),
    "secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
    "scopes": env_list("OIDC_SCOPES", "openid,https://id.oidc.se/scope/naturalPersonNumber"),
    "identity_claim": os.environ.get(
        "OIDC_IDENTITY_CLAIM", "https://id.oidc.se/claim/personalIdentityNumber"
    ),
    "assurance_claim": os.environ.get("OIDC_ASSURANCE_CLAIM", "acr"),
    # What the buttons call it: the broker's own name for what it offers.
    "name": os.environ.get("OIDC_NAME", "BankID / Freja eID"),
}
IDENTITY_HASH_KEYS = env_list("IDENTITY_HASH_KEYS")
if ELEGITIMATION["issuer"] and not (
    ELEGITIMATION["client_id"] and ELEGITIMATION["secret"] and IDENTITY_HASH_KEYS
):
    raise ImproperlyConfigured(
        "OIDC_ISSUER needs OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and IDENTITY_HASH_KEYS too."
    )
# What supporting, proposing and commenting need: "off" (an account), "email" (a verified email
# address, the default) or "e-legitimation" (that and a verified identity).
IDENTITY_LEVELS = ("off", "email", "e-legitimation")
IDENTITY_REQUIRED = {
    action: os.environ.get(f"IDENTITY_FOR_{action.upper()}", "email").strip().lower()
    for action in ("support", "propose", "comment")
}
for _action, _level in IDENTITY_REQUIRED.items():
    if _level not in IDENTITY_LEVELS:
        raise ImproperlyConfigured(
            f"IDENTITY_FOR_{_action.upper()} must be one of {', '.join(IDENTITY_LEVELS)}."
        )
    if _level == "e-legitimation" and not ELEGITIMATION["issuer"]:
        raise ImproperlyConfigured(f"IDENTITY_FOR_{_action.upper()} needs OIDC_ISSUER.")


def elegitimation_providers(elegitimation: dict) -> dict:
    """allauth's provider settings for the broker: one OpenID Connect app, or none when off."""
    app = {
        "provider_id": "elegitimation",
        "name": elegitimation["name"],
        "client_id": elegitimation["client_id"],
        "secret": elegitimation["secret"],
        "settings": {"server_url": elegitimation["issuer"]},
    }
    return {
        "openid_connect": {
            "provider_class": "accounts.elegitimation.ElegitimationProvider",
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [app] if elegitimation["issuer"] else [],
        }
    }


SOCIALACCOUNT_PROVIDERS = elegitimation_providers(ELEGITIMATION)
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
# Nothing from the broker is kept but what accounts.elegitimation keeps: no tokens.
SOCIALACCOUNT_STORE_TOKENS = False
# The broker knows no email address: the person gives one, and verifies it as everyone does.
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_LOGIN_ON_GET = False

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
# Our own catalogue first; then our corrections of allauth's Swedish, which win over allauth's
# own. makemessages writes only to the first.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-overrides"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

if DEBUG:
    # WhiteNoise serves static files with a synchronous iterator, and Django under ASGI warns for
    # each one. Only the embedded setup serves static files itself; production's proxy does it.
    warnings.filterwarnings(
        "ignore", message="StreamingHttpResponse must consume synchronous iterators"
    )

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Email through Django's MAILERS (6.1). The embedded default prints emails to the console.
EMAIL_BACKEND_PATH = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("filebased.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {"file_path": os.environ.get("EMAIL_FILE_PATH", "/tmp")}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": 10,
    }
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Tillsammans <noreply@tillsammans.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL


def content_security_policy(elegitimation: dict) -> dict:
    """Everything from our own host, no inline code; forms may lead to the e-legitimation broker
    too when it is on (its buttons post here, and are sent on to the broker's sign-in page,
    which Chromium checks against form-action)."""
    issuer = urlsplit(elegitimation["issuer"])
    broker = [f"{issuer.scheme}://{issuer.netloc}"] if issuer.netloc else []
    return {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF, CSP.NONCE],
        "style-src": [CSP.SELF],
        "img-src": [CSP.SELF, "data:"],
        "font-src": [CSP.SELF],
        "connect-src": [CSP.SELF],
        "form-action": [CSP.SELF, *broker],
        "frame-ancestors": [CSP.NONE],
        "base-uri": [CSP.NONE],
        "object-src": [CSP.NONE],
    }


SECURE_CSP = content_security_policy(ELEGITIMATION)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    # nginx sets X-Forwarded-Proto itself, from the TLS terminator's when it comes from there.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # /healthz is probed over plain HTTP inside the container network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's own console handler for "django", which would print each line twice.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}

# Limits per person on writes (core/ratelimit.py): how many of each in how many seconds.
# RATE_LIMIT_<NAME>="count/seconds" in the environment changes one, e.g. RATE_LIMIT_COMMENT=20/600.
RATE_LIMITS = {
    name: tuple(
        int(part) for part in os.environ.get(f"RATE_LIMIT_{name.upper()}", default).split("/")
    )
    for name, default in {
        "proposal": "10/3600",  # new drafts
        "comment": "10/600",  # comments and answers
        "comment_edit": "20/600",
        "support": "60/600",  # giving and withdrawing
        "follow": "60/600",
        "flag": "20/3600",
        "offer": "10/3600",  # offers of help
        "message": "10/600",  # messages about an offer
        "invitation": "20/3600",
        "organisation": "3/86400",  # new organisations
        "profile": "10/3600",
        "initiative_edit": "30/3600",  # edits of published initiatives
        "block": "30/3600",  # blocks a moderator gives: a slip is not repeated forty times
        "identity": "10/3600",  # verifying with e-legitimation, and removing it
    }.items()
}
# An invitation is not sent again to an address that has one pending within this many seconds.
INVITATION_RESEND_SECONDS = 24 * 3600

# Initiatives: the support rule an initiative gets when it is published, until staff set one
# in the staff screens (ideas.SupportRule); Helsingborg's is 100 supports within 90 days.
SUPPORT_PERIOD_DAYS = int(
    os.environ.get("SUPPORT_PERIOD_DAYS") or MUNICIPALITY["support"]["period_days"]
)
SUPPORT_THRESHOLD = int(os.environ.get("SUPPORT_THRESHOLD") or MUNICIPALITY["support"]["threshold"])
# Off: a moderator approves every initiative before it is published (pre-moderation).
PUBLISH_WITHOUT_REVIEW = env_bool("PUBLISH_WITHOUT_REVIEW", False)
# On: authors' edits of published initiatives wait in the moderation queue until a moderator
# marks them reviewed (they are published at once either way).
REVIEW_PUBLISHED_EDITS = env_bool("REVIEW_PUBLISHED_EDITS", False)
# On: a new organisation is shown to the public (directory, profile, partners) only once a
# moderator has approved it; off, it is approved as it is registered.
ORGANISATIONS_NEED_APPROVAL = env_bool("ORGANISATIONS_NEED_APPROVAL", True)
COMMENT_EDIT_MINUTES = 15
# Content flagged by this many people is hidden until a moderator has looked at it.
FLAG_HIDE_THRESHOLD = int(os.environ.get("FLAG_HIDE_THRESHOLD", "3"))
# Notifications: immediate emails wait this long, so that several events on one initiative
# go out as one email.
NOTIFICATION_GROUP_SECONDS = int(os.environ.get("NOTIFICATION_GROUP_SECONDS", "120"))
