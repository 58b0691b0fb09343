"""Handläggning (/handlaggning/): the lists each staff member sees, its filters, its limits, its
query counts, and the pings that keep it live."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from django.utils import timezone

from ideas import actions as ideas_actions
from ideas import live as ideas_live
from ideas.models import Initiative
from moderation import actions
from moderation.desk import PREVIEW
from tests.factories import (
    FokusomradeFactory,
    ForvaltningFactory,
    InitiativeFactory,
    ModeratorFactory,
    ResponderFactory,
    StadsdelFactory,
    UserFactory,
)
from tests.queries import page_queries
from tests.sessions import sign_in
from tests.sockets import open_socket

pytestmark = pytest.mark.django_db

URL = "/handlaggning/"
# Texts are asserted in English: the Swedish catalogue is compiled apart from the code.
ENGLISH = "/en/handlaggning/"


def _days(number: int):
    return timezone.localdate() + timedelta(days=number)


def _planning():
    return ForvaltningFactory(
        slug="stadsbyggnadsforvaltningen",
        name_sv="Stadsbyggnadsförvaltningen",
        name_en="City Planning Administration",
    )


@pytest.fixture
def responder():
    return ResponderFactory()


@pytest.fixture
def desk_items(responder):
    """One initiative for each list, and some that belong on none."""
    culture = responder.forvaltning
    ready_at = timezone.now() - timedelta(days=2)
    return {
        "unassigned": InitiativeFactory(title="Utan förvaltning"),
        "unassigned_ready": InitiativeFactory(title="Redo utan förvaltning", ready_at=ready_at),
        "assigned": InitiativeFactory(
            title="Hos kultur, gott om tid", forvaltning=culture, answer_due=_days(30)
        ),
        "ready": InitiativeFactory(
            title="Redo hos kultur", forvaltning=culture, answer_due=_days(20), ready_at=ready_at
        ),
        "soon": InitiativeFactory(
            title="Snart hos kultur", forvaltning=culture, answer_due=_days(3)
        ),
        "overdue": InitiativeFactory(
            title="Sent hos kultur", forvaltning=culture, answer_due=_days(-4)
        ),
        "answered": InitiativeFactory(
            title="Besvarat hos kultur",
            forvaltning=culture,
            answer_due=_days(-4),
            status=Initiative.Status.WILL_BE_DONE,
        ),
        "elsewhere": InitiativeFactory(
            title="Sent hos stadsbyggnad", forvaltning=_planning(), answer_due=_days(-1)
        ),
        "in_review": InitiativeFactory(
            title="Granskas fortfarande", status=Initiative.Status.SUBMITTED
        ),
    }


def _lists(response) -> dict[str, list[str]]:
    return {
        item["slug"]: [initiative.title for initiative in item["rows"]]
        for item in response.context["lists"]
    }


def _desk(client, user, query: str = "", *, url: str = URL):
    sign_in(client, user)
    response = client.get(url + query)
    assert response.status_code == 200
    return response


def test_a_moderator_sees_every_administrations_initiatives_on_the_right_lists(client, desk_items):
    response = _desk(client, ModeratorFactory(), url=ENGLISH)

    assert _lists(response) == {
        "utan-forvaltning": ["Redo utan förvaltning", "Utan förvaltning"],
        "att-besvara": [
            "Sent hos kultur",
            "Sent hos stadsbyggnad",
            "Snart hos kultur",
            "Redo hos kultur",
            "Hos kultur, gott om tid",
        ],
        "redo-for-namnd": ["Redo utan förvaltning", "Redo hos kultur"],
        "svar-inom-en-vecka": ["Snart hos kultur"],
        "forsenade": ["Sent hos kultur", "Sent hos stadsbyggnad"],
    }
    page = response.content.decode()
    assert "To answer (5)</h2>" in page
    assert "Ready for the committee (2)</h2>" in page
    assert "Overdue answers (2)</h2>" in page
    assert "3 days left" in page
    assert "4 days late" in page
    assert "Besvarat hos kultur" not in page
    assert "Granskas fortfarande" not in page


def test_a_case_officer_sees_their_administration_and_what_nobody_answers_for(
    client, responder, desk_items
):
    response = _desk(client, responder)

    lists = _lists(response)
    assert lists["utan-forvaltning"] == ["Redo utan förvaltning", "Utan förvaltning"]
    assert lists["forsenade"] == ["Sent hos kultur"]
    assert "Sent hos stadsbyggnad" not in response.content.decode()
    # The administration filter is a moderator's: a case officer's desk shows one.
    assert 'name="forvaltning"' not in response.content.decode()


def test_the_overdue_page_lists_what_the_desks_overdue_list_does(client, responder, desk_items):
    for person in (responder, ModeratorFactory()):
        desk = _lists(_desk(client, person))["forsenade"]
        overdue = client.get("/moderering/forsenade-svar/").context["initiatives"]
        assert [initiative.title for initiative in overdue] == desk


@pytest.mark.parametrize("who", ["visitor", "resident", "responder without administration"])
def test_only_moderators_and_case_officers_may_open_the_desk(client, who):
    if who == "resident":
        sign_in(client, UserFactory())
    elif who != "visitor":
        sign_in(client, ResponderFactory(forvaltning=None))

    response = client.get(URL)

    if who == "visitor":
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/")
    else:
        assert response.status_code == 403


def test_staff_see_the_desk_in_the_header(client, responder):
    sign_in(client, responder)
    page = client.get("/").content.decode()
    assert 'href="/handlaggning/"' in page
    sign_in(client, UserFactory())
    assert 'href="/handlaggning/"' not in client.get("/").content.decode()


def test_the_filters_narrow_every_list(client):
    planning, park, north = _planning(), FokusomradeFactory(), StadsdelFactory()
    InitiativeFactory(title="Park i norr", fokusomrade=park, stadsdel=north)
    InitiativeFactory(title="Park utan stadsdel", fokusomrade=park)
    InitiativeFactory(title="Annat i norr", stadsdel=north)
    InitiativeFactory(title="Planeras", forvaltning=planning, answer_due=_days(2))
    moderator = ModeratorFactory()

    by_area = _lists(_desk(client, moderator, f"?fokusomrade={park.slug}"))
    by_both = _lists(_desk(client, moderator, f"?fokusomrade={park.slug}&stadsdel={north.slug}"))
    by_administration = _lists(_desk(client, moderator, f"?forvaltning={planning.slug}"))

    assert by_area["utan-forvaltning"] == ["Park i norr", "Park utan stadsdel"]
    assert by_both["utan-forvaltning"] == ["Park i norr"]
    assert by_administration["utan-forvaltning"] == []
    assert by_administration["svar-inom-en-vecka"] == ["Planeras"]


@pytest.mark.parametrize(
    "query",
    [
        "?sida=abc",
        "?sida=99999999999999999999",
        "?sida=-1",
        "?lista=finns-inte",
        "?lista=forsenade&sida=999",
        "?fokusomrade=%00",
        "?stadsdel=" + "x" * 5000,
        "?forvaltning[]=1&forvaltning=%F0%9F%98%80",
    ],
)
def test_bad_parameters_show_the_desk(client, query):
    InitiativeFactory(forvaltning=ForvaltningFactory(), answer_due=_days(-1))

    response = _desk(client, ModeratorFactory(), query)

    assert response.context["lists"]


def test_each_list_shows_its_first_rows_and_links_to_all_of_them(client):
    for _ in range(PREVIEW + 3):
        InitiativeFactory()
    moderator = ModeratorFactory()

    desk = _desk(client, moderator, url=ENGLISH)
    preview = _lists(desk)["utan-forvaltning"]
    page = desk.content.decode()
    whole = _desk(client, moderator, "?lista=utan-forvaltning")

    assert len(preview) == PREVIEW
    assert f"No administration responsible ({PREVIEW + 3})</h2>" in page
    assert 'href="?lista=utan-forvaltning"' in page
    assert list(_lists(whole)) == ["utan-forvaltning"]
    assert len(_lists(whole)["utan-forvaltning"]) == PREVIEW + 3


def _fill(number: int) -> None:
    culture, planning = ForvaltningFactory(), _planning()
    areas = [FokusomradeFactory(), FokusomradeFactory()]
    districts = [StadsdelFactory(), StadsdelFactory()]
    for index in range(number):
        InitiativeFactory(
            fokusomrade=areas[index % 2],
            stadsdel=districts[index % 2] if index % 3 else None,
            forvaltning=[None, culture, planning][index % 3],
            answer_due=_days(index % 11 - 5) if index % 3 else None,
            ready_at=timezone.now() if index % 4 == 0 else None,
        )


@pytest.mark.parametrize("who", ["moderator", "responder"])
@pytest.mark.parametrize("query", ["", "?lista=att-besvara&sida=2", "?stadsdel=stadsdel-0"])
def test_the_desk_runs_as_many_queries_for_200_initiatives_as_for_5(client, who, query):
    person = ModeratorFactory() if who == "moderator" else ResponderFactory()
    sign_in(client, person)
    _fill(5)
    small = page_queries(client, URL + query)

    _fill(195)
    large = page_queries(client, URL + query)

    assert large == small
    assert large <= 13


# --- live ----------------------------------------------------------------------------------------

DESK_PING = (ideas_live.DESK_GROUP, {"type": "desk.changed"})


def test_assigning_answering_and_reaching_the_threshold_ping_the_desk(capture_live, responder):
    initiative = InitiativeFactory(support_threshold=2)
    moderator = ModeratorFactory()

    with capture_live() as assigned:
        actions.initiative_assign(
            user=moderator,
            initiative=initiative,
            forvaltning=responder.forvaltning,
            answer_due=_days(10),
        )
    with capture_live() as first_support:
        ideas_actions.support_set(user=UserFactory(), initiative=initiative, supported=True)
    with capture_live() as threshold:
        ideas_actions.support_set(user=UserFactory(), initiative=initiative, supported=True)
    with capture_live() as answered:
        ideas_actions.response_add(
            user=responder, initiative=initiative, body="Ja.", status="will_be_done"
        )

    assert assigned.count(DESK_PING) == 1
    assert DESK_PING not in first_support
    assert threshold.count(DESK_PING) == 1
    assert answered.count(DESK_PING) == 1


# --- the socket ----------------------------------------------------------------------------------

SOCKET = "/ws/handlaggning/?lang=sv"


def _get_page(user, query: str = "") -> str:
    client = Client()
    return _desk(client, user, query).content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_an_open_desk_receives_the_desk_the_page_would_show_when_an_initiative_is_assigned():
    moderator = await sync_to_async(ModeratorFactory)()
    forvaltning = await sync_to_async(ForvaltningFactory)()
    initiative = await sync_to_async(InitiativeFactory)(title="Lekplats i Fredriksdal")
    socket, accepted = await open_socket(SOCKET, moderator)
    assert accepted

    await sync_to_async(actions.initiative_assign)(
        user=moderator, initiative=initiative, forvaltning=forvaltning, answer_due=_days(3)
    )

    message = await socket.receive_from(timeout=3)
    desk, announcement = message.split('\n<div id="live-announcer"')
    assert f'id="desk-att-besvara-{initiative.pk}"' in desk
    assert f'id="desk-svar-inom-en-vecka-{initiative.pk}"' in desk
    assert 'hx-swap-oob="innerHTML"' in announcement
    assert desk in await sync_to_async(_get_page)(moderator)
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_case_officers_desk_keeps_to_their_administration_and_their_filters():
    responder = await sync_to_async(ResponderFactory)()
    moderator = await sync_to_async(ModeratorFactory)()
    planning = await sync_to_async(_planning)()
    area = await sync_to_async(FokusomradeFactory)()
    theirs = await sync_to_async(InitiativeFactory)(title="Kulturhus", fokusomrade=area)
    other = await sync_to_async(InitiativeFactory)(title="Nytt torg", fokusomrade=area)
    await sync_to_async(InitiativeFactory)(title="Annat område")
    query = f"fokusomrade={area.slug}"
    socket, accepted = await open_socket(f"{SOCKET}&{query}", responder)
    assert accepted

    await sync_to_async(actions.initiative_assign)(
        user=moderator, initiative=other, forvaltning=planning, answer_due=_days(9)
    )

    desk = (await socket.receive_from(timeout=3)).split('\n<div id="live-announcer"')[0]
    assert f'id="desk-utan-forvaltning-{theirs.pk}"' in desk
    assert "Nytt torg" not in desk  # another administration's now
    assert "Annat område" not in desk  # not the page's focus area
    assert desk in await sync_to_async(_get_page)(responder, f"?{query}")
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_newly_published_initiative_reaches_the_open_desks():
    moderator = await sync_to_async(ModeratorFactory)()
    draft = await sync_to_async(InitiativeFactory)(
        title="Fler bänkar", status=Initiative.Status.SUBMITTED, published_at=None
    )
    socket, accepted = await open_socket(SOCKET, moderator)
    assert accepted

    await sync_to_async(actions.initiative_approve)(moderator=moderator, initiative=draft)

    message = await socket.receive_from(timeout=3)
    assert f'id="desk-utan-forvaltning-{draft.pk}"' in message
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
@pytest.mark.parametrize("who", ["visitor", "resident", "responder without administration"])
async def test_only_staff_may_open_the_desk_socket(who):
    person = {
        "visitor": lambda: None,
        "resident": UserFactory,
        "responder without administration": lambda: ResponderFactory(forvaltning=None),
    }[who]
    user = await sync_to_async(person)()

    _socket, accepted = await open_socket(SOCKET, user)

    assert not accepted


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_case_officers_open_desk_closes_once_the_role_is_taken_away():
    responder = await sync_to_async(ResponderFactory)()
    moderator = await sync_to_async(ModeratorFactory)()
    initiative = await sync_to_async(InitiativeFactory)()
    socket, accepted = await open_socket(SOCKET, responder)
    assert accepted

    await sync_to_async(responder.groups.clear)()
    await sync_to_async(actions.initiative_assign)(
        user=moderator,
        initiative=initiative,
        forvaltning=responder.forvaltning,
        answer_due=_days(5),
    )

    assert await socket.receive_output(timeout=3) == {"type": "websocket.close", "code": 4403}
