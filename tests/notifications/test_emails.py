"""Notification emails: grouped, digested, in the recipient's language, never lost."""

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications.actions import do_notify
from notifications.models import Frequency, Notification, NotificationSettings
from notifications.tasks import MAX_ATTEMPTS, deliver_digest, deliver_immediate, send_digests
from tests.factories import CommentFactory, InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db

Kind, Email = Notification.Kind, Notification.Email


def _comment_notifications(recipient, initiative, number, *, own_content=True):
    for _index in range(number):
        comment = CommentFactory(initiative=initiative)
        do_notify(
            kind=Kind.COMMENT_ON_MY_INITIATIVE if own_content else Kind.COMMENT_ON_FOLLOWED,
            recipients=[recipient],
            initiative=initiative,
            comment=comment,
            actor=comment.author,
            own_content=own_content,
        )


def test_three_events_on_one_initiative_within_the_window_become_one_email(
    mailoutbox, django_capture_on_commit_callbacks
):
    author = UserFactory()
    initiative = InitiativeFactory(author=author, title="Bänkar vid vattnet")
    with django_capture_on_commit_callbacks(execute=True):
        _comment_notifications(author, initiative, 3)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [author.email]
    sentences = [item.sentence() for item in Notification.objects.all()]
    assert len(set(sentences)) == 3
    for sentence in sentences:
        assert sentence in message.body
    assert "3" in message.subject
    assert set(Notification.objects.values_list("email", flat=True)) == {Email.SENT}


def test_a_sibling_task_finds_nothing_left_and_sends_nothing(mailoutbox):
    author = UserFactory()
    initiative = InitiativeFactory(author=author)
    _comment_notifications(author, initiative, 2)  # no commit: nothing enqueued yet

    deliver_immediate.call(recipient_id=author.pk, initiative_id=initiative.pk)
    deliver_immediate.call(recipient_id=author.pk, initiative_id=initiative.pk)

    assert len(mailoutbox) == 1


def test_other_initiatives_get_their_own_email(mailoutbox, django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _comment_notifications(person, InitiativeFactory(), 1)
        _comment_notifications(person, InitiativeFactory(), 1)

    assert len(mailoutbox) == 2


def test_the_digest_is_one_email_per_person_grouped_by_initiative(mailoutbox):
    reader, other_reader = UserFactory(), UserFactory()
    first = InitiativeFactory(title="Lekplats i Slottshagen")
    second = InitiativeFactory(title="Cykelbana till Råå")
    _comment_notifications(reader, first, 2, own_content=False)
    _comment_notifications(reader, second, 1, own_content=False)
    _comment_notifications(other_reader, second, 1, own_content=False)

    assert send_digests.call() == 2

    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [reader.email, other_reader.email]
    )
    message = next(message for message in mailoutbox if message.to == [reader.email])
    html = message.alternatives[0][0]
    assert html.index("Lekplats i Slottshagen") < html.index("Cykelbana till Råå")
    assert html.count("<h2") == 2
    assert html.count("<li>") == 3
    assert NotificationSettings.objects.get(user=reader).last_digest_at is not None
    assert not Notification.objects.filter(email=Email.PENDING_DIGEST).exists()


def test_no_second_digest_within_24_hours(mailoutbox):
    reader = UserFactory()
    initiative = InitiativeFactory()
    _comment_notifications(reader, initiative, 1, own_content=False)
    call_command("send_digests", verbosity=0)
    _comment_notifications(reader, initiative, 1, own_content=False)

    assert send_digests.call() == 0
    deliver_digest.call(user_id=reader.pk)  # a stray task is refused too
    assert len(mailoutbox) == 1

    NotificationSettings.objects.filter(user=reader).update(
        last_digest_at=timezone.now() - timedelta(hours=25)
    )
    assert send_digests.call() == 1
    assert len(mailoutbox) == 2


def test_immediate_notifications_are_not_in_the_digest(mailoutbox):
    author = UserFactory()
    _comment_notifications(author, InitiativeFactory(author=author), 1)

    assert send_digests.call() == 0
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("language", "prefix", "footer"),
    [
        ("sv", "", "Det här meddelandet skickades av Tillsammans"),
        ("en", "/en", "This email was sent by Tillsammans"),
    ],
)
def test_the_email_is_in_the_recipients_language_in_plain_text_and_html(
    mailoutbox, settings, language, prefix, footer
):
    settings.SITE_URL = "https://tillsammans.example"
    author = UserFactory(language=language)
    commenter = UserFactory(display_name="Bertil")
    initiative = InitiativeFactory(author=author, title="Bänkar & skugga")
    comment = CommentFactory(initiative=initiative, author=commenter)
    (notification,) = do_notify(
        kind=Kind.COMMENT_ON_MY_INITIATIVE,
        recipients=[author],
        initiative=initiative,
        comment=comment,
        actor=commenter,
        own_content=True,
    )

    deliver_immediate.call(recipient_id=author.pk, initiative_id=initiative.pk)

    (message,) = mailoutbox
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert f'<html lang="{language}">' in html
    assert footer in html
    assert message.subject.startswith("[Tillsammans] ")
    assert "Bänkar & skugga" in message.subject
    assert "Bänkar & skugga" in message.body  # plain text is not HTML-escaped
    assert "Bänkar &amp; skugga" in html
    open_url = f"https://tillsammans.example{prefix}/notiser/{notification.pk}/"
    assert open_url in message.body
    assert f'href="{open_url}"' in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<https://tillsammans.example{prefix}/notiser/avregistrera/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in message.body
    assert unsubscribe.strip("<>") in html
    if language == "en":
        assert "Bertil commented on your initiative" in message.subject


def test_the_english_email_speaks_english_throughout(mailoutbox):
    reader = UserFactory(language="en")
    initiative = InitiativeFactory(title="Cykelbana")
    _comment_notifications(reader, initiative, 2, own_content=False)

    send_digests.call()

    (message,) = mailoutbox
    assert message.subject == "[Tillsammans] Your daily summary: 2 notifications"
    assert "This happened since your last summary:" in message.body
    assert "which you follow" in message.body


def test_a_failing_mail_server_is_retried_then_marked_failed_and_logged(
    failing_mail, caplog, django_capture_on_commit_callbacks
):
    author = UserFactory()
    initiative = InitiativeFactory(author=author)
    caplog.set_level(logging.WARNING, logger="notifications.tasks")

    with django_capture_on_commit_callbacks(execute=True):
        _comment_notifications(author, initiative, 1)

    notification = Notification.objects.get()
    assert notification.email == Email.FAILED
    assert notification.attempts == MAX_ATTEMPTS
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    errors = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert len(warnings) == MAX_ATTEMPTS - 1
    assert len(errors) == 1
    assert "given up" in errors[0].getMessage()


def test_a_failed_send_is_retried_later_with_backoff(
    failing_mail, deferred_tasks, django_capture_on_commit_callbacks
):
    author = UserFactory()
    initiative = InitiativeFactory(author=author)
    _comment_notifications(author, initiative, 1)

    with django_capture_on_commit_callbacks(execute=True):
        deliver_immediate.call(recipient_id=author.pk, initiative_id=initiative.pk)

    notification = Notification.objects.get()
    assert notification.email == Email.PENDING_IMMEDIATE
    assert notification.attempts == 1
    (retry,) = deferred_tasks.results
    assert retry.task.name == "deliver_immediate"
    assert retry.task.run_after > timezone.now() + timedelta(seconds=50)


def test_the_failure_of_a_digest_keeps_it_for_the_next_try(failing_mail, deferred_tasks):
    reader = UserFactory()
    _comment_notifications(reader, InitiativeFactory(), 1, own_content=False)

    deliver_digest.call(user_id=reader.pk)

    notification = Notification.objects.get()
    assert notification.email == Email.PENDING_DIGEST
    assert notification.attempts == 1
    assert NotificationSettings.objects.get(user=reader).last_digest_at is None


def test_choosing_no_email_cancels_what_waits(mailoutbox):
    from notifications.actions import set_preferences

    reader = UserFactory()
    _comment_notifications(reader, InitiativeFactory(), 1, own_content=False)

    set_preferences(user=reader, followed=Frequency.NONE)

    assert Notification.objects.get().email == Email.NOT_SENT
    assert send_digests.call() == 0
