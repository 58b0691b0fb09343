"""The identity number is kept nowhere readable: not in a table, a session, a log line, an
export or an email, after every way through verification (tests/oidc.py's real provider)."""

import json
import logging

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse

from accounts.actions import account_delete
from accounts.models import IdentityVerification, User
from accounts.personal_data import personal_data
from tests.accounts.test_elegitimation import verify
from tests.concurrency import at_once
from tests.factories import UserFactory
from tests.oidc import IDENTITIES

NUMBERED = [identity for identity in IDENTITIES.values() if identity.number]


def spellings(number: str) -> list[str]:
    """The ways a number may be written: twelve digits, ten, with the hyphen."""
    short = number[2:]
    return [number, f"{number[:8]}-{number[8:]}", short, f"{short[:6]}-{short[6:]}"]


def database_dump() -> str:
    """Every row of every table, as text; sessions decoded, since their data is encoded."""
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows.extend(repr(row) for row in cursor.fetchall())
    rows.extend(repr(session.get_decoded()) for session in Session.objects.all())
    return "\n".join(rows)


@pytest.mark.django_db
def test_no_number_in_clear_after_every_way_through(
    client, elegitimation, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    verified = UserFactory(email="anna@example.org")
    client.force_login(verified)
    verify(client, elegitimation, "anna")  # verifies
    client.force_login(UserFactory())
    verify(client, elegitimation, "anna")  # refused: another account has it
    for faulty in ("fel-signatur", "fel-mottagare", "utgangen"):
        verify(client, elegitimation, faulty)  # refused: the token proves nothing
    client.logout()
    back = verify(client, elegitimation, "cecilia", process="login")  # a new person
    with django_capture_on_commit_callbacks(execute=True):
        client.post(back.url, {"email": "cecilia@example.org", "display_name": "Cecilia"})
    exported = json.dumps(personal_data(verified), ensure_ascii=False)

    dump = database_dump()
    logs = "\n".join(record.getMessage() for record in caplog.records)
    emails = "\n".join(f"{message.subject}\n{message.body}" for message in mailoutbox)

    assert IdentityVerification.objects.count() == 2
    assert mailoutbox, "the new person was sent the email to confirm their address"
    assert len(logs) > 0
    for identity in NUMBERED:
        for written in spellings(identity.number):
            assert written not in dump, (identity.username, "database")
            assert written not in logs, (identity.username, "logs")
            assert written not in emails, (identity.username, "emails")
            assert written not in exported, (identity.username, "export")


@pytest.mark.django_db
def test_the_export_says_verified_and_when_and_never_the_hash(client, elegitimation):
    person = UserFactory()
    client.force_login(person)
    verify(client, elegitimation, "anna")
    verification = IdentityVerification.objects.get(user=person)

    exported = personal_data(User.objects.get(pk=person.pk))
    account = exported["account"]

    assert account["verified_resident"] is True
    assert account["e_legitimation"] == {
        "verified_at": verification.verified_at.isoformat(),
        "level_of_assurance": verification.level_of_assurance,
    }
    assert verification.digest not in json.dumps(exported)


@pytest.mark.django_db
def test_erasure_removes_the_hash_and_frees_the_identity(client, elegitimation):
    person = UserFactory()
    client.force_login(person)
    verify(client, elegitimation, "anna")

    account_delete(user=User.objects.get(pk=person.pk))

    assert not IdentityVerification.objects.exists()
    other = UserFactory()
    client.force_login(other)
    verify(client, elegitimation, "anna")
    assert IdentityVerification.objects.get().user == other


@pytest.mark.django_db(transaction=True)
def test_two_verifications_of_one_number_at_once_leave_exactly_one(settings):
    settings.IDENTITY_HASH_KEYS = ["first-test-key"]
    from accounts.actions import identity_verify
    from accounts.identity import identity_of

    first, second = UserFactory(), UserFactory()
    identity = identity_of(IDENTITIES["anna"].number, "loa3")

    outcomes = at_once(
        lambda: identity_verify(user=first, identity=identity),
        lambda: identity_verify(user=second, identity=identity),
    )

    assert IdentityVerification.objects.count() == 1
    winner = IdentityVerification.objects.get().user
    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(refused) == 1
    assert "Din e-legitimation verifierar redan kontot" in " ".join(refused[0].messages)
    assert User.objects.filter(is_verified_resident=True).get() == winner


@pytest.mark.django_db
def test_the_personal_data_page_says_what_is_kept_and_why(client):
    client.force_login(UserFactory())
    page = client.get(reverse("pages:privacy"))
    text = page.content.decode()
    assert "e-legitimation" in text
    assert "personnummer" in text
