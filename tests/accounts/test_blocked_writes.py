"""A blocked person may read, not write, wherever they write: one rule
(accounts.permissions.may_write) for renaming themselves and joining organisations too."""

import pytest

from accounts.models import Membership
from tests.factories import InvitationFactory, UserFactory, blocked_user

pytestmark = pytest.mark.django_db


def test_a_blocked_person_cannot_rename_themselves_and_keeps_what_they_typed(client):
    person = blocked_user(user__display_name="Gammalt namn")
    client.force_login(person)

    response = client.post("/konto/profil/", {"display_name": "Nytt namn", "language": "sv"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "Ditt konto är avstängt till" in page
    assert 'value="Nytt namn"' in page
    person.refresh_from_db()
    assert person.display_name == "Gammalt namn"


def test_a_blocked_person_may_still_choose_the_language_of_their_emails(client):
    person = blocked_user(user__display_name="Samma namn")
    client.force_login(person)

    response = client.post("/konto/profil/", {"display_name": "Samma namn", "language": "en"})

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.language == "en"


def test_a_resident_renames_themselves(client):
    person = UserFactory(display_name="Gammalt namn")
    client.force_login(person)

    assert (
        client.post("/konto/profil/", {"display_name": "Nytt", "language": "sv"}).status_code == 302
    )
    person.refresh_from_db()
    assert person.display_name == "Nytt"


def test_a_blocked_invitee_cannot_accept_but_may_decline(client):
    person = blocked_user()
    invitation = InvitationFactory(email=person.email)
    client.force_login(person)

    page = client.get(invitation.get_absolute_url()).content.decode()
    accepting = client.post(invitation.get_absolute_url(), {"accept": "1"})

    assert "Ditt konto är avstängt till" in page
    assert 'name="accept"' not in page
    assert accepting.status_code == 403
    assert not Membership.objects.filter(user=person).exists()
    declining = client.post(invitation.get_absolute_url(), {"decline": "1"})
    assert declining.status_code == 302
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
