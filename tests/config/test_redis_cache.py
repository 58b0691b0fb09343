"""With Redis away, the cache degrades to misses: sign-in and pages keep working."""

import threading

import pytest
import redis
from django.core.cache import caches

from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def redis_cache(settings, private_redis):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    caches["default"].close()
    del caches["default"]
    yield private_redis
    del caches["default"]


def test_the_cache_works_while_redis_answers(redis_cache):
    cache = caches["default"]
    cache.set("answer", 42)

    assert cache.get("answer") == 42


@pytest.mark.django_db
def test_sign_in_and_pages_work_while_redis_is_down(client, redis_cache, caplog):
    user = UserFactory()
    redis_cache.stop()

    signed_in = client.post("/konto/login/", {"login": user.email, "password": PASSWORD})
    page = client.get("/programmet/")

    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert page.status_code in {200, 404}
    assert caches["default"].get("missing", "fallback") == "fallback"
    assert "Redis does not answer" in caplog.text


def test_the_cache_objects_of_every_request_share_the_process_connections(redis_cache):
    """Django makes a cache object per thread and request context, and each opened its own
    connections to Redis: under ASGI, new ones for every request. Once this thread's cache has
    a connection, twenty threads, each with a cache object of its own, one after the other,
    open none."""
    caches["default"].get("anything")
    server = redis.Redis.from_url(redis_cache.url)
    before = server.info("stats")["total_connections_received"]
    objects = []

    def one_request() -> None:
        cache = caches["default"]
        objects.append(cache)
        cache.get("anything")

    for _ in range(20):
        thread = threading.Thread(target=one_request)
        thread.start()
        thread.join()
    opened = server.info("stats")["total_connections_received"] - before

    assert len({id(cache) for cache in objects}) == 20
    assert opened == 0
