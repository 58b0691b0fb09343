"""A Redis cache that never fails a request when Redis is away.

The cache only holds things that can be recomputed (rate-limit counters, unread counts), so while
Redis is down every read is a miss and every write is dropped, with a warning in the log; pages
and writes keep working, as the product promises.
"""

import functools
import logging

import redis
from django.core.cache.backends.redis import RedisCache

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


class ResilientRedisCache(RedisCache):
    """RedisCache whose operations degrade to cache misses while Redis is unavailable.

    incr/decr raise ValueError for a missing key by contract; with Redis away they raise it too,
    which callers (allauth's rate limits) already handle as "no counter yet".
    """

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except (redis.RedisError, OSError) as error:
            logger.warning("Cache incr skipped: Redis does not answer", exc_info=True)
            raise ValueError("Redis does not answer") from error


for _name in _FALLBACKS:
    setattr(ResilientRedisCache, _name, _resilient(_name, getattr(RedisCache, _name)))
