"""The author's panel in a browser: accessible in both languages, the copy button copies the
share link (and without JavaScript the link is a field to select), and the panel follows new
supports without a reload."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ideas.actions import support_set
from tests.browser.conftest import assert_accessible, assert_no_console_problems, sign_in
from tests.browser.test_initiatives_live import in_another_thread, open_live
from tests.factories import CommentFactory, InitiativeFactory, SupportFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def initiative(db):
    initiative = InitiativeFactory(
        published_at=timezone.now() - timedelta(days=12), body="Bänkar.", support_count=3
    )
    for days_ago in (11, 6, 6):
        SupportFactory(initiative=initiative, created_at=timezone.now() - timedelta(days=days_ago))
    CommentFactory(initiative=initiative)
    return initiative


@pytest.mark.accessibility
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_the_authors_page_is_accessible(page: Page, initiative, language, width):
    page.set_viewport_size({"width": width, "height": 740})
    sign_in(page, initiative.author, language=language)
    prefix = "/en" if language == "en" else ""

    page.goto(prefix + initiative.get_absolute_url())

    expect(page.locator("#author-panel svg[role=img]")).to_be_visible()
    expect(page.locator("#author-panel table caption")).to_be_visible()
    assert_accessible(page)
    assert_no_console_problems(page)


def test_the_copy_button_copies_the_share_link(page: Page, initiative):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, initiative.author)
    page.goto(initiative.get_absolute_url())
    link = page.locator("#share-link").input_value()
    assert link.endswith(initiative.get_absolute_url())

    page.locator("button[data-copy=share-link]").click()

    expect(page.locator("#share-link-status")).not_to_be_empty()
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert_no_console_problems(page)


def test_without_javascript_the_link_is_a_field_to_copy_from(browser, live_url, initiative):
    context = browser.new_context(base_url=live_url, locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, initiative.author)
        page.goto(initiative.get_absolute_url())

        field = page.locator("#share-link")
        expect(field).to_be_visible()
        expect(field).not_to_be_editable()
        expect(page.locator("button[data-copy]")).to_be_hidden()
        expect(page.locator("#author-panel svg[role=img]")).to_be_visible()
    finally:
        context.close()


def test_the_chart_follows_a_new_support_without_a_reload(page: Page, initiative):
    sign_in(page, initiative.author)
    open_live(page, initiative.get_absolute_url(), "article.initiative")
    last_total = page.locator("#author-panel tbody tr:last-child td:last-child")
    expect(last_total).to_have_text("3")

    in_another_thread(
        lambda: support_set(user=UserFactory(), initiative=initiative, supported=True)
    )

    expect(last_total).to_have_text("4")
    assert_no_console_problems(page)
