import json
import os
import subprocess
import sys

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_pages_send_a_csp_without_unsafe_inline(client):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_scripts_carry_the_request_nonce(client):
    response = client.get("/")

    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    content = response.content.decode()
    assert content.count("<script") == content.count(f'nonce="{nonce}"')


@pytest.mark.django_db
def test_pages_load_nothing_from_another_host(client, programme):
    for url in ["/", "/programmet/", "/organisationer/", "/konto/login/"]:
        content = client.get(url).content.decode()
        for attribute in ('src="http', 'src="//', 'href="//', "url(http"):
            assert attribute not in content, (url, attribute)
        stylesheets = [part for part in content.split("<link") if 'rel="stylesheet"' in part]
        assert all('href="/static/' in sheet for sheet in stylesheets)


def _production_settings(**extra_env) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DATABASE_URL", "REDIS_URL"}
    }
    env.update({"DEBUG": "0", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "example.org", **extra_env})
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ['SESSION_COOKIE_SECURE', "
        "'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', "
        "'STAFF_MFA_REQUIRED', 'DEMO_CONTENT_ALLOWED', 'DEBUG']}))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(output.stdout)


def test_production_settings_secure_cookies_hsts_and_staff_two_factor():
    production = _production_settings()

    assert production == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
        "STAFF_MFA_REQUIRED": True,
        "DEMO_CONTENT_ALLOWED": False,
        "DEBUG": False,
    }


def test_production_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_demo_content_is_refused_in_production(db, settings):
    from django.core.management import CommandError, call_command

    settings.DEMO_CONTENT_ALLOWED = False

    with pytest.raises(CommandError, match="Production never has demo accounts"):
        call_command("load_demo")
