"""Live updates between two people: what one does shows on the other's open page, unreloaded."""

import threading
from collections.abc import Callable, Iterator

import pytest
from django.db import connections
from playwright.sync_api import BrowserContext, Page, expect
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from ideas.actions import comment_add, do_initiative_publish, support_set
from ideas.models import Initiative
from tests.browser.conftest import ConsoleProblems, assert_no_console_problems, sign_in
from tests.factories import DraftFactory, InitiativeFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.browser

# Collects every text the polite live region takes, so that a sentence replaced a moment later
# by the next one still counts as said. The region is marked: screen readers announce changes
# inside a live region that is already there, and may say nothing when it is swapped for a new one.
RECORD_ANNOUNCEMENTS = """() => {
    document.getElementById("live-announcer").dataset.watched = "true";
    window.liveAnnouncements = [];
    const record = () => {
        const text = document.getElementById("live-announcer")?.textContent.trim() ?? "";
        const said = window.liveAnnouncements;
        if (text && said[said.length - 1] !== text) said.push(text);
    };
    new MutationObserver(record).observe(document.body, {
        childList: true, subtree: true, characterData: true,
    });
}"""


def in_another_thread(action: Callable[[], object]) -> None:
    """Run an action as another request would, off the test's thread.

    Playwright's event loop sits on the test's thread, where async_to_sync refuses to run, so an
    action's live message sent from here would be dropped (and logged) by core.live.
    """
    failures: list[BaseException] = []

    def run() -> None:
        try:
            action()
        except BaseException as error:  # noqa: BLE001 — re-raised on the test's thread.
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=10)
    if failures:
        raise failures[0]


@pytest.fixture
def other_context(browser, live_url) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=live_url, locale="sv-SE")
    yield context
    context.close()


@pytest.fixture
def other_page(other_context) -> Page:
    page = other_context.new_page()
    page.console_problems = ConsoleProblems(page)
    return page


def open_live(page: Page, path: str, socket_holder: str) -> None:
    """Open a page and wait until its live socket is open (site.js marks the element)."""
    page.goto(path)
    expect(page.locator(f"{socket_holder}[data-live-opened-before=true]")).to_have_count(1)
    page.evaluate(RECORD_ANNOUNCEMENTS)


def announcements(page: Page) -> list[str]:
    return page.evaluate("() => window.liveAnnouncements")


def test_support_and_comment_from_another_person_show_without_reload(page, other_page):
    initiative = InitiativeFactory(title="Fler parkbänkar längs Sundstorget")
    resident = UserFactory(display_name="Berit Andersson")
    open_live(page, initiative.get_absolute_url(), "article")
    stats = page.locator(f"#initiativ-{initiative.pk}-stats")
    expect(stats).to_contain_text("0 stöd")
    announcer = page.locator("#live-announcer")
    expect(announcer).to_be_empty()

    sign_in(other_page, resident)
    other_page.goto(initiative.get_absolute_url())
    other_page.get_by_role("button", name="Stöd initiativet").click()
    expect(other_page.get_by_text("Du stödjer det här initiativet.")).to_be_visible()

    expect(stats).to_contain_text("1 stöd")
    support_sentence = "”Fler parkbänkar längs Sundstorget” har nu 1 stöd."
    expect(announcer).to_have_text(support_sentence)

    other_page.get_by_label("Din kommentar").fill("Bänkar i skuggan, gärna nära lekplatsen.")
    # The comment is posted with htmx: the author's page stays, with the comment in place.
    other_page.get_by_role("button", name="Publicera kommentar").click()
    expect(other_page.locator("#comment-list .comment")).to_have_count(1)

    comment = page.locator("#comment-list .comment").filter(has_text="nära lekplatsen")
    expect(comment).to_contain_text("Berit Andersson")
    expect(stats).to_contain_text("1 kommentar")
    comment_sentence = "Ny kommentar från Berit Andersson."
    page.wait_for_function(
        "(sentence) => window.liveAnnouncements.includes(sentence)", arg=comment_sentence
    )
    assert announcements(page)[:2] == [support_sentence, comment_sentence]
    expect(page.locator("#live-announcer[data-watched=true][aria-live=polite]")).to_have_count(1)
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
    assert_no_console_problems(page)
    assert_no_console_problems(other_page)


def test_english_page_shows_a_new_support_in_english(page):
    initiative = InitiativeFactory(title="More benches along Sundstorget")
    open_live(page, f"/en{initiative.get_absolute_url()}", "article")

    in_another_thread(
        lambda: support_set(user=UserFactory(), initiative=initiative, supported=True)
    )

    expect(page.locator(f"#initiativ-{initiative.pk}-stats")).to_contain_text("1 support")
    expect(page.locator("#live-announcer")).to_have_text(
        "“More benches along Sundstorget” now has 1 support."
    )
    assert_no_console_problems(page)


def test_list_shows_a_newly_published_initiative_and_changing_counts(page):
    listed = InitiativeFactory(title="Boulebana i Slottshagen")
    submitted = DraftFactory(title="Sommarbio på Gröningen", status=Initiative.Status.SUBMITTED)
    moderator = ModeratorFactory()
    open_live(page, "/initiativ/", "#results")
    new_list = page.get_by_role("list", name="Publicerade sedan du öppnade sidan")
    expect(new_list.locator("li")).to_have_count(0)

    in_another_thread(lambda: do_initiative_publish(initiative=submitted, actor=moderator))
    submitted.refresh_from_db()

    new_card = new_list.locator(f"#initiativ-{submitted.pk}")
    expect(new_card.get_by_role("link", name="Sommarbio på Gröningen")).to_be_visible()
    expect(page.locator("#live-announcer")).to_have_text(
        "Nytt initiativ publicerat: ”Sommarbio på Gröningen”."
    )

    in_another_thread(lambda: support_set(user=UserFactory(), initiative=listed, supported=True))
    expect(page.locator(f"#initiativ-{listed.pk}-counts")).to_have_text("1 stöd · 0 kommentarer")
    in_another_thread(lambda: support_set(user=UserFactory(), initiative=submitted, supported=True))
    expect(new_card.locator(f"#initiativ-{submitted.pk}-counts")).to_have_text(
        "1 stöd · 0 kommentarer"
    )
    assert_no_console_problems(page)


def drop_live_sockets(server) -> None:
    """Cut the live sockets' TCP connections on the server, as a lost network would.

    Chromium's offline emulation (context.set_offline) only holds an open socket's frames until
    it is back online, so nothing is missed and nothing reconnects; an aborted connection closes
    in the browser with 1006, which the htmx ws extension answers by reconnecting.
    """
    for connection in list(server.server.server_state.connections):
        if isinstance(connection, WebSocketsSansIOProtocol):
            connection.loop.call_soon_threadsafe(connection.transport.abort)


def watch_frames(page: Page) -> dict[int, list[str]]:
    """The messages each live socket of the page receives, by the order the sockets opened."""
    frames: dict[int, list[str]] = {}

    def watch(socket) -> None:
        received = frames.setdefault(len(frames), [])
        socket.on("framereceived", lambda payload: received.append(payload))

    page.on("websocket", watch)
    return frames


def test_page_catches_up_after_the_connection_drops(page, live_asgi_server):
    initiative = InitiativeFactory()
    frames = watch_frames(page)
    open_live(page, initiative.get_absolute_url(), "article")
    # The backoff is random (up to a second on the first retry); a fixed second makes sure the
    # support below happens while the page is disconnected, so it can only arrive by catching up.
    page.evaluate("() => { htmx.config.wsReconnectDelay = () => 1000; }")
    stats = page.locator(f"#initiativ-{initiative.pk}-stats")
    expect(stats).to_contain_text("0 stöd")

    with page.expect_event("websocket"):
        drop_live_sockets(live_asgi_server)
        in_another_thread(
            lambda: support_set(user=UserFactory(), initiative=initiative, supported=True)
        )
        expect(stats).to_contain_text("0 stöd")
    with page.expect_response(f"**/initiativ/{initiative.pk}/live/stod/"):
        expect(stats).to_contain_text("1 stöd")

    assert len(frames) == 2
    assert not frames[1], "The missed support came over the new socket, not by catching up"
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
    assert_no_console_problems(page)


def test_list_catches_up_after_the_connection_drops(page, live_asgi_server):
    listed = InitiativeFactory()
    frames = watch_frames(page)
    open_live(page, "/initiativ/?sort=nyast", "#results")
    page.evaluate("() => { htmx.config.wsReconnectDelay = () => 1000; }")
    counts = page.locator(f"#initiativ-{listed.pk}-counts")

    with page.expect_event("websocket"):
        drop_live_sockets(live_asgi_server)
        in_another_thread(
            lambda: support_set(user=UserFactory(), initiative=listed, supported=True)
        )
        expect(counts).to_contain_text("0 stöd")
    expect(counts).to_contain_text("1 stöd")

    assert not frames[1], "The missed support came over the new socket, not by catching up"
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
    assert_no_console_problems(page)


def test_a_new_comment_stays_the_last_thing_announced(page):
    initiative = InitiativeFactory()
    open_live(page, initiative.get_absolute_url(), "article")

    in_another_thread(
        lambda: comment_add(
            user=UserFactory(display_name="Berit Andersson"), initiative=initiative, body="Ja!"
        )
    )

    # The counts come after the comment, so once they show, nothing more is on its way.
    expect(page.locator(f"#initiativ-{initiative.pk}-stats")).to_contain_text("1 kommentar")
    assert page.locator("#live-announcer").text_content() == "Ny kommentar från Berit Andersson."
