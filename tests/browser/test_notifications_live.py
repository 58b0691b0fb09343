"""A notification that arrives live in the notification centre can be marked read at once."""

import pytest
from playwright.sync_api import expect

from ideas.actions import comment_add
from notifications.models import Notification
from tests.browser.conftest import assert_no_console_problems, sign_in
from tests.browser.test_initiatives_live import in_another_thread, open_live
from tests.factories import InitiativeFactory, UserFactory

pytestmark = pytest.mark.browser

SOCKET = '[ws-connect^="/ws/notiser/"]'


def test_a_live_notification_can_be_marked_read_without_a_reload_first(page):
    initiative = InitiativeFactory(title="Fler parkbänkar längs Sundstorget")
    sign_in(page, initiative.author, language="en")
    open_live(page, "/en/notiser/", SOCKET)
    expect(page.locator("#notification-empty")).to_be_visible()

    commenter = UserFactory(display_name="Berit Andersson")
    in_another_thread(
        lambda: comment_add(
            user=commenter, initiative=initiative, body="Gärna vid lekplatsen också!"
        )
    )

    notification = Notification.objects.get(recipient=initiative.author)
    item = page.locator(f"#notis-{notification.pk}")
    expect(item).to_contain_text("Berit Andersson")
    with page.expect_navigation():
        item.get_by_role("button", name="Mark as read").click()
    notification.refresh_from_db()
    assert notification.is_read
    expect(page.locator(f"#notis-{notification.pk}")).not_to_have_class("notification--unread")
    assert_no_console_problems(page)
