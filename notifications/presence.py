"""Who has a personal socket open, so that a notification is rendered and pushed only for them.

A count of open sockets per person (two tabs are two), kept in the cache: Redis where the channel
layer is Redis, so every process sees every socket; the process's own memory where the layer is
in memory, which reaches only that process's sockets anyway. A count outlives nothing that
matters: it expires with the session that opened the socket, and a count left behind by a process
that died costs one wasted send, never a missed one. A socket counts from the moment it has
joined its group, so a notification sent once the count is read reaches it.
"""

from collections.abc import Iterable
from contextlib import suppress

from django.conf import settings
from django.core.cache import cache

# Read in slices, so one fan-out to tens of thousands of followers is a few round trips.
SLICE = 1000


def _key(user_id: int) -> str:
    return f"sockets-open-{user_id}"


def _lifetime() -> int:
    return settings.SESSION_COOKIE_AGE


async def opened(user_id: int) -> None:
    key = _key(user_id)
    await cache.aadd(key, 0, _lifetime())
    try:
        await cache.aincr(key)
    except ValueError:
        # Expired between the two calls, or the cache does not answer: count this one.
        await cache.aset(key, 1, _lifetime())
    await cache.atouch(key, _lifetime())


async def closed(user_id: int) -> None:
    """One socket fewer. A count that reaches zero stays until it expires: deleting it could
    lose a socket opened in the same instant."""
    # Expired, or the cache does not answer: nothing to count down.
    with suppress(ValueError):
        await cache.adecr(_key(user_id))


def with_open_sockets(user_ids: Iterable[int]) -> set[int]:
    """The people among `user_ids` with at least one socket open."""
    ids = list(user_ids)
    present: set[int] = set()
    for start in range(0, len(ids), SLICE):
        keys = {_key(user_id): user_id for user_id in ids[start : start + SLICE]}
        counts = cache.get_many(keys)
        present.update(keys[key] for key, count in counts.items() if count and count > 0)
    return present
