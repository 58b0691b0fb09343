"""An answer cannot be due in the past: the assign form says so and keeps what was typed, and
the action refuses it whatever calls it. "Today" is the site's day, in Europe/Stockholm."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from ideas.actions import do_initiative_assign
from ideas.models import InitiativeEvent
from moderation import actions
from moderation.forms import AssignForm
from moderation.models import ModerationDecision
from tests.factories import ForvaltningFactory, InitiativeFactory, ModeratorFactory

pytestmark = pytest.mark.django_db

PAST = "The due date cannot be in the past. Choose today or a later day."


@pytest.fixture
def stockholm_just_after_midnight(monkeypatch):
    """00:30 on 11 March 2026 in Stockholm, when it is still 10 March in UTC."""
    moment = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return date(2026, 3, 11)


def _post(client, initiative, forvaltning, due: str):
    return client.post(
        f"/initiativ/{initiative.pk}/ansvar/", {"forvaltning": forvaltning.pk, "answer_due": due}
    )


def test_the_form_refuses_a_past_due_date_in_swedish_and_keeps_what_was_typed(client):
    client.force_login(ModeratorFactory())
    initiative = InitiativeFactory()
    forvaltning = ForvaltningFactory()
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()

    response = _post(client, initiative, forvaltning, yesterday)

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["answer_due"]
    assert [error.code for error in errors] == ["answer_due_past"]
    page = response.content.decode()
    assert gettext(PAST) in page  # the Swedish sentence, once the catalogue has it
    assert f'value="{yesterday}"' in page
    assert f'<option value="{forvaltning.pk}" selected>' in page
    initiative.refresh_from_db()
    assert (initiative.forvaltning, initiative.answer_due) == (None, None)
    assert not ModerationDecision.objects.exists()
    assert not InitiativeEvent.objects.filter(initiative=initiative).exists()


def test_today_is_a_valid_due_date(client):
    client.force_login(ModeratorFactory())
    initiative = InitiativeFactory()
    forvaltning = ForvaltningFactory()

    response = _post(client, initiative, forvaltning, timezone.localdate().isoformat())

    assert response["Location"] == initiative.get_absolute_url()
    initiative.refresh_from_db()
    assert initiative.answer_due == timezone.localdate()


def test_the_date_picker_starts_at_today():
    form = AssignForm(user=ModeratorFactory())

    assert f'min="{timezone.localdate().isoformat()}"' in str(form["answer_due"])


def test_today_is_the_day_in_stockholm_not_in_utc(stockholm_just_after_midnight):
    utc_day = date(2026, 3, 10)
    form = AssignForm(
        {"forvaltning": ForvaltningFactory().pk, "answer_due": utc_day.isoformat()},
        user=ModeratorFactory(),
    )
    assert not form.is_valid()
    assert "answer_due" in form.errors

    form = AssignForm(
        {"forvaltning": ForvaltningFactory().pk, "answer_due": "2026-03-11"},
        user=ModeratorFactory(),
    )
    assert form.is_valid(), form.errors


def test_the_action_refuses_a_past_due_date_on_any_path():
    moderator = ModeratorFactory()
    initiative = InitiativeFactory()
    forvaltning = ForvaltningFactory()
    yesterday = timezone.localdate() - timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        actions.initiative_assign(
            user=moderator, initiative=initiative, forvaltning=forvaltning, answer_due=yesterday
        )
    assert refused.value.code == "answer_due_past"
    with pytest.raises(ValidationError):
        do_initiative_assign(
            initiative, forvaltning=forvaltning, answer_due=yesterday, actor=moderator
        )

    initiative.refresh_from_db()
    assert (initiative.forvaltning, initiative.answer_due) == (None, None)
    assert not ModerationDecision.objects.exists()
