"""Content stored in both languages: Swedish always, English when staff have written it."""

from django.db import models
from django.utils.translation import get_language


class Translated:
    """Read `<name>_sv` or `<name>_en` by the active language, falling back to Swedish."""

    def __init__(self, name: str):
        self.name = name

    def __get__(self, instance: models.Model | None, owner: type) -> str:
        if instance is None:
            return self  # type: ignore[return-value]
        if (get_language() or "sv").startswith("en"):
            english = getattr(instance, f"{self.name}_en")
            if english:
                return english
        return getattr(instance, f"{self.name}_sv")
