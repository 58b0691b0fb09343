"""An organisation's number (organisationsnummer): its form and check digit, kept as the register
writes it, and a new number takes away the verified mark a moderator gave for the old one."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Organisation, validate_organisation_number
from tests.factories import MembershipFactory, OrganisationFactory


@pytest.mark.parametrize("number", ["212000-1108", "2120001108", "556036-0793", " 212000 1108 "])
def test_a_valid_number_passes(number):
    validate_organisation_number(number)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("212000-110", "format"),
        ("21200011080", "format"),
        ("21200a-1108", "format"),
        ("", "format"),
        ("199001012389", "format"),  # a personal identity number, twelve digits
        ("900101-2389", "group"),  # ten digits of a personal identity number: third digit 0
        ("212000-1103", "check_digit"),
        ("556036-0794", "check_digit"),
    ],
)
def test_an_invalid_number_is_refused_with_its_reason(number, code):
    with pytest.raises(ValidationError) as refused:
        validate_organisation_number(number)
    assert refused.value.code == code


def edit_as_admin(client, organisation=None) -> tuple[Organisation, str, dict]:
    """Signed in as an administrator of the organisation (a new one unless given): the
    organisation, its profile form's address, and the form's required fields."""
    membership = MembershipFactory(
        role="admin", **({"organisation": organisation} if organisation else {})
    )
    organisation = membership.organisation
    client.force_login(membership.user)
    edit = reverse("accounts:organisation_edit", kwargs={"slug": organisation.slug})
    return organisation, edit, {"kind": organisation.kind, "name": organisation.name}


@pytest.mark.django_db
def test_the_profile_form_keeps_the_number_as_the_register_writes_it(client):
    organisation, edit, fields = edit_as_admin(client)
    fields["description"] = "Text."

    client.post(edit, {**fields, "organisation_number": "2120001108"})

    assert Organisation.objects.get(pk=organisation.pk).organisation_number == "212000-1108"


@pytest.mark.django_db
def test_a_wrong_number_is_explained_in_swedish_and_nothing_typed_is_lost(client):
    organisation, edit, fields = edit_as_admin(client)
    fields["description"] = "Ny text."

    response = client.post(edit, {**fields, "organisation_number": "212000-1103"})

    text = response.content.decode()
    assert "Organisationsnumrets sista siffra stämmer inte med de andra." in text
    assert 'value="212000-1103"' in text
    assert "Ny text." in text
    assert Organisation.objects.get(pk=organisation.pk).organisation_number == ""


@pytest.mark.django_db
def test_a_new_number_takes_away_the_verified_mark(client):
    organisation, edit, fields = edit_as_admin(
        client, OrganisationFactory(organisation_number="212000-1108", is_verified=True)
    )
    fields["description"] = "Text."

    client.post(edit, {**fields, "organisation_number": "212000-1108"})
    assert Organisation.objects.get(pk=organisation.pk).is_verified
    client.post(edit, {**fields, "organisation_number": "556036-0793"})

    assert not Organisation.objects.get(pk=organisation.pk).is_verified
