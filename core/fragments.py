"""Rendered fragments kept in the cache, fetched for a whole page at once.

A fragment's key names everything it shows (a digest of those values, with the active language
and time zone), so a change to any of them is a new key and the old entry is never read again:
nothing has to be invalidated, and entries left behind expire. Only fragments that look the
same to every viewer belong here.
"""

import hashlib
from collections.abc import Callable, Sequence

from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# How long a fragment nobody asks for stays in the cache. A changed fragment is a new key at once.
FRAGMENT_SECONDS = 15 * 60


def cache_key(kind: str, *deciding: object) -> str:
    """The cache key of a `kind` thing (a fragment, a count) that these values decide, by
    their repr."""
    digest = hashlib.blake2b(repr(deciding).encode(), digest_size=16).hexdigest()
    return f"{kind}:{digest}"


def cached_fragments[T](
    kind: str,
    items: Sequence[T],
    shows: Callable[[T], tuple],
    render: Callable[[T], str],
    seconds: int = FRAGMENT_SECONDS,
) -> list[SafeString]:
    """Each item's fragment, in the items' order: those in the cache in one read, the others
    rendered and stored in one write. `shows(item)` is every value the fragment shows; with the
    kind, the active language and the time zone it makes the key."""
    language, zone = get_language(), timezone.get_current_timezone_name()
    keys = [cache_key(kind, language, zone, *shows(item)) for item in items]
    if not keys:
        return []
    found = cache.get_many(keys)
    pairs = zip(keys, items, strict=True)
    rendered = {key: render(item) for key, item in pairs if key not in found}
    if rendered:
        cache.set_many(rendered, seconds)
    stored = found | rendered
    return [mark_safe(stored[key]) for key in keys]  # noqa: S308 — rendered by the site itself
