from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added

        from accounts.roles import ensure_staff_groups
        from accounts.sessions import record_second_factor_setup

        # Permissions exist only after migrate has run, so the groups are set up then, once
        # (ensure_staff_groups makes the other apps' permissions the administrator needs).
        post_migrate.connect(ensure_staff_groups, sender=self)
        # Setting up TOTP proves the person holds it: the session counts as having used it.
        authenticator_added.connect(record_second_factor_setup)
