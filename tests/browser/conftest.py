"""Browser tests: the real ASGI application on a local port, driven by Debian's Chromium.

One server and one browser serve all the browser tests; every test gets a fresh browser context
and a flushed database (transactional_db), so data written by one test never leaks into the next.
"""

import os
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


class LiveServer:
    """config.asgi:application (HTTP and websockets) served by uvicorn in a background thread."""

    def __init__(self) -> None:
        import uvicorn
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

        with warnings.catch_warnings():
            # WhiteNoise looks for collected files; the finders below serve them instead.
            warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
            from config.asgi import application

        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        # Static files come from the finders, as under runserver: tests never run collectstatic.
        config = uvicorn.Config(
            ASGIStaticFilesHandler(application),
            lifespan="off",
            log_level="warning",
            ws="websockets-sansio",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("The live server did not start.")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)
        self.socket.close()


@pytest.fixture(scope="session")
def live_asgi_server(django_db_setup, django_db_blocker) -> Iterator[LiveServer]:
    # The in-memory SQLite test database is opened in shared-cache mode, so the server's request
    # threads see what the test writes; the blocker only guards the main thread's ORM use.
    with django_db_blocker.unblock():
        server = LiveServer()
        server.start()
    yield server
    server.stop()


@pytest.fixture
def live_url(live_asgi_server, transactional_db) -> str:
    return live_asgi_server.url


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    # While Playwright's sync API runs, its event loop sits on the main thread, which trips
    # Django's async-safety check whenever a test touches the ORM. The browser closes when the
    # browser tests end, so the rest of the suite keeps the check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class ConsoleProblems(list):
    """Console errors, CSP violations and uncaught exceptions seen by one page."""

    def __init__(self, page: Page) -> None:
        super().__init__()
        self.expected_failures: set[str] = set()
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.append(f"page error: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        text, url = message.text, message.location.get("url", "")
        if message.type != "error" and "Content Security Policy" not in text:
            return
        if text.startswith("Failed to load resource") and url in self.expected_failures:
            return
        self.append(f"console {message.type}: {text} ({url})")

    def expect_failed_load(self, url: str) -> None:
        """Tolerate the error status of one address, such as a page meant to be missing."""
        self.expected_failures.add(url)


@pytest.fixture
def page(browser, live_url) -> Iterator[Page]:
    context = browser.new_context(base_url=live_url, locale="sv-SE")
    page = context.new_page()
    page.live_url = live_url
    page.console_problems = ConsoleProblems(page)
    yield page
    context.close()


def assert_no_console_problems(page: Page) -> None:
    problems = page.console_problems
    assert not problems, "The page logged problems:\n" + "\n".join(problems)


def sign_in(page: Page, user, *, language: str = "sv") -> None:
    """Sign in through the real allauth form, as a person would."""
    prefix = "/en" if language == "en" else ""
    page.goto(f"{prefix}/konto/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert "/konto/login/" not in page.url, "Signing in failed"


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        impact, rule, help_text = violation["impact"], violation["id"], violation["help"]
        lines.append(f"[{impact}] {rule}: {help_text} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Run axe-core with its default rules (WCAG 2.0/2.1 A and AA, best practices)."""
    # Evaluated through the DevTools protocol, so the site's CSP stays on for its own scripts.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    # resultTypes only trims the details kept for passing rules; every rule still runs.
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    violations = results["violations"]
    assert not violations, f"axe found violations on {page.url}:\n" + format_violations(violations)
