"""A comment on initiatives with few and with many followers: what its request costs, and what
the task that tells the followers costs (notifications.fanout).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_madrid \\
        .venv/bin/python -m bench.comment_fanout --followers 5,1000,50000 --repeat 5

Needs a database filled by bench/generate.py (which makes supporters, commenters and authors
follow). For each size it takes the public initiative whose active followers are closest in
number, and `--repeat` times: a new resident posts a comment through Django's test client (the
whole middleware stack, with the database task queue, as in production, so the request only
enqueues); the request is timed and its queries counted; then the enqueued task runs here and is
timed, with `--watching` of the followers counted as having a socket open (their live messages
are rendered and sent to the in-memory channel layer, which delivers to no one). Afterwards the
comment, its notifications, the resident and the queued tasks are deleted and the initiative's
comment count restored, so the data stays as generated. Results go to
bench/data/comment_fanout.json.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")  # settings insist on SECRET_KEY otherwise
os.environ["TASKS_BACKEND"] = "database"
os.environ.pop("REDIS_URL", None)  # the in-memory channel layer: the sends cost, nobody hears

import django  # noqa: E402

django.setup()

from asgiref.sync import async_to_sync  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, F, Q  # noqa: E402
from django.db.models.functions import Abs  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from bench.residents import forget, resident  # noqa: E402
from ideas.models import Comment, Initiative  # noqa: E402
from notifications import fanout, presence  # noqa: E402

OUTPUT = Path(__file__).parent / "data" / "comment_fanout.json"


def closest_initiative(followers: int) -> tuple[Initiative, int]:
    best = (
        Initiative.objects.public()
        .annotate(followers=Count("follows", filter=Q(follows__active=True)))
        .order_by(Abs(F("followers") - followers), "pk")
        .first()
    )
    if best is None:
        sys.exit("No public initiative: fill the database with bench/generate.py first.")
    return best, best.followers


def one_comment(initiative: Initiative, watching: float, client: Client) -> dict:
    """One comment by a new resident, through `client`: one client for every comment, as a
    server loads its middleware once (a new test client loads it at its first request, WhiteNoise
    reading every static file, and that was timed as the request)."""
    person = resident()
    client.force_login(person)
    comment_count = initiative.comment_count
    try:
        with CaptureQueriesContext(connection) as queries:
            clock = time.perf_counter()
            response = client.post(
                f"/initiativ/{initiative.pk}/kommentarer/",
                {"body": "Ett mätt inlägg."},
                headers={"HX-Request": "true"},
            )
            request_ms = (time.perf_counter() - clock) * 1000
        if response.status_code != 200:
            sys.exit(f"The comment was refused: {response.status_code}")
        comment = Comment.objects.filter(author=person).latest("pk")
        queued = DBTaskResult.objects.get(
            task_path__endswith="notify_followers", args_kwargs__kwargs__comment_id=comment.pk
        )
        kwargs = queued.args_kwargs["kwargs"]
        followers = list(initiative.follows.filter(active=True).values_list("user_id", flat=True))
        watchers = followers[: int(len(followers) * watching)]
        for user_id in watchers:
            async_to_sync(presence.opened)(user_id)
        clock = time.perf_counter()
        told = fanout.notify_followers.call(**kwargs)
        task_ms = (time.perf_counter() - clock) * 1000
        for user_id in watchers:
            async_to_sync(presence.closed)(user_id)
        return {
            "request_ms": request_ms,
            "request_queries": len(queries),
            "task_ms": task_ms,
            "told": told,
            "watching": len(watchers),
        }
    finally:
        forget([person], initiative.pk, comment_count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--followers", default="5,1000,50000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--watching", type=float, default=0.01)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database filled by bench/generate.py.")
    print(f"load average {os.getloadavg()}", flush=True)
    results = []
    client = Client(SERVER_NAME="localhost")
    client.get("/healthz")  # loads the middleware, as a server does before its first request
    for wanted in (int(value) for value in args.followers.split(",")):
        initiative, followers = closest_initiative(wanted)
        runs = [one_comment(initiative, args.watching, client) for _ in range(args.repeat)]
        row = {
            "followers": followers,
            "initiative": initiative.pk,
            "request_ms_median": statistics.median(run["request_ms"] for run in runs),
            "request_queries": sorted({run["request_queries"] for run in runs}),
            "task_ms_median": statistics.median(run["task_ms"] for run in runs),
            "told": runs[0]["told"],
            "watching": runs[0]["watching"],
        }
        row["task_ms_per_follower"] = row["task_ms_median"] / max(row["told"], 1)
        results.append(row)
        print(json.dumps(row), flush=True)
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(json.dumps({"load": os.getloadavg(), "results": results}, indent=2))


if __name__ == "__main__":
    main()
