from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Plumbing below every app: no models; installed for its template filters and for SQLite's
    casefold function (core.database)."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db.models import fields
        from django.utils.translation import gettext_lazy as _

        from core import pagecache
        from core.database import connect_casefold

        connect_casefold()
        pagecache.connect()
        # The empty choice of a select ("- Select an option -" since Django 6.1) has no Swedish
        # in Django's catalogue; Django lets an app's ready() name it instead.
        fields.BLANK_CHOICE_LABEL = _("Choose…")
