"""Compare ASGI servers serving config.asgi:application on loopback.

Run it with `make bench`, which builds a separate virtualenv in bench/data/venv (the runtime
dependencies from requirements.lock, plus granian and hypercorn when they install) so that
benchmark-only packages never reach the project's own dependencies. By hand:

    bench/data/venv/bin/python bench/asgi_servers.py --duration 10 --connections 16

For each server in turn (one at a time, one process each) the script starts it on a free
127.0.0.1 port with DEBUG=0, waits for /healthz, then drives /healthz and /programmet/ with wrk
for a fixed time after a short warm-up (the server pinned to CPU 0, wrk to CPU 1, when taskset
and two CPUs are there), and measures the websocket handshake plus one echo through
Channels' origin validator and session/auth middleware. The database is a temporary SQLite file
filled by `migrate` and `import_programme`; static files are collected into a temporary directory.
Results are printed as a Markdown table and written to bench/data/results.json.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
HOST = "127.0.0.1"  # loopback only, never anything else
PATHS = ["/healthz", "/programmet/"]
WS_PATH = "/ws/bench/echo/"

# wrk prints one JSON line at the end: counts and latency percentiles in microseconds.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
    .. '"errors": %d, "bad_status": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
end
"""

SERVERS: dict[str, dict] = {
    "uvicorn": {
        "module": "uvicorn",
        "label": "uvicorn (uvloop, httptools, websockets-sansio)",
        "argv": lambda port, app: [
            "-m", "uvicorn", app, "--host", HOST, "--port", str(port), "--loop", "uvloop",
            "--http", "httptools", "--ws", "websockets-sansio", "--lifespan", "off",
            "--no-access-log", "--log-level", "warning",
        ],
    },
    "daphne": {
        "module": "daphne",
        "label": "daphne (Twisted)",
        "argv": lambda port, app: ["-m", "daphne", "-b", HOST, "-p", str(port), "-v", "0", app],
    },
    "granian": {
        "module": "granian",
        "label": "granian (asginl, uvloop)",
        "argv": lambda port, app: [
            "-m", "granian", "--interface", "asginl", "--host", HOST, "--port", str(port),
            "--workers", "1", "--loop", "uvloop", "--log-level", "warning", app,
        ],
    },
    "hypercorn": {
        "module": "hypercorn",
        "label": "hypercorn (uvloop)",
        "argv": lambda port, app: [
            "-m", "hypercorn", "--bind", f"{HOST}:{port}", "--worker-class", "uvloop",
            "--workers", "1", app,
        ],
    },
}  # fmt: skip


class _BenchApplication:
    """config.asgi:application, plus one echo websocket route for the handshake measurement.

    The route goes through the same origin validator and auth middleware as the real routes, so
    the handshake costs what a real one costs. Everything else is passed to the real application.
    Built on first call, so importing this module does not set Django up.
    """

    def __init__(self):
        self._real = None
        self._echo = None

    def _build(self):
        from channels.auth import AuthMiddlewareStack
        from channels.generic.websocket import WebsocketConsumer
        from channels.security.websocket import AllowedHostsOriginValidator

        from config.asgi import application as real

        class Echo(WebsocketConsumer):
            def receive(self, text_data=None, bytes_data=None):
                self.send(text_data=text_data)

        self._real = real
        self._echo = AllowedHostsOriginValidator(AuthMiddlewareStack(Echo.as_asgi()))

    async def __call__(self, scope, receive, send):
        if self._real is None:
            self._build()
        if scope["type"] == "websocket" and scope["path"] == WS_PATH:
            return await self._echo(scope, receive, send)
        return await self._real(scope, receive, send)


application = _BenchApplication()


def pinned(argv: list[str], cpu: int | None) -> list[str]:
    """argv run on one CPU (taskset), so that the server and wrk do not take each other's core."""
    if cpu is None:
        return argv
    return ["taskset", "--cpu-list", str(cpu), *argv]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def http_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback URL)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def prepare(env: dict[str, str]) -> None:
    for command in (["migrate", "--noinput"], ["import_programme"], ["collectstatic", "--noinput"]):
        print(f"  manage.py {' '.join(command)}", flush=True)
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v", "0"],
            cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip


def run_wrk(url: str, *, seconds: int, connections: int, script: Path, cpu: int | None) -> dict:
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script]
    output = subprocess.run(
        pinned([*map(str, argv), url], cpu),
        capture_output=True, text=True, check=True, timeout=seconds + 30,
    ).stdout  # fmt: skip
    line = next(line for line in output.splitlines() if line.startswith("WRKJSON "))
    raw = json.loads(line.removeprefix("WRKJSON "))
    return {
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "requests": raw["requests"],
        "errors": raw["errors"],
        "bad_status": raw["bad_status"],
    }


async def websocket_times(port: int, count: int) -> dict:
    from websockets.asyncio.client import connect

    times = []
    for index in range(-5, count):  # the first five warm up and are not counted
        started = time.perf_counter()
        async with connect(f"ws://{HOST}:{port}{WS_PATH}", origin=f"http://{HOST}:{port}") as ws:
            await ws.send(str(index))
            if await ws.recv() != str(index):
                raise RuntimeError("the echo consumer answered with something else")
        if index >= 0:
            times.append((time.perf_counter() - started) * 1000)
    quantiles = statistics.quantiles(times, n=20)
    return {
        "connects": count,
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(quantiles[18], 2),
    }


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def bench_server(name: str, env: dict[str, str], args, script: Path, log: Path) -> dict:
    port = free_port()
    argv = [sys.executable, *SERVERS[name]["argv"](port, "bench.asgi_servers:application")]
    argv = pinned(argv, args.server_cpu)
    with log.open("w") as log_file:
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        base = f"http://{HOST}:{port}"
        deadline = time.monotonic() + 30
        while http_status(f"{base}/healthz") != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not become healthy; see {log}")
            time.sleep(0.2)
        result: dict = {"server": SERVERS[name]["label"], "http": {}}
        for path in PATHS:
            status = http_status(base + path)
            if status != 200:
                raise RuntimeError(f"{name}: GET {path} answered {status}")
            load = {"connections": args.connections, "script": script, "cpu": args.client_cpu}
            run_wrk(base + path, seconds=args.warmup, **load)
            result["http"][path] = run_wrk(base + path, seconds=args.duration, **load)
            print(f"    {path}: {result['http'][path]}", flush=True)
        if args.ws_connects:
            result["websocket"] = asyncio.run(websocket_times(port, args.ws_connects))
            print(f"    websocket: {result['websocket']}", flush=True)
        return result
    finally:
        stop(process)


def markdown(results: dict[str, dict]) -> str:
    head = "| server | path | req/s | p50 ms | p95 ms | p99 ms | errors |"
    lines = [head, "|---|---|---:|---:|---:|---:|---:|"]
    for result in results.values():
        if "error" in result:
            lines.append(f"| {result['server']} | — | failed: {result['error']} | | | | |")
            continue
        for path, row in result["http"].items():
            errors = row["errors"] + row["bad_status"]
            lines.append(
                f"| {result['server']} | `{path}` | {row['rps']:.0f} | {row['p50_ms']} "
                f"| {row['p95_ms']} | {row['p99_ms']} | {errors} |"
            )
        if "websocket" in result:
            ws = result["websocket"]
            lines.append(
                f"| {result['server']} | ws connect+echo ×{ws['connects']} | — "
                f"| {ws['p50_ms']} | {ws['p95_ms']} | — | 0 |"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", nargs="+", default=list(SERVERS), choices=list(SERVERS))
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per path")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per path")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections")
    parser.add_argument("--ws-connects", type=int, default=200, help="0 skips the websocket test")
    parser.add_argument(
        "--no-pin", action="store_true", help="do not pin the server and wrk to separate CPUs"
    )
    args = parser.parse_args()
    pin = not args.no_pin and shutil.which("taskset") and (os.cpu_count() or 1) >= 2
    args.server_cpu, args.client_cpu = (0, 1) if pin else (None, None)

    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk (make bench does this)")
    DATA.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tillsammans-bench-") as tmp:
        tmp_path = Path(tmp)
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "TASKS_BACKEND"}
        }
        env.update(
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=HOST,
            SECURE_SSL_REDIRECT="0",
            DATABASE_URL=f"sqlite:///{tmp_path / 'bench.sqlite3'}",
            STATIC_ROOT=str(tmp_path / "static"),
            MEDIA_ROOT=str(tmp_path / "media"),
            LOG_LEVEL="WARNING",
            PYTHONDONTWRITEBYTECODE="1",
        )
        print("Preparing a temporary database and static files", flush=True)
        prepare(env)
        script = tmp_path / "report.lua"
        script.write_text(WRK_REPORT)

        results: dict[str, dict] = {}
        for name in args.servers:
            if importlib.util.find_spec(SERVERS[name]["module"]) is None:
                print(f"{name}: not installed, skipped", flush=True)
                continue
            print(f"{name}:", flush=True)
            try:
                results[name] = bench_server(name, env, args, script, DATA / f"{name}.log")
            except (RuntimeError, subprocess.SubprocessError, OSError) as error:
                print(f"    failed: {error}", flush=True)
                results[name] = {"server": SERVERS[name]["label"], "error": str(error)}

    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "settings": {
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "connections": args.connections,
            "ws_connects": args.ws_connects,
            "server_cpu": args.server_cpu,
            "client_cpu": args.client_cpu,
        },
        "results": results,
    }
    (DATA / "results.json").write_text(json.dumps(report, indent=2))
    print()
    print(markdown(results))
    print(f"\nWritten to {DATA / 'results.json'}")
    return 0 if results and all("error" not in r for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
