"""The provider's OAuth2 validator: the claims about each test identity, and its faults."""

import base64
import functools
import time

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.oidc_provider.identities import (
    ASSURANCE_CLAIM,
    IDENTITIES,
    IDENTITY_CLAIM,
    NATURAL_PERSON_NUMBER_SCOPE,
    Identity,
)


def identity_of(user) -> Identity:
    """The test identity a provider user stands for."""
    return IDENTITIES[user.get_username()]


@functools.cache
def rogue_key():
    """The unpublished RSA key that signs the "bad_signature" ID tokens."""
    return serialization.load_pem_private_key(settings.ROGUE_RSA_PRIVATE_KEY.encode(), None)


def resign_with_rogue_key(token: str) -> str:
    """The same header (and `kid`) and claims, but an RS256 signature by the rogue key."""
    header, payload, _ = token.split(".")
    signing_input = f"{header}.{payload}".encode("ascii")
    signature = rogue_key().sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{payload}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


class IdentityValidator(OAuth2Validator):
    """DOT's validator, issuing `acr` and the personal identity number of the test identity.

    Both claims go into the ID token and the userinfo response. DOT drops every claim whose
    scope (in `oidc_claim_scope`) was not granted, so each custom claim is mapped to a scope:
    `acr` comes with "openid", the number with the naturalPersonNumber scope. An identity's
    fault changes its ID token only; the token response itself stays well-formed.
    """

    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        ASSURANCE_CLAIM: "openid",
        IDENTITY_CLAIM: NATURAL_PERSON_NUMBER_SCOPE,
    }

    def get_additional_claims(self):
        """The custom claims, as functions of the request (so discovery can list them)."""
        return {
            ASSURANCE_CLAIM: lambda request: identity_of(request.user).loa,
            IDENTITY_CLAIM: lambda request: identity_of(request.user).number,
        }

    def get_oidc_claims(self, token, token_handler, request):
        """The claims the granted scopes release, leaving out those without a value."""
        claims = super().get_oidc_claims(token, token_handler, request)
        return {name: value for name, value in claims.items() if value is not None}

    def get_id_token_dictionary(self, token, token_handler, request):
        """The ID token's claims, with the wrong audience or the expiry of a faulty identity.

        These claims override the `aud` and `iat` that oauthlib put in the ID token.
        """
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        fault = identity_of(request.user).fault
        if fault == "wrong_audience":
            claims["aud"] = "someone-else"
        elif fault == "expired":
            now = int(time.time())
            claims.update(iat=now - 3660, auth_time=now - 3660, exp=now - 3600)
        return claims, expiration_time

    def finalize_id_token(self, id_token, token, token_handler, request):
        """The signed ID token; for "bad_signature", signed again with the rogue key."""
        signed = super().finalize_id_token(id_token, token, token_handler, request)
        if identity_of(request.user).fault == "bad_signature":
            return resign_with_rogue_key(signed)
        return signed
