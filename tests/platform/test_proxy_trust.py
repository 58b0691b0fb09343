"""How many proxies the application trusts: TLS terminator -> nginx -> granian, where nginx sets
X-Forwarded-For to the one client address it decided on (platform/nginx.conf). So the app
trusts one proxy in production and none without nginx, where the header could say anything."""

import importlib.util
import re
from pathlib import Path

import pytest
import yaml
from allauth.account.adapter import get_adapter
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]


def settings_module(monkeypatch, **environment: str):
    """config/settings.py read afresh with `environment` (DEBUG=1 unless given)."""
    monkeypatch.delenv("TRUSTED_PROXY_COUNT", raising=False)
    monkeypatch.setenv("DEBUG", "1")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    path = ROOT / "config" / "settings.py"
    spec = importlib.util.spec_from_file_location("settings_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_proxy_is_trusted_by_default(monkeypatch):
    assert settings_module(monkeypatch).ALLAUTH_TRUSTED_PROXY_COUNT == 0


def test_one_trusted_proxy_from_the_environment(monkeypatch):
    module = settings_module(monkeypatch, TRUSTED_PROXY_COUNT="1")
    assert module.ALLAUTH_TRUSTED_PROXY_COUNT == 1


@pytest.mark.parametrize("count", ["2", "-1"])
def test_any_other_count_is_refused_at_start(monkeypatch, count):
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXY_COUNT"):
        settings_module(monkeypatch, TRUSTED_PROXY_COUNT=count)


def test_production_reads_the_scheme_from_the_header_nginx_sets(monkeypatch):
    module = settings_module(monkeypatch, DEBUG="0", SECRET_KEY="x" * 50)
    assert module.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


def test_compose_and_env_example_trust_nginx_as_the_one_proxy():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["x-app-environment"]["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"
    example = (ROOT / "platform" / "env.example").read_text()
    assert re.search(r"^TRUSTED_PROXY_COUNT=1$", example, re.MULTILINE)


def test_behind_nginx_rate_limits_count_the_address_nginx_set(rf, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="127.0.0.1")
    assert get_adapter(request).get_client_ip(request) == "203.0.113.7"


def test_without_a_proxy_a_client_cannot_choose_its_address(rf, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="198.51.100.9")
    assert get_adapter(request).get_client_ip(request) == "198.51.100.9"
