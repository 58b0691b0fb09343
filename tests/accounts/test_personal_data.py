import json

import pytest
from allauth.account.models import EmailAddress

from accounts.models import Membership, User
from ideas.actions import comment_add, support_set
from ideas.models import Comment
from notifications.models import Follow, Notification
from tests.factories import PASSWORD, InitiativeFactory, MembershipFactory, UserFactory


@pytest.fixture
def member(db):
    return MembershipFactory(role=Membership.Role.ADMIN, user__display_name="Eva Ek").user


def test_person_downloads_their_data_as_json(client, member):
    client.force_login(member)

    response = client.get("/konto/mina-uppgifter/hamta/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == member.email
    assert data["account"]["display_name"] == "Eva Ek"
    assert data["email_addresses"] == [{"email": member.email, "verified": True, "primary": True}]
    assert data["organisations"][0]["role"] == "admin"


def test_data_download_needs_sign_in(client, db):
    response = client.get("/konto/mina-uppgifter/hamta/")

    assert response.status_code == 302


def test_deleting_the_account_anonymises_it_and_signs_out(client, member):
    client.force_login(member)
    other_client_session = client.session.session_key

    response = client.post("/konto/radera/", {"password": PASSWORD})

    assert response.status_code == 302
    user = User.objects.get(pk=member.pk)
    assert user.is_deleted
    assert not user.is_active
    assert user.email == f"deleted-{user.pk}@deleted.invalid"
    assert user.display_name == ""
    assert str(user) == "Borttagen användare"
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user).exists()
    assert "_auth_user_id" not in client.session
    assert client.session.session_key != other_client_session


def test_deleted_person_cannot_sign_in_again(client, member):
    email = member.email
    client.force_login(member)
    client.post("/konto/radera/", {"password": PASSWORD})

    client.post("/konto/login/", {"login": email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session


def test_a_wrong_password_does_not_delete_the_account(client, member):
    client.force_login(member)

    response = client.post("/konto/radera/", {"password": "fel"})

    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.get(pk=member.pk).is_deleted


def test_other_sessions_end_when_the_account_is_deleted(client, member):
    from django.test import Client

    elsewhere = Client()
    elsewhere.force_login(member)
    client.force_login(member)

    client.post("/konto/radera/", {"password": PASSWORD})

    assert elsewhere.get("/konto/profil/").status_code == 302


def test_profile_saves_display_name_and_language(client, db):
    user = UserFactory()
    client.force_login(user)

    response = client.post("/konto/profil/", {"display_name": "Nytt Namn", "language": "en"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.language) == ("Nytt Namn", "en")


def test_the_download_holds_what_the_person_wrote_supported_and_was_told(client, member):
    own = InitiativeFactory(author=member, title="Mitt eget förslag")
    other = InitiativeFactory(title="Någon annans förslag")
    support_set(user=member, initiative=other, supported=True)
    comment_add(user=member, initiative=other, body="Min kommentar")
    comment_add(user=UserFactory(), initiative=own, body="Svar till dig")
    client.force_login(member)

    data = json.loads(client.get("/konto/mina-uppgifter/hamta/").content)

    assert [item["title"] for item in data["initiatives"]] == ["Mitt eget förslag"]
    assert [item["body"] for item in data["comments"]] == ["Min kommentar"]
    assert [item["initiative"] for item in data["supports"]] == ["Någon annans förslag"]
    # Supporting and commenting follow the initiative automatically.
    assert [item["initiative"] for item in data["follows"]] == ["Någon annans förslag"]
    assert len(data["notifications"]) == Notification.objects.filter(recipient=member).count() == 1
    assert data["email_preferences"] == {"own_content": "immediate", "followed": "digest"}


def test_deleting_the_account_removes_notifications_and_follows_but_keeps_contributions(
    client, member
):
    own = InitiativeFactory(author=member)
    Follow.objects.create(user=member, initiative=own)
    comment_add(user=UserFactory(), initiative=own, body="Till författaren")
    comment_add(user=member, initiative=InitiativeFactory(), body="Stannar kvar")
    client.force_login(member)

    client.post("/konto/radera/", {"password": PASSWORD})

    assert not Notification.objects.filter(recipient=member).exists()
    assert not Follow.objects.filter(user=member).exists()
    assert Comment.objects.filter(author=member, body="Stannar kvar").exists()
