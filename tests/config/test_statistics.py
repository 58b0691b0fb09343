"""/statistik/ and /handlaggning/statistik/: every number equals one counted here in plain Python
from the rows the test made; small district × month cells are hidden; a bad period is a message,
not an error; CSV cells cannot run as formulas; staff pages only for staff; flat query counts."""

import csv
import io
import statistics as stats
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Block, User
from config import statistics
from ideas.models import Comment, Initiative, OfficialResponse, Support
from moderation.models import Flag, ModerationDecision
from partners.models import PartnerOffer
from programme.models import Stadsdel
from tests.factories import (
    BlockFactory,
    CommentFactory,
    FlagFactory,
    FokusomradeFactory,
    ForvaltningFactory,
    InitiativeFactory,
    ModerationDecisionFactory,
    ModeratorFactory,
    OfficialResponseFactory,
    PartnerOfferFactory,
    PrioriteringFactory,
    ProgrammeFactory,
    ResponderFactory,
    StadsdelFactory,
    SupportFactory,
    UserFactory,
    ViljeinriktningFactory,
    person,
)
from tests.queries import page_queries
from tests.sessions import sign_in

# The pages' URLs join config/urls.py through this conf until it includes them itself.
pytestmark = pytest.mark.django_db

PUBLIC_URL = "/statistik/"
STAFF_URL = "/handlaggning/statistik/"
FORMULA = '=HYPERLINK("http://x")'


class _Tables(HTMLParser):
    """Each <table id=…> of a page as rows of cell texts, without what only screen readers
    hear (the level names) or what they skip."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.table = None
        self.cell: list[str] | None = None
        self.skipping = 0
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.skipping:
            self.skipping += tag == "span"
            return
        if tag == "table" and attrs.get("id"):
            self.table = self.tables.setdefault(attrs["id"], [])
        elif self.table is not None and tag == "tr":
            self.table.append([])
        elif self.table is not None and tag in ("td", "th"):
            self.cell = []
        elif tag == "span" and "visually-hidden" in (attrs.get("class") or ""):
            self.skipping = 1

    def handle_endtag(self, tag):
        if self.skipping:
            self.skipping -= tag == "span"
            return
        if tag == "table":
            self.table = None
        elif tag in ("td", "th") and self.cell is not None:
            self.table[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None and not self.skipping:
            self.cell.append(data)


def tables(response) -> dict[str, dict[str, list[str]]]:
    """table id → row header → the row's other cells (the header row under "")."""
    parser = _Tables()
    parser.feed(response.content.decode())
    return {
        name: {("" if index == 0 else row[0]): row[1:] for index, row in enumerate(rows)}
        for name, rows in parser.tables.items()
    }


def number(text: str) -> str:
    """A cell as Python writes the number: the Swedish page writes 2,5 for 2.5."""
    return text.replace(",", ".").replace("\xa0", "")


def month_start(months_ago: int) -> datetime:
    """Noon on the 15th of a month some months back from this one, in the site's time zone."""
    return datetime.combine(
        statistics.add_months(timezone.localdate().replace(day=1), -months_ago).replace(day=15),
        datetime.min.time().replace(hour=12),
        tzinfo=timezone.get_current_timezone(),
    )


@pytest.fixture
def world():
    """A programme in force, districts, administrations and initiatives of every kind: public,
    hidden, draft, rejected, answered in time and late, waiting, in an older programme."""
    now = timezone.now()
    programme = ProgrammeFactory(valid_from=timezone.localdate() - timedelta(days=1))
    older = ProgrammeFactory(valid_from=timezone.localdate() - timedelta(days=4000))
    first, second = ViljeinriktningFactory.create_batch(2, programme=programme)
    f1, f2 = FokusomradeFactory.create_batch(2, viljeinriktning=first)
    f3 = FokusomradeFactory(viljeinriktning=second)
    old_fokus = FokusomradeFactory(viljeinriktning=ViljeinriktningFactory(programme=older))
    p1, p2 = PrioriteringFactory.create_batch(2, fokusomrade=f1)
    p3 = PrioriteringFactory(fokusomrade=f3)
    d1, d2, _empty = StadsdelFactory.create_batch(3)
    culture = ForvaltningFactory()
    building = ForvaltningFactory(slug="sbf", name_sv="Stadsbyggnadsförvaltningen", name_en="")
    a, b, c, d, e = UserFactory.create_batch(5)

    i1 = InitiativeFactory(fokusomrade=f1, stadsdel=d1, author=a, published_at=month_start(1))
    i1.prioriteringar.set([p1, p2])
    for user in (b, c, d):
        SupportFactory(initiative=i1, user=user, created_at=month_start(1))
    CommentFactory(initiative=i1, author=b)
    CommentFactory(initiative=i1, author=b)
    CommentFactory(initiative=i1, author=e, hidden_at=now)
    CommentFactory(initiative=i1, author=e, removed_at=now)

    ready = now - timedelta(days=20)
    i2 = InitiativeFactory(
        fokusomrade=f1,
        stadsdel=d2,
        author=b,
        status=Initiative.Status.ANSWERED,
        ready_at=ready,
        forvaltning=culture,
        answer_due=(ready + timedelta(days=30)).date(),
        published_at=month_start(2),
    )
    i2.prioriteringar.set([p1])
    SupportFactory(initiative=i2, user=a)
    OfficialResponseFactory(
        initiative=i2, author=ResponderFactory(forvaltning=culture), status="answered",
        created_at=ready + timedelta(days=3, hours=12),
    )  # fmt: skip
    i3 = InitiativeFactory(
        fokusomrade=f2,
        author=c,
        status=Initiative.Status.WILL_BE_DONE,
        ready_at=ready,
        forvaltning=building,
        answer_due=(ready + timedelta(days=5)).date(),
        published_at=month_start(2),
    )
    OfficialResponseFactory(
        initiative=i3, author=ResponderFactory(forvaltning=building),
        created_at=ready + timedelta(days=9),
    )  # fmt: skip
    OfficialResponseFactory(
        initiative=i3, author=ResponderFactory(forvaltning=building), status="done",
        created_at=ready + timedelta(days=15),
    )  # fmt: skip
    CommentFactory(initiative=i3, author=d)
    i4 = InitiativeFactory(
        fokusomrade=f3,
        stadsdel=d1,
        author=d,
        ready_at=ready,
        forvaltning=culture,
        answer_due=(ready + timedelta(days=10)).date(),
        published_at=month_start(0),
    )
    i4.prioriteringar.set([p3])
    SupportFactory(initiative=i4, user=a)
    SupportFactory(initiative=i4, user=e)

    hidden = InitiativeFactory(fokusomrade=f1, stadsdel=d1, hidden_at=now, author=e)
    SupportFactory(initiative=hidden, user=b)
    CommentFactory(initiative=hidden, author=c)
    InitiativeFactory(fokusomrade=f2, status=Initiative.Status.DRAFT, published_at=None)
    InitiativeFactory(fokusomrade=f3, status=Initiative.Status.REJECTED, stadsdel=d2)
    outside = InitiativeFactory(fokusomrade=old_fokus, stadsdel=d2, published_at=month_start(30))
    SupportFactory(initiative=outside, user=c)
    return {
        "directions": [first, second],
        "fokusomraden": [f1, f2, f3],
        "prioriteringar": [p1, p2, p3],
        "forvaltningar": [culture, building],
    }


class Rows:
    """The rows in the database, read whole, and counted here in Python."""

    def __init__(self):
        self.initiatives = [
            i
            for i in Initiative.objects.all()
            if i.status in Initiative.PUBLIC_STATUSES and i.hidden_at is None
        ]
        self.supports = list(Support.objects.all())
        self.comments = [
            c for c in Comment.objects.all() if c.hidden_at is None and c.removed_at is None
        ]
        self.responses = list(OfficialResponse.objects.all())
        self.verified_people = {user.pk for user in User.objects.all() if user.is_verified_resident}
        self.prioriteringar = {
            i.pk: {p.pk for p in i.prioriteringar.all()} for i in self.initiatives
        }

    def tally(self, member) -> list[str]:
        chosen = [i for i in self.initiatives if member(i)]
        ids = {i.pk for i in chosen}
        supports = [s for s in self.supports if s.initiative_id in ids]
        comments = [c for c in self.comments if c.initiative_id in ids]
        people = (
            {i.author_id for i in chosen}
            | {s.user_id for s in supports}
            | {c.author_id for c in comments}
        )
        numbers = [
            len(chosen),
            len(supports),
            len(comments),
            len(people),
            len([i for i in chosen if i.ready_at is not None]),
            *(len([i for i in chosen if i.status == s]) for s in Initiative.RESPONSE_STATUSES),
            len([s for s in supports if s.user_id in self.verified_people]),
        ]
        return [str(n) for n in numbers]


def test_every_number_by_the_programme_and_district_is_counted_from_the_rows(client, world):
    # Some supporters verified with e-legitimation: their supports are counted apart too.
    supporters = Support.objects.order_by("pk").values_list("user_id", flat=True)[:4]
    User.objects.filter(pk__in=list(supporters)).update(is_verified_resident=True)
    page = tables(client.get(PUBLIC_URL))
    rows = Rows()

    programme = page["programmet"]
    for direction in world["directions"]:
        fokus_ids = {f.pk for f in direction.fokusomraden.all()}
        expected = rows.tally(lambda i, ids=fokus_ids: i.fokusomrade_id in ids)
        assert programme[direction.title_sv] == expected, direction
    for fokus in world["fokusomraden"]:
        expected = rows.tally(lambda i, pk=fokus.pk: i.fokusomrade_id == pk)
        assert programme[fokus.title_sv] == expected, fokus
    for priority in world["prioriteringar"]:
        expected = rows.tally(lambda i, pk=priority.pk: pk in rows.prioriteringar[i.pk])
        assert programme[priority.summary_sv] == expected, priority

    districts = page["stadsdelar"]
    for district in Stadsdel.objects.all():
        expected = rows.tally(lambda i, pk=district.pk: i.stadsdel_id == pk)
        assert districts[district.name] == expected, district
    assert districts[_("No district given")] == rows.tally(lambda i: i.stadsdel_id is None)
    assert districts[_("The whole city")] == rows.tally(lambda i: True)
    # What the data makes sure of, so the comparisons above are not all zeros.
    assert districts[_("The whole city")][:5] == ["5", "7", "3", "6", "3"]
    assert districts[_("The whole city")][-1] != "0"


def test_answer_times_per_administration_are_counted_from_the_rows(client, world):
    page = tables(client.get(PUBLIC_URL))["svarstider"]
    rows = Rows()
    for forvaltning in world["forvaltningar"]:
        ready = [i for i in rows.initiatives if i.ready_at and i.forvaltning_id == forvaltning.pk]
        first = {}
        for response in sorted(rows.responses, key=lambda r: r.created_at):
            first.setdefault(response.initiative_id, response.created_at)
        days = sorted(
            (first[i.pk] - i.ready_at).total_seconds() / 86400 for i in ready if i.pk in first
        )
        today = timezone.localdate()
        due_so_far = [i for i in ready if i.answer_due and (i.pk in first or i.answer_due < today)]
        in_time = [
            i for i in due_so_far
            if i.pk in first and timezone.localdate(first[i.pk]) <= i.answer_due
        ]  # fmt: skip
        ninety = days[-(-len(days) * 9 // 10) - 1] if days else None
        expected = [
            str(len(days)),
            str(len(ready) - len(days)),
            str(round(stats.median(days), 1)) if days else "–",
            str(round(ninety, 1)) if days else "–",
            str(round(100 * len(in_time) / len(due_so_far))) if due_so_far else "–",
        ]
        assert [number(cell) for cell in page[forvaltning.name_sv]] == expected, forvaltning
    assert [number(cell) for cell in page["Kulturförvaltningen"]] == ["1", "1", "3.5", "3.5", "50"]
    assert [number(cell) for cell in page["Stadsbyggnadsförvaltningen"]][:3] == ["1", "0", "9.0"]


def _month_counts(rows: Rows, district, first: date) -> tuple[int, int]:
    """New public initiatives and new supports of a district in a month."""
    in_month = lambda moment: timezone.localtime(moment).date().replace(day=1) == first  # noqa: E731
    initiatives = [
        i for i in rows.initiatives if i.stadsdel_id == district.pk and in_month(i.published_at)
    ]
    public = {i.pk: i for i in rows.initiatives}
    supports = [
        s for s in rows.supports
        if s.initiative_id in public and public[s.initiative_id].stadsdel_id == district.pk
        and in_month(s.created_at)
    ]  # fmt: skip
    return len(initiatives), len(supports)


def test_district_months_below_five_are_shown_as_less_than_five(client, world):
    busy = Stadsdel.objects.order_by("pk").first()
    fokus = world["fokusomraden"][0]
    for _n in range(6):
        initiative = InitiativeFactory(
            fokusomrade=fokus, stadsdel=busy, published_at=month_start(3)
        )
        SupportFactory(initiative=initiative, created_at=month_start(3))
    response = client.get(PUBLIC_URL)
    page = tables(response)
    rows = Rows()
    months = statistics.Period.default().months()
    seen = set()
    for district in Stadsdel.objects.all():
        initiative_cells = page["stadsdelar-initiativ"][district.name]
        support_cells = page["stadsdelar-stod"][district.name]
        for index, first in enumerate(months):
            initiatives, supports = _month_counts(rows, district, first)
            for cell, count in (
                (initiative_cells[index], initiatives),
                (support_cells[index], supports),
            ):
                assert cell == (str(count) if count >= 5 else "< 5"), (district, first)
                seen.add(cell)
    assert {"6", "< 5"} <= seen
    assert "&lt; 5" in response.content.decode()

    download = client.get("/statistik/stadsdelar-stod.csv")
    lines = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    by_name = {line[0]: line[1:] for line in lines[1:]}
    assert by_name[busy.name][months.index(month_start(3).date().replace(day=1))] == "6"
    assert "< 5" in by_name[busy.name]


def test_month_table_counts_the_chosen_period(client, world):
    first, last = month_start(2).date().replace(day=1), month_start(0).date().replace(day=1)
    url = f"{PUBLIC_URL}?fran={first:%Y-%m}&till={last:%Y-%m}"
    page = tables(client.get(url))["manader"]
    rows = Rows()
    public = {i.pk for i in rows.initiatives}

    def in_month(moment, start) -> bool:
        return timezone.localtime(moment).date().replace(day=1) == start

    assert len(page) == 1 + 3
    for start in statistics.Period(first, last).months():
        supports = [s for s in rows.supports if s.initiative_id in public]
        comments = [c for c in rows.comments if c.initiative_id in public]
        expected = [
            len([i for i in rows.initiatives if in_month(i.published_at, start)]),
            len([s for s in supports if in_month(s.created_at, start)]),
            len([c for c in comments if in_month(c.created_at, start)]),
        ]
        assert page[date_format(start, "F Y")] == [str(n) for n in expected], start
    assert sum(int(cells[0]) for name, cells in page.items() if name) == 4


@pytest.mark.parametrize(
    "query",
    [
        "fran=2025-13",
        "fran=abc",
        "till=2025-1",
        "fran=2025-03-01",
        "fran=1999-12",
        "fran=99999-01",
        "fran=%00",
        "fran=2025-05&till=2025-01",
        "fran=2000-01&till=2099-12",
        "fran=" + "9" * 5000,
    ],
)
def test_a_bad_period_is_a_message_on_the_page_not_an_error(client, query):
    response = client.get(f"{PUBLIC_URL}?{query}")
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert response.context["months"].period == statistics.Period.default()
    assert client.get(f"/statistik/manader.csv?{query}").status_code == 400


def test_the_error_is_in_english_on_the_english_page(client):
    response = client.get("/en/statistik/?fran=2025-13")
    assert response.status_code == 200
    assert "Write a month as YYYY-MM, for example 2025-03." in response.content.decode()


def test_a_good_period_is_shown(client):
    response = client.get(f"{PUBLIC_URL}?fran=2024-11&till=2025-02")
    assert "error-summary" not in response.content.decode()
    assert response.context["months"].period == statistics.Period(
        date(2024, 11, 1), date(2025, 2, 1)
    )
    assert len(tables(response)["manader"]) == 1 + 4


def _csv(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_cells_that_look_like_formulas_are_neutralised(client):
    programme = ProgrammeFactory(valid_from=timezone.localdate() - timedelta(days=1))
    fokus = FokusomradeFactory(
        viljeinriktning=ViljeinriktningFactory(programme=programme), title_sv=FORMULA
    )
    district = StadsdelFactory(name=FORMULA)
    InitiativeFactory(fokusomrade=fokus, stadsdel=district)
    PartnerOfferFactory(initiative=InitiativeFactory(fokusomrade=fokus, seeking_partners=True))

    moderator = ModeratorFactory()
    sign_in(client, moderator)
    downloads = [
        "/statistik/programmet.csv",
        "/statistik/stadsdelar.csv",
        "/statistik/stadsdelar-initiativ.csv",
        "/handlaggning/statistik/samarbeten.csv",
    ]
    for url in downloads:
        cells = [cell for line in _csv(client, url) for cell in line]
        assert "'" + FORMULA in cells, url
        assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells), url


def test_the_csv_has_the_tables_numbers(client, world):
    page = tables(client.get(PUBLIC_URL))
    lines = _csv(client, "/statistik/stadsdelar.csv")
    assert lines[0] == [_("District"), *page["stadsdelar"][""]]
    assert {line[0]: line[1:] for line in lines[1:]} == {
        name: cells for name, cells in page["stadsdelar"].items() if name
    }
    assert client.get("/statistik/finns-inte.csv").status_code == 404


def test_numbers_are_kept_for_the_stated_freshness(client, world):
    first = client.get(PUBLIC_URL)
    whole_city = tables(first)["stadsdelar"][_("The whole city")][0]
    InitiativeFactory(fokusomrade=world["fokusomraden"][0])

    again = client.get(PUBLIC_URL)
    assert tables(again)["stadsdelar"][_("The whole city")][0] == whole_city
    computed_at = again.context["computed_at"]
    assert f'datetime="{computed_at.isoformat()}"' in again.content.decode()

    cache.clear()
    fresh = tables(client.get(PUBLIC_URL))["stadsdelar"][_("The whole city")][0]
    assert int(fresh) == int(whole_city) + 1


def test_the_english_page_shows_the_same_numbers(client, world):
    swedish = tables(client.get(PUBLIC_URL))
    english = tables(client.get("/en/statistik/"))
    assert list(english["stadsdelar"].values())[1:] == list(swedish["stadsdelar"].values())[1:]


def _add_data(size: int, fokus) -> None:
    district = StadsdelFactory()
    forvaltning = ForvaltningFactory()
    for index in range(size):
        initiative = InitiativeFactory(
            fokusomrade=fokus,
            stadsdel=district if index % 2 else None,
            ready_at=timezone.now() - timedelta(days=3),
            forvaltning=forvaltning,
            answer_due=timezone.localdate() - timedelta(days=index % 3),
        )
        initiative.prioriteringar.set(PrioriteringFactory.create_batch(2, fokusomrade=fokus))
        SupportFactory(initiative=initiative)
        CommentFactory(initiative=initiative)
        OfficialResponseFactory(
            initiative=initiative, author=ResponderFactory(forvaltning=forvaltning)
        )
        FlagFactory(initiative=initiative)
        PartnerOfferFactory(initiative=initiative)
        ModerationDecisionFactory()
        BlockFactory()


def test_query_counts_stay_flat_for_small_and_large_data(client, monkeypatch):
    # Counted uncached: what a refresh of the numbers costs.
    monkeypatch.setattr(statistics, "FRESHNESS", 0)
    programme = ProgrammeFactory(valid_from=timezone.localdate() - timedelta(days=1))
    fokus = FokusomradeFactory(viljeinriktning=ViljeinriktningFactory(programme=programme))
    sign_in(client, ModeratorFactory())
    _add_data(2, fokus)
    small = {url: page_queries(client, url) for url in (PUBLIC_URL, STAFF_URL)}
    _add_data(20, fokus)
    large = {url: page_queries(client, url) for url in (PUBLIC_URL, STAFF_URL)}
    assert large == small
    assert small[PUBLIC_URL] <= 25, small


def test_staff_numbers_are_counted_from_the_rows(client):
    moderator = ModeratorFactory()
    culture = ForvaltningFactory()
    late = InitiativeFactory(
        forvaltning=culture, answer_due=timezone.localdate() - timedelta(days=2)
    )
    InitiativeFactory(forvaltning=culture, answer_due=timezone.localdate() + timedelta(days=2))
    FlagFactory(initiative=late, reason=Flag.Reason.OFFENSIVE)
    FlagFactory(initiative=late, reason=Flag.Reason.OFFENSIVE, resolved_at=timezone.now())
    FlagFactory(reason=Flag.Reason.SPAM)
    ModerationDecisionFactory.create_batch(2)
    BlockFactory()
    BlockFactory(lifted_at=timezone.now())
    offer = PartnerOfferFactory()
    PartnerOfferFactory(initiative=offer.initiative, status=PartnerOffer.Status.ACCEPTED)
    sign_in(client, moderator)
    page = tables(client.get(STAFF_URL))

    flags = list(Flag.objects.all())
    for reason in Flag.Reason:
        mine = [f for f in flags if f.reason == reason]
        open_ = [f for f in mine if f.resolved_at is None]
        assert page["anmalningar"][reason.label] == [
            str(len(mine)),
            str(len(open_)),
            str(len(mine)),
        ]
    decisions = list(ModerationDecision.objects.all())
    assert page["moderering"][ModerationDecision.Action.HIDE.label][1] == str(
        len([d for d in decisions if d.action == "hide"])
    )
    blocks = list(Block.objects.all())
    assert page["avstangningar"][_("In total")] == [str(len(blocks))]
    assert page["avstangningar"][_("Lifted before they ended")] == [
        str(len([b for b in blocks if b.lifted_at]))
    ]
    overdue = [
        i for i in Initiative.objects.all()
        if i.forvaltning_id == culture.pk and i.status == "published"
        and i.answer_due and i.answer_due < timezone.localdate()
    ]  # fmt: skip
    assert page["forsenade-svar"][culture.name_sv] == [str(len(overdue))] == ["1"]
    offers = list(PartnerOffer.objects.all())
    fokus = offer.initiative.fokusomrade
    accepted = [o for o in offers if o.status in ("accepted", "ended")]
    assert page["samarbeten"][fokus.title_sv] == [str(len(offers)), str(len(accepted))]

    lines = _csv(client, "/handlaggning/statistik/anmalningar.csv")
    assert lines[0] == [_("Reason"), _("Last 30 days"), _("Not handled"), _("In total")]


def _blocked_moderator():
    moderator = ModeratorFactory()
    BlockFactory(user=moderator)
    return moderator


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("visitor", "login"),
        ("unverified", 403),
        ("resident", 403),
        ("blocked", 403),
        ("org_member", 403),
        ("moderator", 200),
        ("responder", 200),
        ("blocked_moderator", 200),
    ],
)
@pytest.mark.parametrize("url", [STAFF_URL, "/handlaggning/statistik/moderering.csv"])
def test_only_staff_see_the_staff_statistics(client, role, expected, url):
    user = _blocked_moderator() if role == "blocked_moderator" else person(role)
    if user.is_authenticated:
        sign_in(client, user)
    response = client.get(url)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/")
    else:
        assert response.status_code == expected


def test_the_public_page_is_for_everyone_and_linked_from_the_footer(client):
    response = client.get(PUBLIC_URL)
    assert response.status_code == 200
    footer = response.content.decode().split('class="site-footer"')[1]
    assert f'href="{PUBLIC_URL}"' in footer
    assert client.get("/en/statistik/").status_code == 200
    assert client.get("/statistik/programmet.csv").status_code == 200
