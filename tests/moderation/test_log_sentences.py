"""The moderation log reads as sentences in the reader's language, filters by person, initiative
and date from the address, takes any nonsense there without an error, and runs the same queries
however long it is."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from moderation import actions
from moderation.models import ModerationDecision
from tests.factories import CommentFactory, InitiativeFactory, ModeratorFactory, UserFactory
from tests.moderation.conftest import submitted
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

Action = ModerationDecision.Action


def _sentences(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def decided():
    """A moderator's decisions of several kinds, and one the platform made by itself."""
    anna = ModeratorFactory(display_name="Anna Moderator")
    berit = UserFactory(display_name="Berit", email="berit@example.org")
    comment = CommentFactory(author=berit, initiative=InitiativeFactory(title="Sommarbio"))
    actions.content_hide(moderator=anna, text="Personangrepp.", comment=comment)
    actions.initiative_reject(
        moderator=anna,
        initiative=submitted(title="Boulebana", author=berit),
        reasons=["duplicate"],
        text="Finns redan.",
    )
    given = actions.user_block(moderator=anna, user=berit, days=7, reason="Upprepad spam.")
    actions.user_unblock(moderator=anna, block=given)
    ModerationDecision.objects.create(
        action=Action.AUTO_HIDE,
        comment=comment,
        subject_user=berit,
        text="3 personer anmälde det.",
        state_before={"hidden": False},
        state_after={"hidden": True},
    )
    return {"anna": anna, "berit": berit, "block": given}


def test_the_log_reads_as_sentences_in_swedish(moderator_client, decided):
    page = _sentences(moderator_client, "/moderering/logg/")

    expected = [
        "Anna Moderator dolde en kommentar av Berit på ”Sommarbio”, skäl: Personangrepp.",
        "Anna Moderator avslog ”Boulebana” av Berit, skäl: Ett liknande förslag har lämnats",
        "Anna Moderator hävde avstängningen av Berit.",
        "Plattformen dolde automatiskt en kommentar av Berit på ”Sommarbio” efter anmälningar, "
        "skäl: 3 personer anmälde det.",
    ]
    for sentence in expected:
        assert escape(sentence) in page, sentence
    until = timezone.localtime(decided["block"].ends_at)
    assert "Anna Moderator stängde av Berit till" in page
    assert f'datetime="{decided["block"].ends_at.isoformat()}"' in page
    assert f"{until:%H:%M}</time>, skäl: Upprepad spam." in page
    # No raw data structures.
    assert "{&#x27;hidden&#x27;" not in page
    assert "state_before" not in page


def test_the_log_reads_as_sentences_in_english(moderator_client, decided):
    page = _sentences(moderator_client, "/en/moderering/logg/")

    for sentence in [
        "Anna Moderator hid a comment by Berit on “Sommarbio”, reason: Personangrepp.",
        "Anna Moderator rejected “Boulebana” by Berit, reason: A similar proposal",
        "Anna Moderator lifted the block on Berit.",
        "The platform hid a comment by Berit on “Sommarbio” automatically after flags",
    ]:
        assert escape(sentence) in page, sentence


def _actions(client, query: str) -> list[str]:
    response = client.get(f"/moderering/logg/?{query}")
    assert response.status_code == 200
    return [decision.action for decision in response.context["page"].object_list]


def test_the_log_filters_by_the_name_or_email_of_either_person(moderator_client, decided):
    everything = [Action.AUTO_HIDE, Action.UNBLOCK, Action.BLOCK, Action.REJECT, Action.HIDE]

    assert _actions(moderator_client, "") == everything
    assert _actions(moderator_client, "person=berit%40example") == everything
    assert _actions(moderator_client, "person=anna+mod") == everything[1:]
    assert _actions(moderator_client, f"person={decided['anna'].email}") == everything[1:]
    assert _actions(moderator_client, "person=nobody") == []


def test_the_log_filters_by_initiative_title_of_initiatives_and_comments(moderator_client, decided):
    assert _actions(moderator_client, "initiativ=sommar") == [Action.AUTO_HIDE, Action.HIDE]
    assert _actions(moderator_client, "initiativ=Boule") == [Action.REJECT]
    assert _actions(moderator_client, "initiativ=boule&person=anna") == [Action.REJECT]


def test_the_log_filters_by_dates_from_and_to_inclusive(moderator_client):
    moderator = ModeratorFactory()
    today = timezone.localdate()
    for days_ago in (10, 5, 0):
        ModerationDecision.objects.create(
            moderator=moderator,
            action=Action.BLOCK,
            subject_user=UserFactory(),
            text=f"{days_ago} dagar sedan",
            created_at=timezone.now() - timedelta(days=days_ago),
        )

    def texts(query: str) -> list[str]:
        response = moderator_client.get(f"/moderering/logg/?{query}")
        return [decision.text for decision in response.context["page"].object_list]

    five = (today - timedelta(days=5)).isoformat()
    assert texts(f"fran={five}") == ["0 dagar sedan", "5 dagar sedan"]
    assert texts(f"till={five}") == ["5 dagar sedan", "10 dagar sedan"]
    assert texts(f"fran={five}&till={five}") == ["5 dagar sedan"]
    # The filters stay in the address of the next page.
    page = _sentences(moderator_client, f"/moderering/logg/?fran={five}")
    assert f'value="{five}"' in page


@pytest.mark.parametrize(
    "query",
    [
        "fran=igår&till=31-02-2026",
        "fran=2026-02-31",
        "fran=9999-12-31&till=0001-01-01",
        "person=%00%00&initiativ=%00",
        "person=" + "x" * 5000,
        "initiativ=<script>alert(1)</script>",
        "sida=-1",
        "sida=99999999999999999999",
        "person[]=a&fran[]=b",
    ],
)
def test_bad_filters_are_no_error(moderator_client, decided, query):
    response = moderator_client.get(f"/moderering/logg/?{query}")

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def _decisions(number: int) -> None:
    """Entries of every kind, about different people and items, so a lookup per row shows."""
    kinds = list(Action)
    for index in range(number):
        action = kinds[index % len(kinds)]
        item = {}
        if index % 3 == 0:
            item = {"initiative": InitiativeFactory()}
        elif index % 3 == 1:
            item = {"comment": CommentFactory()}
        subject = item.get("initiative") or item.get("comment")
        state_after = {"until": timezone.now().isoformat(), "answer_due": "2026-12-24"}
        ModerationDecision.objects.create(
            moderator=ModeratorFactory() if index % 4 else None,
            action=action,
            subject_user=subject.author if subject else UserFactory(),
            reasons=["duplicate"] if index % 2 else [],
            text=f"Beslut {index}",
            state_after=state_after,
            **item,
        )


def test_the_log_runs_as_many_queries_for_200_entries_as_for_5(moderator_client):
    _decisions(5)
    small = page_queries(moderator_client, "/moderering/logg/")

    _decisions(195)
    large = page_queries(moderator_client, "/moderering/logg/")

    assert large == small
    assert page_queries(moderator_client, "/moderering/logg/?person=a&initiativ=e") == large
    assert page_queries(moderator_client, "/moderering/logg/?sida=4") == large
