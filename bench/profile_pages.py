"""Where one page's server time goes: SQL, template rendering, the rest (view and middleware).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_madrid \\
        .venv/bin/python -m bench.profile_pages --requests 50 /bench/trivial /initiativ/ ...

In this process, through Django's test client (the full middleware stack, no ASGI server), with
DEBUG=0 and bench.settings as bench/pages.py serves them. Per path, after --warmup untimed
requests, --requests timed ones, each split by instrumentation, not sampling:

- sql: the time inside the database driver (connection.execute_wrapper);
- template: the outermost django Template.render of the response, SQL inside it excluded (a
  lazy queryset evaluated in a template counts as SQL);
- rest: everything else: middleware, URL resolution, the view's Python, building the ORM queries.

With --breakdown N, one more batch per path reports the exclusive time of each template file
(an include apart from its caller; the extended layout holds the page's own blocks, which
{% extends %} renders inside it) and cProfile's N costliest functions.
With --signed-in, every request is a resident's, signed in as bench/pages.py signs one in (no
staff role, no organisation, a supporter of the busiest initiative). Pages are always made:
PAGE_CACHE_SECONDS=0, so that a visitor's page is not served from the page cache.
With --profile DIR and pyinstrument importable (a bench-only install, e.g. `pip install --target
/tmp/prof pyinstrument` and PYTHONPATH=/tmp/prof; never a project dependency), one more batch per
path runs under pyinstrument and its text report goes to DIR.
"""

import argparse
import contextlib
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Clock:
    """Accumulates SQL and outermost-template time of the current request."""

    def __init__(self, templates: "TemplateClock | None" = None):
        self.sql = 0.0
        self.template = 0.0
        self.template_sql = 0.0
        self.depth = 0
        self.templates = templates

    def reset(self) -> None:
        self.sql = self.template = self.template_sql = 0.0

    def execute(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - began
            self.sql += spent
            if self.depth:
                self.template_sql += spent
            if self.templates is not None:
                self.templates.sql(spent)

    def wrap_render(self, render):
        def timed(template, *args, **kwargs):
            if self.depth:
                return render(template, *args, **kwargs)
            self.depth += 1
            began = time.perf_counter()
            try:
                return render(template, *args, **kwargs)
            finally:
                self.template += time.perf_counter() - began
                self.depth -= 1

        return timed


class TemplateClock:
    """Exclusive time per template file (includes and the extended layout apart), SQL apart."""

    def __init__(self):
        self.stack: list[list] = []  # [name, began, children seconds]
        self.spent: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def wrap(self, _render):
        def timed(template, context):
            name = template.origin.template_name if template.origin else template.name
            self.stack.append([name or "?", time.perf_counter(), 0.0])
            try:
                return _render(template, context)
            finally:
                name, began, children = self.stack.pop()
                total = time.perf_counter() - began
                self.spent[name] = self.spent.get(name, 0.0) + total - children
                self.calls[name] = self.calls.get(name, 0) + 1
                if self.stack:
                    self.stack[-1][2] += total

        return timed

    def sql(self, seconds: float) -> None:
        """SQL run while a template renders is not that template's time."""
        if self.stack:
            self.stack[-1][2] += seconds
            self.spent["(SQL inside templates)"] = (
                self.spent.get("(SQL inside templates)", 0.0) + seconds
            )


def setup(static_root: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=str(static_root),
        LOG_LEVEL="WARNING",
        PAGE_CACHE_SECONDS="0",
    )
    os.environ.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT, check=True, timeout=300,
    )  # fmt: skip
    import django

    django.setup()


def make_client(signed_in: bool):
    """The test client the pages are asked with: a visitor's, or bench/pages.py's resident's."""
    from django.test import Client

    if not signed_in:
        return Client()
    from bench.pages import sign_in_resident
    from ideas.models import Initiative

    busiest = Initiative.objects.public().order_by("-comment_count", "-pk").first()
    return sign_in_resident(busiest.pk)[0]


def measure(client, paths: list[str], requests: int, warmup: int) -> None:
    from django.db import connection
    from django.template.backends.django import Template

    clock = Clock()
    Template.render = clock.wrap_render(Template.render)
    print("| path | total ms | SQL ms | template ms (SQL excluded) | rest ms | queries |")
    print("|---|---:|---:|---:|---:|---:|")
    with connection.execute_wrapper(clock.execute):
        for path in paths:
            for _ in range(warmup):
                assert client.get(path).status_code == 200, path
            rows = []
            for _ in range(requests):
                clock.reset()
                began = time.perf_counter()
                response = client.get(path)
                total = time.perf_counter() - began
                assert response.status_code == 200, path
                template = clock.template - clock.template_sql
                rows.append((total, clock.sql, template, total - clock.sql - template))
            # Median of each part on its own: the parts need not add up to the total exactly.
            parts = [statistics.median(row[i] for row in rows) * 1000 for i in range(4)]
            print(
                f"| {path} | {parts[0]:.1f} | {parts[1]:.1f} | {parts[2]:.1f} | {parts[3]:.1f} "
                f"| {count_queries(client, path)} |",
                flush=True,
            )


def count_queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured)


def breakdown(client, paths: list[str], requests: int, top: int) -> None:
    """Per path: exclusive time per template file, then cProfile's costliest functions."""
    import cProfile
    import pstats

    from django.db import connection
    from django.template.base import Template

    for path in paths:
        templates = TemplateClock()
        original = Template._render
        Template._render = templates.wrap(original)
        clock = Clock(templates)
        try:
            with connection.execute_wrapper(clock.execute):
                for _ in range(requests):
                    client.get(path)
        finally:
            Template._render = original
        print(f"\n{path}: exclusive time per template, ms a request (renders a request)\n")
        ranked = sorted(templates.spent.items(), key=lambda item: -item[1])
        for name, seconds in ranked[:top]:
            calls = templates.calls.get(name, 0) / requests
            print(f"  {seconds * 1000 / requests:7.2f}  {name}  ({calls:g})")
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            client.get(path)
        profiler.disable()
        print(f"\n{path}: cProfile, {requests} requests, by own time (cProfile slows Python)\n")
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("tottime").print_stats(top)


def profile(client, paths: list[str], requests: int, directory: Path) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("pyinstrument is not importable: no profiles", file=sys.stderr)
        return
    directory.mkdir(parents=True, exist_ok=True)
    for path in paths:
        client.get(path)
        profiler = Profiler(interval=0.0005)
        with profiler:
            for _ in range(requests):
                client.get(path)
        name = path.strip("/").replace("/", "_").replace("?", "_") or "root"
        target = directory / f"{name[:80]}.txt"
        target.write_text(profiler.output_text(unicode=True, show_all=True))
        html = target.with_suffix(".html")
        html.write_text(profiler.output_html())
        print(f"profile of {path}: {target}, {html.name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument(
        "--breakdown", type=int, metavar="N", help="per template and cProfile, top N lines"
    )
    parser.add_argument("--profile", type=Path, help="directory for pyinstrument reports")
    parser.add_argument("--signed-in", action="store_true", help="as a resident, not a visitor")
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a database filled by bench/generate.py.")
    with tempfile.TemporaryDirectory(prefix="tillsammans-profile-") as tmp:
        setup(Path(tmp) / "static")
        client = make_client(args.signed_in)
        with contextlib.suppress(KeyboardInterrupt):
            measure(client, args.paths, args.requests, args.warmup)
            if args.breakdown:
                breakdown(client, args.paths, args.requests, args.breakdown)
            if args.profile:
                profile(client, args.paths, args.requests, args.profile)


if __name__ == "__main__":
    main()
