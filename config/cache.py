"""A Redis cache that never fails a request when Redis is away.

The cache only holds things that can be recomputed (rate-limit counters, unread counts), so while
Redis is down every read is a miss and every write is dropped, with a warning in the log; pages
and writes keep working, as the product promises.
"""

import functools
import logging
import threading

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# What each operation answers when Redis does not.
_FALLBACKS = {
    "get": lambda *args, **kwargs: kwargs.get("default", args[1] if len(args) > 1 else None),
    "get_many": lambda *args, **kwargs: {},
    "has_key": lambda *args, **kwargs: False,
    # allauth takes a lock with add() around its rate-limit counters and answers 429 when it
    # cannot; with Redis away there is nothing to lock, so the lock is granted and rate limits
    # pause until Redis is back.
    "add": lambda *args, **kwargs: True,
    "set": lambda *args, **kwargs: None,
    "set_many": lambda *args, **kwargs: [],
    "delete": lambda *args, **kwargs: False,
    "delete_many": lambda *args, **kwargs: None,
    "touch": lambda *args, **kwargs: False,
    "clear": lambda *args, **kwargs: None,
}


def _resilient(name: str, method):
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (redis.RedisError, OSError):
            logger.warning("Cache %s skipped: Redis does not answer", name, exc_info=True)
            return _FALLBACKS[name](*args, **kwargs)

    return call


class SharedPoolClient(RedisCacheClient):
    """Django's Redis client, with one connection pool per server for the whole process.

    Django keeps a cache object per thread and per request context (`caches` is an asgiref
    Local), and each object opens pools of its own. Under ASGI every request runs in a context
    of its own, so every request opened new connections to Redis and never used them again: at
    32 users a fifth of a web process's samples were in getting a connection (py-spy,
    bench.load). The pools here are shared by every cache object of the process with the same
    server and options.
    redis-py's pools are thread-safe, and make new connections in a forked child.
    """

    _pools_by_server: dict[tuple[str, str], redis.ConnectionPool] = {}
    _pools_lock = threading.Lock()

    def __init__(self, servers, **options) -> None:
        super().__init__(servers, **options)
        self._options_key = repr(sorted(options.items()))

    def _get_connection_pool(self, write):
        server = self._servers[self._get_connection_pool_index(write)]
        key = (server, self._options_key)
        pool = self._pools_by_server.get(key)
        if pool is None:
            with self._pools_lock:
                pool = self._pools_by_server.get(key)
                if pool is None:
                    pool = self._pool_class.from_url(server, **self._pool_options)
                    self._pools_by_server[key] = pool
        return pool


class ResilientRedisCache(RedisCache):
    """RedisCache whose operations degrade to cache misses while Redis is unavailable, over
    connection pools shared by the process (SharedPoolClient).

    incr/decr raise ValueError for a missing key by contract; with Redis away they raise it too,
    which callers (allauth's rate limits) already handle as "no counter yet".
    """

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = SharedPoolClient

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except (redis.RedisError, OSError) as error:
            logger.warning("Cache incr skipped: Redis does not answer", exc_info=True)
            raise ValueError("Redis does not answer") from error


for _name in _FALLBACKS:
    setattr(ResilientRedisCache, _name, _resilient(_name, getattr(RedisCache, _name)))
