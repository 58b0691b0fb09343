"""Every email names the site, from settings.SITE_NAME: allauth's once greeted "Hej från !",
because nothing gave their templates the site's name."""

from pathlib import Path

import allauth
import pytest
from django.utils import timezone

from accounts.adapter import AccountAdapter
from core.email import send_templated_email
from notifications.actions import do_notify
from notifications.models import Notification
from notifications.tasks import render_message
from tests.factories import (
    CommentFactory,
    InitiativeFactory,
    InvitationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SITE_NAME = "Tillsammans Helsingborg"
ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
# Every email allauth can send, by its template prefix: account/email/… and mfa/email/….
ALLAUTH_EMAILS = sorted(
    str(path.relative_to(ALLAUTH_TEMPLATES)).removesuffix("_subject.txt")
    for folder in ("account/email", "mfa/email")
    for path in (ALLAUTH_TEMPLATES / folder).glob("*_subject.txt")
)
EMPTY_NAME = ("från !", "from !", "använder !", "using !")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://tillsammans.example.se"


def _assert_names_the_site(*texts: str) -> None:
    for text in texts:
        assert SITE_NAME in text
        for empty in EMPTY_NAME:
            assert empty not in text


def _allauth_context(user) -> dict:
    """What allauth's callers give the templates, so that every one renders its real text."""
    return {
        "user": user,
        "email": user.email,
        "activate_url": "https://tillsammans.example.se/konto/confirm-email/abc/",
        "password_reset_url": "https://tillsammans.example.se/konto/password/reset/key/abc/",
        "signup_url": "https://tillsammans.example.se/konto/signup/",
        "code": "ABC123",
        "from_email": "gammal@example.org",
        "to_email": "ny@example.org",
        "deleted_email": "gammal@example.org",
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
        "timestamp": timezone.now(),
    }


def test_every_allauth_email_is_found():
    assert "account/email/email_confirmation_signup" in ALLAUTH_EMAILS
    assert "account/email/password_reset_key" in ALLAUTH_EMAILS
    assert "mfa/email/totp_activated" in ALLAUTH_EMAILS
    assert len(ALLAUTH_EMAILS) >= 15


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("template_prefix", ALLAUTH_EMAILS)
def test_every_allauth_email_names_the_site(
    template_prefix, language, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(language=language)

    with django_capture_on_commit_callbacks(execute=True):
        AccountAdapter().send_mail(template_prefix, user.email, _allauth_context(user))

    (message,) = mailoutbox
    _assert_names_the_site(message.body)
    assert "tillsammans.example.se" in message.body


def test_the_verification_email_greets_from_the_site(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/konto/signup/",
            {
                "email": "ny@example.org",
                "display_name": "Nina Ny",
                "password1": "a-long-test-password-42",
                "password2": "a-long-test-password-42",
            },
        )

    from django.core import mail

    (message,) = mail.outbox
    assert f"Hej från {SITE_NAME}!" in message.body
    assert "skapa ett konto på tillsammans.example.se." in message.body


def _notifications(recipient, number: int) -> list[Notification]:
    initiative = InitiativeFactory()
    for _index in range(number):
        comment = CommentFactory(initiative=initiative)
        do_notify(
            kind=Notification.Kind.COMMENT_ON_FOLLOWED,
            recipients=[recipient],
            initiative=initiative,
            comment=comment,
            actor=comment.author,
            own_content=False,
        )
    return list(Notification.objects.filter(recipient=recipient).select_related("initiative"))


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(("digest", "number"), [(False, 1), (False, 3), (True, 2)])
def test_every_notification_email_names_the_site(language, digest, number):
    recipient = UserFactory(language=language)

    message = render_message(recipient, _notifications(recipient, number), digest=digest)

    (html, _mime), *_ = message.alternatives
    _assert_names_the_site(message.body, html)
    assert "https://tillsammans.example.se" in message.body


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_invitation_email_names_the_site(
    language, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory()

    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email(
            template_prefix="accounts/email/invitation",
            to=invitation.email,
            context={
                "inviter": invitation.invited_by,
                "organisation": invitation.organisation,
                "invitation": invitation,
            },
            language=language,
        )

    (message,) = mailoutbox
    (html, _mime), *_ = message.alternatives
    _assert_names_the_site(message.body, html)


def test_the_name_comes_from_the_settings(settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.SITE_NAME = "Tillsammans Testby"
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        AccountAdapter().send_mail(
            "account/email/password_changed", user.email, _allauth_context(user)
        )

    assert "Hej från Tillsammans Testby!" in mailoutbox[0].body
