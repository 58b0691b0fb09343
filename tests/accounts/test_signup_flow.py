import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import User
from tests.factories import PASSWORD, UnverifiedUserFactory, UserFactory

SIGNUP = "/konto/signup/"
LOGIN = "/konto/login/"


@pytest.fixture
def signup(client, django_capture_on_commit_callbacks):
    """Post the sign-up form; emails queued on commit are sent, as after a real request."""

    def post(email="ny@example.org", password=PASSWORD, prefix=""):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                f"{prefix}{SIGNUP}",
                {
                    "email": email,
                    "display_name": "Nina Ny",
                    "password1": password,
                    "password2": password,
                },
            )

    return post


@pytest.mark.django_db
def test_sign_up_sends_a_verification_email_and_confirming_it_signs_in(client, signup):
    response = signup()

    assert response.status_code == 302
    user = User.objects.get(email="ny@example.org")
    assert user.display_name == "Nina Ny"
    assert not EmailAddress.objects.get(user=user).verified
    # Mandatory verification: signing up does not sign in.
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ny@example.org"]
    link = re.search(r"https?://[^/\s]+(/konto/confirm-email/\S+/)", message.body).group(1)

    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    confirmed = client.post(link)

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_verification_email_is_in_the_language_the_person_signed_up_in(signup):
    signup(prefix="/en")

    assert User.objects.get(email="ny@example.org").language == "en"
    assert mail.outbox[0].subject == "[Tillsammans] Please Confirm Your Email Address"
    assert "/en/konto/confirm-email/" in mail.outbox[0].body


@pytest.mark.django_db
def test_unverified_person_cannot_sign_in(client):
    user = UnverifiedUserFactory()

    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]


@pytest.mark.django_db
def test_verified_person_signs_in_with_email_and_password(client):
    user = UserFactory()

    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "message"),
    [("", "lösenordet är felaktigt"), ("/en", "password you specified are not correct")],
)
def test_wrong_password_is_refused_with_a_clear_message_in_the_users_language(
    client, prefix, message
):
    user = UserFactory()

    response = client.post(f"{prefix}{LOGIN}", {"login": user.email, "password": "fel"})

    assert response.status_code == 200
    assert message in response.content.decode()
    # The address the person typed is kept.
    assert user.email in response.content.decode()


@pytest.mark.django_db
def test_sign_up_with_an_invalid_email_keeps_what_was_typed(client, signup):
    response = signup(email="inte-en-adress")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Fyll i en giltig e-postadress" in content
    assert 'value="Nina Ny"' in content
    assert 'value="inte-en-adress"' in content
    assert not User.objects.exists()


@pytest.mark.django_db
def test_sign_up_with_a_taken_email_does_not_reveal_the_account_or_create_a_second(signup):
    UserFactory(email="finns@example.org")

    response = signup(email="finns@example.org")

    # allauth prevents account enumeration: the page looks like a normal sign-up, and the owner
    # of the address is told by email instead.
    assert response.status_code == 302
    assert User.objects.filter(email="finns@example.org").count() == 1
    assert mail.outbox[-1].to == ["finns@example.org"]


@pytest.mark.django_db
def test_sign_up_with_a_weak_password_is_refused_in_swedish(client, signup):
    response = signup(password="123")

    assert response.status_code == 200
    assert "för kort" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_emails_are_sent_by_a_task_only_after_the_transaction_commits(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            SIGNUP,
            {
                "email": "ny@example.org",
                "display_name": "Nina Ny",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )

    assert len(mail.outbox) == 0
    assert callbacks
    for callback in callbacks:  # the email's, and core.pagecache's new generation
        callback()
    assert len(mail.outbox) == 1
