"""The committee's document in a browser: accessible in Swedish and English, and printed without
the site's header, menus and footer."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, assert_no_console_problems, sign_in
from tests.factories import (
    CommentFactory,
    ForvaltningFactory,
    InitiativeFactory,
    ModeratorFactory,
    PrioriteringFactory,
    StadsdelFactory,
    SupportFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def initiative(db):
    now = timezone.now()
    initiative = InitiativeFactory(
        published_at=now - timedelta(days=12),
        support_threshold=3,
        support_count=4,
        ready_at=now - timedelta(days=2),
        forvaltning=ForvaltningFactory(),
        answer_due=timezone.localdate() + timedelta(days=20),
        stadsdel=StadsdelFactory(),
    )
    initiative.prioriteringar.add(PrioriteringFactory(fokusomrade=initiative.fokusomrade))
    for days_ago in (11, 6, 6, 2):
        SupportFactory(initiative=initiative, created_at=now - timedelta(days=days_ago))
    CommentFactory(initiative=initiative)
    return initiative


@pytest.mark.accessibility
@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_document_page_is_accessible(page: Page, initiative, language):
    sign_in(page, ModeratorFactory(), language=language)
    prefix = "/en" if language == "en" else ""

    page.goto(f"{prefix}/handlaggning/underlag/{initiative.pk}/")

    expect(page.locator("h1")).to_have_text(initiative.title)
    expect(page.locator(".underlag svg[role=img]")).to_be_visible()
    expect(page.locator(".underlag table caption")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)
    assert_no_console_problems(page)


def test_the_printed_page_is_the_document_alone(page: Page, initiative):
    sign_in(page, initiative.author)
    page.goto(f"/handlaggning/underlag/{initiative.pk}/")
    expect(page.locator(".site-header")).to_be_visible()

    page.emulate_media(media="print")

    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator(".underlag__tools")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".underlag svg[role=img]")).to_be_visible()
    assert_no_console_problems(page)
