import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added

from tests.factories import PASSWORD, ModeratorFactory, ResponderFactory, UserFactory
from tests.sessions import sign_in


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


def test_staff_who_signed_in_with_their_second_factor_use_the_site(client, db):
    moderator = ModeratorFactory()
    Authenticator.objects.create(user=moderator, type=Authenticator.Type.TOTP, data={})
    sign_in(client, moderator)

    assert client.get("/organisationer/").status_code == 200


def test_staff_with_totp_who_signed_in_with_the_password_alone_must_confirm_with_it(client, db):
    """Having TOTP set up is not having used it: a session signed in with the password alone
    (the admin's login did that) is sent to confirm with the authenticator app."""
    moderator = ModeratorFactory()
    Authenticator.objects.create(user=moderator, type=Authenticator.Type.TOTP, data={})
    sign_in(client, moderator, second_factor=False)

    response = client.get("/moderering/")

    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/reauthenticate/?next=%2Fmoderering%2F"
    assert client.get("/konto/2fa/reauthenticate/").status_code == 200


def test_setting_up_totp_counts_as_using_it_in_that_session(client, db, rf):
    moderator = ModeratorFactory()
    sign_in(client, moderator, second_factor=False)
    request = rf.get("/")
    request.session = client.session
    totp = Authenticator.objects.create(user=moderator, type=Authenticator.Type.TOTP, data={})

    authenticator_added.send(
        sender=Authenticator, request=request, user=moderator, authenticator=totp
    )
    request.session.save()

    assert client.get("/moderering/").status_code == 200


def test_the_admin_login_page_sends_to_the_sites_sign_in(client, db):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_the_admin_login_signs_no_one_in_with_a_password(client, db):
    """It once did, past the second factor and allauth's limits on wrong passwords."""
    moderator = ModeratorFactory(is_staff=True)
    Authenticator.objects.create(user=moderator, type=Authenticator.Type.TOTP, data={})

    response = client.post(
        "/admin/login/", {"username": moderator.email, "password": PASSWORD, "next": "/admin/"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")
    assert "_auth_user_id" not in client.session


def test_residents_are_not_asked_for_two_factor(client, db):
    client.force_login(UserFactory())

    assert client.get("/organisationer/").status_code == 200


def test_staff_can_sign_out_without_two_factor(client, db):
    client.force_login(ModeratorFactory())

    response = client.post("/konto/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
