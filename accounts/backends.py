"""Signing in, and loading the signed-in person on every request.

A signed-in page needs the person, their standing (a verified email address, a block in force)
and their permissions (is this a moderator, a responder?). Django and allauth read these with
three queries. get_user() reads the person with their standing, and with whether they have any
permission at all: most people have none, and then their permissions cost no query. That query
is compiled once per process (core.database.CompiledOnce): Django's compiling it took longer
than the database's answering it.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q

from accounts.models import User
from accounts.permissions import standing_annotations
from core.database import CompiledOnce


def people_with_standing():
    """People with their standing, and whether they have any permission at all."""
    return User._default_manager.annotate(
        in_a_group=Exists(User.groups.through.objects.filter(user=OuterRef("pk"))),
        given_permissions=Exists(User.user_permissions.through.objects.filter(user=OuterRef("pk"))),
        **standing_annotations(),
    )


PERSON = CompiledOnce(lambda pk: people_with_standing().filter(pk=pk))


class PermissionsInOneQueryBackend(AuthenticationBackend):
    """allauth's backend (email and password; allauth records it for every sign-in it makes),
    loading the person, their standing and their permissions in as few queries as it can. The
    name is older than what it does: sessions store it, so renaming it would sign everyone out.
    """

    def get_user(self, user_id) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        return next(iter(self._found(PERSON(pk)).values()), None)

    def get_users(self, user_ids) -> dict:
        """get_user for many people at once, by their ids (accounts.sessions.socket_people):
        one query, whoever they are. Compiled per call: its SQL differs with the number of ids,
        and one compilation serves every socket of the batch, where get_user's served one page."""
        return self._found(people_with_standing().filter(pk__in=user_ids))

    def _found(self, people) -> dict:
        found = {}
        for user in people:
            if not self.user_can_authenticate(user):
                continue
            if not (user.is_superuser or user.in_a_group or user.given_permissions):
                user._perm_cache = set()
            found[user.pk] = user
        return found

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        """As ModelBackend, but a person's user and group permissions in one query instead of
        two (when get_user has not already found that they have none)."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            rows = permissions.values_list("content_type__app_label", "codename").distinct()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
