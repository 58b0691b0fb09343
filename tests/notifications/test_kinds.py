"""A notification's words come from the template of its kind (templates/notifications/kinds/),
so the model knows no other app's statuses or reasons. Every kind has one, in both languages."""

import pytest
from django.utils import translation

from notifications.models import Notification
from tests.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
EXTRA = {
    Kind.STATUS_CHANGED: {"status": "withdrawn"},
    Kind.MODERATION_DECISION: {"decision": "reject", "reasons": ["duplicate"], "text": "Se 12."},
    Kind.PARTNER_ANSWER: {"offer": 1, "status": "accepted"},
    Kind.PARTNER_OFFER: {"offer": 1},
    Kind.PARTNER_MESSAGE: {"offer": 1},
}


@pytest.mark.parametrize("kind", Kind.values)
def test_every_kind_says_what_happened_in_swedish_and_in_english(kind):
    notification = NotificationFactory(
        kind=kind,
        extra=EXTRA.get(kind, {}),
        initiative__title="Sommarbio",
        actor=UserFactory(display_name="Bertil"),
    )

    with translation.override("sv"):
        swedish = notification.sentence()
    with translation.override("en"):
        english = notification.sentence()

    assert "Sommarbio" in swedish
    assert "Sommarbio" in english
    assert swedish != english
    assert "{" not in swedish + english  # no template syntax left behind


def test_the_status_is_named_in_the_readers_language():
    notification = NotificationFactory(kind=Kind.STATUS_CHANGED, extra={"status": "withdrawn"})

    with translation.override("en"):
        assert notification.sentence().endswith("is now: Withdrawn.")


def test_an_unknown_status_still_makes_a_sentence():
    notification = NotificationFactory(kind=Kind.STATUS_CHANGED, extra={"status": "gone"})

    with translation.override("en"):
        assert notification.sentence().endswith("changed.")


def test_a_decision_says_why_and_other_kinds_say_nothing_more():
    decision = NotificationFactory(
        kind=Kind.MODERATION_DECISION, extra=EXTRA[Kind.MODERATION_DECISION]
    )
    comment = NotificationFactory(kind=Kind.COMMENT_ON_MY_INITIATIVE)

    with translation.override("en"):
        assert decision.details() == "A similar proposal was made in the last six months. Se 12."
        assert comment.details() == ""


def test_a_title_with_markup_stays_plain_text_for_the_pages_to_escape():
    notification = NotificationFactory(initiative__title="Bänkar & <bord>")

    with translation.override("en"):
        assert "“Bänkar & <bord>”" in notification.sentence()
