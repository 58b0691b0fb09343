"""The unread count in every signed-in page's header, cached so pages need no query for it.

The count is forgotten whenever notifications are added or read (after the transaction commits),
and kept at most a minute in any case, so a missed forget can only show a stale count briefly.
"""

from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from accounts.models import User
from notifications.models import Notification

KEY = "notifications:unread:{pk}"
KEEP_SECONDS = 60


def unread_count(user: User) -> int:
    key = KEY.format(pk=user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.unread().filter(recipient=user).count()
        cache.set(key, count, KEEP_SECONDS)
    return count


def forget(user_ids: Iterable[int]) -> None:
    keys = [KEY.format(pk=pk) for pk in set(user_ids)]
    transaction.on_commit(lambda: cache.delete_many(keys))
