"""Server time of the initiative and programme pages against a trivial Django view.

    .venv/bin/python -m bench.pages --requests 200 \\
        --db small=postgres://postgres@127.0.0.1:5432/bench_small \\
        --db madrid=postgres://postgres@127.0.0.1:5432/bench_madrid

For each database filled by bench/generate.py: a child process picks the pages from the data
(the busiest focus area and thread, a median thread), signs in a resident (no staff role, no
organisation; one who supported the busiest initiative) and counts each page's SQL queries through
Django's test client with CaptureQueriesContext, anonymous and as that resident ("signed in: ..."
rows, served with the resident's session cookie); then one server process serves that database:
granian as `make run` and docker-compose.yml start it (`--interface asginl`, one worker), or
uvicorn with `--server uvicorn`; with DEBUG=0 and bench.settings (the project's settings and URLs
plus /bench/trivial, a view that returns "ok" through the full middleware stack; the connection
pool of config/settings.py on, as production runs; no REDIS_URL, so the cache is local memory,
as in the earlier runs). The servers run
on CPU 0, this client on CPU 1. The client asks for every page of every database in turn, one
request each per round, on keep-alive connections, for --warmup plus --requests rounds, and
reports p50/p95 and their ratios to the trivial view. Results go to bench/data/pages.json
(--output); the last table compares the last database given with the first.
"""

import argparse
import contextlib
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from subprocess import STDOUT

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
HOST = "127.0.0.1"
SEARCH_WORD = "bollplan"  # in about one title in sixteen


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def server_env(static_root: Path, settings: str = "bench.settings") -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=f"{HOST},testserver",
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=str(static_root),
        # config/settings.py pools PostgreSQL connections unless DATABASE_POOL=0 (and then sets
        # CONN_MAX_AGE=0); DATABASE_POOL=0 in this process's environment compares without it.
        DATABASE_POOL=os.environ.get("DATABASE_POOL", "1"),
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def pick_pages() -> dict[str, str]:
    """The pages to measure, chosen from the data: the busiest focus area and thread."""
    from django.db.models import Count, Q

    from ideas.models import Initiative
    from programme.models import Fokusomrade

    public = Q(initiatives__status__in=Initiative.PUBLIC_STATUSES)
    fokusomrade = (
        Fokusomrade.objects.select_related("viljeinriktning")
        .annotate(n=Count("initiatives", filter=public))
        .order_by("-n")
        .first()
    )
    stadsdel = (
        Initiative.objects.public()
        .filter(fokusomrade=fokusomrade, stadsdel__isnull=False)
        .values("stadsdel__slug")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["stadsdel__slug"]
    )
    busiest = Initiative.objects.public().order_by("-comment_count", "-pk").first()
    middle = Initiative.objects.public().count() // 2
    typical = Initiative.objects.public().order_by("comment_count", "pk")[middle]
    vi = fokusomrade.viljeinriktning.slug
    return {
        "trivial": "/bench/trivial",
        "list": "/initiativ/",
        "list filtered": f"/initiativ/?fokusomrade={fokusomrade.slug}&stadsdel={stadsdel}"
        "&sort=mest-stod",
        "list search": f"/initiativ/?q={SEARCH_WORD}",
        "list trending": "/initiativ/?sort=trendar",
        f"detail busiest ({busiest.comment_count} comments)": busiest.get_absolute_url(),
        f"detail median ({typical.comment_count} comments)": typical.get_absolute_url(),
        "programme": "/programmet/",
        "programme vi": f"/programmet/{vi}/",
        "programme vi/fo": f"/programmet/{vi}/{fokusomrade.slug}/",
        # The open API's lists (issue 14: p95 at Madrid scale within 2x the small set).
        "api initiatives": "/api/v1/initiatives",
        "api initiatives filtered": f"/api/v1/initiatives?fokusomrade={fokusomrade.slug}"
        f"&stadsdel={stadsdel}",
        "api initiatives search": f"/api/v1/initiatives?q={SEARCH_WORD}",
        "api comments busiest": f"/api/v1/initiatives/{busiest.pk}/comments",
        "api organisations": "/api/v1/organisations",
        "api programme": "/api/v1/programme",
        "api statistics": "/api/v1/statistics",
    }


SIGNED_IN = "signed in: "


def sign_in_resident(busiest_pk: int):
    """A test client signed in as a resident (no staff role, no organisation) who supported the
    busiest initiative, so that its page shows their support; and the session cookie."""
    from django.test import Client

    from accounts.models import User

    user = (
        User.objects.filter(
            is_staff=False, is_superuser=False, is_active=True, supports__initiative=busiest_pk
        )
        .exclude(pk__in=User.objects.filter(memberships__isnull=False).values("pk"))
        .order_by("pk")
        .first()
    )
    client = Client()
    client.force_login(user)
    return client, f"sessionid={client.cookies['sessionid'].value}", user.pk


def count_queries(pages: dict[str, str], signed_in=None) -> dict[str, dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    anonymous = Client()
    result = {}
    for name, path in pages.items():
        client = signed_in if name.startswith(SIGNED_IN) else anonymous
        client.get(path)  # warm caches of this process, as the server's are
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        times = [float(query["time"]) * 1000 for query in queries.captured_queries]
        slowest = max(range(len(times)), key=times.__getitem__) if times else None
        result[name] = {
            "queries": len(times),
            "sql_ms": round(sum(times), 2),
            "slowest_ms": round(times[slowest], 2) if times else 0,
            "slowest_sql": queries.captured_queries[slowest]["sql"][:600] if times else "",
        }
    return result


def inspect() -> None:
    """In a child process with DATABASE_URL set: the pages, their queries, the row counts."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from ideas.models import Initiative

    pages = pick_pages()
    busiest = Initiative.objects.public().order_by("-comment_count", "-pk").first()
    client, cookie, user_pk = sign_in_resident(busiest.pk)
    pages.update({SIGNED_IN + name: path for name, path in pages.items() if name != "trivial"})
    pool = settings.DATABASES["default"].get("OPTIONS", {}).get("pool")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM ideas_initiative), (SELECT count(*) FROM ideas_support),"
            " (SELECT count(*) FROM ideas_comment), (SELECT count(*) FROM accounts_user)"
        )
        names = ["initiatives", "supports", "comments", "users"]
        rows = dict(zip(names, cursor.fetchone(), strict=True))
    queries = count_queries(pages, client)
    report = {"rows": rows, "pages": pages, "queries": queries, "cookie": cookie}
    report.update(resident=user_pk, pool=pool, debug=settings.DEBUG)
    print(json.dumps(report))


SERVERS = ("granian", "uvicorn")
# How long one answer may take. The first request for the public statistics counts them in the
# request (at Madrid's scale half a minute); it falls in the warm-up, whose times are not kept.
TIMEOUT = 120


def server_command(server: str, port: int, workers: int = 1) -> list[str]:
    """One server on HOST:port, with the flags production uses.

    granian as `make run`, docker-compose.yml and platform/Dockerfile start it (`--interface
    asginl`; one worker unless told, as the benchmarks choose the number of processes);
    uvicorn with the flags the earlier runs used, for comparison."""
    if server == "granian":
        return [
            sys.executable, "-m", "granian", "--interface", "asginl", "config.asgi:application",
            "--host", HOST, "--port", str(port), "--workers", str(workers), "--no-access-log",
        ]  # fmt: skip
    if server == "uvicorn":
        return [
            sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", HOST,
            "--port", str(port), "--loop", "uvloop", "--http", "httptools",
            "--ws", "websockets-sansio", "--lifespan", "off", "--no-access-log",
        ]  # fmt: skip
    raise ValueError(f"unknown server {server!r}; one of {SERVERS}")


def launch(
    server: str,
    port: int,
    env: dict[str, str],
    log: Path,
    cpu: int | None = None,
    workers: int = 1,
):
    """Start a server in its own process group (granian forks its workers), on one CPU if given."""
    command = server_command(server, port, workers)
    if cpu is not None and shutil.which("taskset") and (os.cpu_count() or 1) >= 2:
        command = ["taskset", "-c", str(cpu), *command]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=STDOUT, start_new_session=True
    )


def wait_listening(process: subprocess.Popen, port: int, log: Path, deadline: float) -> None:
    while True:
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                stop(process)
                raise RuntimeError(f"the server on port {port} did not start; see {log}") from None
            time.sleep(0.2)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the server's own process group (granian's workers too), then SIGKILL to
    whatever of that group is left after 10 s."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=5)


def start_server(server: str, env: dict[str, str], log: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = launch(server, port, env, log, cpu=0)
    wait_listening(process, port, log, time.monotonic() + 30)
    return process, port


def time_pages(targets: dict[str, tuple[int, dict, str]], requests: int, warmup: int) -> dict:
    """Round robin over every page of every database, one request each per round, so that a
    burst of load elsewhere on the machine lands on all of them alike. Pages named "signed in:
    ..." send the resident's session cookie."""
    connections = {
        label: http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
        for label, (port, _pages, _cookie) in targets.items()
    }
    samples = {label: {name: [] for name in pages} for label, (_p, pages, _c) in targets.items()}
    deadline = time.monotonic() + 3600
    for round_number in range(warmup + requests):
        if time.monotonic() > deadline:
            raise RuntimeError("the page runs took more than an hour")
        for label, (_port, pages, cookie) in targets.items():
            for name, path in pages.items():
                headers = {"Cookie": cookie} if name.startswith(SIGNED_IN) else {}
                for attempt in range(2):
                    connection = connections[label]
                    began = time.perf_counter()
                    try:
                        connection.request("GET", path, headers=headers)
                        response = connection.getresponse()
                        response.read()
                        break
                    except (http.client.RemoteDisconnected, ConnectionError):
                        # The server may close a keep-alive connection left idle while the
                        # other database's slow pages run (uvicorn: after 5 s): reconnect.
                        connection.close()
                        port = targets[label][0]
                        connections[label] = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
                        if attempt:
                            raise
                elapsed = (time.perf_counter() - began) * 1000
                if response.status != 200:
                    raise RuntimeError(f"{label}: GET {path} answered {response.status}")
                if round_number >= warmup:
                    samples[label][name].append(elapsed)
        if round_number % 20 == 0:
            print(f"  round {round_number} of {warmup + requests}", flush=True)
    for connection in connections.values():
        connection.close()
    result: dict = {}
    for label, (_port, pages, _cookie) in targets.items():
        result[label] = {}
        for name, path in pages.items():
            values = samples[label][name]
            result[label][name] = {
                "path": path,
                "p50_ms": round(statistics.median(values), 2),
                "p95_ms": round(percentile(values, 0.95), 2),
                "max_ms": round(max(values), 2),
            }
    return result


def run(args) -> dict:
    DATA.mkdir(parents=True, exist_ok=True)
    databases = dict(item.split("=", 1) for item in args.db)
    reports: dict[str, dict] = {}
    servers: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="tillsammans-pages-") as tmp:
        env = server_env(Path(tmp) / "static", args.settings)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT, env=env, check=True, timeout=300,
        )  # fmt: skip
        targets = {}
        try:
            for label, url in databases.items():
                db_env = {**env, "DATABASE_URL": url}
                inspected = subprocess.run(
                    [sys.executable, "-m", "bench.pages", "--inspect"],
                    cwd=ROOT, env=db_env, check=True, timeout=600, capture_output=True, text=True,
                )  # fmt: skip
                reports[label] = json.loads(inspected.stdout.strip().splitlines()[-1])
                log = DATA / f"pages-{args.server}-{label}.log"
                server, port = start_server(args.server, db_env, log)
                servers.append(server)
                targets[label] = (port, reports[label]["pages"], reports[label].pop("cookie"))
                print(f"{label}: {reports[label]['rows']} on port {port}", flush=True)
            if shutil.which("taskset") and (os.cpu_count() or 1) >= 2:
                os.sched_setaffinity(0, {1})
            timings = time_pages(targets, args.requests, args.warmup)
        finally:
            for server in servers:
                stop(server)
    for label, report in reports.items():
        trivial = timings[label]["trivial"]
        for name, row in timings[label].items():
            row["p50_ratio"] = round(row["p50_ms"] / trivial["p50_ms"], 1)
            row["p95_ratio"] = round(row["p95_ms"] / trivial["p95_ms"], 1)
            row.update(report["queries"][name])
        report.update(label=label, server=args.server, requests=args.requests, pages=timings[label])
        del report["queries"]
    args.output.write_text(json.dumps(reports, indent=2))
    return reports


def table(report: dict) -> str:
    lines = [
        f"{report['label']} ({report['server']}): {report['rows']}, "
        f"{report['requests']} sequential requests a page",
        "",
        "| page | p50 ms | p95 ms | p50 / trivial | p95 / trivial | queries | slowest SQL ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in report["pages"].items():
        lines.append(
            f"| {name} | {row['p50_ms']} | {row['p95_ms']} | {row['p50_ratio']} "
            f"| {row['p95_ratio']} | {row['queries']} | {row['slowest_ms']} |"
        )
    return "\n".join(lines)


def compare(reports: dict, small_label: str, large_label: str) -> str:
    small, large = reports[small_label], reports[large_label]
    lines = [
        f"| page | p95 {large_label} / {small_label} (goal ≤ 2) | p50 / trivial (goal ≤ 10) "
        "| queries (goal ≤ 10) | goals met |",
        "|---|---:|---:|---:|---|",
    ]
    small_rows = {name.split(" (")[0]: row for name, row in small["pages"].items()}
    for name, row in large["pages"].items():
        base = small_rows.get(name.split(" (")[0])
        if name == "trivial" or base is None:
            continue
        growth = row["p95_ms"] / base["p95_ms"]
        met = growth <= 2 and row["p50_ratio"] <= 10 and row["queries"] <= 10
        lines.append(
            f"| {name} | {growth:.1f} | {row['p50_ratio']} | {row['queries']} "
            f"| {'yes' if met else 'no'} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", action="append", default=[], metavar="LABEL=URL", help="a generated database"
    )
    parser.add_argument("--requests", type=int, default=200, help="timed requests a page")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests a page first")
    parser.add_argument(
        "--server", choices=SERVERS, default="granian", help="ASGI server (default: granian)"
    )
    parser.add_argument(
        "--settings",
        default="bench.settings",
        help="settings module to serve with, to try a change (default: bench.settings; another "
        "must import it and add to it, e.g. a database pool; PYTHONPATH reaches the servers)",
    )
    parser.add_argument("--output", type=Path, default=DATA / "pages.json", help="results (JSON)")
    parser.add_argument("--inspect", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inspect:
        inspect()
        return
    if not args.db or any("=" not in item for item in args.db):
        sys.exit("Give at least one --db LABEL=postgres://... filled by bench/generate.py.")
    reports = run(args)
    for report in reports.values():
        print(table(report), end="\n\n")
    labels = list(reports)
    if len(labels) >= 2:
        print(compare(reports, labels[0], labels[-1]))


if __name__ == "__main__":
    main()
