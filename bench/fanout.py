"""Fan-out of one support to 1,000 websocket clients across two granian processes.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_madrid   # from bench/generate.py
    export REDIS_URL=redis://127.0.0.1:6379/14
    .venv/bin/python -m bench.fanout --clients 1000 --rounds 20

Starts two granian processes as production runs them (`granian --interface asginl
config.asgi:application`, one worker each, on two ports so that each takes exactly half of the
clients; `--server uvicorn` for uvicorn with the earlier flags), with DEBUG=0 and REDIS_URL set,
connects the clients to one initiative's page socket, alternately to each process, leaves them
quiet for --idle seconds (60 by default: well past the 5 s that channels_redis blocks in Redis per
read, so a Redis socket timeout that cuts that read short closes sockets here), then per round:

- support: the time from calling ideas.actions.support_set (give, then withdraw, in turn: each
  announces on commit through ideas.live, as the POST does) until every client has the message;
- baseline: the time from a bare `channel_layer.group_send` of the payload the clients just got,
  to the same group, until every client has it.

With `--list-sockets N`, N list-page sockets are opened besides, each showing 20 cards of other
initiatives (`/ws/initiativ/?visar=…`, as /initiativ/ opens it), alternately on each process;
they should hear nothing of the support. The servers' CPU time over the rounds (every process of
each server's process group, from /proc) is reported per round, so a run with and a run without
list sockets show what the sockets that do not show the card cost.

Every wait is bounded (--timeout). The run fails when a socket closes while quiet, when a round
misses a client, or when a server logs an error or a traceback. Results go to
bench/data/fanout.json.
"""

import argparse
import asyncio
import contextlib
import json
import os
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.pages import SERVERS, launch, stop, wait_listening

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
HOST = "127.0.0.1"
BENCH_EMAIL = "fanout-bench@example.org"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def raise_fd_limit(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Arrivals:
    """Counts the messages of the current round; set() once every client has one."""

    def __init__(self, expected: int):
        self.expected = expected
        self.reset()

    def reset(self) -> None:
        self.count, self.last, self.text = 0, 0.0, ""
        self.done = asyncio.Event()

    def add(self, text: str) -> None:
        self.count += 1
        self.last = time.perf_counter()
        self.text = text
        if self.count >= self.expected:
            self.done.set()


async def listen(
    url: str,
    origin: str,
    arrivals: Arrivals,
    ready: asyncio.Semaphore,
    sockets,
    *,
    cookie: str = "",
    counted: str = "",
):
    """One client: connect (signed in when `cookie` is given), then count each message that
    contains `counted` (every message when it is empty)."""
    from websockets.asyncio.client import connect

    headers = {"Cookie": cookie} if cookie else None
    async with ready:
        websocket = await connect(
            url, origin=origin, additional_headers=headers, open_timeout=20, max_size=2**22
        )
    sockets.append(websocket)
    try:
        async for message in websocket:
            if counted in message:
                arrivals.add(message)
    except Exception:  # noqa: BLE001, S110 — a closed socket ends its listener; counts show it
        pass


async def all_open(listeners: list, sockets: list, expected: int, timeout: float) -> float:
    """Wait until `expected` sockets are open; the seconds it took. A client that could not
    connect, or too slow a start, fails the run."""
    began = time.monotonic()
    while len(sockets) < expected:
        failed = [task for task in listeners if task.done() and task.exception()]
        if failed:
            raise RuntimeError(f"a client could not connect: {failed[0].exception()!r}")
        if time.monotonic() - began > timeout:
            raise RuntimeError(f"only {len(sockets)} of {expected} sockets connected")
        await asyncio.sleep(0.05)
    return time.monotonic() - began


def serve_like_production(tmp: Path, **extra: str) -> dict[str, str]:
    """The environment of servers started as production starts them (DEBUG=0, static files
    collected into `tmp`), with `extra` besides; this process's Django is set up with it too,
    so that what it writes and reads is what the servers see. Returns the environment."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=str(tmp / "static"),
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT, env=env, check=True, timeout=300,
    )  # fmt: skip
    os.environ.update(env)
    import django

    django.setup()
    return env


def prepare_data():
    """An open initiative and a verified person who does not support it yet."""
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from ideas.models import Initiative, Support

    initiative = Initiative.objects.open_for_support().order_by("-support_count", "pk").first()
    if initiative is None:
        sys.exit("No initiative is open for support; run bench/generate.py first.")
    user, _created = User.objects.get_or_create(
        email=BENCH_EMAIL, defaults={"display_name": "Fan-out bench"}
    )
    EmailAddress.objects.update_or_create(
        user=user, email=BENCH_EMAIL, defaults={"verified": True, "primary": True}
    )
    # Each round supports or withdraws: more than a person may in a window. The benchmark's own
    # person starts each run with no count (core.ratelimit keeps it in the cache, here Redis).
    from django.core.cache import cache

    cache.delete(f"ratelimit:support:{user.pk}")
    if Support.objects.filter(initiative=initiative, user=user).exists():
        from ideas.actions import support_set

        support_set(user=user, initiative=initiative, supported=False)
    return initiative, user


def start_servers(server: str, env: dict[str, str], count: int, log_dir: Path, workers: int = 1):
    """`count` separate server processes on their own ports, so that each gets exactly its share
    of the clients; or, with `workers` above one, production's shape: one granian with that many
    workers behind one port, which leaves the split to the kernel."""
    processes, ports, logs = [], [], []
    for index in range(count):
        port = free_port()
        log = log_dir / f"fanout-{server}-{index}.log"
        processes.append(launch(server, port, env, log, workers=workers))
        ports.append(port)
        logs.append(log)
    deadline = time.monotonic() + 30
    for process, port, log in zip(processes, ports, logs, strict=True):
        wait_listening(process, port, log, deadline)
    return processes, ports, logs


def group_members(leaders: list[int]):
    """Each process of the servers' process groups (granian forks its workers into the group of
    the process that `launch` started): its /proc folder and the fields of its stat after the
    command name."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while being read
        if int(fields[2]) in leaders:  # pgrp
            yield stat.parent, fields


def socket_links(process: Path) -> list[str] | None:
    """What each of the process's sockets links to (`socket:[inode]`), or None once it ended."""
    try:
        links = [os.readlink(fd) for fd in (process / "fd").iterdir()]
    except OSError:
        return None
    return [link for link in links if link.startswith("socket:")]


def cpu_seconds(leaders: list[int]) -> float:
    """User and system CPU time of every process in the servers' process groups."""
    # utime and stime, in clock ticks
    ticks = sum(int(fields[11]) + int(fields[12]) for _process, fields in group_members(leaders))
    return ticks / os.sysconf("SC_CLK_TCK")


def sockets_per_process(leaders: list[int]) -> list[int]:
    """How many sockets each process of the servers' groups holds, most first: with one granian
    and several workers, how the kernel split the clients (the few of a process's own, to Redis
    and PostgreSQL, are in the count too)."""
    held = (socket_links(process) for process, _fields in group_members(leaders))
    return sorted((len(links) for links in held if links is not None), reverse=True)


def connections_per_process(leaders: list[int], ports: list[int]) -> list[int]:
    """How many open connections to `ports` each worker of the servers holds, most first: how
    the clients' connections were split between the workers (granian's main process, the
    group's leader, serves none and is left out). Only connections accepted on those ports
    count, not a worker's own to Redis or PostgreSQL."""
    accepted = set()  # socket inodes of established connections whose local port is a server's
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as lines:
            next(lines)
            for line in lines:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if fields[3] == "01" and local_port in ports:  # 01: ESTABLISHED
                    accepted.add(f"socket:[{fields[9]}]")
    held = (
        socket_links(process)
        for process, fields in group_members(leaders)
        if int(fields[2]) != int(process.name)  # not the group's leader
    )
    counts = [sum(link in accepted for link in links) for links in held if links is not None]
    return sorted(counts, reverse=True)


def other_cards(initiative, count: int) -> str:
    from ideas.models import Initiative

    pks = (
        Initiative.objects.public()
        .exclude(pk=initiative.pk)
        .order_by("-published_at")
        .values_list("pk", flat=True)[:count]
    )
    return ",".join(str(pk) for pk in pks)


def server_errors(logs: list[Path]) -> list[str]:
    """The lines of the servers' logs that report an error or a traceback."""
    return [
        line
        for log in logs
        for line in log.read_text(errors="replace").splitlines()
        if " ERROR " in line or line.startswith("Traceback")
    ]


async def measure(args, initiative, user, ports: list[int], leaders: list[int]) -> dict:
    from channels.layers import get_channel_layer

    from ideas import live
    from ideas.actions import support_set

    arrivals = Arrivals(args.clients)
    ready = asyncio.Semaphore(50)  # connects in flight at once; the rest queue
    sockets: list = []
    listeners = []
    for index in range(args.clients):
        port = ports[index % len(ports)]
        url = f"ws://{HOST}:{port}/ws/initiativ/{initiative.pk}/?lang=sv"
        listeners.append(
            asyncio.create_task(listen(url, f"http://{HOST}:{port}", arrivals, ready, sockets))
        )
    took = await all_open(listeners, sockets, args.clients, args.timeout * 4)
    split = sockets_per_process(leaders)
    print(f"  {len(sockets)} clients connected in {took:.1f} s; sockets by process {split}")
    unexpected = Arrivals(args.list_sockets or 1)
    if args.list_sockets:
        shown = await asyncio.to_thread(other_cards, initiative, 20)
        for index in range(args.list_sockets):
            port = ports[index % len(ports)]
            url = f"ws://{HOST}:{port}/ws/initiativ/?lang=sv&visar={shown}"
            origin = f"http://{HOST}:{port}"
            listeners.append(asyncio.create_task(listen(url, origin, unexpected, ready, sockets)))
        await all_open(listeners, sockets, args.clients + args.list_sockets, args.timeout * 4)
        print(f"  {args.list_sockets} list sockets connected", flush=True)
    await asyncio.sleep(1)  # let the last group_add calls settle
    if args.idle:
        print(f"  quiet for {args.idle:g} s", flush=True)
        await asyncio.sleep(args.idle)
        closed = sum(1 for task in listeners if task.done())
        if closed:
            raise RuntimeError(f"{closed} of {args.clients} sockets closed while quiet")

    layer = get_channel_layer()
    group = live.initiative_group(initiative.pk, "sv")
    result: dict[str, list[float]] = {"support": [], "baseline": []}
    supported = True

    def action() -> float:
        nonlocal supported
        started = time.perf_counter()
        support_set(user=user, initiative=initiative, supported=supported)
        supported = not supported
        return started

    async def round_of(kind: str) -> None:
        arrivals.reset()
        if kind == "support":
            started = await asyncio.to_thread(action)
        else:
            payload = {"type": "live.html", "html": last_text}
            started = time.perf_counter()
            await layer.group_send(group, payload)
        try:
            await asyncio.wait_for(arrivals.done.wait(), args.timeout)
        except TimeoutError:
            raise RuntimeError(
                f"{kind}: {arrivals.count} of {args.clients} clients got the message"
            ) from None
        result[kind].append((arrivals.last - started) * 1000)
        await asyncio.sleep(0.3)  # a stray late message would land before the next round

    last_text = ""
    cpu_before = 0.0
    for index in range(args.rounds + 1):
        await round_of("support")
        last_text = arrivals.text
        await round_of("baseline")
        if index == 0:  # the first round warms connections and template caches: not counted
            result = {"support": [], "baseline": []}
            cpu_before = cpu_seconds(leaders)
        else:
            print(
                f"  round {index}: support {result['support'][-1]:.1f} ms, "
                f"baseline {result['baseline'][-1]:.1f} ms",
                flush=True,
            )
    server_cpu = cpu_seconds(leaders) - cpu_before
    for websocket in sockets:
        await asyncio.wait_for(websocket.close(), 5)
    for task in listeners:
        task.cancel()
    summary = {}
    for kind, values in result.items():
        summary[kind] = {
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(values, 0.95), 1),
            "min_ms": round(min(values), 1),
            "max_ms": round(max(values), 1),
        }
    summary["ratio_p50"] = round(summary["support"]["p50_ms"] / summary["baseline"]["p50_ms"], 2)
    summary["ratio_p95"] = round(summary["support"]["p95_ms"] / summary["baseline"]["p95_ms"], 2)
    summary["payload_bytes"] = len(last_text.encode())
    summary["list_sockets"] = args.list_sockets
    summary["list_socket_messages"] = unexpected.count
    # Each round is one support and one bare group_send, with 0.3 s pauses between.
    summary["server_cpu_ms_per_round"] = round(server_cpu * 1000 / args.rounds, 1)
    summary["sockets_per_process"] = split
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--servers", type=int, default=2, help="server processes")
    parser.add_argument(
        "--server", choices=SERVERS, default="granian", help="ASGI server (default: granian)"
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="granian workers per server (production: 2)"
    )
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--list-sockets", type=int, default=0, help="list-page sockets showing other cards"
    )
    parser.add_argument("--timeout", type=float, default=15, help="seconds to wait for a round")
    parser.add_argument(
        "--idle", type=float, default=60, help="seconds the clients stay quiet before round one"
    )
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a database filled by bench/generate.py.")
    if not os.environ.get("REDIS_URL"):
        sys.exit("Set REDIS_URL, e.g. redis://127.0.0.1:6379/14")
    raise_fd_limit((args.clients + args.list_sockets) * 2 + 1024)
    DATA.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tillsammans-fanout-") as tmp:
        env = serve_like_production(
            Path(tmp),
            DATABASE_CONN_MAX_AGE=os.environ.get("DATABASE_CONN_MAX_AGE", "60"),
        )
        initiative, user = prepare_data()
        print(f"Initiative {initiative.pk}, {args.clients} clients, {args.servers} servers")
        processes: list[subprocess.Popen] = []
        try:
            processes, ports, logs = start_servers(
                args.server, env, args.servers, DATA, args.workers
            )
            summary = asyncio.run(
                asyncio.wait_for(
                    measure(args, initiative, user, ports, [p.pid for p in processes]),
                    600 + args.idle,
                )
            )
        finally:
            for process in processes:
                stop(process)
    errors = server_errors(logs)
    if errors:
        sys.exit(f"The servers logged {len(errors)} errors, the first: {errors[0]}")
    summary.update(
        server=args.server,
        clients=args.clients,
        servers=args.servers,
        workers=args.workers,
        rounds=args.rounds,
        idle_s=args.idle,
    )
    (DATA / "fanout.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
