from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Plumbing below every app: no models, only the template filters need it installed."""

    name = "core"
    verbose_name = "Core"
