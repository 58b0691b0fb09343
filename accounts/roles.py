"""Staff roles are Django groups; each grants permissions defined on the User model, and the
platform administrator's the staff screens' model permissions besides."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q

MODERATOR = "moderator"
RESPONDER = "responder"
ADMINISTRATOR = "administrator"

ROLE_PERMISSIONS = {
    MODERATOR: ["moderate"],
    RESPONDER: ["respond"],
    ADMINISTRATOR: [],
}

# What the platform administrator edits in the staff screens (Django's admin site): the
# municipality's data. Nothing here reaches people's accounts, initiatives or comments, which
# moderators and responders handle on the site itself. Deleting is not granted: a level, a
# district or a rule that no longer applies is ended or switched off, so old items keep theirs.
ADMINISTRATOR_MODELS = {
    "programme": {
        "programme": ["add", "change", "view"],
        "viljeinriktning": ["add", "change", "view"],
        "fokusomrade": ["add", "change", "view"],
        "prioritering": ["add", "change", "view"],
        "forvaltning": ["add", "change", "view"],
        "stadsdel": ["add", "change", "view"],
    },
    "moderation": {"admissibilityrule": ["add", "change", "view"]},
    "ideas": {"supportrule": ["change", "view"]},
    "pages": {"trustpage": ["change", "view"]},
    "accounts": {"organisation": ["change", "view"]},
}


def _administrator_permissions() -> Q:
    condition = Q(pk__in=[])
    for app_label, models in ADMINISTRATOR_MODELS.items():
        for model, actions in models.items():
            condition |= Q(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=[f"{action}_{model}" for action in actions],
            )
    return condition


def ensure_staff_groups(*, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Create the role groups with their permissions; safe to run after every migrate. It runs
    after the accounts app's migrations, before later apps have their permissions: those the
    administrator needs are made here first (Django's own step, which skips what exists)."""
    for label in ADMINISTRATOR_MODELS:
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using)
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="accounts", codename__in=codenames
        )
        if name == ADMINISTRATOR:
            permissions = Permission.objects.filter(_administrator_permissions())
        group.permissions.add(*permissions)
