"""Flagged messages between partners wait in the queue; a moderator hides one or dismisses the
flag, and the log records it."""

import pytest

from moderation.models import ModerationDecision
from partners.models import OfferMessage, PartnerOffer
from tests.factories import InitiativeFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged():
    initiative = InitiativeFactory(seeking_partners=True, partner_needs=["venue"])
    helper = UserFactory()
    offer = PartnerOffer.objects.create(initiative=initiative, offered_by=helper, message="Hej")
    message = OfferMessage.objects.create(offer=offer, author=helper, body="Ovänligt meddelande")
    OfferMessage.objects.filter(pk=message.pk).update(
        flagged_at="2026-11-01T10:00Z", flagged_by=initiative.author
    )
    return OfferMessage.objects.get(pk=message.pk)


def _decide(client, action: str, message: OfferMessage, text: str = "Bryter mot reglerna"):
    client.force_login(ModeratorFactory())
    return client.post(
        "/moderering/beslut/",
        {"action": action, "meddelande": message.pk, "text": text},
        follow=True,
    )


def test_the_queue_shows_a_flagged_message_with_a_checkbox(client, flagged):
    client.force_login(ModeratorFactory())

    content = client.get("/moderering/").content.decode()

    assert "Ovänligt meddelande" in content
    assert f'name="meddelande" value="{flagged.pk}"' in content


def test_hiding_a_message_closes_the_flag_and_is_logged(client, flagged):
    _decide(client, "hide", flagged)

    flagged.refresh_from_db()
    assert flagged.hidden_at is not None
    assert flagged.flag_resolved_at is not None
    assert not OfferMessage.objects.flagged().exists()
    decision = ModerationDecision.objects.get()
    assert decision.action == ModerationDecision.Action.HIDE
    assert decision.subject_user == flagged.author
    assert decision.state_after == {"offer_message": flagged.pk, "hidden": True}


def test_dismissing_the_flag_keeps_the_message(client, flagged):
    _decide(client, "dismiss", flagged, text="")

    flagged.refresh_from_db()
    assert flagged.hidden_at is None
    assert flagged.flag_resolved_at is not None
    assert ModerationDecision.objects.get().action == ModerationDecision.Action.DISMISS_FLAGS


def test_a_message_cannot_be_approved(client, flagged):
    response = _decide(client, "approve", flagged)

    flagged.refresh_from_db()
    assert flagged.flag_resolved_at is None
    assert not ModerationDecision.objects.exists()
    assert "Meddelanden mellan samarbetspartner döljs" in response.content.decode()
