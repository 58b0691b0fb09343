"""`make run-elegitimation`: the site's server runs beside the tests' provider, with
e-legitimation's settings pointing at it (tests/oidc_provider/alongside.py)."""

import json
import subprocess
import sys

import pytest
import requests

from tests.factories import UserFactory
from tests.oidc import PROJECT_ROOT
from tests.oidc_provider.alongside import callbacks

# Stands in for the site's server: what it was given, and whether the provider answers it.
SITE = """
import json, os, requests
issuer = os.environ["OIDC_ISSUER"]
discovery = requests.get(issuer + "/.well-known/openid-configuration", timeout=10).json()
names = ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "IDENTITY_HASH_KEYS",
         "IDENTITY_FOR_SUPPORT", "IDENTITY_FOR_PROPOSE")
print(json.dumps({"env": {name: os.environ.get(name) for name in names},
                  "issuer": discovery["issuer"]}))
raise SystemExit(3)
"""


def test_the_site_runs_against_the_provider_and_the_provider_stops_with_it():
    command = [sys.executable, "-m", "tests.oidc_provider.alongside"]
    command += ["--site", "http://127.0.0.1:8000", "--", sys.executable, "-c", SITE]
    environment = {"PATH": "/usr/bin:/bin", "IDENTITY_FOR_PROPOSE": "e-legitimation"}

    done = subprocess.run(
        command, cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True, timeout=120
    )

    assert done.returncode == 3, done.stderr  # the site's own exit code
    site = json.loads(done.stdout.strip().splitlines()[-1])
    issuer = site["env"]["OIDC_ISSUER"]
    assert site["issuer"] == issuer
    assert site["env"]["OIDC_CLIENT_ID"]
    assert site["env"]["OIDC_CLIENT_SECRET"]
    assert site["env"]["IDENTITY_HASH_KEYS"]
    assert site["env"]["IDENTITY_FOR_SUPPORT"] == "e-legitimation"
    assert site["env"]["IDENTITY_FOR_PROPOSE"] == "e-legitimation", "the person's own setting"
    assert f"provider runs at {issuer}" in done.stdout
    assert "anna" in done.stdout
    with pytest.raises(requests.ConnectionError):  # the provider stopped with the site
        requests.get(f"{issuer}/.well-known/openid-configuration", timeout=5)


def test_the_callback_is_registered_under_both_loopback_names():
    assert callbacks("http://127.0.0.1:8000") == [
        "http://127.0.0.1:8000/konto/oidc/elegitimation/login/callback/",
        "http://localhost:8000/konto/oidc/elegitimation/login/callback/",
    ]
    assert callbacks("https://tillsammans.example.org") == [
        "https://tillsammans.example.org/konto/oidc/elegitimation/login/callback/"
    ]


@pytest.mark.django_db
def test_the_provider_asks_who_you_are_every_time(client, elegitimation):
    """As BankID does: in one browser, the next sign-in may be another test person."""
    from tests.accounts.test_elegitimation import start

    client.force_login(UserFactory())
    with requests.Session() as browser:
        for username in ("anna", "bertil"):
            back = elegitimation.sign_in(start(client), username, browser=browser, must_ask=True)
            assert "code=" in back, username
