"""The statistics pages pass axe in Swedish and English, and each chart's table and its download
come right after the chart in the keyboard's order."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_no_console_problems, sign_in
from tests.factories import (
    CommentFactory,
    FlagFactory,
    FokusomradeFactory,
    ForvaltningFactory,
    InitiativeFactory,
    ModeratorFactory,
    OfficialResponseFactory,
    PartnerOfferFactory,
    ProgrammeFactory,
    ResponderFactory,
    StadsdelFactory,
    SupportFactory,
    ViljeinriktningFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def numbers():
    """Something in every chart: initiatives by focus area and district, an answer."""
    programme = ProgrammeFactory(valid_from=timezone.localdate() - timedelta(days=1))
    fokus = FokusomradeFactory(viljeinriktning=ViljeinriktningFactory(programme=programme))
    district = StadsdelFactory(name="Drottninghög")
    culture = ForvaltningFactory()
    ready = timezone.now() - timedelta(days=8)
    answered = InitiativeFactory(
        fokusomrade=fokus, stadsdel=district, ready_at=ready, forvaltning=culture,
        status="answered", answer_due=(ready + timedelta(days=20)).date(),
    )  # fmt: skip
    OfficialResponseFactory(
        initiative=answered, author=ResponderFactory(forvaltning=culture), status="answered",
        created_at=ready + timedelta(days=4),
    )  # fmt: skip
    for _n in range(6):
        SupportFactory(initiative=InitiativeFactory(fokusomrade=fokus, stadsdel=district))
    CommentFactory(initiative=answered)
    FlagFactory(initiative=answered)
    PartnerOfferFactory(initiative=InitiativeFactory(fokusomrade=fokus, seeking_partners=True))


@pytest.mark.accessibility
@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_statistics_pages_pass_axe(page, numbers, language):
    prefix = "/en" if language == "en" else ""
    page.goto(f"{prefix}/statistik/")
    expect(page.locator("svg.chart")).to_have_count(4)
    assert_accessible(page)
    page.goto(f"{prefix}/statistik/?fran=2025-13")
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)

    sign_in(page, ModeratorFactory(), language=language)
    page.goto(f"{prefix}/handlaggning/statistik/")
    expect(page.locator("table")).to_have_count(6)
    assert_accessible(page)
    assert_no_console_problems(page)


def test_tab_reaches_each_charts_table_and_download_after_the_chart(page, numbers):
    page.goto("/statistik/")
    charts = page.locator("figure.chart-figure").all()
    assert len(charts) == 4
    for chart in charts:
        # The first place Tab stops after the chart is its table, then the table's download.
        table = chart.locator("xpath=following::*[@role='region'][1]")
        table_id = table.locator("table").get_attribute("id")
        # Focus the chart itself (not a tab stop of its own), and go on from there by keyboard.
        chart.evaluate("figure => { figure.tabIndex = -1; figure.focus(); }")
        page.keyboard.press("Tab")
        expect(page.locator(":focus")).to_have_attribute("role", "region")
        expect(page.locator(":focus table")).to_have_attribute("id", table_id)
        page.keyboard.press("Tab")
        expect(page.locator(":focus")).to_have_attribute(
            "href", f"/statistik/{table_id}.csv" if table_id != "manader" else _with_period(page)
        )


def _with_period(page) -> str:
    months = page.locator("#id_fran").input_value(), page.locator("#id_till").input_value()
    return f"/statistik/manader.csv?fran={months[0]}&till={months[1]}"
