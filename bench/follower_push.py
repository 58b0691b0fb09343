"""A comment on the initiative with the most followers, heard live by the followers who have a
page open: how long the request takes, and how long until the last open page has the news.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_madrid   # bench/generate.py
    export REDIS_URL=redis://127.0.0.1:6379/14
    .venv/bin/python -m bench.follower_push --sockets 1000 --comments 5

Starts the site as production runs it: one granian process (`--interface asginl`) and the task
worker (`manage.py db_worker`), with DEBUG=0, `TASKS_BACKEND=database` and Redis. Signs in
`--sockets` of the initiative's followers (Django's test client, one session each) and opens
each one's personal socket, as every signed-in page does. Then, `--comments` times, a new
resident comments through the test client in this process (the whole middleware stack, on the
same database, Redis and task queue): the request is timed; the worker runs the followers' task;
the time from the request's start until the last open socket has its notification is taken,
and every follower's notification row is counted. Every wait is bounded (--timeout). The
comments, their notifications, the residents and the queued tasks are deleted afterwards.
Results go to bench/data/follower_push.json.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.fanout import (
    HOST,
    Arrivals,
    all_open,
    free_port,
    listen,
    raise_fd_limit,
    serve_like_production,
    server_errors,
)
from bench.pages import launch, stop, wait_listening
from bench.residents import forget, resident

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"


def busiest_initiative():
    from django.db.models import Count, Q

    from ideas.models import Initiative

    return (
        Initiative.objects.public()
        .annotate(followers=Count("follows", filter=Q(follows__active=True)))
        .order_by("-followers", "pk")
        .first()
    )


def session_cookies(initiative, count: int) -> list[str]:
    """Signed-in sessions of `count` of the initiative's followers."""
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    people = User.objects.filter(
        follows__initiative=initiative, follows__active=True, is_active=True
    ).order_by("pk")[:count]
    cookies = []
    for person in people:
        client = Client()
        client.force_login(person)
        cookies.append(
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    return cookies


def comment(initiative, client) -> tuple[float, float, int, "object"]:
    """A new resident comments through `client`: when the request started, its time in ms, its
    status, and the resident. One client serves every comment, as a server loads its middleware
    once: a new test client loads it at its first request (WhiteNoise reading every static
    file), which the first runs of this benchmark timed as part of the request."""
    person = resident()
    client.force_login(person)
    started = time.perf_counter()
    response = client.post(
        f"/initiativ/{initiative.pk}/kommentarer/",
        {"body": "Ett mätt inlägg."},
        headers={"HX-Request": "true"},
    )
    return started, (time.perf_counter() - started) * 1000, response.status_code, person


def everyone_told(person, initiative, timeout: float) -> tuple[float, int, int]:
    """Wait for the followers' task of the person's comment to finish; when it finished (a
    perf_counter time), the followers' notification rows, and the followers who should have one
    (the author is told apart, in the request, as the author)."""
    from django_tasks_db.models import DBTaskResult

    from ideas.models import Comment
    from notifications.models import Follow, Notification

    comment = Comment.objects.filter(author=person).latest("pk")
    deadline = time.monotonic() + timeout
    while True:
        task = DBTaskResult.objects.filter(
            task_path__endswith="notify_followers", args_kwargs__kwargs__comment_id=comment.pk
        ).first()
        if task is not None and task.finished_at is not None:
            finished = time.perf_counter() - (time.time() - task.finished_at.timestamp())
            break
        if time.monotonic() > deadline:
            raise RuntimeError("the followers' task did not finish in time")
        time.sleep(0.05)
    rows = Notification.objects.filter(
        comment=comment, kind=Notification.Kind.COMMENT_ON_FOLLOWED
    ).count()
    expected = (
        Follow.objects.active()
        .filter(initiative=initiative, user__is_active=True, user__deleted_at=None)
        .exclude(user__in=[initiative.author_id, person.pk])
        .count()
    )
    return finished, rows, expected


async def measure(args, initiative, cookies: list[str], port: int, people: list) -> list[dict]:
    from asgiref.sync import sync_to_async
    from django.test import Client

    client = Client(SERVER_NAME="localhost")

    arrivals = Arrivals(len(cookies))
    ready = asyncio.Semaphore(50)
    sockets: list = []
    listeners = []
    url = f"ws://{HOST}:{port}/ws/notiser/?lang=sv"
    for cookie in cookies:
        listeners.append(
            asyncio.create_task(
                listen(
                    url,
                    f"http://{HOST}:{port}",
                    arrivals,
                    ready,
                    sockets,
                    cookie=cookie,
                    counted="notification-badge",
                )
            )
        )
    took = await all_open(listeners, sockets, len(cookies), args.timeout * 4)
    print(f"  {len(sockets)} personal sockets open in {took:.1f} s")
    await asyncio.sleep(1)
    rounds = []
    for index in range(args.comments + 1):  # the first warms this process's caches: not counted
        arrivals.reset()
        started, request_ms, status, person = await sync_to_async(comment)(initiative, client)
        people.append(person)
        if status != 200:
            raise RuntimeError(f"the comment was refused: {status}")
        try:
            await asyncio.wait_for(arrivals.done.wait(), args.timeout)
        except TimeoutError:
            raise RuntimeError(
                f"{arrivals.count} of {len(cookies)} open pages heard within {args.timeout} s"
            ) from None
        last_ms = (arrivals.last - started) * 1000
        finished, rows, expected = await sync_to_async(everyone_told)(
            person, initiative, args.timeout * 4
        )
        all_ms = (finished - started) * 1000
        print(
            f"  comment {index}: request {request_ms:.0f} ms, last open page {last_ms:.0f} ms, "
            f"task done {all_ms:.0f} ms, {rows} of {expected} notified",
            flush=True,
        )
        if rows != expected:
            raise RuntimeError(f"{rows} notifications for {expected} followers")
        if index:
            rounds.append(
                {
                    "request_ms": request_ms,
                    "last_page_ms": last_ms,
                    "all_rows_ms": all_ms,
                    "rows": rows,
                }
            )
        await asyncio.sleep(1)
    for websocket in sockets:
        await asyncio.wait_for(websocket.close(), 5)
    for task in listeners:
        task.cancel()
    return rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, default=1000, help="followers with a page open")
    parser.add_argument("--comments", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=30, help="seconds to wait for a round")
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a database filled by bench/generate.py.")
    if not os.environ.get("REDIS_URL"):
        sys.exit("Set REDIS_URL, e.g. redis://127.0.0.1:6379/14")
    raise_fd_limit(args.sockets * 2 + 1024)
    DATA.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tillsammans-push-") as tmp:
        # localhost: the comments come through Django's test client, in this process.
        env = serve_like_production(
            Path(tmp), ALLOWED_HOSTS=f"{HOST},localhost", TASKS_BACKEND="database"
        )
        initiative = busiest_initiative()
        if initiative is None:
            sys.exit("No public initiative: run bench/generate.py first.")
        comment_count = initiative.comment_count
        print(f"Initiative {initiative.pk}: {initiative.followers:,} followers", flush=True)
        clock = time.monotonic()
        cookies = session_cookies(initiative, args.sockets)
        print(f"  {len(cookies)} followers signed in in {time.monotonic() - clock:.0f} s")
        processes: list[subprocess.Popen] = []
        logs = [DATA / "push-server.log", DATA / "push-worker.log"]
        people: list = []
        try:
            port = free_port()
            processes.append(launch("granian", port, env, logs[0]))
            processes.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", "db_worker"],
                    cwd=ROOT,
                    env=env,
                    stdout=logs[1].open("w"),
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            )
            wait_listening(processes[0], port, logs[0], time.monotonic() + 30)
            rounds = asyncio.run(measure(args, initiative, cookies, port, people))
        finally:
            for process in processes:
                stop(process)
            forget(people, initiative.pk, comment_count)
    errors = server_errors(logs)
    if errors:
        sys.exit(f"The server or worker logged {len(errors)} errors, the first: {errors[0]}")
    summary = {
        "followers": initiative.followers,
        "open_pages": len(cookies),
        "comments": len(rounds),
        "request_ms_p50": round(statistics.median(r["request_ms"] for r in rounds), 1),
        "request_ms_max": round(max(r["request_ms"] for r in rounds), 1),
        "last_page_ms_p50": round(statistics.median(r["last_page_ms"] for r in rounds), 1),
        "last_page_ms_max": round(max(r["last_page_ms"] for r in rounds), 1),
        "all_rows_ms_p50": round(statistics.median(r["all_rows_ms"] for r in rounds), 1),
        "notification_rows": sorted({r["rows"] for r in rounds}),
        "load": os.getloadavg(),
    }
    (DATA / "follower_push.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
