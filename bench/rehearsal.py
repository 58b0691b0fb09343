"""The production rehearsal: the production topology started natively, a browser's live
scenario through nginx, a bounded load of simulated people with three faults, and a check that
every acknowledged write is in the database exactly once.

    make rehearse                                   # or, with the test dependencies installed:
    .venv/bin/python -m bench.rehearsal [--people 24] [--steady 15] [--keep]

1. Starts what docker-compose.yml runs (bench/topology.py), in a temporary folder, on free ports
   of 127.0.0.1: a PostgreSQL cluster and a Redis of its own, the two web services (granian with
   compose's command through platform/entrypoint.sh), the task worker, and nginx serving
   platform/nginx.conf.
   Fills the database with bench/generate.py (small) and makes verified people, signed in with
   sessions made in-process.
2. Checks the proxy: pages, CSS and htmx compressed, hashed static files cached for a year.
3. The browser's live scenario, through nginx, in Debian's Chromium: one person watches an
   initiative, another signs in, supports it and comments; the first sees both without
   reloading. That page stays open through everything below.
4. The load: simulated people browse the list, search, open initiatives with their websocket,
   support and comment (as the page's forms post: CSRF token, the comment's client token), each
   through nginx as the TLS terminator in front of it would pass them on (X-Forwarded-Proto:
   https, X-Forwarded-For). Pages of a few initiatives stay open with their sockets, reconnect as
   htmx's ws extension does (close codes 1006/1011/1012/1013, full-jitter backoff) and fetch
   their live parts again on reconnect, as static/js/site.js makes the page do. Meanwhile:
   steady, Redis stopped for --redis-down seconds, steady, one granian worker killed, steady,
   PostgreSQL restarted (down --postgres-down seconds), steady.
5. Checks, in the database: each acknowledged support and comment exists exactly once, and every
   initiative's support_count and comment_count equal its rows; on the open pages: they show the
   database's counts and every acknowledged comment (live or after a reconnect).

A write is acknowledged when the person is told it happened: a support when the answer says
"Du stödjer det här initiativet.", a comment when the answer redirects to the new comment.
Unacknowledged writes are tried again up to --retries times, as a person presses again.
It prints p50/p95/p99 per action, errors per phase and the integrity summary, writes
bench/data/rehearsal.json, and exits non-zero when integrity fails, when a request fails outside
a fault (a fault lasts from its start until --recovery seconds after the service is back), when
a fault does not look as it must (writes go on while Redis is down; a second after a worker is
killed the other serves everything; every refusal while PostgreSQL is down is a 503), when an
open page does not end showing the database's counts and acknowledged comments, or when the
proxy or browser checks fail. Everything it started is stopped at the end; a failed run keeps
its folder and prints the end of each log.
"""

import argparse
import asyncio
import contextlib
import gzip
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from bench.topology import HOST, RESPAWN, ROOT, Topology

DATA = ROOT / "bench" / "data"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
RECONNECT_CODES = {1006, 1011, 1012, 1013}  # htmx's ws extension reconnects on these
# A browser gives a socket's handshake no timeout of its own: it waits for the server's answer.
# The server answers 503 at the latest when the database pool gives up (config/settings.py, 10 s),
# so the client waits longer than that; with 10 s, both timed out together when PostgreSQL was
# down, and the client counted a TimeoutError before the 503 arrived.
OPEN_TIMEOUT = 20
SUPPORTED = "Du stödjer det här initiativet."
SEARCH_WORDS = ["bollplan", "lekplats", "cykelbana", "parkbänk", "bibliotek", "utegym"]
SORTS = ["", "nyast", "mest-stod", "mest-diskuterade", "trendar"]
BROWSER_PASSWORD = "rehearsal-" + uuid.uuid4().hex


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def say(text: str = "") -> None:
    print(text, flush=True)


def section(title: str, began: float) -> None:
    say(f"\n---- {title}  [{time.monotonic() - began:.0f}s]")


# --- HTTP through nginx ------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, list[str]]
    body: bytes
    wire_bytes: int

    def header(self, name: str) -> str:
        return ", ".join(self.headers.get(name, []))

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


class Connection:
    """One keep-alive HTTP/1.1 connection to nginx, as a browser tab holds one; opened again
    after any failure."""

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None
        self.protocol = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.writer.wait_closed(), 2)
        self.reader = self.writer = self.protocol = None

    async def request(
        self, method: str, target: str, headers: list[tuple[str, str]], body: bytes = b"",
        timeout: float = 30,
    ) -> Answer:  # fmt: skip
        reused = self.writer is not None
        try:
            return await asyncio.wait_for(self._exchange(method, target, headers, body), timeout)
        except (ConnectionError, EOFError) as error:
            await self.close()
            # A keep-alive connection the server closed meanwhile: browsers send a GET again.
            if reused and method == "GET" and getattr(error, "nothing_received", False):
                return await asyncio.wait_for(
                    self._exchange(method, target, headers, body), timeout
                )
            raise
        except BaseException:
            await self.close()
            raise

    async def _exchange(self, method, target, headers, body) -> Answer:
        import h11

        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
            self.protocol = h11.Connection(h11.CLIENT)
        protocol = self.protocol
        headers = [("Host", f"{HOST}:{self.port}"), *headers]
        if body:
            headers.append(("Content-Length", str(len(body))))
        data = protocol.send(h11.Request(method=method, target=target, headers=headers))
        if body:
            data += protocol.send(h11.Data(data=body))
        data += protocol.send(h11.EndOfMessage())
        self.writer.write(data)
        await self.writer.drain()
        status, answer_headers, chunks, wire = 0, defaultdict(list), [], 0
        while True:
            event = protocol.next_event()
            if event is h11.NEED_DATA:
                received = await self.reader.read(65536)
                if not received:
                    error = ConnectionError("the connection closed before the answer ended")
                    error.nothing_received = wire == 0
                    raise error
                wire += len(received)
                protocol.receive_data(received)
            elif isinstance(event, h11.Response):
                status = event.status_code
                for name, value in event.headers:
                    answer_headers[name.decode().lower()].append(value.decode("latin-1"))
            elif isinstance(event, h11.Data):
                chunks.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                break
            elif isinstance(event, h11.ConnectionClosed):
                raise ConnectionError("closed")
        body = b"".join(chunks)
        if "gzip" in ",".join(answer_headers.get("content-encoding", [])):
            body = gzip.decompress(body)
        if protocol.our_state is h11.DONE and protocol.their_state is h11.DONE:
            protocol.start_next_cycle()
        else:
            await self.close()
        return Answer(status, dict(answer_headers), body, wire)


class Browser:
    """What one simulated person's browser sends: cookies, language, and the headers the TLS
    terminator in front of nginx adds (the scheme, and the person's address)."""

    def __init__(self, port: int, address: str, session: str | None = None):
        self.port = port
        self.address = address
        self.cookies: dict[str, str] = {"sessionid": session} if session else {}
        self.http = Connection(port)
        self.origin = f"http://{HOST}:{port}"

    def headers(self, extra=()) -> list[tuple[str, str]]:
        headers = [
            ("User-Agent", "tillsammans-rehearsal"),
            ("Accept", "text/html,*/*"),
            ("Accept-Language", "sv"),
            ("Accept-Encoding", "gzip"),
            ("X-Forwarded-Proto", "https"),
            ("X-Forwarded-For", self.address),
        ]
        if self.cookies:
            headers.append(("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items())))
        return headers + list(extra)

    def socket_headers(self) -> list[tuple[str, str]]:
        """What a browser's websocket handshake carries besides its origin."""
        return [
            (name, value)
            for name, value in self.headers()
            if name in {"X-Forwarded-Proto", "X-Forwarded-For", "Cookie", "User-Agent"}
        ]

    def keep_cookies(self, answer: Answer) -> None:
        for line in answer.headers.get("set-cookie", []):
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0]
            if value and "max-age=0" not in line.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)

    async def get(self, path: str, extra=(), timeout: float = 30) -> Answer:
        answer = await self.http.request("GET", path, self.headers(extra), timeout=timeout)
        self.keep_cookies(answer)
        return answer

    async def post(self, path: str, fields: dict, referer: str, extra=()) -> Answer:
        headers = self.headers(
            [
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Origin", self.origin),
                ("Referer", f"{self.origin}{referer}"),
                *extra,
            ]
        )
        answer = await self.http.request("POST", path, headers, urlencode(fields).encode())
        self.keep_cookies(answer)
        return answer


def csrf_token(html: str) -> str | None:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found[1] if found else None


def stats_of(html: str, pk: int) -> tuple[int, int] | None:
    """(supports, comments) from an initiative's stats fragment, when the text holds one."""
    start = html.find(f'id="initiativ-{pk}-stats"')
    if start < 0:
        return None
    part = html[start : start + 3000]
    supports = re.search(r'class="stats__count"><strong>(\d+) stöd', part)
    comments = re.search(r"(\d+) kommentar", part)
    if not supports or not comments:
        return None
    return int(supports[1]), int(comments[1])


def acknowledges_support(answer: Answer) -> bool:
    """The support form's answer after the write, saying the person supports it now."""
    return answer.status == 200 and SUPPORTED in answer.text


def created_comment(answer: Answer) -> int | None:
    """The comment a comment form's answer redirects to, when it was created."""
    found = re.search(r"#kommentar-(\d+)$", answer.header("location"))
    return int(found[1]) if answer.status == 302 and found else None


def comment_ids(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'<li id="kommentar-(\d+)"', html)}


# --- what happened ---------------------------------------------------------------------------


@dataclass
class Sample:
    action: str
    start: float
    end: float
    ok: bool
    outcome: str  # the status, or what went wrong


@dataclass
class Write:
    kind: str  # "support" or "comment"
    user: int
    initiative: int
    token: str  # the comment's client token
    started: float
    outcomes: list[str] = field(default_factory=list)
    acknowledged_at: float | None = None
    comment: int | None = None


@dataclass
class Phase:
    name: str
    fault: str | None
    start: float
    end: float = 0.0
    notes: list[str] = field(default_factory=list)
    marks: dict[str, float] = field(default_factory=dict)


class Record:
    def __init__(self):
        self.samples: list[Sample] = []
        self.writes: list[Write] = []
        self.phases: list[Phase] = []

    def add(self, action: str, start: float, ok: bool, outcome: str) -> None:
        self.samples.append(Sample(action, start, time.monotonic(), ok, outcome))

    def phase_of(self, start: float, end: float) -> Phase:
        """The fault whose window the interval overlaps, else the phase it started in."""
        for phase in self.phases:
            if phase.fault and start <= (phase.end or float("inf")) and end >= phase.start:
                return phase
        for phase in reversed(self.phases):
            if start >= phase.start:
                return phase
        return self.phases[0]


# --- the people --------------------------------------------------------------------------------


class Person:
    """Browses, searches, opens initiatives with their live socket, supports and comments."""

    def __init__(self, index, user_id, session, port, initiatives, record, args, rng):
        self.index = index
        self.user_id = user_id
        self.browser = Browser(port, f"203.0.113.{index + 1}", session)
        self.initiatives = initiatives
        self.record = record
        self.args = args
        self.rng = rng
        self.supported: set[int] = set()

    async def timed(self, action: str, call, ok=lambda answer: answer.status == 200):
        """The answer of `call`, recorded as a sample of `action`; None when it failed."""
        start = time.monotonic()
        try:
            answer = await call()
        except Exception as error:  # noqa: BLE001 — every failure is recorded, none stops a person
            self.record.add(action, start, False, type(error).__name__)
            return None
        self.record.add(action, start, bool(ok(answer)), str(answer.status))
        return answer

    async def think(self, low: float, high: float) -> None:
        await asyncio.sleep(self.rng.uniform(low, high) * self.args.think)

    async def run(self, stop: asyncio.Event) -> None:
        await asyncio.sleep(self.rng.uniform(0, 2))
        while not stop.is_set():
            roll = self.rng.random()
            if roll < 0.2:
                sort = self.rng.choice(SORTS)
                await self.timed("list", lambda s=sort: self.browser.get(
                    "/initiativ/" + (f"?sort={s}" if s else "")))  # fmt: skip
            elif roll < 0.35:
                word = self.rng.choice(SEARCH_WORDS)
                path = f"/initiativ/?q={quote(word)}"
                await self.timed("search", lambda p=path: self.browser.get(p))
            else:
                await self.visit(self.rng.choice(self.initiatives))
            await self.think(0.5, 2.0)
        await self.browser.http.close()

    async def visit(self, initiative: dict) -> None:
        path = initiative["url"]
        page = await self.timed("detail", lambda: self.browser.get(path))
        if page is None or page.status != 200:
            return
        socket = await self.open_socket(initiative["pk"])
        try:
            await self.think(0.5, 1.5)
            token = csrf_token(page.text)
            if token and initiative["pk"] not in self.supported and self.rng.random() < 0.5:
                await self.support(initiative, token)
            if token and self.rng.random() < 0.2:
                client_token = re.search(r'name="client_token" value="([^"]+)"', page.text)
                if client_token:
                    await self.comment(initiative, token, client_token[1])
            await self.think(0.5, 2.0)
        finally:
            if socket is not None:
                socket[1].cancel()
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(socket[0].close(), 3)

    async def open_socket(self, pk: int):
        """The page's socket, opened as htmx's ws extension does: a failed opening is tried
        again after a random wait (up to 1 s, then 2 s); it fails when the third one fails."""
        from websockets.asyncio.client import connect

        start, failures = time.monotonic(), []
        for retry in range(3):
            try:
                websocket = await connect(
                    f"ws://{HOST}:{self.browser.port}/ws/initiativ/{pk}/?lang=sv",
                    origin=self.browser.origin,
                    additional_headers=self.browser.socket_headers(),
                    open_timeout=OPEN_TIMEOUT,
                )
                break
            except Exception as error:  # noqa: BLE001
                # A refused handshake counts by its status, as a page does: 503 while a
                # service is down is the answer expected; a 502 means the server dropped it.
                response = getattr(error, "response", None)
                failures.append(
                    str(response.status_code) if response is not None else type(error).__name__
                )
                await asyncio.sleep(self.rng.random() * 2**retry)
        else:
            self.record.add("websocket", start, False, failures[-1])
            return None
        self.record.add("websocket", start, True, "101" if not failures else "101 on retry")

        async def drain():
            with contextlib.suppress(Exception):
                async for _message in websocket:
                    pass

        return websocket, asyncio.create_task(drain())

    async def support(self, initiative: dict, token: str) -> None:
        write = Write("support", self.user_id, initiative["pk"], "", time.monotonic())
        self.record.writes.append(write)
        fields = {"csrfmiddlewaretoken": token, "stod": "1"}
        for attempt in range(self.args.retries + 1):
            answer = await self.timed(
                "support",
                lambda: self.browser.post(
                    f"/initiativ/{initiative['pk']}/stod/", fields, initiative["url"],
                    [("HX-Request", "true"), ("HX-Target", "support-form")],
                ),
                ok=acknowledges_support,
            )  # fmt: skip
            if answer is not None and acknowledges_support(answer):
                write.acknowledged_at = time.monotonic()
                write.outcomes.append("acknowledged")
                self.supported.add(initiative["pk"])
                return
            write.outcomes.append("error" if answer is None else str(answer.status))
            if attempt < self.args.retries:
                await self.think(1.0, 3.0)

    async def comment(self, initiative: dict, token: str, client_token: str) -> None:
        write = Write("comment", self.user_id, initiative["pk"], client_token, time.monotonic())
        self.record.writes.append(write)
        body = (
            f"Repetition {client_token}: {self.rng.choice(SEARCH_WORDS)} behövs här, "
            "gärna till sommaren."
        )
        fields = {"csrfmiddlewaretoken": token, "body": body, "client_token": client_token}
        for attempt in range(self.args.retries + 1):
            answer = await self.timed(
                "comment",
                lambda: self.browser.post(
                    f"/initiativ/{initiative['pk']}/kommentarer/", fields, initiative["url"]
                ),
                ok=created_comment,
            )
            if answer is not None and created_comment(answer):
                write.acknowledged_at = time.monotonic()
                write.comment = created_comment(answer)
                write.outcomes.append("acknowledged")
                return
            write.outcomes.append("error" if answer is None else str(answer.status))
            if attempt < self.args.retries:
                await self.think(1.0, 3.0)


# --- open pages --------------------------------------------------------------------------------


class Watcher:
    """An initiative's page left open: its socket, reconnected as htmx's ws extension does it,
    and its live parts fetched again after each reconnect, as static/js/site.js does it."""

    def __init__(self, name: str, pk: int, url: str, port: int, record: Record):
        self.name = name
        self.pk = pk
        self.url = url
        self.browser = Browser(port, "198.51.100.20")
        self.record = record
        self.counts: tuple[int, int] | None = None
        self.seen: dict[int, float] = {}  # comment -> when it first showed, live or caught up
        self.seen_live: dict[int, float] = {}  # comment -> when it arrived over the socket
        self.opened: list[float] = []
        self.closed: list[tuple[float, int]] = []
        self.live_messages: list[float] = []
        self.failed_opens = 0
        self.connected = False
        self.gave_up = ""

    async def run(self, rng: random.Random) -> None:
        """Until cancelled: open the socket, listen, and when it closes, open it again."""
        page = await self.browser.get(self.url)
        self.counts = stats_of(page.text, self.pk)
        self.seen.update(dict.fromkeys(comment_ids(page.text), time.monotonic()))
        retries = 0
        while True:
            opened, code = await self.listen()
            if opened:
                retries = 0
            if code not in RECONNECT_CODES:
                self.gave_up = f"closed with {code}; the page would not reconnect"
                return
            # htmx's "full-jitter": a random wait of up to 2^retries seconds (at most 64).
            await asyncio.sleep(rng.random() * 2 ** min(retries, 6))
            retries += 1

    async def listen(self) -> tuple[bool, int]:
        """One connection: whether it opened, and the close code the page would see."""
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed

        try:
            websocket = await connect(
                f"ws://{HOST}:{self.browser.port}/ws/initiativ/{self.pk}/?lang=sv",
                origin=self.browser.origin,
                additional_headers=self.browser.socket_headers(),
                open_timeout=OPEN_TIMEOUT,
            )
        except Exception:  # noqa: BLE001 — a browser reports a failed handshake as 1006
            self.failed_opens += 1
            return False, 1006
        self.connected = True
        self.opened.append(time.monotonic())
        code = 1006
        try:
            if len(self.opened) > 1:
                await self.catch_up()
            async for message in websocket:
                self.receive(message)
            code = websocket.close_code or 1006
        except ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd else 1006
        finally:
            self.connected = False
            self.closed.append((time.monotonic(), code))
            with contextlib.suppress(Exception):
                await asyncio.wait_for(websocket.close(), 3)
        return True, code

    def receive(self, message: str) -> None:
        now = time.monotonic()
        self.live_messages.append(now)
        counts = stats_of(message, self.pk)
        if counts is not None:
            self.counts = counts
        for pk in comment_ids(message):
            self.seen.setdefault(pk, now)
            self.seen_live.setdefault(pk, now)

    async def catch_up(self) -> None:
        """The two live parts, fetched again; a part that fails stays as it was, as on the
        page (htmx does not retry a failed request)."""
        for path in (f"/initiativ/{self.pk}/live/stod/",
                     f"/initiativ/{self.pk}/live/kommentarer/?kommentarer=1"):  # fmt: skip
            start = time.monotonic()
            try:
                answer = await self.browser.get(path)
            except Exception as error:  # noqa: BLE001
                self.record.add("catch-up", start, False, type(error).__name__)
                continue
            self.record.add("catch-up", start, answer.status == 200, str(answer.status))
            if answer.status != 200:
                continue
            self.counts = stats_of(answer.text, self.pk) or self.counts
            now = time.monotonic()
            for pk in comment_ids(answer.text):
                self.seen.setdefault(pk, now)

    def was_open(self, start: float, end: float) -> bool:
        """Whether the socket was open at `start` and stayed open until `end`."""
        events = sorted(
            [(opened, "open") for opened in self.opened]
            + [(closed, "closed") for closed, _code in self.closed]
        )
        before = [kind for when, kind in events if when <= start]
        during = [kind for when, kind in events if start < when <= end]
        return bool(before) and before[-1] == "open" and "closed" not in during


# --- the browser -------------------------------------------------------------------------------


class BrowserScenario:
    """Two people in Chromium, through nginx: one watches, the other supports and comments."""

    def __init__(self, url: str, initiative: dict, person: dict, record: Record):
        self.url = url
        self.initiative = initiative
        self.person = person
        self.record = record
        self.problems: list[str] = []
        self.watching = None
        self.contexts = []
        self.comment_text = f"Repetition i webbläsaren {uuid.uuid4().hex[:12]}: fler bänkar."

    async def context(self, playwright_browser, address: str):
        context = await playwright_browser.new_context(
            base_url=self.url,
            locale="sv-SE",
            # The TLS terminator's headers, which nginx trusts from 127.0.0.1.
            extra_http_headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": address},
        )
        self.contexts.append(context)
        page = await context.new_page()
        page.on(
            "console",
            lambda message: (
                message.type == "error" and self.problems.append(f"console: {message.text}")
            ),
        )
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        return page

    async def run(self, playwright_browser) -> None:
        from playwright.async_api import expect

        pk, path = self.initiative["pk"], self.initiative["url"]
        supports = self.initiative["support_count"]
        self.watching = await self.context(playwright_browser, "198.51.100.7")
        await self.watching.goto(path)
        await expect(self.watching.locator("article[data-live-opened-before=true]")).to_have_count(
            1, timeout=15_000
        )
        stats = self.watching.locator(f"#initiativ-{pk}-stats")
        await expect(stats).to_contain_text(f"{supports} stöd")

        acting = await self.context(playwright_browser, "198.51.100.8")
        await acting.goto("/konto/login/")
        await acting.locator("input[name=login]").fill(self.person["email"])
        await acting.locator("input[name=password]").fill(BROWSER_PASSWORD)
        async with acting.expect_navigation():
            await acting.locator("main form button[type=submit]").first.click()
        if "/konto/login/" in acting.url:
            raise AssertionError("signing in through nginx failed")
        await acting.goto(path)
        started = time.monotonic()
        support = Write("support", self.person["id"], pk, "", started)
        self.record.writes.append(support)
        await acting.get_by_role("button", name="Stöd initiativet").click()
        await expect(acting.get_by_text(SUPPORTED)).to_be_visible()
        support.acknowledged_at = time.monotonic()
        comment = Write("comment", self.person["id"], pk, self.comment_text, time.monotonic())
        self.record.writes.append(comment)
        await acting.locator("#id_body").fill(self.comment_text)
        # The comment posts through htmx: the page acknowledges it by showing the new comment,
        # named by its id, in place (and moving focus to it).
        await acting.get_by_role("button", name="Publicera kommentar").click()
        posted = acting.locator("#comment-list .comment").filter(has_text=self.comment_text)
        await expect(posted).to_have_count(1, timeout=10_000)
        created = re.fullmatch(r"kommentar-(\d+)", await posted.get_attribute("id") or "")
        if not created:
            raise AssertionError("the comment was not acknowledged with its id")
        comment.acknowledged_at, comment.comment = time.monotonic(), int(created[1])

        await expect(stats).to_contain_text(f"{supports + 1} stöd", timeout=10_000)
        await expect(self.watching.locator("#comment-list")).to_contain_text(
            self.comment_text, timeout=10_000
        )
        await expect(self.watching.locator("#live-announcer")).to_contain_text("Ny kommentar")
        say(
            f"  watching page: support and comment arrived live "
            f"{time.monotonic() - started:.1f} s after the support was clicked"
        )
        await self.assert_not_reloaded()
        if self.problems:
            raise AssertionError("the pages logged problems: " + "; ".join(self.problems))
        await acting.context.close()

    async def assert_not_reloaded(self) -> None:
        navigations = await self.watching.evaluate(
            "() => performance.getEntriesByType('navigation').length"
        )
        if navigations != 1:
            raise AssertionError("the watching page was reloaded")

    async def shown(self) -> tuple[tuple[int, int] | None, set[int]]:
        """What the watching page shows now: its counts and the comments in its list."""
        html = await self.watching.content()
        return stats_of(html, self.initiative["pk"]), comment_ids(html)


# --- the run -----------------------------------------------------------------------------------


class Rehearsal:
    def __init__(self, args, topology: Topology):
        self.args = args
        self.topology = topology
        self.record = Record()
        self.rng = random.Random(args.seed)
        self.began = time.monotonic()
        self.failures: list[str] = []
        self.summary: dict = {"args": vars(args)}

    # --- setting up --------------------------------------------------------------------------

    def start(self) -> None:
        topology = self.topology
        section("Start the production topology (bench/topology.py)", self.began)
        steps = [
            ("PostgreSQL cluster of its own", topology.start_postgres),
            ("its database", topology.create_database),
            ("Redis of its own", topology.start_redis),
            ("collectstatic (the image build's step)", topology.collectstatic),
            ("web: entrypoint.sh (migrate, import) then granian; web-2", topology.start_web),
            ("data: bench/generate.py --scale small", self.generate),
            ("worker: manage.py db_worker", topology.start_worker),
            ("proxy: nginx with platform/nginx.conf", topology.start_proxy),
        ]
        for label, step in steps:
            started = time.monotonic()
            step()
            say(f"  {label}: {time.monotonic() - started:.1f} s")
        command = " ".join(topology.web_command())
        say(f"  web command: {command}")
        workers = {service: topology.web_workers(service) for service in topology.web}
        say(f"  workers: {workers}; nginx at {topology.url}")
        if RESPAWN not in topology.web_command():
            say(
                f"  NOTE: compose's web command lacks {RESPAWN}: granian shuts down whole when "
                "one worker dies (compose's restart policy then starts it again)"
            )
        topology.supervise()

    def generate(self) -> None:
        subprocess.run(
            [sys.executable, "-m", "bench.generate", "--scale", "small"],
            cwd=ROOT,
            env=self.topology.app_env("web"),
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=600,
        )

    def prepare(self) -> None:
        """People, their sessions and the initiatives they act on (in this process)."""
        os.environ.update(self.topology.app_env("web"))
        os.environ["DATABASE_POOL"] = "0"  # this process outlives the database's restart
        import django

        django.setup()
        from allauth.account.models import EmailAddress
        from django.conf import settings
        from django.test import Client

        from accounts.models import User
        from ideas.models import Initiative

        candidates = list(
            Initiative.objects.open_for_support()
            .filter(hidden_at__isnull=True)
            .order_by("comment_count", "support_count", "pk")
            .values("pk", "slug", "support_count", "comment_count")[: self.args.initiatives]
        )
        if len(candidates) < self.args.initiatives:
            raise RuntimeError("too few initiatives open for support in the generated data")
        for item in candidates:
            item["url"] = f"/initiativ/{item['pk']}-{item['slug']}/"
        # The browser's initiative is acted on too, so that its page has to catch up after faults.
        self.browser_initiative, self.initiatives = candidates[0], candidates
        self.watched = self.initiatives[1 : self.args.watched + 1]

        self.people = []
        cookie = settings.SESSION_COOKIE_NAME
        for index in range(self.args.people):
            user = User.objects.create_user(
                email=f"repetition-{index}@example.org", display_name=f"Repetition {index}"
            )
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            client = Client()
            client.force_login(user)
            self.people.append((user.pk, client.cookies[cookie].value))
        person = User.objects.create_user(
            email="repetition-webblasare@example.org",
            password=BROWSER_PASSWORD,
            display_name="Berit Repetition",
        )
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
        self.browser_person = {"id": person.pk, "email": person.email}
        from django.db import connections

        connections.close_all()
        say(
            f"  {len(self.people)} people, {len(self.initiatives)} initiatives open for support "
            f"({len(self.watched)} kept open on pages), one person for the browser"
        )

    # --- the proxy ---------------------------------------------------------------------------

    async def check_proxy(self) -> None:
        section("Proxy: compression and caching (platform/nginx.conf)", self.began)
        browser = Browser(self.topology.ports["proxy"], "198.51.100.1")
        checks: list[tuple[str, bool]] = []
        report = {}
        page = await browser.get("/initiativ/")
        without_gzip = [h for h in browser.headers() if h[0] != "Accept-Encoding"]
        plain = await browser.http.request("GET", "/initiativ/", without_gzip)
        checks.append(("list page gzip", page.header("content-encoding") == "gzip"))
        checks.append(("list page Vary: Accept-Encoding", "Accept-Encoding" in page.header("vary")))
        report["list page"] = (plain.wire_bytes, page.wire_bytes)
        scripts = re.findall(r'src="(/static/[^"]+\.js)"', page.text)
        styles = re.findall(r'href="(/static/[^"]+\.css)"', page.text)
        for path in scripts + styles:
            answer = await browser.get(path)
            plain = await browser.http.request("GET", path, without_gzip)
            name = path.rsplit("/", 1)[1]
            report[name] = (plain.wire_bytes, answer.wire_bytes)
            control = answer.header("cache-control")
            checks.append((f"{name} gzip", answer.header("content-encoding") == "gzip"))
            hashed = bool(re.search(r"\.[0-9a-f]{12}\.\w+$", name))
            checks.append((f"{name} hashed", hashed))
            checks.append(
                (f"{name} cached a year, immutable", "max-age=31536000" in control
                 and "immutable" in control)
            )  # fmt: skip
        unhashed = re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", styles[0]) if styles else ""
        if unhashed:
            answer = await browser.get(unhashed)
            control = answer.header("cache-control")
            checks.append(
                (f"{unhashed} (unhashed) cached briefly", answer.status == 200
                 and "immutable" not in control and "max-age=31536000" not in control)
            )  # fmt: skip
        await browser.http.close()
        for name, (plain_bytes, gzip_bytes) in report.items():
            say(
                f"  {name}: {plain_bytes / 1024:.1f} KiB plain, {gzip_bytes / 1024:.1f} KiB "
                f"gzip ({plain_bytes - gzip_bytes} bytes saved)"
            )
        for name, ok in checks:
            say(f"  {'ok  ' if ok else 'FAIL'} {name}")
            if not ok:
                self.failures.append(f"proxy: {name}")
        self.summary["proxy"] = {"bytes": report, "checks": dict(checks)}

    # --- faults ------------------------------------------------------------------------------

    def redis_fault(self, phase: Phase) -> None:
        self.topology.stop_redis()
        phase.notes.append("Redis stopped")
        time.sleep(self.args.redis_down)
        phase.marks["started"] = time.monotonic()
        self.topology.start_redis()
        phase.notes.append(f"Redis started again after {self.args.redis_down:g} s")

    def granian_fault(self, phase: Phase) -> None:
        before = self.topology.web_workers()
        victim = before[0]
        os.kill(victim, signal.SIGKILL)
        killed = phase.marks["killed"] = time.monotonic()
        phase.notes.append(f"granian worker {victim} killed (SIGKILL); workers were {before}")
        while time.monotonic() - killed < 30:
            workers = self.topology.web_workers()
            if len(workers) == len(before) and victim not in workers:
                phase.notes.append(
                    f"granian started a new worker after {time.monotonic() - killed:.1f} s: "
                    f"{workers}"
                )
                break
            if self.topology.processes["web"].poll() is not None:
                phase.notes.append("granian's main process exited")
                break
            time.sleep(0.2)
        else:
            phase.notes.append("no new worker within 30 s")

    def postgres_fault(self, phase: Phase) -> None:
        phase.marks["stopping"] = time.monotonic()
        self.topology.stop_postgres()
        phase.notes.append("PostgreSQL stopped (fast shutdown)")
        time.sleep(self.args.postgres_down)
        self.topology.start_postgres()
        phase.marks["started"] = time.monotonic()
        phase.notes.append(f"PostgreSQL started again after {self.args.postgres_down:g} s down")

    async def timeline(self) -> None:
        args = self.args
        plan = [
            ("steady, before the faults", None, args.first_steady),
            ("Redis stopped", self.redis_fault, None),
            ("steady, after Redis", None, args.steady),
            ("a granian worker killed", self.granian_fault, None),
            ("steady, after granian", None, args.steady),
            ("PostgreSQL restarted", self.postgres_fault, None),
            ("steady, after PostgreSQL", None, args.steady),
        ]
        for name, fault, seconds in plan:
            if fault is not None and fault.__name__.split("_")[0] not in args.faults:
                continue
            phase = Phase(name, fault.__name__.split("_")[0] if fault else None, time.monotonic())
            self.record.phases.append(phase)
            say(f"  [{time.monotonic() - self.began:.0f}s] {name}")
            if fault is None:
                await asyncio.sleep(seconds)
            else:
                await asyncio.to_thread(fault, phase)
                for note in phase.notes:
                    say(f"      {note}")
                await asyncio.sleep(args.recovery)
            phase.end = time.monotonic()

    # --- the load ----------------------------------------------------------------------------

    async def load(self) -> None:
        from playwright.async_api import async_playwright

        async with async_playwright() as playwright:
            chromium = await playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            scenario = BrowserScenario(
                self.topology.url, self.browser_initiative, self.browser_person, self.record
            )
            section("Browser: two people, live through nginx (Chromium)", self.began)
            try:
                await scenario.run(chromium)
                say("  ok: the watching page showed the support and the comment live")
            except Exception as error:  # noqa: BLE001 — reported, and the load still runs
                self.failures.append(f"browser scenario: {error}")
                say(f"  FAIL: {error}")
            await self.run_load(scenario)
            await chromium.close()

    async def run_load(self, scenario: BrowserScenario) -> None:
        args = self.args
        section(
            f"Load: {args.people} people, faults {', '.join(args.faults) or 'none'}", self.began
        )
        port = self.topology.ports["proxy"]
        stop_people = asyncio.Event()
        watchers = [
            Watcher(f"page {n + 1} of {item['pk']}", item["pk"], item["url"], port, self.record)
            for item in self.watched
            for n in range(2)
        ]
        pages = [
            asyncio.create_task(watcher.run(random.Random(self.rng.random())))
            for watcher in watchers
        ]
        people = [
            Person(index, user, session, port, self.initiatives, self.record, args,
                   random.Random(self.rng.random()))
            for index, (user, session) in enumerate(self.people)
        ]  # fmt: skip
        walking = [asyncio.create_task(person.run(stop_people)) for person in people]
        await self.timeline()
        stop_people.set()
        await asyncio.wait(walking, timeout=60)
        # Quiet: every open page reconnects and settles before it is compared with the database.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not all(w.connected for w in watchers):
            await asyncio.sleep(0.5)
        await asyncio.sleep(3)
        self.watchers = watchers
        self.browser_shown = None
        if scenario.watching is not None:
            with contextlib.suppress(Exception):
                self.browser_shown = await scenario.shown()
                await scenario.assert_not_reloaded()
        for page in pages:
            page.cancel()
        outcomes = await asyncio.gather(*pages, return_exceptions=True)
        for watcher, outcome in zip(watchers, outcomes, strict=True):
            if isinstance(outcome, Exception):
                watcher.gave_up = f"stopped by {outcome!r}"
        for watcher in watchers:
            await watcher.browser.http.close()

    # --- results -----------------------------------------------------------------------------

    def report_load(self) -> None:
        section("Load figures", self.began)
        record = self.record
        by_action: dict[str, dict[str, list]] = defaultdict(lambda: {"steady": [], "fault": []})
        errors: dict[str, Counter] = defaultdict(Counter)
        served: Counter = Counter()
        for sample in record.samples:
            phase = record.phase_of(sample.start, sample.end)
            kind = "fault" if phase.fault else "steady"
            by_action[sample.action][kind].append(sample)
            if sample.ok:
                served[phase.name] += 1
            else:
                errors[phase.name][f"{sample.action} {sample.outcome}"] += 1
        say(
            "  action       requests  errors   p50 ms   p95 ms   p99 ms"
            "   | during faults: requests errors p50 p95 p99"
        )
        figures = {}
        for action in ("list", "search", "detail", "websocket", "support", "comment", "catch-up"):
            row, parts = {}, []
            for kind in ("steady", "fault"):
                samples = by_action[action][kind]
                times = [1000 * (s.end - s.start) for s in samples if s.ok]
                failed = sum(1 for s in samples if not s.ok)
                quantiles = [percentile(times, q) if times else 0.0 for q in (0.5, 0.95, 0.99)]
                row[kind] = {
                    "requests": len(samples), "errors": failed,
                    "p50_ms": round(quantiles[0], 1), "p95_ms": round(quantiles[1], 1),
                    "p99_ms": round(quantiles[2], 1),
                }  # fmt: skip
                parts.append((len(samples), failed, *quantiles))
            figures[action] = row
            (n, e, a, b, c), (fn, fe, fa, fb, fc) = parts
            say(
                f"  {action:<11}{n:>9}{e:>8}{a:>9.0f}{b:>9.0f}{c:>9.0f}"
                f"   | {fn:>8}{fe:>7}{fa:>6.0f}{fb:>6.0f}{fc:>6.0f}"
            )
        say("\n  phase                           served  errors")
        steady_errors = 0
        for phase in record.phases:
            count = sum(errors[phase.name].values())
            kinds = ", ".join(f"{what} ×{n}" for what, n in errors[phase.name].most_common(6))
            say(
                f"  {phase.name:<30}{served[phase.name]:>8}{count:>8}"
                f"  {phase.end - phase.start:.0f} s{'  ' + kinds if kinds else ''}"
            )
            if not phase.fault:
                steady_errors += count
        retried = Counter(
            record.phase_of(s.start, s.end).name
            for s in record.samples
            if s.outcome == "101 on retry"
        )
        if retried:
            say(f"  websockets that opened on a retry (as htmx retries): {dict(retried)}")
        if steady_errors:
            self.failures.append(f"{steady_errors} requests failed outside the faults")
        self.check_faults()
        self.summary["figures"] = figures
        self.summary["phases"] = [
            {"name": p.name, "seconds": round(p.end - p.start, 1), "served": served[p.name],
             "errors": dict(errors[p.name]), "notes": p.notes}
            for p in record.phases
        ]  # fmt: skip

    def check_faults(self) -> None:
        """What each fault must look like from outside, besides integrity and live."""
        record = self.record
        for when, event in self.topology.events:
            record.phase_of(when, when).notes.append(event)
        checks: list[tuple[str, bool, str]] = []
        for phase in record.phases:
            inside = [s for s in record.samples if record.phase_of(s.start, s.end) is phase]
            if phase.fault == "granian" and "killed" in phase.marks:
                # What the killed worker held (requests in flight, nginx's kept-alive
                # connections to it) fails at the kill; a second later everything must be served.
                killed = phase.marks["killed"]
                at_kill = Counter(s.outcome for s in inside if not s.ok and s.start <= killed + 1)
                after = [s for s in inside if s.start > killed + 1]
                failed = Counter(s.outcome for s in after if not s.ok)
                checks.append((
                    "a granian worker killed: the other serves (requests sent 1 s after the kill)",
                    bool(after) and not failed,
                    f"{len(after) - sum(failed.values())} of {len(after)} served"
                    + (f", failed: {dict(failed)}" if failed else "")
                    + (f"; failed at the kill: {dict(at_kill)}" if at_kill else ""),
                ))  # fmt: skip
            if phase.fault == "postgres":
                refused = Counter(s.outcome for s in inside if not s.ok)
                checks.append((
                    "PostgreSQL down: every refusal is a 503 page",
                    set(refused) <= {"503"},
                    f"refusals: {dict(refused) or 'none'}",
                ))  # fmt: skip
            if phase.fault == "redis":
                writes = [
                    w for w in record.writes
                    if w.acknowledged_at and phase.start <= w.started <= phase.marks.get(
                        "started", phase.end)
                ]  # fmt: skip
                checks.append((
                    "Redis down: writes succeed",
                    bool(writes),
                    f"{len(writes)} writes acknowledged while Redis was down",
                ))  # fmt: skip
        say("")
        for phase in record.phases:
            for note in phase.notes:
                if "exited" in note:
                    say(f"  {phase.name}: {note}")
        for name, ok, detail in checks:
            say(f"  {'ok  ' if ok else 'FAIL'} {name}: {detail}")
            if not ok:
                self.failures.append(f"{name}: {detail}")
        self.summary["fault_checks"] = [
            {"check": name, "ok": ok, "detail": detail} for name, ok, detail in checks
        ]

    def check_integrity(self) -> None:
        section("Integrity: every acknowledged write, in the database", self.began)
        from django.db import connections
        from django.db.models import Count, IntegerField, OuterRef, Subquery
        from django.db.models.functions import Coalesce

        from ideas.models import Comment, Initiative, Support

        connections.close_all()
        record = self.record
        people = {user for user, _session in self.people} | {self.browser_person["id"]}
        supports = Counter(
            Support.objects.filter(user_id__in=people).values_list("user_id", "initiative_id")
        )
        comments = list(
            Comment.objects.filter(author_id__in=people).values_list("pk", "client_token", "body")
        )
        by_token = Counter(str(token) for _pk, token, _body in comments if token)
        by_body = Counter(body for _pk, _token, body in comments)
        comment_pks = {pk for pk, _token, _body in comments}
        per_phase: dict[str, Counter] = defaultdict(Counter)
        lost = duplicated = unacknowledged_written = 0
        for write in record.writes:
            acknowledged = write.acknowledged_at is not None
            end = write.acknowledged_at or time.monotonic()
            phase = record.phase_of(write.started, end).name if record.phases else "browser"
            if write.kind == "support":
                rows = supports[(write.user, write.initiative)]
            elif len(write.token) == 36:  # a client token
                rows = by_token[write.token]
            else:  # the browser's comment, known by its text
                rows = sum(n for body, n in by_body.items() if write.token in body)
            if acknowledged and write.kind == "comment" and write.comment not in comment_pks:
                rows = 0
            per_phase[phase][f"{write.kind}s acknowledged" if acknowledged else "refused"] += 1
            if acknowledged and rows == 0:
                lost += 1
                per_phase[phase]["lost"] += 1
            if rows > 1:
                duplicated += 1
                per_phase[phase]["duplicated"] += 1
            if not acknowledged and rows:
                unacknowledged_written += 1
                per_phase[phase]["refused but written"] += 1
        supports_of = Support.objects.filter(initiative=OuterRef("pk")).values("initiative")
        comments_of = Comment.objects.filter(initiative=OuterRef("pk")).values("initiative")
        counted = Initiative.objects.annotate(
            support_rows=Coalesce(
                Subquery(supports_of.annotate(n=Count("pk")).values("n")),
                0,
                output_field=IntegerField(),
            ),
            comment_rows=Coalesce(
                Subquery(comments_of.annotate(n=Count("pk")).values("n")),
                0,
                output_field=IntegerField(),
            ),
        )
        counted = list(
            counted.values_list(
                "pk", "support_count", "support_rows", "comment_count", "comment_rows"
            )
        )
        mismatched = [row for row in counted if row[1] != row[2] or row[3] != row[4]]
        self.db_counts = {pk: (s, c) for pk, s, _rows, c, _crows in counted}
        for phase, counts in per_phase.items():
            say(f"  {phase:<30}" + ", ".join(f"{n} {what}" for what, n in sorted(counts.items())))
        acknowledged = sum(1 for write in record.writes if write.acknowledged_at is not None)
        say(
            f"  {acknowledged} acknowledged writes of {len(record.writes)} "
            f"({unacknowledged_written} refused ones were written all the same, which is allowed)"
        )
        counts_ok = not mismatched
        line = (
            f"{lost} lost, {duplicated} duplicated, counts "
            + ("equal rows" if counts_ok else f"differ from rows on {len(mismatched)} initiatives")
            + f" ({len(counted)} initiatives)"
        )
        say(f"  INTEGRITY: {line}")
        for row in mismatched[:10]:
            say(f"    initiative {row[0]}: support_count {row[1]} rows {row[2]}, "
                f"comment_count {row[3]} rows {row[4]}")  # fmt: skip
        if lost or duplicated or not counts_ok:
            self.failures.append(f"integrity: {line}")
        self.summary["integrity"] = {
            "line": line, "lost": lost, "duplicated": duplicated, "counts_equal_rows": counts_ok,
            "acknowledged": acknowledged, "writes": len(record.writes),
            "refused_but_written": unacknowledged_written,
            "per_phase": {phase: dict(counts) for phase, counts in per_phase.items()},
        }  # fmt: skip

    def check_live(self) -> None:
        section("Live: the open pages, after the faults", self.began)
        record = self.record
        acknowledged = [
            write for write in record.writes
            if write.kind == "comment" and write.acknowledged_at is not None
        ]  # fmt: skip
        problems, latencies, caught_up = [], [], 0
        unannounced: dict[str, set[int]] = defaultdict(set)
        for watcher in self.watchers:
            expected = self.db_counts[watcher.pk]
            if watcher.gave_up:
                # Everything else about this page follows from it; one line says it all.
                closed_at = watcher.closed[-1][0] if watcher.closed else time.monotonic()
                problems.append(
                    f"{watcher.name}: {watcher.gave_up} (at {closed_at - self.began:.0f} s, "
                    f"in '{record.phase_of(closed_at, closed_at).name}'); it ends showing "
                    f"{watcher.counts} (supports, comments), the database {expected}"
                )
                continue
            if watcher.counts != expected:
                problems.append(
                    f"{watcher.name} shows {watcher.counts} (supports, comments), "
                    f"the database {expected}"
                )
            mine = [write for write in acknowledged if write.initiative == watcher.pk]
            never, missed_live = [], []
            for write in mine:
                if write.comment not in watcher.seen:
                    if not self.unannounced_in_fault(write, unannounced):
                        never.append(write.comment)
                    continue
                live = watcher.seen_live.get(write.comment)
                if live is not None:
                    latencies.append(1000 * (live - write.started))
                    continue
                caught_up += 1
                settled = write.acknowledged_at + 5
                phase = record.phase_of(write.started, settled)
                if not phase.fault and watcher.was_open(write.started, settled):
                    missed_live.append(
                        f"{write.comment} (sent at {write.started - self.began:.1f} s)"
                    )
            if never:
                sent = [
                    f"{write.comment} at {write.started - self.began:.1f} s"
                    for write in mine
                    if write.comment in never[:3]
                ]
                timeline = ", ".join(
                    [f"opened {t - self.began:.1f}" for t in watcher.opened]
                    + [f"closed {t - self.began:.1f} ({code})" for t, code in watcher.closed]
                )
                problems.append(
                    f"{watcher.name} never showed {len(never)} of {len(mine)} acknowledged "
                    f"comments (e.g. {', '.join(sent)}); socket {timeline}"
                )
            if missed_live:
                timeline = ", ".join(
                    [f"opened {t - self.began:.1f}" for t in watcher.opened]
                    + [f"closed {t - self.began:.1f} ({code})" for t, code in watcher.closed]
                )
                problems.append(
                    f"{watcher.name} missed comments live while its socket was open: "
                    f"{', '.join(missed_live)}; socket {timeline}"
                )
        for phase in record.phases:
            if phase.fault == "redis":
                for watcher in [w for w in self.watchers if not w.gave_up]:
                    resumed = [t for t in watcher.live_messages if t > phase.end]
                    if not resumed:
                        problems.append(f"{watcher.name} got nothing live after Redis was back")
        reconnects = sum(len(watcher.closed) for watcher in self.watchers)
        say(
            f"  {len(self.watchers)} pages open through the run; {reconnects} reconnects; "
            f"{len(latencies)} comments arrived live, {caught_up} by catching up after a reconnect"
        )
        if latencies:
            say(
                f"  comment POST sent -> on the open page: p50 {percentile(latencies, 0.5):.0f} "
                f"ms, p95 {percentile(latencies, 0.95):.0f} ms"
            )
        codes = Counter(code for watcher in self.watchers for _t, code in watcher.closed)
        if codes:
            say(f"  close codes the pages saw: {dict(codes)}")
        if self.browser_shown is not None:
            counts, shown = self.browser_shown
            pk = self.browser_initiative["pk"]
            expected = self.db_counts[pk]
            missing = {
                write.comment
                for write in acknowledged
                if write.initiative == pk
                and write.comment not in shown
                and not self.unannounced_in_fault(write, unannounced)
            }
            say(f"  Chromium's watching page: shows {counts}, the database {expected}")
            if counts != expected or missing:
                problems.append(
                    f"Chromium's page shows {counts} against {expected}; missing {missing}"
                )
        elif "browser scenario" not in " ".join(self.failures):
            problems.append("Chromium's watching page could not be read at the end")
        for name, comments in unannounced.items():
            say(
                f"  written during '{name}' and never announced to pages that stayed open: "
                f"comments {sorted(comments)} (the page shows them once reloaded)"
            )
        for problem in problems:
            say(f"  FAIL {problem}")
        if not problems:
            say("  ok: every open page shows the database's counts and the acknowledged comments")
        self.failures.extend(f"live: {problem}" for problem in problems)
        self.summary["live"] = {
            "pages": len(self.watchers), "reconnects": reconnects, "close_codes": dict(codes),
            "live_comments": len(latencies), "caught_up": caught_up,
            "p50_ms": round(percentile(latencies, 0.5), 1) if latencies else None,
            "p95_ms": round(percentile(latencies, 0.95), 1) if latencies else None,
            "unannounced": {name: sorted(comments) for name, comments in unannounced.items()},
            "problems": problems,
        }  # fmt: skip

    def unannounced_in_fault(self, write: Write, unannounced: dict[str, set[int]]) -> bool:
        """Whether a comment an open page never showed was written while a worker died or
        PostgreSQL went down: then it may have been stored and never announced (the broadcast
        after the commit failed), and a page whose socket stayed open has no reason to fetch it.
        Reported, not failed: pages must catch up after a reconnect, not guess."""
        phase = self.record.phase_of(write.started, write.acknowledged_at)
        if phase.fault in {"granian", "postgres"}:
            unannounced[phase.name].add(write.comment)
            return True
        return False

    def check_services(self) -> None:
        section("Services at the end", self.began)
        topology = self.topology
        for name in (*topology.web, "worker", "proxy", "redis"):
            process = topology.processes.get(name)
            alive = process is not None and process.poll() is None
            say(f"  {name}: {'running' if alive else 'NOT running'}")
            if not alive:
                self.failures.append(f"{name} is not running at the end")
        from django.db.models import Count
        from django_tasks_db.models import DBTaskResult

        tasks = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("pk")))
        say(f"  task queue: {tasks}")
        for name in (*topology.web, "worker"):
            lines = topology.log(name).read_text(errors="replace").splitlines()
            errors = [line for line in lines if " ERROR " in line or line.startswith("[ERROR]")]
            say(f"  {name} log: {len(errors)} ERROR lines (the faults cause some)")
        self.summary["tasks"] = tasks

    def finish(self) -> int:
        section("Result", self.began)
        self.summary["failures"] = self.failures
        self.summary["seconds"] = round(time.monotonic() - self.began, 1)
        DATA.mkdir(parents=True, exist_ok=True)
        (DATA / "rehearsal.json").write_text(json.dumps(self.summary, indent=2, default=str))
        if self.failures:
            for failure in self.failures:
                say(f"  FAILED: {failure}")
            say(f"  The rehearsal failed ({len(self.failures)} problems).")
            return 1
        say(f"  INTEGRITY: {self.summary['integrity']['line']}, through each fault")
        say(f"  The rehearsal passed in {self.summary['seconds']:.0f} s.")
        return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=24, help="simulated people (24)")
    parser.add_argument("--initiatives", type=int, default=12, help="initiatives acted on (12)")
    parser.add_argument("--watched", type=int, default=3, help="of them kept open on pages (3)")
    parser.add_argument("--think", type=float, default=1.0, help="scale of think times (1.0)")
    parser.add_argument("--first-steady", type=float, default=20, help="seconds before faults")
    parser.add_argument("--steady", type=float, default=15, help="seconds after each fault")
    parser.add_argument("--recovery", type=float, default=10, help="seconds a fault lasts after "
                        "its service is back (its errors count as the fault's)")  # fmt: skip
    parser.add_argument("--redis-down", type=float, default=10)
    parser.add_argument("--postgres-down", type=float, default=8)
    parser.add_argument(
        "--faults", nargs="*", default=["redis", "granian", "postgres"],
        choices=["redis", "granian", "postgres"],
    )  # fmt: skip
    parser.add_argument("--retries", type=int, default=3, help="a person's retries of a write")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workdir", type=Path, help="a folder to start in (default: a new one)")
    parser.add_argument("--keep", action="store_true", help="keep the folder (logs) afterwards")
    return parser.parse_args()


def show_logs(workdir: Path, lines: int = 25) -> None:
    """The end of each service's log, for a run that failed (CI keeps nothing else)."""
    for log in [*sorted((workdir / "logs").glob("*.log")), workdir / "nginx" / "error.log"]:
        if log.exists():
            say(f"\n---- the last {lines} lines of {log.relative_to(workdir)}")
            for line in log.read_text(errors="replace").splitlines()[-lines:]:
                say(f"  {line[:300]}")


def main() -> None:
    args = parse_args()
    for program in ("redis-server", CHROMIUM):
        if not shutil.which(program):
            sys.exit(f"{program} is needed; see README.md, 'The production rehearsal'")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="tillsammans-rehearsal-"))
    workdir.mkdir(parents=True, exist_ok=True)
    topology = Topology(workdir)
    rehearsal = Rehearsal(args, topology)
    status = 1
    try:
        rehearsal.start()
        rehearsal.prepare()
        asyncio.run(rehearsal.check_proxy())
        asyncio.run(rehearsal.load())
        rehearsal.report_load()
        rehearsal.check_integrity()
        rehearsal.check_live()
        rehearsal.check_services()
        status = rehearsal.finish()
    except Exception as error:
        say(f"\nThe rehearsal stopped: {error!r}")
        raise
    finally:
        if status:
            show_logs(workdir)
            args.keep = True
        topology.stop_all()
        if args.keep:
            say(f"  kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(status)


if __name__ == "__main__":
    main()
