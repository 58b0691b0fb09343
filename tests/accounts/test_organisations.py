from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import actions
from accounts.models import Invitation, Membership, Organisation
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)


@pytest.fixture
def admin_client(client, db):
    membership = MembershipFactory(role=Membership.Role.ADMIN)
    client.force_login(membership.user)
    client.organisation = membership.organisation
    client.user = membership.user
    return client


def test_resident_creates_an_organisation_and_becomes_its_admin(client, programme):
    user = UserFactory()
    client.force_login(user)
    fokusomrade = programme.viljeinriktningar.first().fokusomraden.first()

    response = client.post(
        "/organisationer/ny/",
        {
            "kind": "forening",
            "name": "  Stattena   boulesällskap ",
            "description": "Vi spelar boule.",
            "website": "https://example.org",
            "fokusomraden": [fokusomrade.pk],
        },
    )

    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.name == "Stattena boulesällskap"
    assert organisation.slug == "stattena-boulesallskap"
    assert list(organisation.fokusomraden.all()) == [fokusomrade]
    assert organisation.memberships.get().user == user
    assert organisation.memberships.get().role == Membership.Role.ADMIN


def test_a_taken_name_is_refused_and_the_form_keeps_what_was_typed(client, db):
    OrganisationFactory(name="Röda korset Helsingborg")
    client.force_login(UserFactory())

    response = client.post(
        "/organisationer/ny/",
        {"kind": "forening", "name": "röda korset helsingborg", "description": "Min text"},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Det finns redan en organisation med det namnet." in content
    assert "Min text" in content
    assert Organisation.objects.count() == 1


def test_an_over_long_name_gets_a_clear_message(client, db):
    client.force_login(UserFactory())

    response = client.post("/organisationer/ny/", {"kind": "foretag", "name": "x" * 121})

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not Organisation.objects.exists()


def test_admin_invites_by_email_and_the_invitation_is_emailed(
    admin_client, django_capture_on_commit_callbacks
):
    organisation = admin_client.organisation
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/organisationer/{organisation.slug}/medlemmar/",
            {"email": "Ny.Medlem@Example.org", "role": "member"},
        )

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "ny.medlem@example.org"
    assert mail.outbox[0].to == ["ny.medlem@example.org"]
    assert invitation.get_absolute_url() in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_inviting_the_same_address_again_within_a_day_is_refused_and_sends_nothing(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    url = f"/organisationer/{admin_client.organisation.slug}/medlemmar/"
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"email": "ny@example.org", "role": "member"})
        again = admin_client.post(url, {"email": "ny@example.org", "role": "admin"})

    invitation = Invitation.objects.get()
    assert invitation.role == "member"
    assert len(mailoutbox) == 1
    assert "skickades till den här adressen för mindre än ett dygn sedan" in again.text
    assert 'value="ny@example.org"' in again.text  # what the admin typed is kept


def test_inviting_the_same_address_a_day_later_sends_the_one_invitation_again(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    url = f"/organisationer/{admin_client.organisation.slug}/medlemmar/"
    admin_client.post(url, {"email": "ny@example.org", "role": "member"})
    Invitation.objects.update(sent_at=timezone.now() - timedelta(days=1, minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"email": "ny@example.org", "role": "admin"})

    invitation = Invitation.objects.get()
    assert invitation.role == "admin"
    assert [message.to for message in mailoutbox] == [["ny@example.org"]]


def test_inviting_an_existing_member_is_refused_with_a_clear_message(admin_client):
    member = MembershipFactory(organisation=admin_client.organisation)

    response = admin_client.post(
        f"/organisationer/{admin_client.organisation.slug}/medlemmar/",
        {"email": member.user.email, "role": "member"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["Personen är redan medlem."]
    assert not Invitation.objects.exists()


def test_inviting_an_invalid_address_keeps_the_form(admin_client):
    response = admin_client.post(
        f"/organisationer/{admin_client.organisation.slug}/medlemmar/",
        {"email": "inte en adress", "role": "member"},
    )

    assert response.status_code == 200
    assert 'value="inte en adress"' in response.content.decode()


def test_the_invited_person_accepts_and_becomes_a_member(client, db):
    invitation = InvitationFactory(role=Membership.Role.ADMIN)
    invitee = UserFactory(email=invitation.email)
    client.force_login(invitee)

    response = client.post(invitation.get_absolute_url(), {"accept": "1"})

    assert response.status_code == 302
    membership = Membership.objects.get(user=invitee)
    assert membership.organisation == invitation.organisation
    assert membership.role == Membership.Role.ADMIN
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert not invitation.is_pending


def test_an_invitation_for_someone_else_is_refused_with_a_clear_message(client, db):
    invitation = InvitationFactory()
    stranger = UserFactory()
    client.force_login(stranger)

    page = client.get(invitation.get_absolute_url())
    response = client.post(invitation.get_absolute_url(), {"accept": "1"})

    assert "Inbjudan skickades till en annan e-postadress." in page.content.decode()
    assert response.status_code == 403
    assert not Membership.objects.filter(user=stranger).exists()


def test_an_unverified_second_address_does_not_unlock_an_invitation(client, db):
    invitation = InvitationFactory()
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=invitation.email, verified=False, primary=False)
    client.force_login(user)

    response = client.post(invitation.get_absolute_url(), {"accept": "1"})

    assert response.status_code == 403
    assert not Membership.objects.filter(user=user).exists()


def test_a_visitor_is_sent_to_sign_in_before_accepting(client, db):
    invitation = InvitationFactory()

    response = client.post(invitation.get_absolute_url(), {"accept": "1"})

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/?next=")


def test_an_unknown_invitation_token_is_a_404(client, db):
    assert client.get("/organisationer/inbjudan/finns-inte/").status_code == 404


def test_admin_removes_a_member(admin_client):
    member = MembershipFactory(organisation=admin_client.organisation)

    response = admin_client.post(
        f"/organisationer/{admin_client.organisation.slug}/medlemmar/{member.pk}/",
        {"remove": "1"},
    )

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_the_last_admin_cannot_leave_and_is_told_why(admin_client):
    membership = admin_client.user.memberships.get()

    response = admin_client.post(
        f"/organisationer/{admin_client.organisation.slug}/medlemmar/{membership.pk}/",
        {"remove": "1"},
        follow=True,
    )

    assert Membership.objects.filter(pk=membership.pk).exists()
    messages = [str(message) for message in response.context["messages"]]
    assert messages == ["En organisation behöver minst en administratör. Utse en annan först."]


def test_a_member_cannot_remove_another_member(client, db):
    organisation = OrganisationFactory()
    member = MembershipFactory(organisation=organisation)
    other = MembershipFactory(organisation=organisation)
    client.force_login(member.user)

    response = client.post(
        f"/organisationer/{organisation.slug}/medlemmar/{other.pk}/", {"remove": "1"}
    )

    assert response.status_code == 403
    assert Membership.objects.filter(pk=other.pk).exists()


def test_a_member_may_leave(client, db):
    member = MembershipFactory()
    client.force_login(member.user)

    response = client.post(
        f"/organisationer/{member.organisation.slug}/medlemmar/{member.pk}/", {"remove": "1"}
    )

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_organisation_list_filters_by_kind_and_name(client, db):
    OrganisationFactory(name="Cykelfabriken", kind="foretag")
    OrganisationFactory(name="Cykelklubben", kind="forening")
    OrganisationFactory(name="Körsällskapet", kind="forening")

    response = client.get("/organisationer/", {"typ": "forening", "q": "cykel"})

    names = [organisation.name for organisation in response.context["page"].object_list]
    assert names == ["Cykelklubben"]


@pytest.mark.parametrize(
    "query", [{"sida": "999"}, {"sida": "x"}, {"typ": "okänd"}, {"q": "x" * 500}]
)
def test_organisation_list_survives_odd_queries(client, db, query):
    assert client.get("/organisationer/", query).status_code == 200


@pytest.mark.django_db
def test_two_organisations_with_one_name_at_the_same_moment_get_a_clear_refusal():
    """The form checks the name first; two requests at once both pass it, and the database's
    constraint refuses the second. That refusal is a message, not a server error."""
    first, second = UserFactory(), UserFactory()
    fields = {"kind": "forening", "description": "", "website": ""}
    actions.organisation_create(user=first, fields={**fields, "name": "Dalhems grannar"})

    with pytest.raises(ValidationError) as refusal:
        actions.organisation_create(user=second, fields={**fields, "name": "dalhems GRANNAR"})

    assert refusal.value.code == "name"
    assert Organisation.objects.count() == 1
    assert not Membership.objects.filter(user=second).exists()


@pytest.mark.django_db
def test_renaming_to_a_taken_name_at_the_same_moment_gets_a_clear_refusal():
    taken = OrganisationFactory(name="Dalhems grannar")
    admin = MembershipFactory(role=Membership.Role.ADMIN).user
    mine = admin.memberships.get().organisation

    with pytest.raises(ValidationError) as refusal:
        actions.organisation_update(user=admin, organisation=mine, fields={"name": taken.name})

    assert refusal.value.code == "name"
