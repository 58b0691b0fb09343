"""A URL conf with one view whose database does not answer, for tests/config/test_errors.py."""

from django.db import OperationalError
from django.urls import path

from config.urls import handler500  # noqa: F401 — the handler under test, as production uses it


def database_away(request):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("databas/", database_away), path("fel/", broken)]
