"""Requests a second at N concurrent users, and whether a write was lost or counted twice.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_madrid   # bench/generate.py
    export REDIS_URL=redis://127.0.0.1:6379/14
    .venv/bin/python -m bench.load --users 32 --seconds 60

Starts the site in production's shape: two granian processes (`--interface asginl`), one worker
each, on two ports, the users' connections dealt to them in turn as nginx's least_conn shares
them (`--servers 1 --workers 2` for one granian with two workers behind one port, the shape
before decision 0022), DEBUG=0, Redis for the cache and the channel layer, PostgreSQL with the
pool.
Half the users are visitors; the other half are residents this benchmark signs up (a verified
email address, a session each), who also give and withdraw supports. Each user is a thread with
its own keep-alive connection that asks, without pause, for a page drawn from a fixed mix:

- the list: plain, filtered, a search, trending, a later page;
- an initiative's page: the busiest thread, or one of 500 public initiatives drawn at random;
- the programme's pages;
- residents only: one time in five, a support given or withdrawn (the form's POST, as htmx
  sends it) on one of 50 open initiatives, so that users race on the same rows.

The support rate limit is lifted for the run (RATE_LIMIT_SUPPORT): the benchmark measures the
writes, not the limit. Warm-up seconds come first, uncounted. Reported: requests a second (in
all, and the visitors' and the residents' apart: visitors carry no session, so their pages may
come from core.pagecache), p50/p95 per kind of page and per kind of user, every answer that is
not 200 (an error), and the writes' check: for every resident and initiative the support exists
exactly when the resident's last answered POST asked for it, and every touched initiative's
support_count equals its supports. The residents and all they wrote are deleted afterwards and
the counts put back. Results go to bench/data/load.json.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from bench.fanout import (
    HOST,
    connections_per_process,
    free_port,
    serve_like_production,
    server_errors,
)
from bench.pages import SEARCH_WORD, launch, percentile, stop, wait_listening
from bench.residents import resident, vacuum

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
SUPPORT_SHARE = 0.2  # of a resident's requests


def choose_pages(rng: random.Random) -> tuple[dict[str, list[str]], list[int]]:
    """The addresses of each kind of page, and the open initiatives residents support."""
    from django.db.models import Count, Q

    from ideas.models import Initiative
    from programme.models import Fokusomrade

    public = Initiative.objects.public()
    fokusomrade = (
        Fokusomrade.objects.select_related("viljeinriktning")
        .annotate(
            n=Count("initiatives", filter=Q(initiatives__status__in=Initiative.PUBLIC_STATUSES))
        )
        .order_by("-n")
        .first()
    )
    vi = fokusomrade.viljeinriktning.slug
    busiest = public.order_by("-comment_count", "-pk").first()
    ids = list(public.values_list("pk", flat=True))
    sample = Initiative.objects.filter(pk__in=rng.sample(ids, min(500, len(ids))))
    open_ones = list(
        public.filter(status=Initiative.Status.PUBLISHED)
        .order_by("-published_at")
        .values_list("pk", flat=True)[:50]
    )
    pages = {
        "list": [
            "/initiativ/",
            f"/initiativ/?fokusomrade={fokusomrade.slug}&sort=mest-stod",
            f"/initiativ/?q={SEARCH_WORD}",
            "/initiativ/?sort=trendar",
            "/initiativ/?sida=3",
        ],
        "detail": [busiest.get_absolute_url(), *(i.get_absolute_url() for i in sample)],
        "programme": [
            "/programmet/",
            f"/programmet/{vi}/",
            f"/programmet/{vi}/{fokusomrade.slug}/",
        ],
    }
    return pages, open_ones


def _initiatives(pks):
    from ideas.models import Initiative

    return Initiative.objects.filter(pk__in=pks)


def sign_up(count: int) -> list[tuple[object, str]]:
    """`count` new residents, each with a session: (the person, the session cookie's value)."""
    from django.conf import settings
    from django.test import Client

    people = []
    for _ in range(count):
        person = resident()
        client = Client()
        client.force_login(person)
        people.append((person, client.cookies[settings.SESSION_COOKIE_NAME].value))
    return people


class User(threading.Thread):
    """One user asking for pages without pause until the deadline."""

    def __init__(self, port, pages, open_ones, session, seed, results, counting, deadline):
        super().__init__(daemon=True)
        self.port, self.pages, self.open_ones = port, pages, open_ones
        self.session, self.rng = session, random.Random(seed)
        self.results, self.counting, self.deadline = results, counting, deadline
        self.csrf = secrets.token_hex(16)  # a CSRF secret of our own, as the cookie holds one
        self.last_wanted: dict[int, bool] = {}

    def headers(self) -> dict[str, str]:
        if self.session is None:
            return {}
        from django.conf import settings

        cookies = (
            f"{settings.SESSION_COOKIE_NAME}={self.session[1]}; "
            f"{settings.CSRF_COOKIE_NAME}={self.csrf}"
        )
        return {"Cookie": cookies}

    def run(self) -> None:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        while time.monotonic() < self.deadline:
            if self.session is not None and self.rng.random() < SUPPORT_SHARE:
                kind, pk = "support", self.rng.choice(self.open_ones)
                wanted = not self.last_wanted.get(pk, False)
                body = f"stod={int(wanted)}"
                method, path = "POST", f"/initiativ/{pk}/stod/"
                headers = {
                    **self.headers(),
                    "X-CSRFToken": self.csrf,
                    "HX-Request": "true",
                    "Content-Type": "application/x-www-form-urlencoded",
                }
            else:
                kind = self.rng.choices(["list", "detail", "programme"], [40, 45, 15])[0]
                method, path, body, headers = (
                    "GET",
                    self.rng.choice(self.pages[kind]),
                    None,
                    self.headers(),
                )
            began = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (http.client.HTTPException, OSError) as error:
                connection.close()
                connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
                status = type(error).__name__
            elapsed = (time.perf_counter() - began) * 1000
            if kind == "support" and status == 200:
                self.last_wanted[pk] = wanted
            if self.counting.is_set():
                who = "visitor" if self.session is None else "resident"
                self.results.append((kind, elapsed, status, who))
        connection.close()


def check_writes(users: list[User]) -> dict:
    """Every resident's support as their last answered POST left it, and every touched
    initiative's count as its supports: the writes lost, and those counted twice or not."""
    from django.db.models import Count

    from ideas.models import Initiative, Support

    wrong_state = 0
    touched: set[int] = set()
    for user in users:
        if user.session is None:
            continue
        person = user.session[0]
        given = set(Support.objects.filter(user=person).values_list("initiative_id", flat=True))
        for pk, wanted in user.last_wanted.items():
            touched.add(pk)
            wrong_state += (pk in given) != wanted
    counted = dict(Initiative.objects.filter(pk__in=touched).values_list("pk", "support_count"))
    rows = dict(
        Support.objects.filter(initiative__in=touched)
        .values("initiative")
        .annotate(n=Count("pk"))
        .values_list("initiative", "n")
    )
    miscounted = [pk for pk in touched if counted.get(pk) != rows.get(pk, 0)]
    return {"touched": len(touched), "wrong_state": wrong_state, "miscounted": len(miscounted)}


def forget(people: list, touched: set[int], ready: dict) -> None:
    """Delete the residents and all they wrote and what their supports set off, and put the
    touched initiatives back as they were: their counts afresh, `ready` their ready_at before."""
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce
    from django_tasks_db.models import DBTaskResult

    from ideas.actions import do_recent_supports_refresh
    from ideas.models import Initiative, InitiativeEvent, Support
    from notifications.models import Notification

    started = min(person.date_joined for person in people)
    for person in people:
        person.delete()
    DBTaskResult.objects.filter(enqueued_at__gte=started).delete()
    InitiativeEvent.objects.filter(initiative__in=touched, created_at__gte=started).delete()
    Notification.objects.filter(initiative__in=touched, created_at__gte=started).delete()
    for pk, ready_at in ready.items():
        Initiative.objects.filter(pk=pk).update(ready_at=ready_at)
    supports = (
        Support.objects.filter(initiative=OuterRef("pk"))
        .values("initiative")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Initiative.objects.filter(pk__in=touched).update(support_count=Coalesce(Subquery(supports), 0))
    do_recent_supports_refresh()
    vacuum(DBTaskResult, InitiativeEvent, Notification, Support, Initiative)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=32, help="concurrent users")
    parser.add_argument("--seconds", type=float, default=60, help="counted seconds")
    parser.add_argument("--warmup", type=float, default=10, help="uncounted seconds first")
    parser.add_argument(
        "--servers", type=int, default=2, help="granian processes, each on its own port"
    )
    parser.add_argument("--workers", type=int, default=1, help="granian workers each")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", type=Path, default=DATA / "load.json")
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a database filled by bench/generate.py.")
    if not os.environ.get("REDIS_URL"):
        sys.exit("Set REDIS_URL, e.g. redis://127.0.0.1:6379/14")
    DATA.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="tillsammans-load-") as tmp:
        env = serve_like_production(
            Path(tmp), RATE_LIMIT_SUPPORT="1000000/600", TASKS_BACKEND="database"
        )
        pages, open_ones = choose_pages(rng)
        ready = dict(_initiatives(open_ones).values_list("pk", "ready_at"))
        people = sign_up(args.users // 2)
        print(f"{args.users} users ({len(people)} residents), {len(open_ones)} open initiatives")
        ports = [free_port() for _server in range(args.servers)]
        logs = [DATA / f"load-server-{number}.log" for number in range(args.servers)]
        servers = [
            launch("granian", port, env, log, workers=args.workers)
            for port, log in zip(ports, logs, strict=True)
        ]
        results: list = []
        counting = threading.Event()
        users: list[User] = []
        try:
            for server, port, log in zip(servers, ports, logs, strict=True):
                wait_listening(server, port, log, time.monotonic() + 60)
            deadline = time.monotonic() + args.warmup + args.seconds
            sessions = [*people, *[None] * (args.users - len(people))]
            # Each user keeps one connection: to the servers in turn when there are several.
            users = [
                User(
                    ports[number % len(ports)], pages, open_ones, session, rng.random(),
                    results, counting, deadline,
                )
                for number, session in enumerate(sessions)
            ]  # fmt: skip
            load_before = os.getloadavg()
            for user in users:
                user.start()
            time.sleep(args.warmup)
            split = connections_per_process([server.pid for server in servers], ports)
            counting.set()
            began = time.monotonic()
            for user in users:
                user.join(args.seconds + 120)
            counted_seconds = time.monotonic() - began
            writes = check_writes(users)
        finally:
            for server in servers:
                stop(server)
            touched = {pk for user in users for pk in user.last_wanted}
            if people:
                forget([person for person, _cookie in people], touched, ready)
    errors = server_errors(logs)
    by_kind: dict[str, list[float]] = defaultdict(list)
    by_who: dict[str, int] = defaultdict(int)
    failures: dict[str, int] = defaultdict(int)
    for kind, elapsed, status, who in results:
        by_kind[kind].append(elapsed)
        by_kind[f"{kind}, {who}"].append(elapsed)
        by_who[who] += 1
        if status != 200:
            failures[f"{kind} {status}"] += 1
    summary = {
        "users": args.users,
        "residents": len(people),
        "servers": args.servers,
        "workers": args.workers,
        # The users' connections held by each worker, most first, taken after the warm-up.
        "connections_per_worker": split,
        "seconds": round(counted_seconds, 1),
        "requests": len(results),
        "requests_per_second": round(len(results) / counted_seconds, 1),
        # Visitors carry no session: their pages may come from core.pagecache.
        "requests_per_second_by": {
            who: round(count / counted_seconds, 1) for who, count in sorted(by_who.items())
        },
        "pages": {
            kind: {
                "requests": len(values),
                "p50_ms": round(statistics.median(values), 1),
                "p95_ms": round(percentile(values, 0.95), 1),
            }
            for kind, values in sorted(by_kind.items())
        },
        "not_200": dict(failures),
        "server_errors": len(errors),
        "writes": writes,
        "load": {"before": load_before, "after": os.getloadavg()},
    }
    args.output.write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))
    if failures or errors or writes["wrong_state"] or writes["miscounted"]:
        sys.exit("Errors, or writes lost or miscounted: see above.")


if __name__ == "__main__":
    main()
