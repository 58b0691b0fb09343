from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from accounts.roles import ensure_staff_groups

        # Permissions exist only after migrate has run, so the groups are set up then.
        post_migrate.connect(ensure_staff_groups, sender=self)
