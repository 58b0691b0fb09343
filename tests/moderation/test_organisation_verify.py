"""A moderator marks an organisation verified once its number is checked; the badge shows on its
profile and beside its offers; each mark is in the moderation log."""

import pytest
from django.urls import reverse

from accounts.models import Organisation
from moderation.models import ModerationDecision
from tests.factories import OrganisationFactory, PartnerOfferFactory
from tests.moderation.conftest import messages_of

pytestmark = pytest.mark.django_db

BADGE = "Verifierad av staden"


def test_a_moderator_marks_an_organisation_verified_from_its_page(moderator_client):
    organisation = OrganisationFactory(organisation_number="212000-1108")
    page = moderator_client.get(organisation.get_absolute_url()).content.decode()
    assert "Markera som verifierad" in page
    assert BADGE not in page

    response = moderator_client.post(
        reverse("moderation:verify_organisation", args=[organisation.pk]), {"verifierad": "1"}
    )

    assert response.url == organisation.get_absolute_url()
    assert Organisation.objects.get(pk=organisation.pk).is_verified
    decision = ModerationDecision.objects.get(organisation=organisation)
    assert decision.action == ModerationDecision.Action.ORGANISATION_VERIFY
    assert decision.moderator == moderator_client.user
    assert BADGE in moderator_client.get(organisation.get_absolute_url()).content.decode()
    log = moderator_client.get(reverse("moderation:log")).content.decode()
    assert f"markerade organisationen ”{organisation.name}” som verifierad" in log


def test_pressing_twice_logs_once(moderator_client):
    organisation = OrganisationFactory(organisation_number="212000-1108")
    url = reverse("moderation:verify_organisation", args=[organisation.pk])

    moderator_client.post(url, {"verifierad": "1"})
    moderator_client.post(url, {"verifierad": "1"})

    assert ModerationDecision.objects.filter(organisation=organisation).count() == 1


def test_without_a_number_there_is_nothing_to_check(moderator_client):
    organisation = OrganisationFactory()

    response = moderator_client.post(
        reverse("moderation:verify_organisation", args=[organisation.pk]),
        {"verifierad": "1"},
        follow=True,
    )

    assert "har inget organisationsnummer att kontrollera" in " ".join(messages_of(response))
    assert not Organisation.objects.get(pk=organisation.pk).is_verified


def test_the_mark_can_be_taken_back(moderator_client):
    organisation = OrganisationFactory(organisation_number="212000-1108", is_verified=True)

    moderator_client.post(
        reverse("moderation:verify_organisation", args=[organisation.pk]), {"verifierad": "0"}
    )

    assert not Organisation.objects.get(pk=organisation.pk).is_verified
    assert (
        ModerationDecision.objects.get(organisation=organisation).action
        == ModerationDecision.Action.ORGANISATION_UNVERIFY
    )


def test_the_badge_shows_beside_the_organisations_offers(client):
    offer = PartnerOfferFactory(organisation=OrganisationFactory(is_verified=True))
    client.force_login(offer.initiative.author)

    page = client.get(reverse("partners:offers", args=[offer.initiative.pk])).content.decode()

    assert BADGE in page
