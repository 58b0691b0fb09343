"""Personal data, assembled from one section per app (GDPR art. 15, 17 and 20).

settings.PERSONAL_DATA_SECTIONS names the sections, lowest app first. Each section is a module
with:

- COVERS: every link to the user model it answers for, as "app_label.Model.field". A test walks
  every model and fails on a link that no section covers, so a new one cannot be forgotten.
- export(user) -> dict: its part of the person's download, under keys no other section uses.
- erase(user) -> None: removes what only concerned the person and keeps what they wrote, which
  then shows as written by a deleted user.

This module knows no app: the apps register here, through settings, not the other way round.
"""

from importlib import import_module
from types import ModuleType
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction


def sections() -> list[ModuleType]:
    return [import_module(path) for path in settings.PERSONAL_DATA_SECTIONS]


def export(user) -> dict[str, Any]:
    """Everything the platform holds about the person, section by section in the settings' order."""
    data: dict[str, Any] = {}
    for section in sections():
        part = section.export(user)
        clash = data.keys() & part.keys()
        if clash:
            raise ImproperlyConfigured(
                f"{section.__name__} exports {', '.join(sorted(clash))}, "
                "which an earlier section already exports."
            )
        data |= part
    return data


def erase(user) -> None:
    """Erase the person's data, upper apps first: what an upper app holds may refer to rows of a
    lower one, never the other way round. All of it, or none: a savepoint inside the caller's
    transaction."""
    with transaction.atomic():
        for section in reversed(sections()):
            section.erase(user)


def when(value) -> str | None:
    """A moment as the download writes it: ISO 8601, or None when it has not happened."""
    return value.isoformat() if value else None
