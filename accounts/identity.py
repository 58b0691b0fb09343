"""A person's identity number, kept only as a keyed hash.

Swedish e-legitimation (accounts.elegitimation) returns the personal identity number. It is
never stored: what is kept is HMAC-SHA256 under the keys in IDENTITY_HASH_KEYS, applied in turn,
oldest first. Each key wraps the digest of the one before, so a new key is added without the
number: `manage.py rotate_identity_key` wraps every stored digest once more. After that, a
database copy is of no use to someone who holds the old keys only.

A stored digest records how many keys wrapped it (`layers`): between adding a key and running
the command, stored digests have fewer layers than there are keys, and are still found.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Twelve digits: the century, the date of birth (or a coordination number's day plus 60), and the
# four last digits. Brokers send it so; a separator is tolerated.
IDENTITY_NUMBER = re.compile(r"^(\d{8})[-+]?(\d{4})$")


def hash_keys() -> list[bytes]:
    keys = [key.strip() for key in settings.IDENTITY_HASH_KEYS if key.strip()]
    if not keys:
        raise ImproperlyConfigured(
            "IDENTITY_HASH_KEYS is empty: e-legitimation needs at least one key to hash numbers."
        )
    return [key.encode() for key in keys]


def wrap(digest: str, key: bytes) -> str:
    """One more layer: the digest under one more key."""
    return hmac.new(key, digest.encode(), hashlib.sha256).hexdigest()


def wrapped(digest: str, keys: list[bytes]) -> str:
    """The digest under each of the keys in turn (manage.py rotate_identity_key's step)."""
    for key in keys:
        digest = wrap(digest, key)
    return digest


def digests(value: str) -> list[str]:
    """The value under the first key, the first two, and so on: digests[n - 1] has n layers."""
    keys = hash_keys()
    return [wrapped(value, keys[:layers]) for layers in range(1, len(keys) + 1)]


def normalised_number(value) -> str | None:
    """The identity number as twelve digits, or None when the value is not one."""
    if not isinstance(value, str):
        return None
    match = IDENTITY_NUMBER.match(value.strip())
    return "".join(match.groups()) if match else None


@dataclass(frozen=True)
class Identity:
    """What a verification proved: the number's digests (never the number) and how strongly."""

    digests: tuple[str, ...]
    level_of_assurance: str

    @property
    def digest(self) -> str:
        """The digest under every key: what a new verification stores."""
        return self.digests[-1]

    @property
    def layers(self) -> int:
        return len(self.digests)

    def as_session(self) -> dict:
        return {"digests": list(self.digests), "loa": self.level_of_assurance}

    @classmethod
    def from_session(cls, data) -> "Identity | None":
        try:
            return cls(tuple(data["digests"]), str(data["loa"]))
        except (KeyError, TypeError):
            return None


def identity_of(number: str, level_of_assurance: str) -> Identity:
    return Identity(tuple(digests(number)), level_of_assurance[:200])


def subject_uid(issuer: str, subject: str) -> str:
    """The key the sign-in method is found by (allauth's SocialAccount.uid): the provider's
    subject, hashed like the number, since some brokers use the number as the subject."""
    return digests(f"{issuer}|{subject}")[-1]


def masked_email(email: str) -> str:
    """Enough of an address for its owner to recognise it: an***@ex***.org."""
    local, _at, domain = email.partition("@")
    name, dot, top = domain.rpartition(".")
    if not dot:
        name, top = domain, ""
    masked_domain = f"{name[:2]}***{dot}{top}"
    return f"{local[:2]}***@{masked_domain}"
