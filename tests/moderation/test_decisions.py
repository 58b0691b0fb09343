"""Moderators' decisions on initiatives and comments, from the queue and from the public page."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client

from ideas.actions import initiative_save
from ideas.models import Initiative, InitiativeEvent
from moderation import actions
from moderation.models import ModerationDecision
from tests.factories import (
    CommentFactory,
    InitiativeFactory,
    ModeratorFactory,
    initiative_fields,
)
from tests.moderation.conftest import messages_of, submitted

pytestmark = pytest.mark.django_db

Action = ModerationDecision.Action


def _decide(client, **data):
    """Post a decision as the queue's form does, with the version of each initiative it shows."""
    chosen = data.get("initiativ", [])
    for pk in chosen if isinstance(chosen, list) else [chosen]:
        data.setdefault(f"version-{pk}", Initiative.objects.get(pk=pk).version)
    return client.post("/moderering/beslut/", data)


def test_approving_publishes_and_starts_the_support_period(moderator_client):
    initiative = submitted(title="Sommarbio på Gröningen")

    response = _decide(moderator_client, action="approve", initiativ=initiative.pk)

    assert response.status_code == 302
    assert response["Location"] == "/moderering/"
    assert messages_of(response) == ["1 beslut fattades."]
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.PUBLISHED
    assert initiative.published_at is not None
    assert initiative.support_ends_at == initiative.published_at + timedelta(
        days=settings.SUPPORT_PERIOD_DAYS
    )
    assert initiative.support_threshold == settings.SUPPORT_THRESHOLD
    assert Initiative.objects.public().filter(pk=initiative.pk).exists()
    (decision,) = ModerationDecision.objects.all()
    assert decision.moderator == moderator_client.user
    assert decision.action == Action.APPROVE
    assert decision.initiative == initiative
    assert decision.subject_user == initiative.author
    assert decision.reasons == []
    assert decision.state_before == {"status": "submitted", "hidden": False}
    assert decision.state_after == {"status": "published", "hidden": False}


def test_rejecting_needs_reasons_and_logs_them(moderator_client):
    initiative = submitted()

    refused = _decide(moderator_client, action="reject", initiativ=initiative.pk, text="Nej.")
    assert messages_of(refused) == ["Välj minst ett skäl för att avslå."]
    moderator_client.get(refused["Location"])  # the queue shows the message, once
    response = _decide(
        moderator_client,
        action="reject",
        initiativ=initiative.pk,
        reasons=["outside_mandate", "duplicate"],
        text="Regionen beslutar om kollektivtrafiken.",
    )

    assert messages_of(response) == ["1 beslut fattades."]
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.REJECTED
    assert not Initiative.objects.public().filter(pk=initiative.pk).exists()
    (decision,) = ModerationDecision.objects.all()
    assert decision.action == Action.REJECT
    assert decision.reasons == ["outside_mandate", "duplicate"]
    assert decision.text == "Regionen beslutar om kollektivtrafiken."
    assert decision.state_before == {"status": "submitted", "hidden": False}
    assert decision.state_after == {"status": "rejected", "hidden": False}
    assert decision.reason_labels()[1] == (
        "Ett liknande förslag har lämnats under de senaste sex månaderna."
    )


def test_an_unknown_reason_is_refused_by_the_action():
    with pytest.raises(ValidationError):
        actions.initiative_reject(
            moderator=ModeratorFactory(), initiative=submitted(), reasons=["ugly"], text="x"
        )
    assert not ModerationDecision.objects.exists()


def test_sending_back_returns_a_draft_with_the_note(moderator_client):
    initiative = submitted()

    response = _decide(
        moderator_client, action="send_back", initiativ=initiative.pk, text="Gör rubriken kortare."
    )

    assert messages_of(response) == ["1 beslut fattades."]
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.DRAFT
    event = initiative.events.get()
    assert (event.status, event.note) == ("draft", "Gör rubriken kortare.")
    assert event.actor == moderator_client.user
    (decision,) = ModerationDecision.objects.all()
    assert decision.action == Action.SEND_BACK
    assert decision.text == "Gör rubriken kortare."
    assert decision.state_after == {"status": "draft", "hidden": False}


def test_sending_back_needs_a_note(moderator_client):
    initiative = submitted()

    response = _decide(moderator_client, action="send_back", initiativ=initiative.pk)

    assert messages_of(response) == ["Skriv en motivering; författaren ser den."]
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.SUBMITTED
    assert not ModerationDecision.objects.exists()


def test_a_second_moderator_deciding_the_same_item_is_refused_clearly():
    initiative = submitted(title="Boulebana i Slottshagen")
    first, second = Client(), Client()
    first.force_login(ModeratorFactory())
    second.force_login(ModeratorFactory())
    # Both opened the queue while the initiative was waiting.
    assert first.get("/moderering/").status_code == 200
    assert second.get("/moderering/").status_code == 200

    _decide(first, action="approve", initiativ=initiative.pk)
    response = _decide(
        second, action="reject", initiativ=initiative.pk, reasons="duplicate", text="Finns."
    )

    assert messages_of(response) == [
        "”Boulebana i Slottshagen” granskas inte längre: en annan moderator kan redan ha beslutat."
    ]
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.PUBLISHED
    assert list(ModerationDecision.objects.values_list("action", flat=True)) == [Action.APPROVE]


def test_a_bulk_decision_reports_what_was_done_and_what_was_refused(moderator_client):
    waiting = [submitted() for _ in range(3)]
    decided = submitted(title="Redan beslutat")
    actions.initiative_approve(moderator=ModeratorFactory(), initiative=decided)

    response = _decide(
        moderator_client, action="approve", initiativ=[item.pk for item in [*waiting, decided]]
    )

    assert messages_of(response) == [
        "3 beslut fattades.",
        "”Redan beslutat” granskas inte längre: en annan moderator kan redan ha beslutat.",
    ]
    assert set(Initiative.objects.values_list("status", flat=True)) == {"published"}
    mine = ModerationDecision.objects.filter(moderator=moderator_client.user)
    assert sorted(mine.values_list("initiative_id", flat=True)) == sorted(i.pk for i in waiting)


def _edited_by_its_author(initiative: Initiative, **changes) -> None:
    fields = initiative_fields(fokusomrade=initiative.fokusomrade, **changes)
    initiative_save(user=initiative.author, initiative=initiative, fields=fields, prioriteringar=[])


@pytest.mark.parametrize(
    "decision",
    [
        {"action": "approve"},
        {"action": "reject", "reasons": "duplicate", "text": "Finns redan."},
        {"action": "send_back", "text": "Kortare."},
    ],
    ids=lambda decision: decision["action"],
)
def test_a_decision_on_an_initiative_changed_since_it_was_read_is_refused(
    moderator_client, decision
):
    initiative = submitted(title="Boulebana")
    read = {f"version-{initiative.pk}": initiative.version}  # what the moderator's page showed
    _edited_by_its_author(initiative, title="Boulebana och grillplats")

    response = _decide(moderator_client, initiativ=initiative.pk, **read, **decision)

    assert messages_of(response) == [
        "”Boulebana och grillplats” ändrades av sin författare efter att du läste det. "
        "Läs det igen och besluta sedan."
    ]
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.SUBMITTED
    assert not ModerationDecision.objects.exists()


def test_a_bulk_decision_refuses_only_what_changed_since_it_was_read(moderator_client):
    unchanged, changed = submitted(title="Oförändrat"), submitted(title="Ändrat")
    read = {f"version-{item.pk}": item.version for item in (unchanged, changed)}
    _edited_by_its_author(changed, title="Ändrat igen")

    response = _decide(
        moderator_client, action="approve", initiativ=[unchanged.pk, changed.pk], **read
    )

    assert len(messages_of(response)) == 2
    assert messages_of(response)[0] == "1 beslut fattades."
    unchanged.refresh_from_db()
    changed.refresh_from_db()
    assert (unchanged.status, changed.status) == ("published", "submitted")


def test_a_decision_without_the_version_read_is_refused(moderator_client):
    initiative = submitted()

    response = moderator_client.post(
        "/moderering/beslut/", {"action": "approve", "initiativ": initiative.pk}
    )

    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.SUBMITTED


def test_a_comment_cannot_be_approved(moderator_client):
    comment = CommentFactory()

    response = _decide(moderator_client, action="approve", kommentar=comment.pk)

    assert messages_of(response) == [
        "Kommentarer döljs eller visas, de godkänns eller avslås inte."
    ]
    assert not ModerationDecision.objects.exists()


def test_nothing_chosen_is_refused(moderator_client):
    response = _decide(moderator_client, action="approve")

    assert messages_of(response) == ["Välj minst en post."]


def test_hiding_and_showing_an_initiative_from_its_public_page(moderator_client):
    initiative = InitiativeFactory()
    back = initiative.get_absolute_url()
    page = moderator_client.get(back).content.decode()
    assert 'name="tillbaka" value="' + back + '"' in page

    hidden = _decide(
        moderator_client, action="hide", initiativ=initiative.pk, text="Reklam.", tillbaka=back
    )

    assert hidden["Location"] == back
    initiative.refresh_from_db()
    assert initiative.hidden_at is not None
    assert not Initiative.objects.public().filter(pk=initiative.pk).exists()
    assert Client().get(back).status_code == 404

    shown = _decide(moderator_client, action="unhide", initiativ=initiative.pk, tillbaka=back)

    assert shown["Location"] == back
    initiative.refresh_from_db()
    assert initiative.hidden_at is None
    assert Client().get(back).status_code == 200
    hide, unhide = ModerationDecision.objects.order_by("pk")
    assert (hide.action, hide.text) == (Action.HIDE, "Reklam.")
    assert hide.state_before == {"status": "published", "hidden": False}
    assert hide.state_after == {"status": "published", "hidden": True}
    assert unhide.action == Action.UNHIDE
    assert unhide.state_before == {"status": "published", "hidden": True}
    assert unhide.state_after == {"status": "published", "hidden": False}


def test_hiding_a_comment_from_the_public_page_returns_to_the_comment(moderator_client):
    comment = CommentFactory()
    back = f"{comment.initiative.get_absolute_url()}#{comment.dom_id}"
    page = moderator_client.get(comment.initiative.get_absolute_url()).content.decode()
    assert f'value="{back}"' in page

    response = _decide(
        moderator_client, action="hide", kommentar=comment.pk, text="Hot.", tillbaka=back
    )

    assert response["Location"] == back
    comment.refresh_from_db()
    assert comment.hidden_at is not None
    (decision,) = ModerationDecision.objects.all()
    assert (decision.action, decision.comment, decision.initiative) == (Action.HIDE, comment, None)
    assert decision.subject_user == comment.author
    assert decision.state_before == {"hidden": False, "removed": False}
    assert decision.state_after == {"hidden": True, "removed": False}


@pytest.mark.parametrize(
    "back", ["https://evil.example/", "//evil.example/initiativ/", "javascript:alert(1)"]
)
def test_an_off_site_return_address_is_ignored(moderator_client, back):
    initiative = InitiativeFactory()

    response = _decide(
        moderator_client, action="hide", initiativ=initiative.pk, text="Spam.", tillbaka=back
    )

    assert response["Location"] == "/moderering/"
    initiative.refresh_from_db()
    assert initiative.hidden_at is not None


@pytest.mark.parametrize(
    ("action", "extra"),
    [
        ("approve", {}),
        ("reject", {"reasons": ["unlawful"], "text": "Kränkande."}),
        ("send_back", {"text": "Mer konkret."}),
        ("hide", {"text": "Spam."}),
        ("unhide", {"text": "Okej igen."}),
        ("dismiss", {"text": "Ogrundat."}),
    ],
)
def test_every_decision_writes_exactly_one_log_entry(moderator_client, action, extra):
    target = submitted() if action in {"approve", "reject", "send_back"} else InitiativeFactory()
    events_before = InitiativeEvent.objects.count()

    _decide(moderator_client, action=action, initiativ=target.pk, **extra)

    (decision,) = ModerationDecision.objects.all()
    assert decision.moderator == moderator_client.user
    assert decision.action == {"dismiss": Action.DISMISS_FLAGS}.get(action, action)
    assert decision.initiative == target
    assert decision.subject_user == target.author
    assert decision.reasons == extra.get("reasons", [])
    assert decision.text == extra.get("text", "")
    target.refresh_from_db()
    assert decision.state_after == {"status": target.status, "hidden": target.is_hidden}
    assert InitiativeEvent.objects.count() - events_before == (
        1 if action in {"approve", "reject", "send_back"} else 0
    )


@pytest.mark.parametrize(
    "back",
    [
        "https://evil.example/",
        "//evil.example/",
        "javascript:alert(1)",
        "http://[::1",
        "/[",
        "/x\r\nSet-Cookie: a=b",
        "moderering",
        "",
    ],
)
def test_a_back_address_that_is_not_a_path_here_leads_to_the_queue(moderator_client, back):
    initiative = submitted()

    response = _decide(moderator_client, action="approve", initiativ=initiative.pk, tillbaka=back)

    location = response["Location"]
    assert response.status_code == 302
    # The queue, or the path on this site that was given (Django escapes what it must).
    assert location == "/moderering/" or (back.startswith("/") and location.startswith("/"))
    assert not location.startswith("//")
    assert "evil" not in location
    assert "\n" not in location


@pytest.mark.parametrize("field", ["initiativ", "kommentar", "meddelande"])
@pytest.mark.parametrize("value", ["99999999999999999999999", "-99999999999999999999999"])
def test_an_id_too_large_for_the_database_is_refused_not_an_error(moderator_client, field, value):
    response = moderator_client.post("/moderering/beslut/", {"action": "hide", field: value})

    assert response.status_code == 302
    assert not ModerationDecision.objects.exists()
