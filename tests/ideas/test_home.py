"""The home page shows what is happening: trending and new initiatives, the city's latest answers,
and figures in total and by direction; only what anyone may read, and with live card counts."""

import html
import re
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from ideas import programme_views
from ideas.actions import do_initiative_publish, support_set
from ideas.models import Initiative, Support
from tests.factories import (
    CommentFactory,
    DraftFactory,
    InitiativeFactory,
    OfficialResponseFactory,
    OrganisationFactory,
    StadsdelFactory,
    UserFactory,
)
from tests.queries import page_queries
from tests.sockets import connected

NOT_PUBLIC = [
    {"status": Initiative.Status.DRAFT, "published_at": None},
    {"status": Initiative.Status.SUBMITTED, "published_at": None},
    {"status": Initiative.Status.REJECTED, "published_at": None},
    {"hidden_at": timezone.now},
]


def _not_public(**fields) -> list[Initiative]:
    """One initiative in each state nobody but its author or staff may read, however active."""
    return [
        InitiativeFactory(
            **{
                name: value() if callable(value) else value
                for name, value in {**state, **fields}.items()
            }
        )
        for state in NOT_PUBLIC
    ]


def _supports(initiative: Initiative, number: int, days_ago: float = 1) -> None:
    when = timezone.now() - timedelta(days=days_ago)
    for user in UserFactory.create_batch(number):
        Support.objects.create(initiative=initiative, user=user, created_at=when)


def _directions(programme):
    """The first two directions of the programme, each with a focus area."""
    first, second = programme.viljeinriktningar.order_by("pk")[:2]
    return (first, first.fokusomraden.first()), (second, second.fokusomraden.first())


def _home(client, **params):
    return client.get("/", params).context


@pytest.mark.django_db
def test_trending_lists_the_weeks_most_supported_and_newest_the_rest(client, programme):
    quiet_old = InitiativeFactory(published_at=timezone.now() - timedelta(days=30))
    rising = InitiativeFactory(recent_support_count=3)
    hottest = InitiativeFactory(
        recent_support_count=9, published_at=timezone.now() - timedelta(days=60)
    )
    newest = InitiativeFactory()

    context = _home(client)

    assert context["trending"] == [hottest, rising]
    # A card is on the page once: the trending ones are not listed again among the new.
    assert context["newest"] == [newest, quiet_old]


@pytest.mark.django_db
def test_only_public_initiatives_and_answers_are_ever_shown(client, programme):
    hidden_ones = _not_public(recent_support_count=50)
    for initiative in hidden_ones:
        OfficialResponseFactory(
            initiative=initiative, body="Hemligt svar", body_html="<p>Hemligt svar</p>"
        )
    shown = InitiativeFactory(recent_support_count=1)
    answer = OfficialResponseFactory(
        initiative=InitiativeFactory(status=Initiative.Status.ANSWERED)
    )

    response = client.get("/")

    context = response.context
    assert context["trending"] == [shown]
    assert set(context["newest"]) == {answer.initiative}
    assert context["answers"] == [answer]
    page = response.content.decode()
    for initiative in hidden_ones:
        assert f'id="initiativ-{initiative.pk}"' not in page
    assert "Hemligt svar" not in page
    assert context["totals"]["initiatives"] == 2


@pytest.mark.django_db
def test_the_latest_answers_show_the_administration_the_status_and_the_initiative(
    client, programme
):
    older = OfficialResponseFactory(created_at=timezone.now() - timedelta(days=3))
    latest = OfficialResponseFactory(
        status=Initiative.Status.NOT_POSSIBLE,
        body="Marken är inte stadens.",
        body_html="<p>Marken är inte stadens.</p>",
    )

    response = client.get("/")

    assert response.context["answers"] == [latest, older]
    page = response.content.decode()
    section = page[page.index('id="answers-heading"') :]
    assert latest.initiative.get_absolute_url() in section
    assert "Kulturförvaltningen" in section
    assert "Inte möjligt" in section
    assert "Marken är inte stadens." in section
    assert section.index("Marken är inte stadens.") < section.index(older.initiative.title)


@pytest.mark.django_db
def test_the_figures_count_in_total_and_by_direction(client, programme):
    (first, in_first), (second, in_second) = _directions(programme)
    a = InitiativeFactory(fokusomrade=in_first)
    b = InitiativeFactory(fokusomrade=in_first, status=Initiative.Status.ANSWERED)
    c = InitiativeFactory(fokusomrade=in_second, status=Initiative.Status.DONE)
    _supports(a, 3)
    _supports(a, 2, days_ago=8)  # older than a week
    _supports(c, 1)
    # Answered this year, twice: counts once. Answered last year only: not at all.
    OfficialResponseFactory(initiative=b, created_at=timezone.now())
    OfficialResponseFactory(initiative=b, created_at=timezone.now())
    last_year = timezone.localtime().replace(month=1, day=1, hour=0) - timedelta(days=2)
    OfficialResponseFactory(initiative=c, created_at=last_year)
    for initiative in _not_public(fokusomrade=in_first):
        _supports(initiative, 4)
        OfficialResponseFactory(initiative=initiative)

    context = _home(client)

    assert context["totals"] == {"initiatives": 3, "supports": 4, "answered": 1}
    by_direction = {vi.pk: vi.activity for vi in context["viljeinriktningar"]}
    assert by_direction[first.pk] == {"initiatives": 2, "supports": 3, "answered": 1}
    assert by_direction[second.pk] == {"initiatives": 1, "supports": 1, "answered": 0}
    assert len(by_direction) == 5
    page = client.get("/").content.decode()
    figures = page[page.index('id="home-figures"') :]
    assert '<span class="activity__number">3</span>' in figures
    assert '<span class="activity__number">4</span>' in figures


@pytest.mark.django_db
def test_the_figures_are_counted_at_most_once_a_minute_and_say_when(client, programme):
    InitiativeFactory()
    first = _home(client)
    InitiativeFactory()

    assert _home(client)["totals"]["initiatives"] == 1
    assert f'datetime="{first["counted_at"].isoformat()}"' in client.get("/").content.decode()

    cache.clear()  # as a minute later: the figures and the page kept for visitors are gone
    assert _home(client)["totals"]["initiatives"] == 2


@pytest.mark.django_db
def test_the_figures_fetch_themselves_again_as_a_fragment(client, programme):
    InitiativeFactory()

    page = client.get("/").content.decode()
    fragment = client.get("/", {"del": "siffror"}, headers={"HX-Request": "true"})

    assert 'hx-get="/?del=siffror" hx-trigger="every 60s"' in page
    content = fragment.content.decode()
    assert content.lstrip().startswith('<section id="home-figures"')
    assert "<h1>" not in content
    assert '<span class="activity__number">1</span>' in content
    # Without htmx the address is the whole page.
    assert "<h1>" in client.get("/", {"del": "siffror"}).content.decode()


@pytest.mark.django_db
def test_the_home_page_in_english(client, programme):
    OfficialResponseFactory()

    page = client.get("/en/").content.decode()

    assert "Culture Administration" in page
    assert 'hx-get="/en/?del=siffror"' in page
    assert "lang=en" in page


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "resident"])
def test_the_home_page_runs_as_many_queries_for_60_initiatives_as_for_6(
    client, programme, monkeypatch, signed_in
):
    # Counted on every request, so the figures' queries are counted too.
    monkeypatch.setattr(programme_views, "ACTIVITY_FRESH_SECONDS", 0)
    if signed_in:
        client.force_login(UserFactory())
    (_first, in_first), (_second, in_second) = _directions(programme)

    def add(number: int) -> None:
        organisation, stadsdel = OrganisationFactory(), StadsdelFactory()
        for index in range(number):
            initiative = InitiativeFactory(
                fokusomrade=in_first if index % 2 else in_second,
                stadsdel=stadsdel if index % 3 else None,
                organisation=organisation if index % 4 == 0 else None,
                recent_support_count=index % 3,
            )
            _supports(initiative, 1)
            CommentFactory(initiative=initiative)
            if index % 2:
                OfficialResponseFactory(initiative=initiative)

    add(6)
    small = page_queries(client, "/")
    add(54)
    large = page_queries(client, "/")

    assert large == small
    assert large <= 10, large


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_the_cards_on_the_home_page_update_live(programme):
    shown = await sync_to_async(InitiativeFactory)(recent_support_count=2)
    page = (await sync_to_async(Client().get)("/")).content.decode()
    query = html.unescape(re.search(r'ws-connect="(/ws/initiativ/\?[^"]+)"', page).group(1))
    assert f"visar={shown.pk}" in query
    watcher = await connected(query)

    await sync_to_async(support_set)(
        user=await sync_to_async(UserFactory)(), initiative=shown, supported=True
    )
    counts = await watcher.receive_from(timeout=3)
    draft = await sync_to_async(DraftFactory)(status=Initiative.Status.SUBMITTED)
    await sync_to_async(do_initiative_publish)(initiative=draft, actor=None)
    new_card = await watcher.receive_from(timeout=3)

    assert f'id="initiativ-{shown.pk}-counts"' in counts
    assert "1 stöd" in counts
    assert 'hx-swap-oob="afterbegin:#live-new-initiatives"' in new_card
    assert draft.title in new_card
    await watcher.disconnect()
