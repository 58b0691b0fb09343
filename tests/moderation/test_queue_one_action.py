"""Each initiative in the review queue has its own buttons: one press approves, rejects (with the
reasons and explanation typed beside it) or sends back; bulk decisions stay for many."""

import re

import pytest

from ideas.models import Initiative
from moderation.live import queue_html
from moderation.models import ModerationDecision
from tests.moderation.conftest import messages_of, submitted

pytestmark = pytest.mark.django_db

Action = ModerationDecision.Action


def _decide(client, initiative: Initiative, action: str, **fields):
    """What pressing one of the initiative's buttons sends: its own fields, named by its number."""
    prefix = f"initiativ-{initiative.pk}"
    data = {f"{prefix}-action": action, f"{prefix}-version": initiative.version}
    data |= {f"{prefix}-{name}": value for name, value in fields.items()}
    return client.post(f"/moderering/beslut/initiativ/{initiative.pk}/", data)


def test_one_press_approves_and_publishes(moderator_client):
    initiative = submitted(title="Sommarbio på Gröningen")
    other = submitted()

    response = _decide(moderator_client, initiative, "approve")

    assert response["Location"] == "/moderering/"
    assert messages_of(response) == ["”Sommarbio på Gröningen” är godkänt och publicerat."]
    initiative.refresh_from_db()
    other.refresh_from_db()
    assert initiative.status == Initiative.Status.PUBLISHED
    assert other.status == Initiative.Status.SUBMITTED
    decision = ModerationDecision.objects.get()
    assert (decision.action, decision.moderator) == (Action.APPROVE, moderator_client.user)


def test_one_press_rejects_with_the_reasons_and_text_typed_beside_it(moderator_client):
    initiative = submitted()

    response = _decide(
        moderator_client,
        initiative,
        "reject",
        reasons=["duplicate", "internal"],
        text="Ett liknande förslag finns.",
    )

    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.REJECTED
    decision = ModerationDecision.objects.get()
    assert decision.action == Action.REJECT
    assert decision.reasons == ["duplicate", "internal"]
    assert decision.text == "Ett liknande förslag finns."


def test_one_press_sends_back_with_the_text(moderator_client):
    initiative = submitted()

    _decide(moderator_client, initiative, "send_back", text="Beskriv platsen.")

    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.DRAFT
    assert ModerationDecision.objects.get().text == "Beskriv platsen."


def test_a_rejection_without_reasons_comes_back_with_what_was_typed(moderator_client):
    initiative = submitted(title="Boulebana")

    response = _decide(moderator_client, initiative, "reject", text="Mitt utkast till svar.")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Välj minst ett skäl för att avslå." in page
    assert "Mitt utkast till svar." in page  # nothing typed is lost
    assert 'class="error-summary"' in page
    assert f'id="reasons-initiative-{initiative.pk}" open' in page
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.SUBMITTED
    assert not ModerationDecision.objects.exists()


def test_sending_back_needs_a_text(moderator_client):
    initiative = submitted()

    response = _decide(moderator_client, initiative, "send_back", text="  ")

    assert response.status_code == 200
    assert "Skriv en motivering; författaren ser den." in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.SUBMITTED


def test_a_version_the_moderator_did_not_read_is_refused(moderator_client):
    initiative = submitted(title="Boulebana")
    read = initiative.version
    Initiative.objects.filter(pk=initiative.pk).update(version=read + 1)

    response = _decide(moderator_client, initiative, "approve")

    assert response.status_code == 302
    assert "ändrades av sin författare" in messages_of(response)[0]
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.SUBMITTED


def test_a_decision_made_meanwhile_by_another_is_not_made_twice(moderator_client):
    initiative = submitted(title="Boulebana")
    _decide(moderator_client, initiative, "approve")

    again = _decide(moderator_client, initiative, "reject", text="För sent.")

    assert messages_of(again)[-1].startswith("”Boulebana” granskas inte längre")
    assert ModerationDecision.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"initiativ-{pk}-action": "hide", "initiativ-{pk}-text": "x"},
        {"initiativ-{pk}-action": "approve", "initiativ-{pk}-version": "-1"},
        {"initiativ-{pk}-action": "reject", "initiativ-{pk}-reasons": "no-such-reason"},
        {"initiativ-{pk}-action": "approve", "initiativ-{pk}-version": "9" * 40},
    ],
    ids=["nothing", "not-an-initiative-decision", "negative", "unknown-reason", "huge"],
)
def test_nonsense_decides_nothing_and_is_no_error(moderator_client, data):
    initiative = submitted()

    response = moderator_client.post(
        f"/moderering/beslut/initiativ/{initiative.pk}/",
        {key.format(pk=initiative.pk): value for key, value in data.items()},
    )

    assert response.status_code in {200, 302}
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.SUBMITTED
    assert not ModerationDecision.objects.exists()


def test_each_item_has_its_own_buttons_and_fields_in_the_page_and_in_the_live_queue(
    moderator_client,
):
    first, second = submitted(title="Sommarbio"), submitted(title="Boulebana")

    page = moderator_client.get("/moderering/").content.decode()
    live = queue_html("sv")

    for html in (page, live):
        for initiative in (first, second):
            url = f"/moderering/beslut/initiativ/{initiative.pk}/"
            name = f"initiativ-{initiative.pk}-action"
            buttons = re.findall(rf'formaction="{url}" name="{name}"', html)
            assert len(buttons) == 3
            assert f'name="initiativ-{initiative.pk}-text"' in html
            assert f'name="initiativ-{initiative.pk}-reasons"' in html
    # The single decisions' form, with its CSRF token, is outside the part the socket replaces.
    assert 'id="item-decision-form"' in page
    assert 'id="item-decision-form"' not in live
    assert 'form="item-decision-form"' in live
    # Bulk stays for many.
    assert f'name="initiativ" value="{first.pk}"' in page
    assert "Verkställ för de valda posterna" in page
