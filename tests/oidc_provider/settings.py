"""Settings of the test OpenID Connect provider: its own tiny Django project.

serve.py fills in the environment variables read here before Django starts. Nothing here (or
anywhere in this package) imports the project's own settings.
"""

import os
import secrets
from pathlib import Path

from tests.oidc_provider.identities import NATURAL_PERSON_NUMBER_SCOPE

BASE_DIR = Path(__file__).resolve().parent

ISSUER = os.environ["OIDC_PROVIDER_ISSUER"]
"""http://127.0.0.1:PORT/o, both in the discovery document and in the `iss` claim."""

ROGUE_RSA_PRIVATE_KEY = os.environ["OIDC_PROVIDER_ROGUE_RSA_KEY"]
"""Another RSA key (PEM), never published, that signs the "bad_signature" ID tokens."""

SECRET_KEY = secrets.token_urlsafe(50)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tests.oidc_provider.middleware.asks_every_time",
]

ROOT_URLCONF = "tests.oidc_provider.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["OIDC_PROVIDER_DATABASE"],
        # The server is threaded: wait for the write lock instead of failing at once.
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Fast hashing for the users' passwords and the client secret: this is a test fixture.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "/login/"

# The provider and the relying party both live on 127.0.0.1, where cookies ignore the port:
# names of its own keep the provider's cookies from overwriting the relying party's.
SESSION_COOKIE_NAME = "oidc_provider_sessionid"
CSRF_COOKIE_NAME = "oidc_provider_csrftoken"

USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = False

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": ISSUER,
    "OIDC_RSA_PRIVATE_KEY": os.environ["OIDC_PROVIDER_RSA_KEY"],
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validators.IdentityValidator",
    "SCOPES": {
        "openid": "OpenID Connect sign-in",
        "profile": "Basic profile",
        NATURAL_PERSON_NUMBER_SCOPE: "Swedish personal identity number",
    },
    "DEFAULT_SCOPES": ["openid"],
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
    "PKCE_REQUIRED": True,
    # Only S256 PKCE, and no implicit or password grants.
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {
        # Every request, and every failure (DEBUG is off, so Django would otherwise keep quiet).
        "django.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        # Why the token endpoint turned a client away, among other things.
        "oauth2_provider": {"handlers": ["stderr"], "level": "DEBUG", "propagate": False},
        "oauth2_provider.models": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}
