from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.permissions import needs_second_factor


class StaffTwoFactorMiddleware:
    """Staff must complete their second factor (TOTP) in each session before they can do
    anything else (production default): set it up if they have none, or confirm with it if they
    signed in without it. Only the pages needed for that, to sign out, and static files stay
    reachable. Staff sockets apply the same rule (accounts.permissions.needs_second_factor).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and not self._is_exempt(request.path_info)
            and needs_second_factor(request.user, request.session)
        ):
            if not is_mfa_enabled(request.user):
                messages.warning(
                    request,
                    _("Staff accounts must use two-factor authentication. Set it up to go on."),
                )
                return redirect("mfa_activate_totp")
            messages.warning(
                request, _("Confirm with your authenticator app to go on, as staff must.")
            )
            return redirect(
                f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)

    @staticmethod
    def _is_exempt(path: str) -> bool:
        exempt = (
            reverse("mfa_activate_totp"),
            reverse("mfa_index"),
            reverse("mfa_reauthenticate"),
            reverse("mfa_generate_recovery_codes"),
            reverse("mfa_view_recovery_codes"),
            reverse("mfa_download_recovery_codes"),
            reverse("account_logout"),
            reverse("account_reauthenticate"),
            settings.STATIC_URL,
            "/healthz",
        )
        # The English prefix of i18n_patterns is dropped so both languages match.
        bare = path.removeprefix("/en")
        return any(path.startswith(item) or bare.startswith(item) for item in exempt)
