"""The test people at the OpenID Connect provider, and the claims it issues about them.

This module needs no Django settings, so both the provider and the tests import it.
"""

from dataclasses import dataclass

PASSWORD = "korrekt-hast-batteri-hafteklammer"
"""The password of every test identity at the provider."""

IDENTITY_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"
"""The claim carrying the Swedish personal identity number (12 digits)."""

ASSURANCE_CLAIM = "acr"
"""The claim carrying the level of assurance of the sign-in."""

NATURAL_PERSON_NUMBER_SCOPE = "https://id.oidc.se/scope/naturalPersonNumber"
"""The scope that releases IDENTITY_CLAIM."""

LOA2 = "http://id.elegnamnden.se/loa/1.0/loa2"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"

FAULTS = ("", "bad_signature", "wrong_audience", "expired")
"""The defects the provider can build into an identity's ID token (the empty string: none)."""


@dataclass(frozen=True)
class Identity:
    """One test person at the provider.

    `number` is the personal identity number the ID token claims (None: the claim is left out),
    `loa` the `acr` claim, and `fault` a defect the provider builds into the ID token:
    "bad_signature" (signed with another key under the same `kid`), "wrong_audience" (`aud` is
    "someone-else") or "expired" (`exp` and `iat` an hour in the past).
    """

    username: str
    number: str | None
    loa: str
    fault: str = ""

    def __post_init__(self) -> None:
        if self.fault not in FAULTS:
            raise ValueError(f"Unknown fault {self.fault!r}; expected one of {FAULTS}.")


IDENTITIES: dict[str, Identity] = {
    identity.username: identity
    for identity in (
        Identity("anna", "199001012389", LOA3),
        Identity("bertil", "198502023344", LOA3),
        Identity("cecilia", "197003034455", LOA2),
        Identity("utan-nummer", None, LOA3),
        Identity("fel-signatur", "199104045566", LOA3, fault="bad_signature"),
        Identity("fel-mottagare", "199205056677", LOA3, fault="wrong_audience"),
        Identity("utgangen", "199306067788", LOA3, fault="expired"),
    )
}
"""Every test identity, by username (also the username of its user at the provider)."""
