import pytest
from django.core.management import call_command

from accounts.models import Membership, Organisation, User
from accounts.permissions import is_moderator, is_responder, may_write

DEMO_PASSWORD = "demo-tillsammans"


@pytest.fixture
def demo(programme, settings):
    settings.DEMO_CONTENT_ALLOWED = True
    call_command("load_demo", verbosity=0)


def test_loading_the_demo_twice_duplicates_nothing(demo):
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())

    call_command("load_demo", verbosity=0)

    assert counts == (6, 2, 2)
    assert (User.objects.count(), Organisation.objects.count(), Membership.objects.count()) == (
        counts
    )


@pytest.mark.parametrize(
    "email",
    [
        "boende@example.org",
        "forening@example.org",
        "foretag@example.org",
        "moderator@example.org",
        "handlaggare@example.org",
        "admin@example.org",
    ],
)
def test_every_demo_account_signs_in_with_the_demo_password(client, demo, email):
    response = client.post("/konto/login/", {"login": email, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)


def test_demo_accounts_have_their_roles(demo):
    def user(email):
        return User.objects.get(email=email)

    assert may_write(user("boende@example.org"))
    assert not is_moderator(user("boende@example.org"))
    assert user("forening@example.org").memberships.get().role == Membership.Role.ADMIN
    assert user("foretag@example.org").memberships.get().organisation.kind == "foretag"
    assert user("foretag@example.org").memberships.get().role == Membership.Role.MEMBER
    assert is_moderator(user("moderator@example.org"))
    assert is_responder(user("handlaggare@example.org"))
    assert user("handlaggare@example.org").forvaltning.name_sv == "Kulturförvaltningen"
