"""Staff roles are Django groups; each grants permissions defined on the User model."""

from django.contrib.auth.models import Group, Permission

MODERATOR = "moderator"
RESPONDER = "responder"

ROLE_PERMISSIONS = {
    MODERATOR: ["moderate"],
    RESPONDER: ["respond"],
}


def ensure_staff_groups(**kwargs) -> None:
    """Create the role groups with their permissions; safe to run after every migrate."""
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="accounts", codename__in=codenames
        )
        group.permissions.add(*permissions)
