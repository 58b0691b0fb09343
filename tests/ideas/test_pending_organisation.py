"""An organisation a moderator has not approved acts in nobody's sight: its members cannot
propose or offer help in its name until it is approved."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import Membership, Organisation
from ideas.forms import InitiativeForm
from ideas.permissions import can_act_for
from partners.permissions import can_offer
from tests.factories import InitiativeFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_of_pending():
    organisation = OrganisationFactory(review_state=Organisation.Review.PENDING)
    return MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)


def test_a_pending_organisation_is_not_offered_in_the_initiative_form(member_of_pending):
    approved = MembershipFactory(user=member_of_pending.user).organisation

    form = InitiativeForm(user=member_of_pending.user)

    assert list(form.fields["organisation"].queryset) == [approved]


def test_a_crafted_proposal_in_a_pending_organisations_name_is_refused(member_of_pending):
    from ideas.actions import initiative_save

    with pytest.raises(PermissionDenied):
        initiative_save(
            user=member_of_pending.user,
            fields={"title": "x"},
            prioriteringar=[],
            organisation=member_of_pending.organisation,
        )


def test_approval_lets_members_act_in_its_name(member_of_pending):
    user, organisation = member_of_pending.user, member_of_pending.organisation
    initiative = InitiativeFactory(seeking_partners=True)
    assert not can_act_for(user, organisation)
    assert not can_offer(user, initiative, organisation)

    organisation.review_state = Organisation.Review.APPROVED
    organisation.save()

    assert can_act_for(user, organisation)
    assert can_offer(user, initiative, organisation)
    assert can_offer(user, initiative)  # in their own name, either way
