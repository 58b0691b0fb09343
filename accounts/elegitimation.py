"""Swedish e-legitimation through a broker that speaks OpenID Connect, as an allauth provider.

allauth's OpenID Connect provider, with three differences:
- the ID token's signature is always checked against the broker's published keys (allauth
  skips the check when the token came straight from the token endpoint, which the
  specification allows; an issue of ours asks for it), with the algorithms pinned and the
  expiry, audience and issuer required;
- the claims come from the signed ID token only, not from the userinfo endpoint;
- the personal identity number leaves this module only as a keyed hash (accounts.identity):
  the sign-in method's uid is the hashed subject, and the data allauth keeps holds the issuer,
  the level of assurance and when, nothing else.

What a verification does with the account is accounts.adapter.SocialAccountAdapter's.
"""

import logging

import jwt
import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.identity import identity_of, normalised_number, subject_uid

PROVIDER_ID = "elegitimation"
# The language the person set out in: the callback's address has none (one address for the
# broker), so the pages it shows would otherwise be in the default language.
LANGUAGE_SESSION_KEY = "elegitimation_language"
# Asymmetric only: a token may not choose "none" or a shared-secret algorithm for itself.
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]

logger = logging.getLogger(__name__)


class VerificationRefused(OAuth2Error):
    """A verification that did not prove who the person is, with what to tell them: allauth
    shows it on its authentication-error page (socialaccount/authentication_error.html)."""

    def __init__(self, message, reason: str) -> None:
        super().__init__(reason)
        self.message = message
        self.reason = reason


def is_enabled() -> bool:
    return bool(settings.ELEGITIMATION["issuer"])


def callback(request, provider_id: str) -> HttpResponse:
    """Where the broker sends the person back: allauth's callback view, with this module's
    adapter (allauth's own OpenID Connect callback builds allauth's adapter, which does not
    always check the signature), in the language the person set out in."""
    if provider_id != PROVIDER_ID:
        raise Http404
    language = request.session.get(LANGUAGE_SESSION_KEY)
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    request.LANGUAGE_CODE = language
    # The broker's answer can be used once: the language switcher goes to signing in instead.
    request.language_switch_path = reverse("account_login")
    with translation.override(language):
        try:
            view = OAuth2CallbackView.adapter_view(ElegitimationAdapter(request, provider_id))
            response = view(request)
        except SocialApp.DoesNotExist:
            raise Http404 from None
    response.headers["Content-Language"] = language
    return response


def verification_redirect(request, next_url: str) -> HttpResponse:
    """Off to verify the signed-in person with e-legitimation, and back to `next_url` (a path
    of this site) once verified."""
    provider = get_adapter(request).get_provider(request, PROVIDER_ID)
    try:
        return provider.redirect(request, AuthProcess.CONNECT, next_url=next_url)
    except ImmediateHttpResponse as unreachable:
        return unreachable.response


def signed_claims(id_token: str, *, keys_url: str, issuer: str, audience: str) -> dict:
    """The ID token's claims, once its signature, issuer, audience and expiry hold."""
    try:
        header = jwt.get_unverified_header(id_token)
        if header.get("alg") not in ALGORITHMS:
            raise jwt.InvalidAlgorithmError(header.get("alg"))
        with get_adapter().get_requests_session() as session:
            response = session.get(keys_url, timeout=10)
            response.raise_for_status()
            keys = jwt.PyJWKSet.from_dict(response.json())
        key = next((key for key in keys.keys if key.key_id == header.get("kid")), None)
        if key is None:
            raise jwt.InvalidSignatureError("no published key has the token's kid")
        return jwt.decode(
            id_token,
            key=key,
            algorithms=[header["alg"]],
            audience=audience,
            issuer=issuer,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            leeway=30,
        )
    except jwt.ExpiredSignatureError as error:
        raise VerificationRefused(
            _("The answer from the e-legitimation service had expired. Please try again."),
            "expired",
        ) from error
    except (jwt.InvalidAudienceError, jwt.InvalidIssuerError) as error:
        raise VerificationRefused(
            _(
                "The answer from the e-legitimation service was meant for another service, so "
                "it cannot verify you here. Please try again; if it happens again, contact us."
            ),
            "audience",
        ) from error
    except (jwt.PyJWTError, requests.RequestException, ValueError) as error:
        raise VerificationRefused(
            _(
                "The answer from the e-legitimation service could not be checked as coming "
                "from it, so it cannot verify you. Please try again; if it happens again, "
                "contact us."
            ),
            "signature",
        ) from error


class ElegitimationAdapter(OpenIDConnectOAuth2Adapter):
    def get_callback_url(self, request, app) -> str:
        """One address to register at the broker, whatever the language the person reads in:
        the default language's, which has no prefix."""
        with translation.override(settings.LANGUAGE_CODE):
            return super().get_callback_url(request, app)

    def complete_login(self, request, app, token, **kwargs):
        id_token = kwargs["response"].get("id_token")
        if not id_token:
            raise VerificationRefused(
                _("The e-legitimation service did not say who you are. Please try again."),
                "no_id_token",
            )
        claims = signed_claims(
            id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
        )
        return self.get_provider().sociallogin_from_response(request, {"id_token": claims})


class ElegitimationProvider(OpenIDConnectProvider):
    oauth2_adapter_class = ElegitimationAdapter
    # Where allauth finds the provider's URLs: the OpenID Connect provider's, not this module's.
    package = "allauth.socialaccount.providers.openid_connect"

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        """Off to the broker; when it cannot be reached, a page that says so (503), not an
        error: finding the broker's addresses is the first thing that asks it anything."""
        request.session[LANGUAGE_SESSION_KEY] = translation.get_language()
        try:
            return super().redirect(request, process, next_url=next_url, data=data, **kwargs)
        except (requests.RequestException, ValueError, KeyError) as error:
            logger.warning("e-legitimation unreachable: %s", type(error).__name__)
            refusal = VerificationRefused(
                _(
                    "The e-legitimation service could not be reached. Please try again in a "
                    "while; nothing was changed."
                ),
                "unreachable",
            )
            context = {"auth_error": {"provider": self, "exception": refusal}}
            page = render(request, "socialaccount/authentication_error.html", context, status=503)
            raise ImmediateHttpResponse(page) from error

    def get_default_scope(self) -> list[str]:
        return list(settings.ELEGITIMATION["scopes"])

    def extract_uid(self, data) -> str:
        claims = data["id_token"]
        return subject_uid(claims["iss"], str(claims["sub"]))

    def extract_extra_data(self, data) -> dict:
        """What allauth keeps with the sign-in method: nothing that names the person."""
        claims = data["id_token"]
        return {
            "iss": claims.get("iss"),
            "level_of_assurance": self._level_of_assurance(claims),
            "auth_time": claims.get("auth_time"),
        }

    def extract_common_fields(self, data) -> dict:
        return {}

    def extract_email_addresses(self, data) -> list:
        return []

    def sociallogin_from_response(self, request, response):
        claims = response["id_token"]
        number = normalised_number(claims.get(settings.ELEGITIMATION["identity_claim"]))
        if number is None:
            raise VerificationRefused(
                _(
                    "The e-legitimation service did not send your personal identity number, "
                    "so you could not be verified. Please try again with BankID or Freja eID; "
                    "if it happens again, contact us."
                ),
                "no_identity_number",
            )
        sociallogin = super().sociallogin_from_response(request, response)
        # Read by accounts.adapter.SocialAccountAdapter.pre_social_login, in this request.
        sociallogin.identity = identity_of(number, self._level_of_assurance(claims))
        return sociallogin

    @staticmethod
    def _level_of_assurance(claims: dict) -> str:
        return str(claims.get(settings.ELEGITIMATION["assurance_claim"]) or "")
