import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import actions
from accounts.elegitimation import PROVIDER_ID, VerificationRefused
from accounts.identity import Identity
from accounts.models import IdentityVerification
from core.email import enqueue_email_message, site_context

logger = logging.getLogger(__name__)

# A new person's proven identity, kept (as digests) while they fill in the signup form.
PENDING_IDENTITY = "elegitimation_identity"


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails go through the task queue like every other email, and name the site
        as every other email does (allauth's own send_mail would add `current_site`)."""
        user = context.get("user")
        language = getattr(user, "language", None) or translation.get_language()
        context = {**context, **site_context()}
        with translation.override(language or settings.LANGUAGE_CODE):
            message = self.render_mail(template_prefix, email, context)
        enqueue_email_message(message)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data["display_name"]
        user.language = translation.get_language() or settings.LANGUAGE_CODE
        if commit:
            user.save()
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """What a verification with e-legitimation (accounts.elegitimation) does with the account.

    - Verifying a signed-in account (allauth's "connect"): the account is verified, unless the
      identity verifies another one.
    - Signing in with it: the account the identity verifies, whichever sign-in method found it.
    - A new person: the signup form asks for an email address and a name, and the new account
      is verified with the identity kept in the session meanwhile (as digests).
    """

    def pre_social_login(self, request, sociallogin) -> None:
        identity = getattr(sociallogin, "identity", None)
        if identity is None:
            return
        connecting = sociallogin.state.get("process") == AuthProcess.CONNECT
        if connecting and request.user.is_authenticated:
            _verify(request.user, identity)
        elif sociallogin.is_existing:
            # Signing in again: verified already, unless the identity changed hands meanwhile.
            holder = IdentityVerification.objects.of_identity(identity).first()
            if holder is None or holder.user_id != sociallogin.user.pk:
                _verify(sociallogin.user, identity)
        elif holder := IdentityVerification.objects.of_identity(identity).first():
            # The same person, through a sign-in method the account does not have yet (another
            # broker, or a subject that changed): theirs from now on.
            _verify(holder.user, identity)
            sociallogin.connect(request, holder.user)
        else:
            request.session[PENDING_IDENTITY] = identity.as_session()

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        identity = Identity.from_session(request.session.pop(PENDING_IDENTITY, None))
        if identity is not None:
            try:
                actions.identity_verify(user=user, identity=identity)
            except ValidationError as refusal:
                # Verified by another account between the form's showing and its sending.
                messages.error(request, " ".join(refusal.messages))
        return user

    def validate_disconnect(self, account, accounts) -> None:
        """e-legitimation is removed from the profile page, with the verification it gave."""
        if account.provider == PROVIDER_ID:
            raise ValidationError(
                _("Remove your e-legitimation on your profile page."), code="elegitimation"
            )
        super().validate_disconnect(account, accounts)

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        """One line for the log, with why and nothing of the person."""
        reason = getattr(exception, "reason", None) or type(exception).__name__
        logger.info("e-legitimation refused: %s (%s)", reason, error)


def _verify(user, identity: Identity) -> None:
    try:
        actions.identity_verify(user=user, identity=identity)
    except PermissionDenied as error:
        raise VerificationRefused(
            _("This account cannot be verified. It may be closed."), "account"
        ) from error
    except ValidationError as refusal:
        raise VerificationRefused(" ".join(refusal.messages), refusal.code or "refused") from None
