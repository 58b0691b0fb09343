"""Reaching the threshold is handed on to the city: the case officers of the responsible
administration, or, when none is responsible yet, every moderator, so that someone assigns it.
Once, live and by email, however many supports arrive at the same moment."""

import pytest
from django.utils import translation

from ideas.actions import support_set
from ideas.models import Initiative
from notifications.actions import do_follow
from notifications.live import user_group
from notifications.models import Notification
from tests.concurrency import at_once
from tests.factories import (
    ForvaltningFactory,
    InitiativeFactory,
    ModeratorFactory,
    ResponderFactory,
    UserFactory,
)

Kind = Notification.Kind


def _staff_alerts() -> dict[int, int]:
    """How many threshold notifications each recipient got as staff."""
    alerts: dict[int, int] = {}
    for recipient in Notification.objects.filter(
        kind=Kind.THRESHOLD_REACHED, extra__staff=True
    ).values_list("recipient_id", flat=True):
        alerts[recipient] = alerts.get(recipient, 0) + 1
    return alerts


@pytest.mark.django_db
def test_with_no_administration_every_moderator_is_alerted_live_and_by_email(
    capture_live, mailoutbox, sockets_open
):
    moderators = ModeratorFactory.create_batch(3)
    sockets_open(*moderators)
    responder = ResponderFactory()
    initiative = InitiativeFactory(title="Boulebana i Pålsjö", support_threshold=1)

    with capture_live() as sent:
        support_set(user=UserFactory(), initiative=initiative, supported=True)

    assert _staff_alerts() == {moderator.pk: 1 for moderator in moderators}
    assert responder.pk not in _staff_alerts()
    alerted_live = {group for group, message in sent if message["type"] == "notification.added"}
    assert {user_group(moderator.pk) for moderator in moderators} <= alerted_live
    emailed = {address for message in mailoutbox for address in message.to}
    assert {moderator.email for moderator in moderators} <= emailed
    alert = Notification.objects.filter(recipient=moderators[0]).get()
    with translation.override("en"):
        assert alert.sentence() == (
            "“Boulebana i Pålsjö” is ready for the committee, and no administration answers "
            "for it yet: choose one."
        )


@pytest.mark.django_db
def test_with_an_administration_its_case_officers_are_alerted_and_not_the_moderators():
    responder = ResponderFactory()
    moderator = ModeratorFactory()
    elsewhere = ResponderFactory(
        forvaltning=ForvaltningFactory(slug="skolforvaltningen", name_sv="Skolförvaltningen")
    )
    initiative = InitiativeFactory(
        title="Sommarbio", forvaltning=responder.forvaltning, support_threshold=1
    )

    support_set(user=UserFactory(), initiative=initiative, supported=True)

    assert _staff_alerts() == {responder.pk: 1}
    assert not Notification.objects.filter(recipient__in=[moderator, elsewhere]).exists()
    with translation.override("en"):
        assert Notification.objects.get(recipient=responder).sentence() == (
            "“Sommarbio” is ready for the committee: your administration answers for it."
        )


@pytest.mark.django_db
def test_a_moderator_who_follows_and_a_moderator_who_wrote_it_hear_once_as_is_fitting():
    follower, author = ModeratorFactory(), ModeratorFactory()
    initiative = InitiativeFactory(author=author, support_threshold=1)
    do_follow(user=follower, initiative=initiative)

    support_set(user=UserFactory(), initiative=initiative, supported=True)

    assert Notification.objects.filter(recipient=follower).count() == 1
    assert Notification.objects.get(recipient=follower).extra["assign"] is True
    # The author hears of it as the author, once.
    assert Notification.objects.filter(recipient=author).count() == 1
    assert "staff" not in Notification.objects.get(recipient=author).extra


@pytest.mark.django_db(transaction=True)
def test_many_supports_at_once_alert_each_moderator_exactly_once():
    moderators = ModeratorFactory.create_batch(2)
    initiative = InitiativeFactory(support_threshold=5)
    supporters = UserFactory.create_batch(30)

    def support(person):
        return lambda: support_set(user=person, initiative=initiative, supported=True)

    outcomes = at_once(*(support(person) for person in supporters))

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    initiative.refresh_from_db()
    assert initiative.support_count == 30
    assert initiative.ready_at is not None
    assert _staff_alerts() == {moderator.pk: 1 for moderator in moderators}
    assert Initiative.objects.get().events.filter(kind="ready").count() == 1
