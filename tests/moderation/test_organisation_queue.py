"""New organisations wait in the moderation queue, each with its own buttons: a moderator
approves it, or rejects it with a reason its administrators read. Each decision is logged as a
sentence, told to the administrators (notification, live and by email) and pushed to every
open queue."""

import pytest
from asgiref.sync import sync_to_async
from django.core import mail
from django.test import Client

from accounts.actions import organisation_create
from accounts.models import Membership, Organisation
from core.live import LANGUAGES
from moderation.actions import organisation_approve
from moderation.live import GROUP
from moderation.models import ModerationDecision
from notifications.live import user_group
from notifications.models import Notification
from tests.factories import (
    MembershipFactory,
    ModeratorFactory,
    OrganisationFactory,
    UserFactory,
    blocked_user,
    person,
)
from tests.moderation.conftest import messages_of
from tests.queries import page_queries
from tests.sockets import open_socket

pytestmark = pytest.mark.django_db

Review = Organisation.Review
Action = ModerationDecision.Action
REASON = "Vi hittar inte föreningen i föreningsregistret."


def waiting(**fields) -> Organisation:
    """An organisation waiting for approval, with an administrator and a member."""
    organisation = OrganisationFactory(review_state=Review.PENDING, **fields)
    MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER)
    return organisation


def _decide(client, organisation: Organisation, action: str, text: str = ""):
    """What pressing one of the organisation's buttons sends: its own fields, named by its
    number."""
    prefix = f"organisation-{organisation.pk}"
    data = {f"{prefix}-action": action, f"{prefix}-text": text}
    return client.post(f"/moderering/beslut/organisation/{organisation.pk}/", data)


def _admins(organisation: Organisation) -> set[int]:
    return set(
        organisation.memberships.filter(role=Membership.Role.ADMIN).values_list("user", flat=True)
    )


# ---------------------------------------------------------------------------------------------
# Who may decide


def _role(role: str, organisation: Organisation):
    match role:
        case "org_admin" | "org_member":
            return person(role, organisation=organisation)
        case "blocked":
            return blocked_user()
        case _:
            return person(role)


@pytest.mark.parametrize("action", ["approve", "reject"])
@pytest.mark.parametrize(
    ("role", "answer"),
    [
        ("visitor", "login"),
        ("unverified", "refused"),
        ("resident", "refused"),
        ("org_member", "refused"),
        ("org_admin", "refused"),
        ("responder", "refused"),
        ("blocked", "refused"),
        ("moderator", "ok"),
    ],
)
def test_only_moderators_decide_on_an_organisation(client, role, answer, action):
    organisation = waiting()
    user = _role(role, organisation)
    if user.is_authenticated:
        client.force_login(user)

    response = _decide(client, organisation, action, text=REASON)

    organisation.refresh_from_db()
    decided = {"approve": Review.APPROVED, "reject": Review.REJECTED}[action]
    if answer == "ok":
        assert response.status_code == 302
        assert response["Location"] == "/moderering/"
        assert organisation.review_state == decided
        assert ModerationDecision.objects.filter(organisation=organisation).count() == 1
        return
    if answer == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/")
    else:
        assert response.status_code == 403
    assert organisation.review_state == Review.PENDING
    assert not ModerationDecision.objects.exists()
    assert not Notification.objects.exists()


def test_a_get_decides_nothing(moderator_client):
    organisation = waiting()

    response = moderator_client.get(f"/moderering/beslut/organisation/{organisation.pk}/")

    assert response.status_code == 405
    organisation.refresh_from_db()
    assert organisation.review_state == Review.PENDING


# ---------------------------------------------------------------------------------------------
# The queue


def test_organisations_waiting_for_approval_have_their_own_section_and_buttons(moderator_client):
    first = waiting(name="Dalhems grannar")
    second = waiting(name="Cykelköket")
    decided = [
        OrganisationFactory(name="Redan godkänd"),
        OrganisationFactory(name="Redan avslagen", review_state=Review.REJECTED),
    ]

    page = moderator_client.get("/moderering/").content.decode()

    for organisation in (first, second):
        item = page.split(f'id="queue-organisation-{organisation.pk}"')[1].split("</li>")[0]
        assert organisation.name in item
        url = f"/moderering/beslut/organisation/{organisation.pk}/"
        assert f'formaction="{url}"' in item
        assert f'name="organisation-{organisation.pk}-action" value="approve"' in item
        assert f'name="organisation-{organisation.pk}-action" value="reject"' in item
        # The reason is a labelled field of the form the buttons post.
        assert f'<label for="id_organisation-{organisation.pk}-text"' in item
        assert 'form="item-decision-form"' in item
    for organisation in decided:
        assert f'id="queue-organisation-{organisation.pk}"' not in page
        assert organisation.name not in page


def test_the_queue_runs_as_many_queries_for_20_organisations_waiting_as_for_2(moderator_client):
    for _ in range(2):
        waiting()
    small = page_queries(moderator_client, "/moderering/")
    for _ in range(18):
        waiting()

    assert page_queries(moderator_client, "/moderering/") == small


# ---------------------------------------------------------------------------------------------
# Deciding


def test_approving_shows_the_organisation_logs_it_and_tells_its_administrators(
    moderator_client, django_capture_on_commit_callbacks
):
    organisation = waiting(name="Dalhems grannar")

    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(moderator_client, organisation, "approve")

    assert messages_of(response) == ["”Dalhems grannar” är godkänd och visas för alla."]
    organisation.refresh_from_db()
    assert organisation.review_state == Review.APPROVED
    assert organisation.review_decided_at is not None
    decision = ModerationDecision.objects.get()
    assert (decision.action, decision.moderator, decision.organisation) == (
        Action.ORGANISATION_APPROVE,
        moderator_client.user,
        organisation,
    )
    assert (decision.state_before, decision.state_after) == (
        {"review": "pending"},
        {"review": "approved"},
    )
    notified = Notification.objects.filter(kind=Notification.Kind.MODERATION_DECISION)
    assert set(notified.values_list("recipient", flat=True)) == _admins(organisation)
    assert notified.get().sentence() == (
        "Din organisation ”Dalhems grannar” har godkänts och visas nu för alla."
    )
    (email,) = mail.outbox
    assert "Dalhems grannar" in email.subject
    assert "Dalhems grannar" in Client().get("/organisationer/").content.decode()


def test_rejecting_keeps_it_hidden_logs_the_reason_and_tells_the_administrators_why(
    moderator_client, django_capture_on_commit_callbacks
):
    organisation = waiting(name="Dalhems grannar")
    MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)

    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(moderator_client, organisation, "reject", text=f"  {REASON}  ")

    assert messages_of(response) == [
        "”Dalhems grannar” är inte godkänd. Dess administratörer får veta varför."
    ]
    organisation.refresh_from_db()
    assert organisation.review_state == Review.REJECTED
    assert organisation.review_reason == REASON
    decision = ModerationDecision.objects.get()
    assert (decision.action, decision.text) == (Action.ORGANISATION_REJECT, REASON)
    notified = list(Notification.objects.filter(kind=Notification.Kind.MODERATION_DECISION))
    assert {item.recipient_id for item in notified} == _admins(organisation)
    assert len(notified) == 2
    assert notified[0].sentence() == "Din organisation ”Dalhems grannar” godkändes inte."
    assert REASON in notified[0].details()
    assert len(mail.outbox) == 2
    assert all(REASON in email.body for email in mail.outbox)


def test_each_decision_reads_as_a_sentence_in_the_log(moderator_client):
    approved, rejected = waiting(name="Cykelköket"), waiting(name="Dalhems grannar")
    _decide(moderator_client, approved, "approve")
    _decide(moderator_client, rejected, "reject", text=REASON)
    name = moderator_client.user.public_name

    page = moderator_client.get("/moderering/logg/").content.decode()

    assert f"{name} godkände organisationen ”Cykelköket”." in page
    assert f"{name} godkände inte organisationen ”Dalhems grannar”, skäl: {REASON}." in page


@pytest.mark.parametrize("typed", ["", "   "], ids=["empty", "blank"])
def test_rejecting_without_a_reason_is_refused_in_swedish_and_decides_nothing(
    moderator_client, typed
):
    organisation = waiting()

    response = _decide(moderator_client, organisation, "reject", text=typed)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Skriv varför organisationen inte godkänns. Dess administratörer ser det." in page
    assert "Inget beslut fattades: se vad som saknas nedan." in page
    item = page.split(f'id="queue-organisation-{organisation.pk}"')[1].split("</li>")[0]
    assert 'class="error-summary"' in item
    organisation.refresh_from_db()
    assert organisation.review_state == Review.PENDING
    assert not ModerationDecision.objects.exists()
    assert not Notification.objects.exists()


def test_a_refused_decision_comes_back_with_what_was_typed(moderator_client):
    organisation = waiting()
    typed = "Vi hittar inte föreningen. " * 80  # longer than a reason may be

    response = _decide(moderator_client, organisation, "reject", text=typed)

    assert response.status_code == 200
    item = response.content.decode().split(f'id="queue-organisation-{organisation.pk}"')[1]
    assert typed.strip() in item.split("</textarea>")[0]
    organisation.refresh_from_db()
    assert organisation.review_state == Review.PENDING


@pytest.mark.parametrize("second", ["approve", "reject"])
def test_pressing_twice_decides_once(moderator_client, second, django_capture_on_commit_callbacks):
    organisation = waiting(name="Cykelköket")
    with django_capture_on_commit_callbacks(execute=True):
        _decide(moderator_client, organisation, "approve")

        again = _decide(moderator_client, organisation, second, text=REASON)

    assert again.status_code == 302
    assert messages_of(again)[-1].startswith("”Cykelköket” väntar inte längre på godkännande")
    organisation.refresh_from_db()
    assert organisation.review_state == Review.APPROVED
    assert ModerationDecision.objects.count() == 1
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_second_press_without_its_reason_is_no_error_either(moderator_client):
    organisation = waiting(name="Cykelköket")
    _decide(moderator_client, organisation, "approve")

    again = _decide(moderator_client, organisation, "reject")

    assert again.status_code == 302
    assert "väntar inte längre på godkännande" in messages_of(again)[-1]
    assert ModerationDecision.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"organisation-{pk}-action": "hide"},
        {"organisation-{pk}-action": "approve" * 400},
        {"organisation-{pk}-actionx": "approve"},
    ],
    ids=["nothing", "not-an-organisation-decision", "huge", "misnamed"],
)
def test_nonsense_decides_nothing_and_is_no_error(moderator_client, data):
    organisation = waiting()

    response = moderator_client.post(
        f"/moderering/beslut/organisation/{organisation.pk}/",
        {key.format(pk=organisation.pk): value for key, value in data.items()},
    )

    assert response.status_code == 200
    organisation.refresh_from_db()
    assert organisation.review_state == Review.PENDING
    assert not ModerationDecision.objects.exists()


def test_an_unknown_organisation_is_not_found(moderator_client):
    assert moderator_client.post("/moderering/beslut/organisation/999999/").status_code == 404


# ---------------------------------------------------------------------------------------------
# Live


def test_a_decision_updates_every_queue_and_tells_the_administrators_live(
    capture_live, sockets_open
):
    organisation = waiting(name="Cykelköket")
    other = waiting(name="Dalhems grannar")
    sockets_open(*organisation.members.all())

    with capture_live() as sent:
        organisation_approve(moderator=ModeratorFactory(), organisation=organisation)

    queues = {group: message for group, message in sent if group.startswith("moderation-")}
    assert set(queues) == {GROUP.format(language=language) for language in LANGUAGES}
    for message in queues.values():
        assert f'id="queue-organisation-{organisation.pk}"' not in message["html"]
        assert f'id="queue-organisation-{other.pk}"' in message["html"]
    (admin,) = _admins(organisation)
    personal = [message for group, message in sent if group == user_group(admin)]
    assert [message["type"] for message in personal] == ["notification.added"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_moderator_sees_a_new_organisation_arrive_in_the_queue():
    moderator = await sync_to_async(ModeratorFactory)()
    resident = await sync_to_async(UserFactory)()
    queue, connected = await open_socket("/ws/moderering/?lang=sv", moderator)
    assert connected

    organisation = await sync_to_async(organisation_create)(
        user=resident, fields={"kind": Organisation.Kind.FORENING, "name": "Nyföreningen"}
    )

    html = await queue.receive_from(timeout=3)
    assert 'id="moderation-queue"' in html
    assert f'id="queue-organisation-{organisation.pk}"' in html
    assert "Nyföreningen" in html
    await queue.disconnect()
