"""The signed-in person is loaded with their standing, and their permissions, in as few queries
as can be: one for most people, who have no permission at all."""

from datetime import timedelta

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from accounts.backends import PermissionsInOneQueryBackend
from accounts.models import Block, User
from accounts.permissions import active_block, has_verified_email, is_moderator, may_write
from tests.factories import (
    PASSWORD,
    ModeratorFactory,
    ResponderFactory,
    UnverifiedUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BACKEND = "accounts.backends.PermissionsInOneQueryBackend"


def _load(user: User) -> User | None:
    return PermissionsInOneQueryBackend().get_user(user.pk)


def _with_own_permission():
    user = ModeratorFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_user"))
    return user


@pytest.mark.parametrize(
    "make",
    [UserFactory, ModeratorFactory, ResponderFactory, _with_own_permission],
    ids=["resident", "moderator", "responder", "moderator with an own permission"],
)
def test_the_permissions_read_with_the_person_are_djangos(make):
    person = make()

    loaded = _load(person)

    expected = ModelBackend().get_all_permissions(User.objects.get(pk=person.pk))
    assert loaded.get_all_permissions() == expected
    assert loaded.has_perm("accounts.moderate") is ("accounts.moderate" in expected)


def test_a_resident_with_standing_and_permissions_takes_one_query(django_assert_num_queries):
    resident = UserFactory()

    with django_assert_num_queries(1):
        loaded = _load(resident)
        assert not loaded.has_perm("accounts.moderate")
        assert not is_moderator(loaded)
        assert has_verified_email(loaded)
        assert active_block(loaded) is None
        assert may_write(loaded)


def test_a_moderators_permissions_take_one_query_more(django_assert_num_queries):
    moderator = ModeratorFactory()

    with django_assert_num_queries(2):
        loaded = _load(moderator)
        assert loaded.has_perm("accounts.moderate")
        assert is_moderator(loaded)
        assert has_verified_email(loaded)
        assert may_write(loaded)


def test_an_unverified_person_is_read_as_unverified(django_assert_num_queries):
    person = UnverifiedUserFactory()

    with django_assert_num_queries(1):
        assert not has_verified_email(_load(person))


def test_a_block_in_force_is_read_with_the_person_and_an_ended_one_is_not():
    person, moderator = UserFactory(), ModeratorFactory()
    now = timezone.now()
    Block.objects.create(
        user=person,
        moderator=moderator,
        reason="Ended",
        starts_at=now - timedelta(days=9),
        ends_at=now - timedelta(days=2),
    )
    assert active_block(_load(person)) is None
    # The database's clock decides (the query is compiled once): SQLite's counts milliseconds,
    # so a block given in this very millisecond is in force from the next.
    in_force = Block.objects.create(
        user=person,
        moderator=moderator,
        reason="Spam",
        starts_at=now - timedelta(seconds=1),
        ends_at=now + timedelta(days=1),
    )

    loaded = _load(person)

    assert active_block(loaded) == in_force
    assert not may_write(loaded)


def test_a_superuser_has_every_permission():
    person = UserFactory(is_superuser=True)

    assert _load(person).has_perm("ideas.delete_initiative")


def test_an_inactive_or_missing_person_is_not_loaded():
    person = UserFactory(is_active=False)

    assert _load(person) is None
    assert PermissionsInOneQueryBackend().get_user(person.pk + 1000) is None


def test_signing_in_with_allauth_stores_the_one_query_backend(client):
    person = UserFactory()

    response = client.post("/konto/login/", {"login": person.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == BACKEND
    assert client.get("/").context["user"] == person


def test_the_admin_is_reached_through_the_sites_sign_in(client):
    """The admin's own password form no longer signs anyone in (tests/accounts/
    test_staff_two_factor.py): staff sign in as everyone does, and then open the admin."""
    staff = UserFactory(is_staff=True, is_superuser=True)

    response = client.post(
        "/konto/login/?next=/admin/", {"login": staff.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session["_auth_user_backend"] == BACKEND
    assert client.get("/admin/").status_code == 200


def test_a_session_with_an_id_that_is_no_number_loads_nobody():
    assert PermissionsInOneQueryBackend().get_user("1; DROP TABLE accounts_user") is None
    assert PermissionsInOneQueryBackend().get_user(None) is None


def test_the_person_is_read_without_compiling_the_query_again(monkeypatch):
    """The query is compiled once per process (core.database.CompiledOnce): after the first
    sign-in, nobody's request compiles it."""
    first, second = UserFactory(), UserFactory()
    assert _load(first) == first
    compiled = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or original(self, *a, **k)
    )

    loaded = _load(second)

    assert loaded == second
    assert has_verified_email(loaded)
    assert compiled == []
