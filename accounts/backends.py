"""Signing in, and loading the signed-in person on every request.

A signed-in page needs the person, their permissions (is this a moderator, a responder?) and
their standing (a verified email address, a block in force). Django and allauth read these with
three queries; get_user() reads them with one.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.models import Permission
from django.db.models import Q, StringAgg, Value
from django.db.models.functions import Concat

from accounts.models import User


def _permission_names(relation: str) -> StringAgg:
    """The "app_label.codename" of every permission reached through `relation`, comma-joined."""
    return StringAgg(
        Concat(f"{relation}__content_type__app_label", Value("."), f"{relation}__codename"),
        Value(","),
        distinct=True,
        filter=Q(**{f"{relation}__isnull": False}),
    )


class PermissionsInOneQueryBackend(AuthenticationBackend):
    """allauth's backend (email and password; allauth records it for every sign-in it makes),
    loading the person with their permissions and standing in one query. The name is older
    than what it does: sessions store it, so renaming it would sign everyone out."""

    def get_user(self, user_id) -> User | None:
        from accounts.permissions import standing_annotations

        user = (
            User._default_manager.filter(pk=user_id)
            .annotate(
                own_permissions=_permission_names("user_permissions"),
                group_permissions=_permission_names("groups__permissions"),
                **standing_annotations(),
            )
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        if not user.is_superuser:  # a superuser has every permission; ModelBackend knows
            names = f"{user.own_permissions or ''},{user.group_permissions or ''}"
            user._perm_cache = {name for name in names.split(",") if name}
        return user

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        """As ModelBackend, but a person's user and group permissions in one query (when
        get_user has not read them already)."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            rows = permissions.values_list("content_type__app_label", "codename").distinct()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
