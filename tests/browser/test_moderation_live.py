"""Live updates for moderation: a moderator's queue and an author's unread badge, unreloaded."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ideas.actions import initiative_submit
from ideas.models import Initiative
from moderation.actions import initiative_approve
from tests.browser.conftest import assert_no_console_problems, sign_in
from tests.browser.test_initiatives_live import announcements, in_another_thread, open_live
from tests.factories import DraftFactory, ModeratorFactory

pytestmark = pytest.mark.browser

QUEUE_SOCKET = "div[ws-connect^='/ws/moderering/']"
BADGE_SOCKET = "li[ws-connect^='/ws/notiser/']"


def test_a_moderators_queue_shows_a_new_submission_without_reload(page):
    draft = DraftFactory(title="Sommarbio på Gröningen")
    sign_in(page, ModeratorFactory())
    open_live(page, "/moderering/", QUEUE_SOCKET)
    expect(page.get_by_text("Inget väntar på granskning.")).to_be_visible()

    in_another_thread(lambda: initiative_submit(user=draft.author, initiative=draft))

    item = page.locator(f"#queue-initiative-{draft.pk}")
    expect(item.get_by_role("checkbox", name="Sommarbio på Gröningen")).to_be_visible()
    expect(page.get_by_role("heading", name="Granskas (1)")).to_be_visible()
    page.wait_for_function(
        "() => window.liveAnnouncements.some((text) => text.includes('1 initiativ'))"
    )
    assert any("1 initiativ" in sentence for sentence in announcements(page))
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
    assert_no_console_problems(page)


def test_the_authors_unread_badge_rises_when_a_moderator_approves(page):
    draft = DraftFactory(
        title="Boulebana i Slottshagen",
        status=Initiative.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    sign_in(page, draft.author)
    open_live(page, "/", BADGE_SOCKET)
    badge = page.locator("#notification-badge")
    expect(badge.locator(".badge")).to_have_count(0)

    in_another_thread(lambda: initiative_approve(moderator=ModeratorFactory(), initiative=draft))

    expect(badge.locator(".badge")).to_have_text("1 oläst")
    page.wait_for_function("() => window.liveAnnouncements.length > 0")
    assert "Boulebana i Slottshagen" in announcements(page)[-1]
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
    assert_no_console_problems(page)


def test_a_new_submission_keeps_what_the_moderator_has_ticked(page):
    waiting = DraftFactory(
        title="Lekplats i Pålsjö", status=Initiative.Status.SUBMITTED, submitted_at=timezone.now()
    )
    newcomer = DraftFactory(title="Bänkar vid Kärnan")
    sign_in(page, ModeratorFactory())
    open_live(page, "/moderering/", QUEUE_SOCKET)
    page.get_by_role("checkbox", name="Lekplats i Pålsjö").check()

    in_another_thread(lambda: initiative_submit(user=newcomer.author, initiative=newcomer))

    expect(page.get_by_role("checkbox", name="Bänkar vid Kärnan")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Lekplats i Pålsjö")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Bänkar vid Kärnan")).not_to_be_checked()
    assert waiting.pk != newcomer.pk
