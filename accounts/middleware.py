from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import is_city_staff


class StaffTwoFactorMiddleware:
    """Staff must set up TOTP two-factor before they can do anything else (production default).

    Only the pages needed to set it up, to sign out, and static files stay reachable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.STAFF_MFA_REQUIRED
            and request.user.is_authenticated
            and is_city_staff(request.user)
            and not self._is_exempt(request.path_info)
            and not is_mfa_enabled(request.user)
        ):
            messages.warning(
                request, _("Staff accounts must use two-factor authentication. Set it up to go on.")
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _is_exempt(path: str) -> bool:
        exempt = (
            reverse("mfa_activate_totp"),
            reverse("mfa_index"),
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
