"""Official responses: assigned to an administration, answered by its case officers, followed up
when late."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from ideas import actions as ideas_actions
from ideas.models import Initiative, InitiativeEvent, OfficialResponse
from moderation import actions
from moderation.models import ModerationDecision
from notifications.models import Notification
from tests.factories import (
    BlockFactory,
    ForvaltningFactory,
    InitiativeFactory,
    ModeratorFactory,
    ResponderFactory,
    UserFactory,
)
from tests.moderation.conftest import messages_of

pytestmark = pytest.mark.django_db


def _other_administration():
    return ForvaltningFactory(
        slug="stadsbyggnadsforvaltningen",
        name_sv="Stadsbyggnadsförvaltningen",
        name_en="City Planning Administration",
    )


@pytest.fixture
def responder():
    return ResponderFactory()


@pytest.fixture
def assigned(responder):
    return InitiativeFactory(
        title="Sommarbio på Gröningen",
        forvaltning=responder.forvaltning,
        answer_due=timezone.localdate() + timedelta(days=30),
    )


def test_a_case_officer_of_the_responsible_administration_answers(client, responder, assigned):
    client.force_login(responder)
    page = client.get(assigned.get_absolute_url()).content.decode()
    assert "Skriv det officiella svaret" in page

    response = client.post(
        f"/initiativ/{assigned.pk}/svara/",
        {"body": "Vi visar **fyra filmer** i sommar.", "status": "will_be_done"},
    )

    assert response["Location"] == assigned.get_absolute_url()
    assert messages_of(response) == ["Svaret är publicerat."]
    answer = OfficialResponse.objects.get()
    assert (answer.initiative, answer.author) == (assigned, responder)
    assert answer.forvaltning == responder.forvaltning
    assert answer.status == "will_be_done"
    assert "<strong>fyra filmer</strong>" in answer.body_html
    assigned.refresh_from_db()
    assert assigned.status == Initiative.Status.WILL_BE_DONE
    event = InitiativeEvent.objects.get(initiative=assigned)
    assert (event.status, event.actor, event.note) == (
        "will_be_done",
        responder,
        "Kulturförvaltningen",
    )
    public = Client().get(assigned.get_absolute_url()).content.decode()
    assert "Stadens svar" in public
    assert "<strong>fyra filmer</strong>" in public
    assert "Kulturförvaltningen" in public


def test_the_response_form_needs_a_status_of_the_answer_kind(client, responder, assigned):
    client.force_login(responder)

    response = client.post(
        f"/initiativ/{assigned.pk}/svara/", {"body": "Svar.", "status": "published"}
    )

    assert response.status_code == 200
    assert not OfficialResponse.objects.exists()
    with pytest.raises(ValidationError):
        ideas_actions.response_add(
            user=responder, initiative=assigned, body="Svar.", status="rejected"
        )


def test_a_case_officer_of_another_administration_is_refused(client, assigned):
    stranger = ResponderFactory(forvaltning=_other_administration())
    client.force_login(stranger)

    with pytest.raises(PermissionDenied):
        ideas_actions.response_add(
            user=stranger, initiative=assigned, body="Svar.", status="answered"
        )
    response = client.post(f"/initiativ/{assigned.pk}/svara/", {"body": "S", "status": "answered"})

    assert response.status_code == 403
    assert (
        "Skriv det officiella svaret"
        not in client.get(assigned.get_absolute_url()).content.decode()
    )
    assert not OfficialResponse.objects.exists()


def test_an_unassigned_initiative_cannot_be_answered(responder):
    unassigned = InitiativeFactory()

    with pytest.raises(PermissionDenied):
        ideas_actions.response_add(
            user=responder, initiative=unassigned, body="Svar.", status="answered"
        )


@pytest.mark.parametrize("staff", ["moderator", "responder"])
def test_staff_assign_the_administration_and_the_due_date(client, staff):
    """A moderator chooses any administration; a case officer takes an initiative nobody
    answers for yet, for their own."""
    if staff == "moderator":
        person, administration = ModeratorFactory(), _other_administration()
    else:
        person = ResponderFactory(forvaltning=_other_administration())
        administration = person.forvaltning
    initiative = InitiativeFactory()
    due = timezone.localdate() + timedelta(days=60)
    client.force_login(person)

    response = client.post(
        f"/initiativ/{initiative.pk}/ansvar/",
        {"forvaltning": administration.pk, "answer_due": due.isoformat()},
    )

    assert response["Location"] == initiative.get_absolute_url()
    initiative.refresh_from_db()
    assert (initiative.forvaltning, initiative.answer_due) == (administration, due)
    page = Client().get(initiative.get_absolute_url()).content.decode()
    assert "Stadsbyggnadsförvaltningen" in page
    assert "Ansvarig förvaltning vald – Stadsbyggnadsförvaltningen" in page  # the timeline


def test_an_assignment_is_in_the_timeline_and_the_log(responder):
    initiative = InitiativeFactory()
    due = timezone.localdate() + timedelta(days=30)

    actions.initiative_assign(
        user=responder, initiative=initiative, forvaltning=responder.forvaltning, answer_due=due
    )

    event = InitiativeEvent.objects.get(initiative=initiative)
    assert (event.kind, event.actor, event.note) == (
        InitiativeEvent.Kind.ASSIGNED,
        responder,
        str(responder.forvaltning),
    )
    entry = ModerationDecision.objects.get(initiative=initiative)
    assert (entry.action, entry.moderator) == (ModerationDecision.Action.ASSIGN, responder)
    assert entry.state_before == {"forvaltning": None, "answer_due": None}
    assert entry.state_after == {
        "forvaltning": responder.forvaltning_id,
        "answer_due": due.isoformat(),
    }


def test_a_case_officer_cannot_assign_to_another_administration(client, responder):
    initiative = InitiativeFactory()
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    client.force_login(responder)

    other = _other_administration()

    with pytest.raises(PermissionDenied):
        actions.initiative_assign(
            user=responder,
            initiative=initiative,
            forvaltning=other,
            answer_due=timezone.localdate(),
        )
    response = client.post(
        f"/initiativ/{initiative.pk}/ansvar/", {"forvaltning": other.pk, "answer_due": due}
    )

    assert response.status_code == 200  # the form says the choice is not one of its own
    assert "Välj ett giltigt alternativ" in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.forvaltning is None
    assert not ModerationDecision.objects.exists()


def test_a_case_officer_cannot_take_an_initiative_another_administration_answers(responder):
    """Assigning is not a way to answer in someone else's place."""
    initiative = InitiativeFactory(forvaltning=_other_administration())

    with pytest.raises(PermissionDenied):
        actions.initiative_assign(
            user=responder,
            initiative=initiative,
            forvaltning=responder.forvaltning,
            answer_due=timezone.localdate(),
        )
    initiative.refresh_from_db()
    assert initiative.forvaltning.slug == "stadsbyggnadsforvaltningen"


def test_a_moderator_may_change_the_administration():
    initiative = InitiativeFactory(forvaltning=_other_administration())
    other = ForvaltningFactory()

    actions.initiative_assign(
        user=ModeratorFactory(),
        initiative=initiative,
        forvaltning=other,
        answer_due=timezone.localdate(),
    )

    initiative.refresh_from_db()
    assert initiative.forvaltning == other


@pytest.mark.parametrize("staff", ["moderator", "responder"])
def test_blocked_staff_neither_assign_nor_answer(staff):
    person = (ModeratorFactory if staff == "moderator" else ResponderFactory)()
    BlockFactory(user=person)
    initiative = InitiativeFactory(forvaltning=person.forvaltning)

    with pytest.raises(PermissionDenied):
        actions.initiative_assign(
            user=person,
            initiative=InitiativeFactory(),
            forvaltning=person.forvaltning or ForvaltningFactory(),
            answer_due=timezone.localdate(),
        )
    if staff == "responder":
        with pytest.raises(PermissionDenied):
            ideas_actions.response_add(
                user=person, initiative=initiative, body="Svar.", status="answered"
            )


def test_a_resident_cannot_assign():
    with pytest.raises(PermissionDenied):
        actions.initiative_assign(
            user=UserFactory(),
            initiative=InitiativeFactory(),
            forvaltning=ForvaltningFactory(),
            answer_due=timezone.localdate(),
        )


def test_the_overdue_list_shows_late_unanswered_initiatives_only(client, responder):
    today = timezone.localdate()
    culture = responder.forvaltning
    late = InitiativeFactory(
        title="Sent och obesvarat", forvaltning=culture, answer_due=today - timedelta(days=3)
    )
    answered = InitiativeFactory(
        title="Sent men besvarat", forvaltning=culture, answer_due=today - timedelta(days=3)
    )
    ideas_actions.response_add(user=responder, initiative=answered, body="Ja.", status="answered")
    InitiativeFactory(
        title="Inte sent än", forvaltning=culture, answer_due=today + timedelta(days=3)
    )
    elsewhere = InitiativeFactory(
        title="Sent hos en annan förvaltning",
        forvaltning=_other_administration(),
        answer_due=today - timedelta(days=1),
    )

    client.force_login(responder)
    mine = client.get("/moderering/forsenade-svar/")
    client.force_login(ModeratorFactory())
    everyone = client.get("/moderering/forsenade-svar/")

    assert list(mine.context["initiatives"]) == [late]
    assert list(everyone.context["initiatives"]) == [late, elsewhere]
    page = everyone.content.decode()
    assert "Sent och obesvarat" in page
    assert "Sent men besvarat" not in page
    assert "Inte sent än" not in page


def test_reaching_the_threshold_alerts_the_case_officers_of_the_responsible_administration(
    responder, assigned
):
    colleague = ResponderFactory()
    stranger = ResponderFactory(forvaltning=_other_administration())
    Initiative.objects.filter(pk=assigned.pk).update(support_threshold=1)
    assigned.refresh_from_db()

    ideas_actions.support_set(user=UserFactory(), initiative=assigned, supported=True)

    alerted = Notification.objects.filter(kind=Notification.Kind.THRESHOLD_REACHED)
    staff = alerted.filter(extra__staff=True)
    assert sorted(staff.values_list("recipient_id", flat=True)) == sorted(
        [responder.pk, colleague.pk]
    )
    assert not alerted.filter(recipient=stranger).exists()
    assigned.refresh_from_db()
    assert assigned.ready_at is not None
