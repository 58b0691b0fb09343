"""Limits per person on writes: at most so many of one kind in a window of time.

The limits are settings (RATE_LIMITS: a name, the number allowed, the window in seconds), kept
in one place with what a person is told when one refuses them. They are counted in the cache
every process shares (Redis in production); when the cache is away the count starts again,
which lets writes through rather than refusing everyone.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# What a person is told when a limit refuses them, by the limit's name in RATE_LIMITS.
MESSAGES = {
    "proposal": _(
        "You have started many initiatives in a short time. Wait a while and try again; your "
        "text is kept below."
    ),
    "comment": _(
        "You have written many comments in a short time. Wait a few minutes and try again; your "
        "text is kept."
    ),
    "flag": _("You have flagged a lot in a short time. Wait a while; moderators read every flag."),
    "offer": _("You have offered help many times in a short time. Wait a while and try again."),
    "message": _("You have sent many messages in a short time. Wait a few minutes and try again."),
    "invitation": _("You have sent many invitations in a short time. Wait a while and try again."),
    "organisation": _("You have created several organisations today. Try again tomorrow."),
}
DEFAULT_MESSAGE = _("You have done this many times in a short while. Wait a little and try again.")


class RateLimited(ValidationError):
    """Refused for now: the person did this many times in a short while. The view shows the
    message beside what they typed, which it keeps."""


def count(name: str, person_pk: int) -> None:
    """Count one `name` by the person; refuse it with RateLimited when it goes over the limit."""
    allowed, window = settings.RATE_LIMITS[name]
    key = f"ratelimit:{name}:{person_pk}"
    cache.add(key, 0, timeout=window)
    try:
        done = cache.incr(key)
    except ValueError:  # The window ended between add() and incr(), or the cache is away.
        cache.set(key, 1, timeout=window)
        done = 1
    if done > allowed:
        raise RateLimited(str(MESSAGES.get(name, DEFAULT_MESSAGE)), code="rate_limited")
