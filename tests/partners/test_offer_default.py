"""An organisation's administrator offering help starts from the organisation, not from "I
myself"; a plain member starts from themselves, and a choice sent back is kept."""

import re

import pytest

from accounts.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.partners.conftest import seeking
from tests.sessions import sign_in

pytestmark = pytest.mark.django_db


def _selected(page: str) -> str:
    select = re.search(r'<select name="organisation"[^>]*>(.*?)</select>', page, re.S).group(1)
    chosen = re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', select)
    assert len(chosen) <= 1
    return chosen[0] if chosen else ""


def _offer_form(client, initiative, data=None) -> str:
    url = f"/initiativ/{initiative.pk}/erbjud-hjalp/"
    response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_administrator_of_one_organisation_starts_from_it(client):
    admin = MembershipFactory(role=Membership.Role.ADMIN).user
    organisation = admin.memberships.get().organisation
    sign_in(client, admin)

    page = _offer_form(client, seeking())

    assert _selected(page) == str(organisation.pk)


def test_administrator_of_several_starts_from_the_first_listed_they_administer(client):
    person = UserFactory()
    member_of = OrganisationFactory(name="Aktiva grannar")  # listed first, only a member
    first_admin = OrganisationFactory(name="Bollklubben")
    second_admin = OrganisationFactory(name="Cykelföreningen")
    MembershipFactory(user=person, organisation=member_of)
    MembershipFactory(user=person, organisation=second_admin, role=Membership.Role.ADMIN)
    MembershipFactory(user=person, organisation=first_admin, role=Membership.Role.ADMIN)
    sign_in(client, person)

    page = _offer_form(client, seeking())

    assert _selected(page) == str(first_admin.pk)


def test_plain_member_starts_from_themselves(client):
    member = MembershipFactory().user
    sign_in(client, member)

    page = _offer_form(client, seeking())

    assert _selected(page) == ""


def test_choice_sent_back_with_an_error_is_kept(client):
    admin = MembershipFactory(role=Membership.Role.ADMIN).user
    sign_in(client, admin)

    page = _offer_form(client, seeking(), {"organisation": "", "message": ""})

    assert 'class="error-summary"' in page
    assert _selected(page) == ""
