"""Rendered fragments kept in the cache, fetched for a whole page at once.

A fragment's key names everything it shows (a digest of those values), so a change to any of
them is a new key and the old entry is never read again: nothing has to be invalidated, and
entries left behind expire. Only fragments that look the same to every viewer belong here.
"""

import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import cache


def cache_key(kind: str, *deciding: object) -> str:
    """The cache key of a `kind` thing (a fragment, a count) that these values decide, by
    their repr."""
    digest = hashlib.blake2b(repr(deciding).encode(), digest_size=16).hexdigest()
    return f"{kind}:{digest}"


def cached_renders[T](
    items: Iterable[T], key: Callable[[T], str], render: Callable[[T], str], timeout: int
) -> dict[str, str]:
    """Each item's fragment by its key: those in the cache in one read, the others rendered
    and stored in one write."""
    by_key = {key(item): item for item in items}
    if not by_key:
        return {}
    found = cache.get_many(list(by_key))
    rendered = {name: render(item) for name, item in by_key.items() if name not in found}
    if rendered:
        cache.set_many(rendered, timeout)
    return {**found, **rendered}
