"""Deciding about one initiative in the queue with its own buttons, by keyboard alone; and what
a moderator types beside an item survives the queue being pushed anew."""

from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ideas.actions import initiative_submit
from ideas.models import Initiative
from moderation.models import ModerationDecision
from tests.browser.conftest import assert_no_console_problems, sign_in
from tests.browser.test_initiatives_keyboard import sign_in_with_keyboard, tab_to
from tests.browser.test_initiatives_live import in_another_thread, open_live
from tests.factories import DraftFactory, ModeratorFactory

pytestmark = pytest.mark.browser

QUEUE_SOCKET = "div[ws-connect^='/ws/moderering/']"


def _in_review(title: str) -> Initiative:
    return DraftFactory(
        title=title, status=Initiative.Status.SUBMITTED, submitted_at=timezone.now()
    )


def test_a_moderator_rejects_one_initiative_with_one_press_by_keyboard(page):
    waiting = _in_review("Sommarbio på Gröningen")
    other = _in_review("Boulebana i Slottshagen")
    sign_in_with_keyboard(page, ModeratorFactory())
    page.goto("/moderering/")
    item = page.locator(f"#queue-initiative-{waiting.pk}")

    tab_to(page, item.get_by_label("Motivering"))
    page.keyboard.type("Ett liknande förslag finns redan.")
    tab_to(page, item.locator("summary"))
    page.keyboard.press("Enter")
    reason = item.get_by_role("checkbox", name="Ett liknande förslag har lämnats")
    tab_to(page, reason)
    page.keyboard.press("Space")
    expect(reason).to_be_checked()
    tab_to(page, item.get_by_role("button", name="Avslå"))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    waiting.refresh_from_db()
    other.refresh_from_db()
    assert waiting.status == Initiative.Status.REJECTED
    assert other.status == Initiative.Status.SUBMITTED
    decision = ModerationDecision.objects.get()
    assert decision.reasons == ["duplicate"]
    assert decision.text == "Ett liknande förslag finns redan."
    assert urlsplit(page.url).path == "/moderering/"
    expect(page.locator(f"#queue-initiative-{waiting.pk}")).to_have_count(0)
    assert_no_console_problems(page)


def test_a_missing_reason_comes_back_focused_with_the_text_kept(page):
    waiting = _in_review("Sommarbio på Gröningen")
    sign_in_with_keyboard(page, ModeratorFactory())
    page.goto("/moderering/")
    item = page.locator(f"#queue-initiative-{waiting.pk}")

    tab_to(page, item.get_by_label("Motivering"))
    page.keyboard.type("Utkast till motivering.")
    tab_to(page, item.get_by_role("button", name="Avslå"))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    item = page.locator(f"#queue-initiative-{waiting.pk}")
    expect(item.locator(".error-summary")).to_be_focused()
    expect(item.get_by_label("Motivering")).to_have_value("Utkast till motivering.")
    waiting.refresh_from_db()
    assert waiting.status == Initiative.Status.SUBMITTED


def test_what_is_typed_and_ticked_beside_an_item_survives_a_live_update(page):
    waiting = _in_review("Sommarbio på Gröningen")
    draft = DraftFactory(title="Boulebana i Slottshagen")
    sign_in(page, ModeratorFactory())
    open_live(page, "/moderering/", QUEUE_SOCKET)
    item = page.locator(f"#queue-initiative-{waiting.pk}")
    item.locator("summary").click()
    item.get_by_role("checkbox", name="Ett liknande förslag har lämnats").check()
    field = item.get_by_label("Motivering")
    field.fill("Halvskriven motivering")

    in_another_thread(lambda: initiative_submit(user=draft.author, initiative=draft))

    expect(page.locator(f"#queue-initiative-{draft.pk}")).to_be_visible()
    item = page.locator(f"#queue-initiative-{waiting.pk}")
    expect(item.get_by_label("Motivering")).to_have_value("Halvskriven motivering")
    expect(item.get_by_label("Motivering")).to_be_focused()
    expect(item.get_by_role("checkbox", name="Ett liknande förslag har lämnats")).to_be_checked()
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
    assert_no_console_problems(page)
