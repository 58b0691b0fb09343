"""The author's panel on their own initiative's page: shown to the author alone, never pushed;
the chart and its table match the Support rows; days left; next steps from what is lacking."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test.html import Element, parse_html
from django.urls import reverse
from django.utils import timezone, translation

from ideas.actions import support_set
from ideas.charts import buckets, line_chart, nice_ticks
from ideas.models import Initiative, Support
from tests.factories import (
    CommentFactory,
    InitiativeFactory,
    ModeratorFactory,
    PartnerOfferFactory,
    ResponderFactory,
    StadsdelFactory,
    SupportFactory,
    UserFactory,
)
from tests.queries import page_queries
from tests.role_grid import sign_in

pytestmark = pytest.mark.django_db

LONG_BODY = "Vi föreslår tio nya bänkar längs vattnet, i skuggan under träden. " * 10


# Reading the page as a parsed tree, as a browser without JavaScript gets it.


def _walk(element):
    for child in element.children:
        if isinstance(child, Element):
            yield child
            yield from _walk(child)


def find_all(root, name: str, **attributes) -> list[Element]:
    wanted = {key.replace("_", "-"): value for key, value in attributes.items()}
    return [
        element
        for element in _walk(root)
        if element.name == name
        and all(dict(element.attributes).get(key) == value for key, value in wanted.items())
    ]


def text_of(element) -> str:
    if isinstance(element, str):
        return element
    return " ".join(text_of(child) for child in element.children).strip()


def english_url(initiative: Initiative) -> str:
    with translation.override("en"):
        return initiative.get_absolute_url()


def panel(client, initiative: Initiative) -> Element | None:
    """The author's panel of the page in English, or None when the page has none."""
    response = client.get(english_url(initiative))
    assert response.status_code == 200
    found = find_all(parse_html(response.content.decode()), "section", id="author-panel")
    return found[0] if found else None


def steps(client, initiative: Initiative) -> dict[str, str]:
    """The next steps shown, as {link text: address}."""
    shown = panel(client, initiative)
    if shown is None:
        return {}
    return {
        text_of(link): dict(link.attributes)["href"]
        for item in find_all(shown, "li")
        for link in find_all(item, "a")
    }


def table_rows(shown: Element) -> list[tuple[str, int, int]]:
    """(first day's date, new supports, total) for each row of the chart's table."""
    (table,) = find_all(shown, "table")
    rows = []
    for row in find_all(table, "tr")[1:]:
        day = dict(find_all(row, "time")[0].attributes)["datetime"]
        new, total = (int(text_of(cell)) for cell in find_all(row, "td"))
        rows.append((day, new, total))
    return rows


def english_reverse(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def as_author(client, initiative: Initiative) -> None:
    sign_in(client, "resident", initiative.author)


# Who sees it.


def _viewer(role: str, initiative: Initiative):
    match role:
        case "anonymous":
            return AnonymousUser()
        case "resident":
            return UserFactory()
        case "other_author":
            return InitiativeFactory().author
        case "moderator":
            return ModeratorFactory()
        case "responder":
            # Of the administration that answers this very initiative.
            responder = ResponderFactory()
            Initiative.objects.filter(pk=initiative.pk).update(forvaltning=responder.forvaltning)
            return responder
        case "author":
            return initiative.author
    raise ValueError(role)


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("anonymous", False),
        ("resident", False),
        ("other_author", False),
        ("moderator", False),
        ("responder", False),
        ("author", True),
    ],
)
def test_only_the_author_sees_the_panel(client, role, sees):
    initiative = InitiativeFactory()
    SupportFactory(initiative=initiative)
    sign_in(client, role, _viewer(role, initiative))

    page = client.get(initiative.get_absolute_url()).content.decode()

    assert ('id="author-panel"' in page) is sees
    assert ('id="share-link"' in page) is sees
    assert ("<svg" in page) is sees


@pytest.mark.parametrize("role", ["anonymous", "resident", "moderator"])
def test_the_panels_refresh_gives_others_nothing(client, role):
    initiative = InitiativeFactory()
    sign_in(client, role, _viewer(role, initiative))

    response = client.get(
        initiative.get_absolute_url(), headers={"HX-Request": "true", "HX-Target": "author-panel"}
    )

    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_the_panels_refresh_gives_the_author_the_panel_alone(client):
    initiative = InitiativeFactory()
    SupportFactory(initiative=initiative)
    as_author(client, initiative)

    response = client.get(
        initiative.get_absolute_url(), headers={"HX-Request": "true", "HX-Target": "author-panel"}
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="author-panel"')
    assert "<html" not in html
    assert 'role="img"' in html


def test_nothing_of_the_panel_travels_over_the_public_socket(capture_live):
    initiative = InitiativeFactory(support_threshold=1)
    CommentFactory(initiative=initiative)

    with capture_live() as sent:
        support_set(user=UserFactory(), initiative=initiative, supported=True)

    assert sent, "a support is announced live"
    for _group, message in sent:
        html = str(message)
        for personal in ("author-panel", "share-link", "<svg", "Supports over time", "redigera"):
            assert personal not in html


def test_a_rejected_or_withdrawn_initiative_has_no_panel(client):
    initiative = InitiativeFactory(status=Initiative.Status.WITHDRAWN)
    as_author(client, initiative)

    assert panel(client, initiative) is None


# The chart and its table, without JavaScript.


def test_the_chart_is_an_accessible_svg_with_a_table_beside_it(client):
    initiative = InitiativeFactory(published_at=timezone.now() - timedelta(days=10))
    for days_ago in (9, 4, 4, 0):
        SupportFactory(initiative=initiative, created_at=timezone.now() - timedelta(days=days_ago))
    as_author(client, initiative)

    shown = panel(client, initiative)

    (svg,) = find_all(shown, "svg")
    attributes = dict(svg.attributes)
    assert attributes["role"] == "img"
    title_id, desc_id = attributes["aria-labelledby"].split()
    assert text_of(find_all(svg, "title", id=title_id)[0])
    assert "0 to 4" in text_of(find_all(svg, "desc", id=desc_id)[0])
    assert find_all(svg, "polyline", **{"class": "chart__line"})
    axis_labels = [text_of(text) for text in find_all(svg, "text")]
    assert "Day" in axis_labels
    assert "Supports" in axis_labels
    (table,) = find_all(shown, "table")
    assert "by day" in text_of(find_all(table, "caption")[0])
    headers = [text_of(cell) for cell in find_all(table, "th", scope="col")]
    assert headers == ["Date", "New supports", "Total"]
    assert [(new, total) for _day, new, total in table_rows(shown)] == [(1, 1), (2, 3), (1, 4)]
    assert not find_all(shown, "script")


def test_the_coordinates_are_written_with_points_in_swedish_too(client):
    initiative = InitiativeFactory(published_at=timezone.now() - timedelta(days=6))
    for days_ago in (5, 2, 1):
        SupportFactory(initiative=initiative, created_at=timezone.now() - timedelta(days=days_ago))
    as_author(client, initiative)

    page = client.get(initiative.get_absolute_url()).content.decode()
    (svg,) = find_all(parse_html(page), "svg")

    for element in find_all(svg, "line") + find_all(svg, "circle") + find_all(svg, "text"):
        for name, value in element.attributes:
            if name in {"x", "y", "x1", "x2", "y1", "y2", "cx", "cy"}:
                float(value)  # a decimal comma would raise


def test_an_initiative_nobody_supports_yet_says_so_instead_of_a_chart(client):
    initiative = InitiativeFactory()
    as_author(client, initiative)

    shown = panel(client, initiative)

    assert not find_all(shown, "svg")
    assert not find_all(shown, "table")
    assert "Nobody has supported the initiative yet" in text_of(shown)


def _local_counts(initiative: Initiative) -> Counter:
    return Counter(
        timezone.localdate(created).isoformat()
        for created in Support.objects.filter(initiative=initiative).values_list(
            "created_at", flat=True
        )
    )


def test_the_table_matches_the_support_rows_after_a_withdrawal(client):
    initiative = InitiativeFactory(published_at=timezone.now() - timedelta(days=20))
    supporters = UserFactory.create_batch(6)
    for index, supporter in enumerate(supporters):
        support_set(user=supporter, initiative=initiative, supported=True)
        Support.objects.filter(user=supporter).update(
            created_at=timezone.now() - timedelta(days=3 * index, hours=index)
        )
    support_set(user=supporters[2], initiative=initiative, supported=False)
    initiative.refresh_from_db()
    as_author(client, initiative)

    rows = table_rows(panel(client, initiative))

    assert {day: new for day, new, _total in rows} == _local_counts(initiative)
    assert rows[-1][2] == initiative.support_count == 5
    assert [total for *_rest, total in rows] == sorted(total for *_rest, total in rows)


def test_a_support_late_in_the_evening_counts_on_the_day_in_stockholm(client):
    published = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
    initiative = InitiativeFactory(
        published_at=published, support_ends_at=published + timedelta(days=20)
    )
    # Stockholm is an hour ahead of UTC in March: 22:30 UTC is still the 10th there, 23:30 UTC
    # is already the 11th.
    for hour in (22, 23):
        SupportFactory(
            initiative=initiative, created_at=datetime(2026, 3, 10, hour, 30, tzinfo=UTC)
        )
    as_author(client, initiative)

    rows = table_rows(panel(client, initiative))

    assert rows == [("2026-03-10", 1, 1), ("2026-03-11", 1, 2)]


def test_a_long_period_is_shown_by_week(client):
    initiative = InitiativeFactory(published_at=timezone.now() - timedelta(days=80))
    for days_ago in range(0, 80, 6):
        SupportFactory(initiative=initiative, created_at=timezone.now() - timedelta(days=days_ago))
    as_author(client, initiative)

    shown = panel(client, initiative)
    rows = table_rows(shown)

    assert "by week" in text_of(find_all(shown, "caption")[0])
    starts = [date.fromisoformat(day) for day, _new, _total in rows]
    assert all(start.weekday() == 0 for start in starts[1:])
    assert rows[-1][2] == Support.objects.filter(initiative=initiative).count() == 14


# Days left and the threshold.


def test_days_left_and_how_many_are_still_needed(client):
    initiative = InitiativeFactory(
        support_ends_at=timezone.now() + timedelta(days=12), support_count=40
    )
    as_author(client, initiative)

    text = text_of(find_all(panel(client, initiative), "div")[0])

    assert "12 days left of the support period" in text
    assert "It has 40 of the 100 supports it needs: 60 more are needed." in text


def test_the_last_day_and_the_end_of_the_period(client):
    end_of_today = timezone.localtime().replace(hour=23, minute=59, second=59)
    today = InitiativeFactory(support_ends_at=end_of_today)
    ended = InitiativeFactory(
        author=today.author, support_ends_at=timezone.now() - timedelta(days=1)
    )
    as_author(client, today)

    assert "The support period ends today." in text_of(panel(client, today))
    ended_text = text_of(panel(client, ended))
    assert "The support period ended on" in ended_text
    assert "more are needed" not in ended_text


# Next steps, from what the initiative lacks.


def test_share_is_suggested_while_supports_are_missing(client):
    initiative = InitiativeFactory(support_threshold=2)
    as_author(client, initiative)
    assert steps(client, initiative)["Go to the link"] == "#share-link"

    for supporter in UserFactory.create_batch(2):
        support_set(user=supporter, initiative=initiative, supported=True)

    assert "Go to the link" not in steps(client, initiative)


def test_answering_is_suggested_for_comments_after_the_authors_last(client):
    initiative = InitiativeFactory()
    as_author(client, initiative)
    assert "Answer in the discussion" not in steps(client, initiative)

    CommentFactory(initiative=initiative, created_at=timezone.now() - timedelta(hours=3))
    CommentFactory(
        initiative=initiative,
        created_at=timezone.now() - timedelta(hours=2),
        removed_at=timezone.now(),
    )
    Initiative.objects.filter(pk=initiative.pk).update(comment_count=2)
    shown = steps(client, initiative)
    assert shown["Answer in the discussion"] == "#comments-heading"
    assert "1 comment by others has come since you last wrote." in text_of(
        panel(client, initiative)
    )

    CommentFactory(
        initiative=initiative,
        author=initiative.author,
        created_at=timezone.now() - timedelta(hours=1),
    )
    Initiative.objects.filter(pk=initiative.pk).update(comment_count=3)
    assert "Answer in the discussion" not in steps(client, initiative)

    CommentFactory(initiative=initiative)
    Initiative.objects.filter(pk=initiative.pk).update(comment_count=4)
    assert "Answer in the discussion" in steps(client, initiative)


def test_an_image_and_a_clearer_text_are_suggested_while_the_author_can_edit(client):
    initiative = InitiativeFactory(body="Bänkar.")
    as_author(client, initiative)
    edit = english_reverse("ideas:edit", initiative.pk)
    shown = steps(client, initiative)
    assert shown["Add an image"] == edit
    assert shown["Edit to clarify"] == edit

    Initiative.objects.filter(pk=initiative.pk).update(
        image="initiativ/2026/11/bankar.jpg", body=LONG_BODY, stadsdel=StadsdelFactory()
    )
    shown = steps(client, initiative)
    assert "Add an image" not in shown
    assert "Edit to clarify" not in shown


def test_no_edit_is_suggested_once_the_city_has_answered(client):
    initiative = InitiativeFactory(body="Bänkar.", status=Initiative.Status.ANSWERED)
    as_author(client, initiative)

    shown = steps(client, initiative)

    assert "Add an image" not in shown
    assert "Edit to clarify" not in shown


def test_partners_are_suggested_by_what_the_initiative_lacks(client):
    editable = InitiativeFactory()
    answered = InitiativeFactory(author=editable.author, status=Initiative.Status.ANSWERED)
    seeking = InitiativeFactory(
        author=editable.author, seeking_partners=True, partner_needs=["venue"]
    )
    as_author(client, editable)

    assert steps(client, editable)["Ask for partners"] == english_reverse("ideas:edit", editable.pk)
    directory = steps(client, answered)["Find organisations"]
    assert directory.startswith(english_reverse("accounts:organisations"))
    assert f"fokusomrade={answered.fokusomrade.slug}" in directory
    assert steps(client, seeking)["See organisations that could help"] == english_reverse(
        "partners:offers", seeking.pk
    )

    PartnerOfferFactory(initiative=seeking)
    shown = steps(client, seeking)
    assert not {"Ask for partners", "Find organisations", "See organisations that could help"} & (
        shown.keys()
    )


# What it costs.


def _supports_over_days(initiative: Initiative, number: int, days: int) -> None:
    now = timezone.now()
    Support.objects.bulk_create(
        Support(initiative=initiative, user=user, created_at=now - timedelta(days=index % days))
        for index, user in enumerate(UserFactory.create_batch(number))
    )


def test_the_authors_page_runs_as_many_queries_with_200_supports_as_with_5(client):
    small = InitiativeFactory(
        published_at=timezone.now() - timedelta(days=10), seeking_partners=True
    )
    large = InitiativeFactory(
        author=small.author,
        published_at=timezone.now() - timedelta(days=89),
        seeking_partners=True,
    )
    for initiative in (small, large):
        CommentFactory(initiative=initiative)
        Initiative.objects.filter(pk=initiative.pk).update(comment_count=1)
    _supports_over_days(small, 5, 5)
    _supports_over_days(large, 200, 89)
    as_author(client, small)

    queries = {
        initiative.pk: page_queries(client, initiative.get_absolute_url())
        for initiative in (small, large)
    }

    assert queries[small.pk] == queries[large.pk]
    assert queries[large.pk] <= 14, queries


# The chart's arithmetic.


def test_weeks_run_from_monday_and_keep_every_count():
    counts = {date(2026, 3, 4): 2, date(2026, 3, 9): 1, date(2026, 5, 1): 3}

    series, weekly = buckets(counts, date(2026, 3, 4), date(2026, 5, 3))

    assert weekly
    assert series[0].start == date(2026, 3, 4)
    assert series[0].end == date(2026, 3, 8)
    assert all(bucket.start.weekday() == 0 for bucket in series[1:])
    assert series[-1].end == date(2026, 5, 3)
    assert sum(bucket.new for bucket in series) == series[-1].total == 6


def test_a_support_outside_the_period_still_counts():
    series, weekly = buckets({date(2026, 3, 1): 1}, date(2026, 3, 4), date(2026, 3, 6))

    assert not weekly
    assert series[0].start == date(2026, 3, 1)
    assert series[-1].total == 1


def test_the_y_axis_reaches_past_the_total_in_round_steps():
    assert nice_ticks(4) == [0, 1, 2, 3, 4]
    assert nice_ticks(37) == [0, 10, 20, 30, 40]
    assert nice_ticks(180) == [0, 50, 100, 150, 200]


def test_the_line_ends_at_the_total_at_the_right_edge():
    series, _weekly = buckets({date(2026, 3, 2): 3, date(2026, 3, 4): 1}, *[date(2026, 3, 1)] * 2)

    chart = line_chart(series)

    last_x, last_y = chart.points.split()[-1].split(",")
    total_tick = next(tick for tick in chart.y_ticks if tick.value == 4)
    assert float(last_x) == chart.right
    assert float(last_y) == total_tick.position
    assert len(chart.markers) == 2
