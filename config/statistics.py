"""Statistics: what the programme's levels and the districts gather, month by month, and how
fast the city answers; and, for staff, what moderation and the desk handle.

Composed here, above the apps it counts (ideas, moderation, partners, accounts, programme).
Every number is computed in a fixed, small set of queries whatever the amount of data: counts
are grouped in the database, and only the per-initiative rows (one per public initiative), the
answers and the decision times come to Python, where the percentiles are taken. The public
numbers are kept in the cache for FRESHNESS seconds, which the page states. The numbers are the
same in every language, only their labels differ: one count reads the database once and makes the
tables of every language from what it read (`Answers`, `MonthAnswers`).

Each result is a `Table`: the page renders it as an HTML table beside its chart, and the CSV
download writes the very same rows (config/statistics_views.py).
"""

import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.db.models.query import QuerySet
from django.tasks import task
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import Block
from config.bar_charts import BarChart, bar_chart
from core.params import text
from ideas.charts import Bucket, LineChart, line_chart
from ideas.models import Comment, Initiative, OfficialResponse, Support
from moderation.desk import NOT_ANSWERED
from moderation.models import Flag, ModerationDecision
from partners.models import PartnerOffer
from programme.models import Fokusomrade, Forvaltning, Prioritering, Programme, Stadsdel

# How old the public numbers may be, in seconds: the page says so. Older ones are shown, with
# the time they were counted, while the task worker counts them again (`recount`): at Madrid's
# scale a count takes half a minute (docs/decisions/0019-statistics-recounted-by-the-worker.md),
# too long for a reader to wait, and readers arriving together would each count.
FRESHNESS = 600
# How long numbers are kept past their freshness, for readers to see while they are recounted.
KEPT_SECONDS = 24 * 60 * 60
# One recount of a table at a time; if one has not ended by then (a worker died), another may.
RECOUNT_SECONDS = 5 * 60
# A district × month cell below this is shown as SMALL: so few could point at a person.
SMALL_LIMIT = 5
SMALL = "< 5"
# The period a page shows when none is asked for, and the longest one it may ask for.
DEFAULT_MONTHS = 12
MAX_MONTHS = 120
FIRST_YEAR = 2000
# Staff tables count "recently" as this many days.
RECENT_DAYS = 30

MONTH = re.compile(r"(\d{4})-(\d{2})")


def month(value: str | None) -> date | None:
    """The first day of the month `value` spells as YYYY-MM, or None."""
    match = MONTH.fullmatch(text(value, 20))
    if not match:
        return None
    year, number = int(match[1]), int(match[2])
    if not (FIRST_YEAR <= year <= 9999 and 1 <= number <= 12):
        return None
    return date(year, number, 1)


def add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> int:
    """How many months from `first` to `last`, both counted."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


@dataclass(frozen=True)
class Period:
    """Whole months, from the month of `first` to the month of `last`, both included."""

    first: date
    last: date

    @classmethod
    def default(cls, today: date | None = None) -> "Period":
        last = (today or timezone.localdate()).replace(day=1)
        return cls(first=add_months(last, 1 - DEFAULT_MONTHS), last=last)

    def months(self) -> list[date]:
        return [add_months(self.first, n) for n in range(months_between(self.first, self.last))]

    def bounds(self) -> tuple[datetime, datetime]:
        """From the first moment of the first month to the first moment after the last."""
        zone = timezone.get_current_timezone()
        start = datetime(self.first.year, self.first.month, 1, tzinfo=zone)
        end_month = add_months(self.last, 1)
        return start, datetime(end_month.year, end_month.month, 1, tzinfo=zone)

    @property
    def key(self) -> str:
        return f"{self.first:%Y-%m}:{self.last:%Y-%m}"


@dataclass(frozen=True)
class Row:
    label: str
    cells: list
    # The row's place in a tree (the programme's levels), and the level's name.
    level: int = 0
    kind: str = ""


@dataclass(frozen=True)
class Table:
    """A table of numbers, as the page shows it and the CSV download writes it."""

    slug: str
    caption: str
    columns: list[str]
    rows: list[Row]
    # The name of the rows' levels, for the CSV's first column, when the rows form a tree.
    kind_column: str = ""

    def csv_header(self) -> list[str]:
        return ([self.kind_column] if self.kind_column else []) + self.columns

    def csv_rows(self) -> Iterable[list]:
        for row in self.rows:
            yield ([row.kind] if self.kind_column else []) + [row.label, *row.cells]


# -- The public numbers ------------------------------------------------------------------------


@dataclass
class Tally:
    """What a group of public initiatives gathered."""

    initiatives: int = 0
    supports: int = 0
    comments: int = 0
    participants: int = 0
    ready: int = 0
    answers: Counter = field(default_factory=Counter)
    # Supports from people verified with e-legitimation now, counted apart (accounts.identity).
    verified_supports: int = 0

    def add(self, initiative: "InitiativeRow") -> None:
        self.initiatives += 1
        self.supports += initiative.supports
        self.verified_supports += initiative.verified_supports
        self.comments += initiative.comments
        self.ready += initiative.ready_at is not None
        self.answers[initiative.status] += 1

    def cells(self) -> list[int]:
        return [
            self.initiatives,
            self.supports,
            self.comments,
            self.participants,
            self.ready,
            *(self.answers[status] for status in Initiative.RESPONSE_STATUSES),
            self.verified_supports,
        ]


def tally_columns() -> list[str]:
    return [
        _("Initiatives"),
        _("Supports"),
        _("Comments"),
        _("Participants"),
        _("Reached the threshold"),
        *(
            _("Answer: %(status)s") % {"status": Initiative.Status(status).label}
            for status in Initiative.RESPONSE_STATUSES
        ),
        _("Supports from residents verified with e-legitimation"),
    ]


@dataclass(frozen=True)
class InitiativeRow:
    pk: int
    fokusomrade_id: int
    stadsdel_id: int | None
    status: str
    ready_at: datetime | None
    forvaltning_id: int | None
    answer_due: date | None
    supports: int
    comments: int
    verified_supports: int


def visible_comments() -> QuerySet:
    """Comments anyone can read: on a public initiative, neither hidden nor removed."""
    return Comment.objects.filter(
        initiative__in=Initiative.objects.public().values("pk"),
        hidden_at__isnull=True,
        removed_at__isnull=True,
    )


def public_supports() -> QuerySet:
    return Support.objects.filter(initiative__in=Initiative.objects.public().values("pk"))


def _count_per_initiative(queryset: QuerySet):
    return Coalesce(
        Subquery(
            queryset.filter(initiative=OuterRef("pk"))
            .order_by()
            .values("initiative")
            .annotate(number=Count("pk"))
            .values("number")
        ),
        0,
    )


def _initiative_rows() -> list[InitiativeRow]:
    """Every public initiative, with its supports and visible comments counted: one query."""
    rows = (
        Initiative.objects.public()
        .order_by()
        .annotate(
            number_of_supports=_count_per_initiative(Support.objects.all()),
            number_of_verified_supports=_count_per_initiative(
                Support.objects.filter(user__is_verified_resident=True)
            ),
            number_of_comments=_count_per_initiative(
                Comment.objects.filter(hidden_at__isnull=True, removed_at__isnull=True)
            ),
        )
        .values_list(
            "pk",
            "fokusomrade_id",
            "stadsdel_id",
            "status",
            "ready_at",
            "forvaltning_id",
            "answer_due",
            "number_of_supports",
            "number_of_comments",
            "number_of_verified_supports",
        )
    )
    return [InitiativeRow(*row) for row in rows]


def participants_by(path: str | None) -> dict:
    """How many distinct people proposed, supported or commented on the public initiatives of
    each group: `path` leads from an initiative to its group ("stadsdel", "prioriteringar"…),
    None counts everyone in one group (key 0).

    The ORM cannot count over a UNION, so the pairs (group, person) of the three parts are
    written by the ORM and united, and counted in one plain GROUP BY around them: a query a
    level, however many people took part. UNION drops repeated pairs, so COUNT(*) counts people.
    """

    def group(prefix: str = ""):
        return F(f"{prefix}{path}") if path else Value(0, output_field=IntegerField())

    pairs = (
        Initiative.objects.public()
        .order_by()
        .values(group_key=group(), person=F("author"))
        .union(
            public_supports().order_by().values(group_key=group("initiative__"), person=F("user")),
            visible_comments()
            .order_by()
            .values(group_key=group("initiative__"), person=F("author")),
        )
        .order_by()
    )
    sql, params = pairs.query.get_compiler(connection=connection).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT group_key, COUNT(*) FROM ({sql}) AS pairs GROUP BY group_key",  # noqa: S608
            params,
        )
        return dict(cursor.fetchall())


class Answers:
    """What a count of the totals reads from the database, each part read once when first
    needed, whichever language's tables ask for it. The programme's and the city's rows are read
    here too: their names follow the active language when shown (programme.translation)."""

    def __init__(self) -> None:
        self._participants: dict[str | None, dict] = {}

    @cached_property
    def programme(self) -> Programme | None:
        return Programme.objects.current()

    @cached_property
    def fokusomraden(self) -> list[Fokusomrade]:
        """The focus areas of the programme in force, with their directions."""
        return list(
            Fokusomrade.objects.filter(viljeinriktning__programme=self.programme).select_related(
                "viljeinriktning"
            )
        )

    @cached_property
    def prioriteringar(self) -> dict[int, list[Prioritering]]:
        """The programme's priorities, by their focus area."""
        by_focus_area = defaultdict(list)
        for prioritering in Prioritering.objects.filter(
            fokusomrade__viljeinriktning__programme=self.programme
        ):
            by_focus_area[prioritering.fokusomrade_id].append(prioritering)
        return by_focus_area

    @cached_property
    def stadsdelar(self) -> list[Stadsdel]:
        return list(Stadsdel.objects.all())

    @cached_property
    def forvaltningar(self) -> list[Forvaltning]:
        return list(Forvaltning.objects.all())

    @cached_property
    def initiatives(self) -> list[InitiativeRow]:
        return _initiative_rows()

    def participants(self, path: str | None) -> dict:
        if path not in self._participants:
            self._participants[path] = participants_by(path)
        return self._participants[path]

    @cached_property
    def initiative_priorities(self) -> dict[int, list[int]]:
        """Each public initiative's priorities, by their keys."""
        links = defaultdict(list)
        through = Initiative.prioriteringar.through.objects.filter(
            initiative__in=Initiative.objects.public().values("pk")
        )
        for initiative_id, prioritering_id in through.values_list(
            "initiative_id", "prioritering_id"
        ):
            links[initiative_id].append(prioritering_id)
        return links

    @cached_property
    def first_answers(self) -> dict[int, tuple[int, datetime]]:
        """Each initiative past the threshold's first official answer: its administration and
        when it was given."""
        first: dict[int, tuple[int, datetime]] = {}
        responses = OfficialResponse.objects.filter(
            initiative__in=Initiative.objects.public().filter(ready_at__isnull=False).values("pk")
        ).order_by("created_at", "pk")
        for initiative_id, forvaltning_id, answered_at in responses.values_list(
            "initiative_id", "forvaltning_id", "created_at"
        ):
            first.setdefault(initiative_id, (forvaltning_id, answered_at))
        return first


def _tally_by(
    answers: Answers, groups: Callable[[InitiativeRow], Iterable], path: str | None
) -> dict:
    tallies: dict = defaultdict(Tally)
    for initiative in answers.initiatives:
        for key in groups(initiative):
            tallies[key].add(initiative)
    for key, number in answers.participants(path).items():
        tallies[key].participants = number
    return tallies


def _programme_table(answers: Answers) -> Table:
    """Viljeinriktning → fokusområde → prioritering of the programme in force."""
    fokusomraden, prioriteringar = answers.fokusomraden, answers.prioriteringar
    direction_of = {fokus.pk: fokus.viljeinriktning_id for fokus in fokusomraden}
    links = answers.initiative_priorities

    by_direction = _tally_by(
        answers,
        lambda row: [direction_of.get(row.fokusomrade_id)],
        "fokusomrade__viljeinriktning",
    )
    by_fokus = _tally_by(answers, lambda row: [row.fokusomrade_id], "fokusomrade")
    by_priority = _tally_by(answers, lambda row: links.get(row.pk, ()), "prioriteringar")

    rows = []
    direction = None
    for fokus in fokusomraden:
        if fokus.viljeinriktning != direction:
            direction = fokus.viljeinriktning
            rows.append(Row(direction.title, by_direction[direction.pk].cells(), 0, _("Direction")))
        rows.append(Row(fokus.title, by_fokus[fokus.pk].cells(), 1, _("Focus area")))
        for prioritering in prioriteringar[fokus.pk]:
            cells = by_priority[prioritering.pk].cells()
            rows.append(Row(prioritering.summary, cells, 2, _("Priority")))
    return Table(
        slug="programmet",
        caption=_("Initiatives by the programme's directions, focus areas and priorities"),
        columns=[_("Name"), *tally_columns()],
        rows=rows,
        kind_column=_("Level"),
    )


def _district_table(answers: Answers) -> Table:
    by_district = _tally_by(answers, lambda row: [row.stadsdel_id], "stadsdel")
    everyone = _tally_by(answers, lambda row: [0], None)
    rows = [Row(district.name, by_district[district.pk].cells()) for district in answers.stadsdelar]
    rows.append(Row(_("No district given"), by_district[None].cells()))
    rows.append(Row(_("The whole city"), everyone[0].cells()))
    return Table(
        slug="stadsdelar",
        caption=_("Initiatives by district"),
        columns=[_("District"), *tally_columns()],
        rows=rows,
    )


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile: the smallest value at least `share` of the values reach."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _days(values: list[float], share: float | None = None) -> float | None:
    if not values:
        return None
    middle = statistics.median(values) if share is None else percentile(values, share)
    return round(middle, 1)


def _responsiveness_table(answers: Answers) -> Table:
    """Per administration: from reaching the threshold to the first official answer."""
    ready = {row.pk: row for row in answers.initiatives if row.ready_at is not None}
    first_answers = answers.first_answers

    today = timezone.localdate()
    days: dict = defaultdict(list)
    waiting: Counter = Counter()
    on_time: Counter = Counter()
    judged: Counter = Counter()
    for pk, initiative in ready.items():
        answer = first_answers.get(pk)
        forvaltning = initiative.forvaltning_id or (answer[0] if answer else None)
        if answer is None:
            waiting[forvaltning] += 1
        else:
            days[forvaltning].append(
                max(0.0, (answer[1] - initiative.ready_at) / timedelta(days=1))
            )
        if initiative.answer_due and (answer or initiative.answer_due < today):
            judged[forvaltning] += 1
            on_time[forvaltning] += bool(
                answer and timezone.localdate(answer[1]) <= initiative.answer_due
            )

    def row(label: str, key) -> Row:
        share = round(100 * on_time[key] / judged[key]) if judged[key] else None
        cells = [len(days[key]), waiting[key], _days(days[key]), _days(days[key], 0.9), share]
        return Row(label, cells)

    rows = [
        row(forvaltning.name, forvaltning.pk)
        for forvaltning in answers.forvaltningar
        if days[forvaltning.pk] or waiting[forvaltning.pk]
    ]
    if days[None] or waiting[None]:
        rows.append(row(_("No administration responsible yet"), None))
    return Table(
        slug="svarstider",
        caption=_("How fast the city answers, from the threshold to the answer"),
        columns=[
            _("Administration"),
            _("Answered"),
            _("Waiting for an answer"),
            _("Median days"),
            _("Days for 90 percent"),
            _("Answered by the due date (%)"),
        ],
        rows=rows,
    )


@dataclass(frozen=True)
class Totals:
    computed_at: datetime
    programme: Programme | None
    programme_table: Table
    district_table: Table
    responsiveness_table: Table
    fokus_chart: BarChart
    district_chart: BarChart
    responsiveness_chart: BarChart


def compute_totals(answers: Answers | None = None, computed_at: datetime | None = None) -> Totals:
    """The totals in the active language, from `answers` when another language read them."""
    answers = answers or Answers()
    programme_table = _programme_table(answers)
    district_table = _district_table(answers)
    responsiveness_table = _responsiveness_table(answers)
    return Totals(
        computed_at=computed_at or timezone.now(),
        programme=answers.programme,
        programme_table=programme_table,
        district_table=district_table,
        responsiveness_table=responsiveness_table,
        fokus_chart=bar_chart(
            [(row.label, row.cells[0]) for row in programme_table.rows if row.level == 1]
        ),
        district_chart=bar_chart(
            [(row.label, row.cells[0]) for row in district_table.rows[:-1] if row.cells[0]]
        ),
        responsiveness_chart=bar_chart(
            [(row.label, row.cells[2]) for row in responsiveness_table.rows if row.cells[2]]
        ),
    )


@dataclass(frozen=True)
class Months:
    computed_at: datetime
    period: Period
    month_table: Table
    district_tables: list[Table]
    series: list[Bucket]
    chart: LineChart | None

    @property
    def total(self) -> int:
        return self.series[-1].total if self.series else 0


def _per_month(queryset: QuerySet, moment: str, group: str | None = None) -> Counter:
    """(group, month) → how many rows, counted in the database; the month as a date."""
    zone = timezone.get_current_timezone()
    rows = (
        queryset.order_by()
        .annotate(month=TruncMonth(moment, tzinfo=zone))
        .values_list(*([group] if group else []), "month")
        .annotate(number=Count("pk"))
    )
    result = Counter()
    for *key, when, number in rows:
        result[(key[0] if key else None, timezone.localtime(when, zone).date())] += number
    return result


def small(number: int) -> int | str:
    """The number, or "< 5" when so few could point at a person."""
    return SMALL if number < SMALL_LIMIT else number


class MonthAnswers:
    """What a count of a period's months reads from the database, once for every language."""

    def __init__(self, period: Period) -> None:
        start, end = period.bounds()
        self.initiatives = _per_month(
            Initiative.objects.public().filter(published_at__gte=start, published_at__lt=end),
            "published_at",
            "stadsdel",
        )
        self.supports = _per_month(
            public_supports().filter(created_at__gte=start, created_at__lt=end),
            "created_at",
            "initiative__stadsdel",
        )
        self.comments = _per_month(
            visible_comments().filter(created_at__gte=start, created_at__lt=end), "created_at"
        )
        self.stadsdelar = list(Stadsdel.objects.all())


def compute_months(
    period: Period, answers: MonthAnswers | None = None, computed_at: datetime | None = None
) -> Months:
    """The period's months in the active language, from `answers` when another language read
    them."""
    answers = answers or MonthAnswers(period)
    initiatives, supports, comments = answers.initiatives, answers.supports, answers.comments
    month_starts = period.months()

    def city(counts: Counter, when: date) -> int:
        return sum(number for (_group, start), number in counts.items() if start == when)

    rows = [
        Row(
            date_format(when, "F Y"),
            [city(initiatives, when), city(supports, when), city(comments, when)],
        )
        for when in month_starts
    ]
    series, total = [], 0
    for when, row in zip(month_starts, rows, strict=True):
        total += row.cells[0]
        end_of_month = add_months(when, 1) - timedelta(days=1)
        series.append(Bucket(start=when, end=end_of_month, new=row.cells[0], total=total))

    districts = answers.stadsdelar

    def matrix(slug: str, caption: str, counts: Counter) -> Table:
        return Table(
            slug=slug,
            caption=caption,
            columns=[_("District"), *(date_format(when, "M Y") for when in month_starts)],
            rows=[
                Row(district.name, [small(counts[(district.pk, when)]) for when in month_starts])
                for district in districts
            ],
        )

    return Months(
        computed_at=computed_at or timezone.now(),
        period=period,
        month_table=Table(
            slug="manader",
            caption=_("New initiatives, supports and comments by month"),
            columns=[_("Month"), _("New initiatives"), _("New supports"), _("New comments")],
            rows=rows,
        ),
        district_tables=[
            matrix(
                "stadsdelar-initiativ",
                _("New initiatives by district and month"),
                initiatives,
            ),
            matrix("stadsdelar-stod", _("New supports by district and month"), supports),
        ],
        series=series,
        chart=line_chart(series) if total else None,
    )


def _key(kind: str, period: Period | None, language: str | None = None) -> str:
    """The numbers' key in `language` (the active one by default)."""
    return _table_key(kind, period, language or get_language())


def _recounting_key(kind: str, period: Period | None) -> str:
    """The mark of a recount under way: one for every language, which it counts together."""
    return _table_key(kind, period, "recounting")


def _table_key(kind: str, period: Period | None, part: str) -> str:
    key = f"statistics:{kind}:{part}"
    return f"{key}:{period.key}" if period else key


def _count(kind: str, period: Period | None):
    """Count the numbers from the database once, and keep them in every language; the active
    language's are returned."""
    answers = MonthAnswers(period) if period else Answers()
    computed_at = timezone.now()
    active = get_language()
    values = {}
    for language in dict.fromkeys([active, *(code for code, _name in settings.LANGUAGES)]):
        with translation.override(language):
            if period:
                values[language] = compute_months(period, answers, computed_at)
            else:
                values[language] = compute_totals(answers, computed_at)
    kept = {_key(kind, period, language): value for language, value in values.items()}
    cache.set_many(kept, FRESHNESS + KEPT_SECONDS)
    return values[active]


def _cached(kind: str, period: Period | None = None):
    """The numbers as last counted. Never counted (or evicted), they are counted now: the reader
    needs some. Past FRESHNESS, one recount is enqueued and the reader sees the last numbers."""
    key = _key(kind, period)
    value = cache.get(key)
    if value is None:
        return _count(kind, period)
    stale = timezone.now() - value.computed_at >= timedelta(seconds=FRESHNESS)
    if stale and cache.add(_recounting_key(kind, period), True, RECOUNT_SECONDS):
        first, last = (period.first.isoformat(), period.last.isoformat()) if period else ("", "")
        recount.enqueue(kind, first, last)
        # A backend that runs tasks at once (`make run`, the tests) has counted them already.
        value = cache.get(key) or value
    return value


@task
def recount(kind: str, first: str = "", last: str = "") -> None:
    """Count a table of the public numbers again, for the readers of every language, in the
    worker."""
    period = Period(date.fromisoformat(first), date.fromisoformat(last)) if first else None
    try:
        _count(kind, period)
    finally:
        cache.delete(_recounting_key(kind, period))


def totals() -> Totals:
    """The numbers over all time, as last counted (see `_cached`)."""
    return _cached("totals")


def months(period: Period) -> Months:
    """The numbers of each month of the period, as last counted (see `_cached`)."""
    return _cached("months", period)


# -- Staff insight ---------------------------------------------------------------------------

REVIEW_ACTIONS = [
    ModerationDecision.Action.APPROVE,
    ModerationDecision.Action.REJECT,
    ModerationDecision.Action.SEND_BACK,
]


def _hours(pairs: Iterable[tuple[datetime, datetime]]) -> list[float]:
    """Hours from each first moment to the second; a pair out of order (an initiative sent
    back and submitted again after the decision) is left out."""
    hours = [(after - before) / timedelta(hours=1) for before, after in pairs]
    return [value for value in hours if value >= 0]


def _time_row(label: str, hours: list[float]) -> Row:
    return Row(label, [len(hours), _days(hours), _days(hours, 0.9)])


def staff_tables() -> list[Table]:
    now = timezone.now()
    recent = Q(created_at__gte=now - timedelta(days=RECENT_DAYS))
    decisions = {
        row["action"]: row
        for row in ModerationDecision.objects.order_by()
        .values("action")
        .annotate(total=Count("pk"), recent=Count("pk", filter=recent))
    }
    reviews = ModerationDecision.objects.filter(
        action__in=REVIEW_ACTIONS, initiative__submitted_at__isnull=False
    ).values_list("initiative__submitted_at", "created_at")
    handled_flags = Flag.objects.filter(resolved_at__isnull=False).values_list(
        "created_at", "resolved_at"
    )
    flags = {
        row["reason"]: row
        for row in Flag.objects.order_by()
        .values("reason")
        .annotate(
            total=Count("pk"),
            recent=Count("pk", filter=recent),
            open=Count("pk", filter=Q(resolved_at__isnull=True)),
        )
    }
    active = Q(starts_at__lte=now, ends_at__gt=now, lifted_at__isnull=True)
    blocks = Block.objects.aggregate(
        recent=Count("pk", filter=Q(starts_at__gte=now - timedelta(days=RECENT_DAYS))),
        active=Count("pk", filter=active),
        lifted=Count("pk", filter=Q(lifted_at__isnull=False)),
        total=Count("pk"),
    )
    overdue = Counter(
        dict(
            Initiative.objects.public()
            .filter(NOT_ANSWERED, answer_due__lt=timezone.localdate())
            .order_by()
            .values_list("forvaltning")
            .annotate(number=Count("pk"))
        )
    )
    accepted = [PartnerOffer.Status.ACCEPTED, PartnerOffer.Status.ENDED]
    offers = (
        Fokusomrade.objects.filter(initiatives__partner_offers__isnull=False)
        .annotate(
            made=Count("initiatives__partner_offers"),
            accepted=Count(
                "initiatives__partner_offers",
                filter=Q(initiatives__partner_offers__status__in=accepted),
            ),
        )
        .order_by("viljeinriktning__programme", "viljeinriktning__position", "position")
    )

    def counts(rows: dict, key: str, *names: str) -> list[int]:
        return [rows.get(key, {}).get(name, 0) for name in names]

    overdue_rows = [
        Row(forvaltning.name, [overdue[forvaltning.pk]])
        for forvaltning in Forvaltning.objects.all()
    ]
    if overdue[None]:
        overdue_rows.append(Row(_("No administration responsible yet"), [overdue[None]]))
    return [
        Table(
            slug="moderering",
            caption=_("Moderation decisions by kind"),
            columns=[_("Decision"), _("Last 30 days"), _("In total")],
            rows=[
                Row(action.label, counts(decisions, action.value, "recent", "total"))
                for action in ModerationDecision.Action
            ],
        ),
        Table(
            slug="beslutstider",
            caption=_("Time to a decision, in hours"),
            columns=[_("Work"), _("Number"), _("Median hours"), _("Hours for 90 percent")],
            rows=[
                _time_row(_("Review of submitted initiatives"), _hours(reviews)),
                _time_row(_("Handling of flags"), _hours(handled_flags)),
            ],
        ),
        Table(
            slug="anmalningar",
            caption=_("Flags by reason"),
            columns=[_("Reason"), _("Last 30 days"), _("Not handled"), _("In total")],
            rows=[
                Row(reason.label, counts(flags, reason.value, "recent", "open", "total"))
                for reason in Flag.Reason
            ],
        ),
        Table(
            slug="avstangningar",
            caption=_("Blocks"),
            columns=[_("Blocks"), _("Number")],
            rows=[
                Row(_("Given in the last 30 days"), [blocks["recent"]]),
                Row(_("In force now"), [blocks["active"]]),
                Row(_("Lifted before they ended"), [blocks["lifted"]]),
                Row(_("In total"), [blocks["total"]]),
            ],
        ),
        Table(
            slug="forsenade-svar",
            caption=_("Overdue answers by administration"),
            columns=[_("Administration"), _("Overdue answers")],
            rows=overdue_rows,
        ),
        Table(
            slug="samarbeten",
            caption=_("Partner offers made and accepted, by focus area"),
            columns=[_("Focus area"), _("Offers made"), _("Offers accepted")],
            rows=[Row(fokus.title, [fokus.made, fokus.accepted]) for fokus in offers],
        ),
    ]
