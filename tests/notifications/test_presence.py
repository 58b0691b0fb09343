"""Who has a personal socket open (notifications.presence): a count per person that two tabs
make two, that closing counts down, and that expires with the session that opened it, so a
count a dead process left behind stops costing sends."""

import time

import pytest
from asgiref.sync import async_to_sync
from django.core.cache.backends import locmem

from notifications import presence

SOMEONE = 4711


@pytest.fixture(autouse=True)
def memory_cache(settings):
    """The process's own cache, whose clock the tests move (Redis keeps its own)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def clock(monkeypatch):
    """Moves the cache's clock forward by the seconds given."""
    now = time.time()
    moved = {"by": 0.0}
    monkeypatch.setattr(locmem.time, "time", lambda: now + moved["by"])

    def forward(seconds: float) -> None:
        moved["by"] += seconds

    return forward


def open_socket(user_id: int = SOMEONE) -> None:
    async_to_sync(presence.opened)(user_id)


def close_socket(user_id: int = SOMEONE) -> None:
    async_to_sync(presence.closed)(user_id)


def present(user_id: int = SOMEONE) -> bool:
    return user_id in presence.with_open_sockets([user_id, user_id + 1])


def test_two_tabs_count_as_two_and_the_last_closed_ends_the_presence():
    open_socket()
    open_socket()
    close_socket()
    assert present()

    close_socket()
    assert not present()


def test_a_count_left_behind_expires_with_the_session(settings, clock):
    open_socket()  # and the process that opened it dies: closed() never comes

    clock(settings.SESSION_COOKIE_AGE - 1)
    assert present()
    clock(2)
    assert not present()


def test_each_socket_opened_starts_the_lifetime_again(settings, clock):
    open_socket()
    clock(settings.SESSION_COOKIE_AGE - 10)
    open_socket()  # another tab, later

    clock(20)  # past the first socket's lifetime, within the second's

    assert present()


def test_closing_after_expiry_counts_nothing_down(settings, clock):
    open_socket()
    clock(settings.SESSION_COOKIE_AGE + 1)

    close_socket()  # the count is gone: nothing to count down, and no error
    open_socket()

    assert present()
