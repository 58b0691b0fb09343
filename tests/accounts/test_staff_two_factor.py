import pytest
from allauth.mfa.models import Authenticator

from tests.factories import ModeratorFactory, ResponderFactory, UserFactory


@pytest.fixture(autouse=True)
def _require(settings):
    settings.STAFF_MFA_REQUIRED = True


@pytest.mark.parametrize("factory", [ModeratorFactory, ResponderFactory])
def test_staff_without_two_factor_are_sent_to_set_it_up(client, db, factory):
    client.force_login(factory())

    response = client.get("/organisationer/")

    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/totp/activate/"
    # allauth asks for the password again first; that page is reachable too, so nobody is stuck.
    setup = client.get("/konto/2fa/totp/activate/", follow=True)
    assert setup.status_code == 200
    assert setup.redirect_chain[-1][0].startswith("/konto/reauthenticate/")


def test_staff_with_totp_use_the_site(client, db):
    moderator = ModeratorFactory()
    Authenticator.objects.create(user=moderator, type=Authenticator.Type.TOTP, data={})
    client.force_login(moderator)

    assert client.get("/organisationer/").status_code == 200


def test_residents_are_not_asked_for_two_factor(client, db):
    client.force_login(UserFactory())

    assert client.get("/organisationer/").status_code == 200


def test_staff_can_sign_out_without_two_factor(client, db):
    client.force_login(ModeratorFactory())

    response = client.post("/konto/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
