"""Wrong offers and messages are refused with a clear message, and change nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ideas.models import Initiative
from partners import actions
from partners.models import PartnerOffer
from tests.factories import MembershipFactory, UserFactory
from tests.partners.conftest import seeking

pytestmark = pytest.mark.django_db


def _refusal(call) -> ValidationError:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        call()
    return caught.value


def test_an_offer_to_ones_own_initiative_is_refused():
    initiative = seeking()

    error = _refusal(
        lambda: actions.offer_make(user=initiative.author, initiative=initiative, message="Jag")
    )

    assert error.code == "own"
    assert "your own initiative" in error.messages[0]
    assert not PartnerOffer.objects.exists()


def test_an_offer_to_ones_own_organisations_initiative_is_refused():
    membership = MembershipFactory()
    initiative = seeking(organisation=membership.organisation)

    error = _refusal(
        lambda: actions.offer_make(
            user=membership.user,
            initiative=initiative,
            message="Vi",
            organisation=membership.organisation,
        )
    )

    assert error.code == "own"


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Initiative.Status.DONE},
        {"status": Initiative.Status.NOT_POSSIBLE},
        {"seeking_partners": False},
    ],
    ids=["done", "not-possible", "not-seeking"],
)
def test_an_offer_to_a_closed_initiative_is_refused(fields):
    initiative = seeking(**fields)

    error = _refusal(
        lambda: actions.offer_make(user=UserFactory(), initiative=initiative, message="Hej")
    )

    assert error.code == "closed"
    assert error.messages == ["This initiative does not take offers of help now."]


def test_a_second_open_offer_is_refused_but_one_after_withdrawing_is_taken():
    initiative, person = seeking(), UserFactory()
    first = actions.offer_make(user=person, initiative=initiative, message="Hej")

    error = _refusal(lambda: actions.offer_make(user=person, initiative=initiative, message="Igen"))

    assert error.code == "double"
    assert "already an open offer" in error.messages[0]
    actions.offer_withdraw(user=person, offer=first)
    assert actions.offer_make(user=person, initiative=initiative, message="Nu igen").is_open


def test_a_second_open_offer_from_the_same_organisation_is_refused_whoever_sends_it():
    initiative = seeking()
    first = MembershipFactory()
    second = MembershipFactory(organisation=first.organisation)
    actions.offer_make(
        user=first.user, initiative=initiative, message="Hej", organisation=first.organisation
    )

    error = _refusal(
        lambda: actions.offer_make(
            user=second.user, initiative=initiative, message="Hej", organisation=first.organisation
        )
    )

    assert error.code == "double"


def test_the_database_refuses_a_double_open_offer_that_slips_past_the_check():
    from django.db import IntegrityError, transaction

    initiative, person = seeking(), UserFactory()
    PartnerOffer.objects.create(initiative=initiative, offered_by=person, message="Hej")

    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerOffer.objects.create(initiative=initiative, offered_by=person, message="Igen")


def test_an_over_long_offer_and_message_are_refused():
    initiative, person = seeking(), UserFactory()

    error = _refusal(
        lambda: actions.offer_make(user=person, initiative=initiative, message="x" * 2001)
    )
    assert error.code == "too_long"
    assert "at most 2000 characters" in error.messages[0]

    offer = actions.offer_make(user=person, initiative=initiative, message="x" * 2000)
    error = _refusal(lambda: actions.message_send(user=person, offer=offer, body="y" * 2001))
    assert error.code == "too_long"
    assert not offer.messages.exists()


def test_an_empty_message_is_refused():
    initiative, person = seeking(), UserFactory()
    offer = actions.offer_make(user=person, initiative=initiative, message="Hej")

    assert _refusal(lambda: actions.message_send(user=person, offer=offer, body="  ")).code == (
        "required"
    )


def test_messages_are_rate_limited_per_person(settings):
    initiative, person = seeking(), UserFactory()
    offer = actions.offer_make(user=person, initiative=initiative, message="Hej")
    allowed = settings.RATE_LIMITS["message"][0]
    for number in range(allowed):
        actions.message_send(user=person, offer=offer, body=f"Meddelande {number}")

    error = _refusal(lambda: actions.message_send(user=person, offer=offer, body="Ett till"))

    assert error.code == "rate_limited"
    assert "Wait a few minutes" in error.messages[0]
    assert offer.messages.count() == allowed
    # The other party is not slowed down by the first one's messages.
    actions.message_send(user=initiative.author, offer=offer, body="Svar")


def test_the_offer_page_keeps_the_text_and_shows_the_refusal(client):
    initiative, person = seeking(), UserFactory()
    actions.offer_make(user=person, initiative=initiative, message="Hej")
    client.force_login(person)

    response = client.post(
        f"/en/initiativ/{initiative.pk}/erbjud-hjalp/", {"message": "Vi kan hjälpa till igen"}
    )

    assert response.status_code == 200
    assert "already an open offer" in response.content.decode()
    assert "Vi kan hjälpa till igen" in response.content.decode()
