"""A database that does not answer (PostgreSQL restarting) is a 503 with Retry-After, so the
browser and the proxy know to try again; any other error is the 500 page."""

import pytest
from django.test import Client


@pytest.fixture
def client_of_failing_urls(settings):
    settings.ROOT_URLCONF = "tests.config.failing_urls"
    return Client(raise_request_exception=False)


def test_a_database_that_does_not_answer_is_a_503_saying_when_to_try_again(client_of_failing_urls):
    response = client_of_failing_urls.get("/databas/")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Försök igen om en liten stund" in response.content.decode()


def test_any_other_error_is_the_500_page(client_of_failing_urls):
    response = client_of_failing_urls.get("/fel/")

    assert response.status_code == 500
    assert "Något gick fel hos oss" in response.content.decode()
