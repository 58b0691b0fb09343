from unittest import mock

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True}}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client, settings):
    settings.REDIS_URL = ""
    with mock.patch("config.health.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": False}


@pytest.mark.django_db
def test_healthz_checks_redis_when_configured(client, settings, redis_url):
    settings.REDIS_URL = redis_url

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": True, "redis": True}


@pytest.mark.django_db
def test_healthz_answers_503_when_redis_does_not(client, settings):
    # Nothing listens on port 9 (discard) on this machine's loopback.
    settings.REDIS_URL = "redis://127.0.0.1:9/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "redis": False}


@pytest.mark.django_db
def test_healthz_is_never_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]
