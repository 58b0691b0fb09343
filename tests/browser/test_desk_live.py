"""Handläggning live: a case officer's desk follows what a moderator does in another browser,
and what residents' supports do, without a reload."""

import pytest
from playwright.sync_api import expect

from ideas.actions import support_set
from tests.browser.conftest import assert_accessible, assert_no_console_problems, sign_in
from tests.browser.test_initiatives_live import (  # noqa: F401 — fixtures, used by name.
    announcements,
    in_another_thread,
    open_live,
    other_context,
    other_page,
)
from tests.factories import (
    ForvaltningFactory,
    InitiativeFactory,
    ModeratorFactory,
    ResponderFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

SOCKET = "div[ws-connect^='/ws/handlaggning/']"


def test_a_case_officers_desk_changes_when_a_moderator_assigns_and_when_supports_arrive(
    page,
    other_page,  # noqa: F811
):
    forvaltning = ForvaltningFactory()
    responder = ResponderFactory(forvaltning=forvaltning)
    initiative = InitiativeFactory(title="Sommarbio på Gröningen", support_threshold=1)
    sign_in(page, responder)
    open_live(page, "/handlaggning/", SOCKET)
    expect(page.locator(f"#desk-utan-forvaltning-{initiative.pk}")).to_be_visible()
    expect(page.locator(f"#desk-att-besvara-{initiative.pk}")).to_have_count(0)

    sign_in(other_page, ModeratorFactory(), language="en")
    other_page.goto(f"/en/initiativ/{initiative.pk}/ansvar/")
    other_page.get_by_label("Responsible administration").select_option(label=forvaltning.name)
    other_page.get_by_label("Answer due").fill("2099-01-31")
    with other_page.expect_navigation():
        other_page.get_by_role("button", name="Save").click()

    expect(page.locator(f"#desk-att-besvara-{initiative.pk}")).to_be_visible()
    expect(page.locator(f"#desk-utan-forvaltning-{initiative.pk}")).to_have_count(0)
    expect(page.locator(f"#desk-redo-for-namnd-{initiative.pk}")).to_have_count(0)

    in_another_thread(
        lambda: support_set(user=UserFactory(), initiative=initiative, supported=True)
    )

    expect(page.locator(f"#desk-redo-for-namnd-{initiative.pk}")).to_be_visible()
    page.wait_for_function("() => window.liveAnnouncements.length > 0")
    assert announcements(page)
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
    assert_no_console_problems(page)
    assert_no_console_problems(other_page)
    assert_accessible(page)
