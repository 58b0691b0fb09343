"""The production topology of docker-compose.yml, started natively (no Docker), in one folder.

    .venv/bin/python -m bench.topology stop WORKDIR    # ends what a rehearsal left running

bench/rehearsal.py starts it; everything lives in its WORKDIR and listens on free ports of
127.0.0.1 only:

- postgres: a PostgreSQL cluster of its own (initdb into WORKDIR/postgres, pg_ctl on a free
  port), so that it can be stopped and restarted without touching the machine's shared cluster;
- redis: compose's redis command (nothing persisted) on a free port;
- web: compose's web command (granian, one worker process) through platform/entrypoint.sh, as
  the image starts it: it waits for the database, migrates, imports the programme and the
  reference data and copies the collected static files to where nginx serves them;
- web-2: the same command on a port of its own, without the setup (RUN_SETUP=0), once web is
  healthy, as compose starts it;
- worker: compose's worker command (the database task queue) through the same entrypoint;
- proxy: nginx with platform/nginx.conf itself, its upstream, port and folders put in
  (render_site_conf), inside the main file the nginx image wraps around it (render_main_conf).

As compose's `restart: unless-stopped` does, web and worker are started again when they exit
(supervise()); each restart is noted in `events`. The environment is compose's
x-app-environment with the rehearsal's values put in for its ${...} variables. Each process
started is written to WORKDIR/pids at once, so that `stop` can end them even when the rehearsal
itself was killed.
"""

import contextlib
import glob
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DATABASE = "tillsammans"
# Without it, granian shuts down whole when one of its workers dies (README.md, "Rehearsal").
RESPAWN = "--respawn-failed-workers"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def compose() -> dict:
    import yaml

    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def web_services() -> tuple[str, ...]:
    """compose's web services, in its order: those whose command is granian, one process each,
    that nginx shares the connections between (web, web-2)."""
    return tuple(
        name
        for name, service in compose()["services"].items()
        if str(service.get("command", [""])[0]) == "granian"
    )


def render_site_conf(
    *,
    upstreams: list[str],
    listen: str,
    static_dir: Path,
    media_dir: Path,
    tls_terminators: list[str] | None = None,
) -> str:
    """platform/nginx.conf with other upstream servers, port and folders, and optionally other
    addresses trusted as the TLS terminator. Every line replaced must be there exactly once, so
    that a change to nginx.conf that this does not follow fails here instead of going unseen."""
    text = (ROOT / "platform" / "nginx.conf").read_text()
    compose_servers = "".join(f"    server {name}:8000;\n" for name in web_services())
    servers = "".join(f"    server {address};\n" for address in upstreams)
    replacements = {
        compose_servers: servers,
        "listen 80 default_server;": f"listen {listen} default_server;",
        "alias /srv/static/;": f"alias {static_dir}/;",
        "alias /srv/media/;": f"alias {media_dir}/;",
    }
    for old, new in replacements.items():
        if text.count(old) != 1:
            raise ValueError(f"platform/nginx.conf must hold {old!r} exactly once")
        text = text.replace(old, new)
    if tls_terminators is not None:
        entries = "".join(f"    {address} 1;\n" for address in tls_terminators)
        text, count = re.subn(
            r"(geo \$from_tls_terminator \{\n\s*default\s+0;\n)(?:\s*[0-9a-fA-F.:/]+\s+1;\n)+",
            lambda match: match[1] + entries,
            text,
        )
        if count != 1:
            raise ValueError("platform/nginx.conf must hold one geo $from_tls_terminator block")
    return text


def render_main_conf(folder: Path, site_conf: Path) -> str:
    """The main file around the site's, as the nginx image has it (mime types, sendfile,
    keep-alive), with its pid, logs and temporary files in `folder`, in the foreground."""
    temp = folder / "tmp"
    return f"""daemon off;
worker_processes auto;
pid {folder}/nginx.pid;
error_log {folder}/error.log notice;
events {{
    worker_connections 1024;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/access.log;
    sendfile on;
    keepalive_timeout 65;
    client_body_temp_path {temp}/client_body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {site_conf};
}}
"""


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        raise RuntimeError("nginx is not installed (apt-get install -y nginx)")
    return found


def postgres_bin(name: str) -> str:
    """A PostgreSQL server program (initdb, pg_ctl), from the newest installed version."""
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    found = candidates[-1] if candidates else shutil.which(name)
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed")
    return found


def as_postgres(command: list[str]) -> list[str]:
    """initdb and the server refuse to run as root; as root, run them as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def expand(value: str, values: dict[str, str]) -> str:
    """compose's ${NAME}, ${NAME:-default} and ${NAME:?message}, from `values`."""

    def one(match: re.Match) -> str:
        name, operator, rest = match[1], match[2] or "", match[3] or ""
        if name in values:
            return values[name]
        if operator == ":?":
            raise KeyError(f"docker-compose.yml needs {name}: {rest}")
        return rest if operator == ":-" else ""

    return re.sub(r"\$\{(\w+)(:-|:\?)?([^}]*)\}", one, str(value))


class Topology:
    """The processes of the production topology, started and stopped one by one."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.web = web_services()
        # compose's `restart: unless-stopped`, for the services no fault stops on purpose.
        self.restarted = (*self.web, "worker")
        self.ports = {name: free_port() for name in ("postgres", "redis", *self.web, "proxy")}
        self.processes: dict[str, subprocess.Popen] = {}
        self.commands: dict[str, tuple[list[str], dict | None]] = {}
        self.events: list[tuple[float, str]] = []
        self.lock = threading.RLock()
        self.supervising = threading.Event()
        self.secret_key = secrets.token_urlsafe(50)
        self.url = f"http://{HOST}:{self.ports['proxy']}"
        self.database_url = f"postgres://postgres@{HOST}:{self.ports['postgres']}/{DATABASE}"
        workdir.chmod(0o755)  # nginx's workers (nobody) read the static files in here
        for name in ("static", "staticfiles", "media", "mail", "logs"):
            (workdir / name).mkdir(exist_ok=True)

    # --- environment ---------------------------------------------------------------------------

    def app_env(self, service: str) -> dict[str, str]:
        """compose's environment of `service` (web, web-2, worker), with the rehearsal's
        values."""
        definition = compose()
        values = {
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "SITE_URL": f"https://{HOST}:{self.ports['proxy']}",
            # nginx passes the host without the port (proxy_set_header Host $host), so the
            # origins of this port must be trusted explicitly, as env.example describes.
            "CSRF_TRUSTED_ORIGINS": f"{self.url},https://{HOST}:{self.ports['proxy']}",
            "POSTGRES_PASSWORD": "trust-auth-ignores-it",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        }
        env = {
            key: expand(value, values)
            for key, value in definition["services"][service]["environment"].items()
        }
        env.update(
            # compose's service names, as this machine reaches them.
            DATABASE_URL=self.database_url,
            REDIS_URL=f"redis://{HOST}:{self.ports['redis']}/0",
            STATIC_ROOT=str(self.workdir / "staticfiles"),
            MEDIA_ROOT=str(self.workdir / "media"),
            EMAIL_FILE_PATH=str(self.workdir / "mail"),
        )
        if "STATIC_EXPORT_DIR" in env:
            env["STATIC_EXPORT_DIR"] = str(self.workdir / "static")
        path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
        return {
            "PATH": path,
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONUNBUFFERED": "1",
            **env,
        }

    # --- bookkeeping ---------------------------------------------------------------------------

    def _remember(self, line: str) -> None:
        with (self.workdir / "pids").open("a") as pids:
            pids.write(line + "\n")

    def _forget(self, line: str) -> None:
        pids = self.workdir / "pids"
        with contextlib.suppress(FileNotFoundError):
            kept = [entry for entry in pids.read_text().splitlines() if entry != line]
            pids.write_text("".join(entry + "\n" for entry in kept))

    def _spawn(self, name: str, command: list[str], env: dict | None = None) -> subprocess.Popen:
        with self.lock, (self.workdir / "logs" / f"{name}.log").open("a") as log:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: granian's workers stop with it
            )
            self.processes[name] = process
            self.commands[name] = (command, env)
            self._remember(f"group {process.pid} {name}")
        return process

    def _stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
        with self.lock:
            process = self.processes.pop(name, None)
        if process is None:
            return
        stop_group(process.pid, sig, timeout)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=1)
        self._forget(f"group {process.pid} {name}")

    def supervise(self) -> None:
        """Start the web services and the worker again whenever they exit, as compose's restart
        policy does."""

        def watch() -> None:
            while self.supervising.is_set():
                time.sleep(0.5)
                with self.lock:
                    for name in self.restarted:
                        process = self.processes.get(name)
                        if process is None or process.poll() is None:
                            continue
                        self._forget(f"group {process.pid} {name}")
                        self.events.append(
                            (time.monotonic(), f"{name} exited ({process.returncode}); "
                             "started again, as compose's restart: unless-stopped does")
                        )  # fmt: skip
                        self._spawn(name, *self.commands[name])

        self.supervising.set()
        threading.Thread(target=watch, daemon=True).start()

    def log(self, name: str) -> Path:
        return self.workdir / "logs" / f"{name}.log"

    # --- PostgreSQL ----------------------------------------------------------------------------

    @property
    def pg_data(self) -> Path:
        return self.workdir / "postgres"

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(
            as_postgres([postgres_bin("pg_ctl"), "-D", str(self.pg_data), *args]),
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=120,
        )

    def start_postgres(self) -> None:
        if not self.pg_data.exists():
            self.pg_data.mkdir(mode=0o700)
            log = self.log("postgres")
            log.touch()
            if os.geteuid() == 0:
                shutil.chown(self.pg_data, "postgres", "postgres")
                shutil.chown(log, "postgres", "postgres")
            subprocess.run(
                as_postgres(
                    [postgres_bin("initdb"), "-D", str(self.pg_data), "-U", "postgres"]
                    + ["-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]
                ),
                check=True,
                stdout=subprocess.DEVNULL,
                timeout=120,
            )
            self._remember(f"postgres {self.pg_data}")
        options = (
            f"-p {self.ports['postgres']} -c listen_addresses={HOST} -k {self.pg_data}"
            " -c max_connections=200"
        )
        self._pg_ctl("start", "-w", "-t", "60", "-l", str(self.log("postgres")), "-o", options)

    def stop_postgres(self) -> None:
        """A fast shutdown, as `docker compose restart postgres` does it (the image's SIGINT):
        open transactions are rolled back and the connections closed."""
        self._pg_ctl("stop", "-w", "-t", "60", "-m", "fast")

    def create_database(self) -> None:
        subprocess.run(
            [
                shutil.which("createdb") or postgres_bin("createdb"),
                "-h", HOST, "-p", str(self.ports["postgres"]), "-U", "postgres", DATABASE,
            ],
            check=True,
            timeout=60,
        )  # fmt: skip

    # --- Redis ---------------------------------------------------------------------------------

    def start_redis(self) -> None:
        command = [str(word) for word in compose()["services"]["redis"]["command"]]
        if shutil.which(command[0]) is None:
            raise RuntimeError(f"{command[0]} is not installed")
        self._spawn("redis", [*command, "--port", str(self.ports["redis"]), "--bind", HOST])
        wait_for(lambda: redis_answers(self.ports["redis"]), 20, "Redis did not start")

    def stop_redis(self) -> None:
        self._stop("redis")

    # --- the application -----------------------------------------------------------------------

    def web_command(self, service: str = "web") -> list[str]:
        """compose's command of a web service, with this machine's address and its port."""
        words = [str(word) for word in compose()["services"][service]["command"]]
        for flag, value in (("--host", HOST), ("--port", str(self.ports[service]))):
            words[words.index(flag) + 1] = value
        return words

    def start_web(self) -> None:
        """web, then web-2 once web is healthy, as compose's depends_on has it."""
        entrypoint = str(ROOT / "platform" / "entrypoint.sh")
        for service in self.web:
            self._spawn(service, [entrypoint, *self.web_command(service)], self.app_env(service))
            wait_for(
                lambda service=service: self.web_healthy(service),
                300,
                f"the {service} service did not become healthy",
                self.log(service),
            )

    def web_healthy(self, service: str = "web") -> bool:
        if self.processes[service].poll() is not None and not self.supervising.is_set():
            raise RuntimeError(f"the {service} service exited; see {self.log(service)}")
        request = urllib.request.Request(
            f"http://{HOST}:{self.ports[service]}/healthz", headers={"Host": HOST}
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                return answer.status == 200
        except OSError:
            return False

    def web_workers(self, service: str = "web") -> list[int]:
        """The process ids of a web service's granian workers (its main process's children)."""
        with self.lock:
            return children(self.processes[service].pid)

    def start_worker(self) -> None:
        command = [str(word) for word in compose()["services"]["worker"]["command"]]
        entrypoint = str(ROOT / "platform" / "entrypoint.sh")
        self._spawn("worker", [entrypoint, *command], self.app_env("worker"))

    def collectstatic(self) -> None:
        """What the image build does: collect the static files (into STATIC_ROOT)."""
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=self.app_env("web"),
            check=True,
            timeout=600,
        )

    # --- nginx ---------------------------------------------------------------------------------

    def start_proxy(self) -> None:
        folder = self.workdir / "nginx"
        (folder / "tmp").mkdir(parents=True, exist_ok=True)
        site = folder / "default.conf"
        site.write_text(
            render_site_conf(
                upstreams=[f"{HOST}:{self.ports[service]}" for service in self.web],
                listen=f"{HOST}:{self.ports['proxy']}",
                static_dir=self.workdir / "static",
                media_dir=self.workdir / "media",
            )
        )
        main = folder / "nginx.conf"
        main.write_text(render_main_conf(folder, site))
        binary = nginx_binary()
        subprocess.run(
            [binary, "-t", "-q", "-c", str(main), "-p", f"{folder}/"], check=True, timeout=30
        )
        self._spawn("proxy", [binary, "-c", str(main), "-p", f"{folder}/"])
        wait_for(lambda: port_open(self.ports["proxy"]), 20, "nginx did not start")

    # --- all -----------------------------------------------------------------------------------

    def stop_all(self) -> None:
        self.supervising.clear()
        for name in ("proxy", "worker", *reversed(self.web), "redis"):
            self._stop(name)
        if (self.pg_data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError):
                self.stop_postgres()


def wait_for(check, seconds: float, failure: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(failure + (f"; see {log}" if log else ""))
        time.sleep(0.2)


def port_open(port: int) -> bool:
    try:
        socket.create_connection((HOST, port), timeout=1).close()
        return True
    except OSError:
        return False


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # The command name (in parentheses) may hold spaces; the parent follows it.
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return sorted(found)


def stop_group(pgid: int, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
    """`sig` to a process group, then SIGKILL to whatever of it is left after `timeout`."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        with contextlib.suppress(ChildProcessError):
            os.waitpid(-pgid, os.WNOHANG)
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def stop_recorded(workdir: Path) -> None:
    """End every process a rehearsal recorded in WORKDIR/pids (what is already gone is skipped)."""
    pids = workdir / "pids"
    if not pids.exists():
        return
    for line in reversed(pids.read_text().splitlines()):
        kind, value, *_ = line.split()
        if kind == "group":
            stop_group(int(value), timeout=10)
        elif kind == "postgres" and (Path(value) / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError):
                subprocess.run(
                    as_postgres([postgres_bin("pg_ctl"), "-D", value, "stop", "-m", "fast"]),
                    timeout=60,
                    stdout=subprocess.DEVNULL,
                )


def main() -> None:
    if len(sys.argv) != 3 or sys.argv[1] != "stop":
        sys.exit("usage: python -m bench.topology stop WORKDIR")
    stop_recorded(Path(sys.argv[2]))


if __name__ == "__main__":
    main()
