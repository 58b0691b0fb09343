"""An author's edit of a published initiative shows on the pages people have open, and a page
that was offline when it happened catches up when it reconnects."""

import pytest
from playwright.sync_api import expect

from ideas.models import Initiative
from tests.browser.conftest import assert_no_console_problems
from tests.browser.test_initiatives_live import (
    announcements,
    drop_live_sockets,
    in_another_thread,
    open_live,
    watch_frames,
)
from tests.factories import InitiativeFactory, published_edit

pytestmark = pytest.mark.browser

BODY = "Vi föreslår tio nya bänkar i skuggan under träden."


def _edit(initiative: Initiative, **changes) -> None:
    in_another_thread(lambda: published_edit(initiative, **changes))


def test_an_edit_shows_on_an_open_page_without_reload(page):
    initiative = InitiativeFactory(body=BODY, body_html=f"<p>{BODY}</p>")
    open_live(page, initiative.get_absolute_url(), "article")
    expect(page.locator("#initiative-versions details")).to_have_count(0)

    _edit(
        initiative,
        title="Tio nya bänkar längs Sundstorget",
        body=BODY.replace("träden", "lindarna"),
    )

    expect(page.locator("h1")).to_have_text("Tio nya bänkar längs Sundstorget")
    expect(page.locator("#initiative-text")).to_contain_text("lindarna")
    expect(page.locator("#initiative-edited a")).to_be_visible()
    history = page.locator("#initiative-versions details")
    expect(history).to_have_count(1)
    history.locator("summary").click()
    expect(history.locator("del", has_text="träden")).to_be_visible()
    expect(history.locator("ins", has_text="lindarna")).to_be_visible()
    assert any("Tio nya bänkar längs Sundstorget" in said for said in announcements(page))
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
    assert_no_console_problems(page)


def test_a_page_offline_during_an_edit_catches_up(page, live_asgi_server):
    initiative = InitiativeFactory(body=BODY, body_html=f"<p>{BODY}</p>")
    frames = watch_frames(page)
    open_live(page, initiative.get_absolute_url(), "article")
    page.evaluate("() => { htmx.config.wsReconnectDelay = () => 1000; }")

    with page.expect_event("websocket"):
        drop_live_sockets(live_asgi_server)
        _edit(initiative, body=BODY.replace("träden", "lindarna"))
        expect(page.locator("#initiative-text")).to_contain_text("träden")
    with page.expect_response(f"**/initiativ/{initiative.pk}/live/text/"):
        expect(page.locator("#initiative-text")).to_contain_text("lindarna")

    expect(page.locator("#initiative-versions details")).to_have_count(1)
    assert not frames[1], "The missed edit came over the new socket, not by catching up"
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
    assert_no_console_problems(page)
