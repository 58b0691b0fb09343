"""Answers and decisions live where people look: the city's answer on an open initiative page,
and the moderator's approval on the author's page in review, without a reload."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from ideas.actions import response_add
from moderation.actions import initiative_approve
from tests.browser.conftest import assert_no_console_problems, sign_in
from tests.browser.test_initiatives_live import announcements, in_another_thread, open_live
from tests.factories import InitiativeFactory, ModeratorFactory, ResponderFactory
from tests.moderation.conftest import submitted

pytestmark = pytest.mark.browser


def _navigations(page: Page) -> int:
    return page.evaluate("() => performance.getEntriesByType('navigation').length")


def test_the_citys_answer_appears_on_an_open_page_and_is_announced(page):
    responder = ResponderFactory()
    initiative = InitiativeFactory(
        title="Sommarbio på Gröningen",
        forvaltning=responder.forvaltning,
        answer_due=timezone.localdate() + timedelta(days=30),
    )
    open_live(page, initiative.get_absolute_url(), "article")
    expect(page.locator("#responses-heading")).to_have_count(0)

    in_another_thread(
        lambda: response_add(
            user=responder,
            initiative=initiative,
            body="Vi visar **fyra filmer** i sommar.",
            status="will_be_done",
        )
    )

    answers = page.locator("#initiative-responses")
    expect(answers.get_by_role("heading", name="Stadens svar")).to_be_visible(timeout=1000)
    expect(answers).to_contain_text("Vi visar fyra filmer i sommar.", timeout=1000)
    expect(page.locator(f"#initiativ-{initiative.pk}-stats .badge").first).to_have_text(
        "Ska genomföras"
    )
    expect(page.locator("#initiative-timeline")).to_contain_text("Ska genomföras – Kultur")
    said = gettext("%(name)s has answered") % {"name": "Kulturförvaltningen"}
    expect(page.locator("#live-announcer")).to_have_text(said)
    assert announcements(page) == [said]  # not a support count
    assert _navigations(page) == 1
    assert_no_console_problems(page)


def test_the_authors_page_in_review_turns_into_the_published_page(page):
    initiative = submitted(title="Parklek i Slottshagen")
    sign_in(page, initiative.author)
    open_live(page, initiative.get_absolute_url(), "[data-personal-socket]")
    expect(page.locator("#review-notice")).to_contain_text("Granskas.")

    in_another_thread(
        lambda: initiative_approve(moderator=ModeratorFactory(), initiative=initiative)
    )

    expect(page.locator("#review-notice")).to_have_count(0)
    expect(page.locator(f"#initiativ-{initiative.pk}-stats")).to_contain_text("0 stöd")
    # The published page's own socket connects, so it is live from here on.
    expect(page.locator("article[data-live-opened-before=true]")).to_have_count(1)
    expect(page.locator("#live-announcer")).to_contain_text("Parklek i Slottshagen")
    assert _navigations(page) == 1
    assert_no_console_problems(page)
