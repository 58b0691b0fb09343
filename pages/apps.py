from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The trust pages: about the service, personal data, accessibility and contact. Staff
    write them in the admin; the app sits just above core and imports nothing else of ours."""

    name = "pages"
    verbose_name = _("Trust pages")
