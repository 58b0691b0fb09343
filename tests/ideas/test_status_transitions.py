"""An initiative's status changes in one place, ideas.actions.do_initiative_set_status, which
allows only the steps of Initiative.TRANSITIONS."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from ideas.actions import do_initiative_set_status
from ideas.models import Initiative, InitiativeEvent
from tests.factories import InitiativeFactory, ModeratorFactory

pytestmark = pytest.mark.django_db

Status = Initiative.Status
STEPS = [(current, wanted) for current in Status.values for wanted in Status.values]
ALLOWED = [
    (current, wanted) for current, wanted in STEPS if wanted in Initiative.TRANSITIONS[current]
]
REFUSED = [
    (current, wanted)
    for current, wanted in STEPS
    if wanted not in Initiative.TRANSITIONS[current] and wanted != current
]
REPEATED = [
    (status, status) for status in Status.values if status not in Initiative.TRANSITIONS[status]
]


def at(status: str) -> Initiative:
    return InitiativeFactory(status=status, submitted_at=timezone.now())


def test_every_status_has_its_allowed_next_steps():
    assert set(Initiative.TRANSITIONS) == set(Status.values)
    assert all(set(steps) <= set(Status.values) for steps in Initiative.TRANSITIONS.values())


@pytest.mark.parametrize(("current", "wanted"), REFUSED)
def test_a_step_the_machine_does_not_allow_is_refused_and_changes_nothing(
    current, wanted, capture_live
):
    initiative = at(current)

    with capture_live() as sent, pytest.raises(ValidationError) as refusal:
        do_initiative_set_status(initiative, status=wanted, actor=ModeratorFactory())

    assert refusal.value.code == "transition"
    assert initiative.title in refusal.value.messages[0]
    initiative.refresh_from_db()
    assert initiative.status == current
    assert not InitiativeEvent.objects.filter(initiative=initiative).exists()
    assert sent == []


@pytest.mark.parametrize(("current", "wanted"), ALLOWED)
def test_an_allowed_step_changes_the_status_and_writes_the_timeline(current, wanted):
    initiative = at(current)
    moderator = ModeratorFactory()

    changed = do_initiative_set_status(initiative, status=wanted, actor=moderator, note="Varför")

    initiative.refresh_from_db()
    assert changed.status == initiative.status == wanted
    event = InitiativeEvent.objects.get(initiative=initiative)
    assert (event.status, event.actor, event.note) == (wanted, moderator, "Varför")


@pytest.mark.parametrize(("current", "wanted"), REPEATED)
def test_asking_again_for_the_status_it_has_changes_nothing(current, wanted, capture_live):
    initiative = at(current)

    with capture_live() as sent:
        unchanged = do_initiative_set_status(initiative, status=wanted, actor=None)

    assert unchanged.status == current
    assert not InitiativeEvent.objects.filter(initiative=initiative).exists()
    assert sent == []


@pytest.mark.parametrize(
    ("language", "names"), [("sv", ["Avslaget", "Öppet för stöd"]), ("en", ["Rejected", "Open"])]
)
def test_the_refusal_names_both_statuses_in_the_persons_language(language, names):
    initiative = at(Status.REJECTED)

    with translation.override(language), pytest.raises(ValidationError) as refusal:
        do_initiative_set_status(initiative, status=Status.PUBLISHED, actor=None)

    assert all(name in refusal.value.messages[0] for name in names)
