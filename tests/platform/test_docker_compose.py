"""The production setup (docker-compose.yml and platform/) is checked by reading it.

No Docker engine runs where the tests run, so these tests hold the files to what README.md
promises: the five services, their health checks, the environment, the proxy and the image.
"""

import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PLATFORM = ROOT / "platform"
APP_ENV = {"DATABASE_URL", "REDIS_URL", "TASKS_BACKEND", "SECRET_KEY"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command_words(value) -> list[str]:
    """A compose command or healthcheck test, as a list of words either way it is written."""
    if isinstance(value, str):
        return shlex.split(value)
    return [str(word) for word in value]


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def volume_sources(service: dict) -> dict[str, str]:
    """Mount target -> source, for the short `source:target[:mode]` syntax."""
    mounts = {}
    for volume in service.get("volumes", []):
        source, target, *_ = volume.split(":")
        mounts[target] = source
    return mounts


def test_compose_defines_the_production_services(services):
    assert set(services) == {"postgres", "redis", "web", "web-2", "worker", "scheduler", "proxy"}


def test_postgres_is_healthy_only_when_pg_isready_answers(services):
    words = command_words(services["postgres"]["healthcheck"]["test"])
    assert "pg_isready" in words


def test_postgres_keeps_its_data_in_a_named_volume(compose, services):
    mounts = volume_sources(services["postgres"])
    assert mounts.get("/var/lib/postgresql/data") in compose["volumes"]


def test_redis_is_healthy_only_when_it_answers_ping(services):
    words = command_words(services["redis"]["healthcheck"]["test"])
    assert words[-2:] == ["redis-cli", "ping"]


def test_web_health_check_requests_healthz(services):
    words = command_words(services["web"]["healthcheck"]["test"])
    assert any("/healthz" in word for word in words)


def test_web_is_built_from_the_platform_dockerfile(services):
    build = services["web"]["build"]
    assert build["dockerfile"] == "platform/Dockerfile"
    assert (ROOT / build["context"] / build["dockerfile"]).is_file()


def test_two_web_services_serve_the_asgi_application_one_granian_process_each(services):
    """Two processes, each behind a port of its own for nginx to share the connections between,
    not one granian with two workers on one listening socket (decision 0022)."""
    words = command_words(services["web"]["command"])
    assert words[0] == "granian"
    assert "config.asgi:application" in words
    assert words[words.index("--workers") + 1] == "1"
    assert command_words(services["web-2"]["command"]) == words
    assert services["web-2"]["image"] == services["web"]["image"]
    assert services["web-2"]["healthcheck"] == services["web"]["healthcheck"]
    assert (
        volume_sources(services["web-2"])["/app/media"]
        == volume_sources(services["web"])["/app/media"]
    )


def test_only_web_sets_up_and_web_2_starts_once_web_is_healthy(services):
    """Two entrypoints migrating at once would race; web-2 waits for web's setup instead."""
    assert environment(services["web"]).get("RUN_SETUP", "1") != "0"
    assert environment(services["web-2"])["RUN_SETUP"] == "0"
    assert "STATIC_EXPORT_DIR" not in environment(services["web-2"])
    assert services["web-2"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_a_web_process_that_dies_is_started_again_and_the_others_go_on(services):
    """Without it granian stops whole when one worker dies (seen in the rehearsal)."""
    assert "--respawn-failed-workers" in command_words(services["web"]["command"])
    dockerfile = (ROOT / "platform" / "Dockerfile").read_text()
    assert '"--respawn-failed-workers"' in dockerfile


def test_web_starts_only_after_postgres_and_redis_are_healthy(services):
    depends_on = services["web"]["depends_on"]
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"


def test_worker_runs_the_database_task_worker_from_the_web_image(services):
    worker = services["worker"]
    assert command_words(worker["command"])[-2:] == ["manage.py", "db_worker"]
    assert worker["image"] == services["web"]["image"]


def test_scheduler_recounts_trending_and_queues_the_digests_from_the_web_image(services):
    scheduler = services["scheduler"]
    command = " ".join(command_words(scheduler["command"]))
    assert "python manage.py refresh_trending" in command
    assert "python manage.py send_digests" in command
    assert scheduler["image"] == services["web"]["image"]
    assert scheduler["environment"]["TASKS_BACKEND"] == "database"


@pytest.mark.parametrize("name", ["web", "web-2", "worker", "scheduler"])
def test_app_services_get_database_redis_task_queue_and_secret_key(services, name):
    env = environment(services[name])
    assert APP_ENV - set(env) == set()
    assert env["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379")
    assert env["TASKS_BACKEND"] == "database"
    assert env["DEBUG"] == "0"
    assert env["DEMO_CONTENT_ALLOWED"] == "0"


@pytest.mark.parametrize("name", ["web", "web-2", "worker"])
def test_secret_key_comes_from_the_environment_and_is_required(services, name):
    secret = environment(services[name])["SECRET_KEY"]
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]*\}", secret)


def test_uploaded_media_is_one_volume_shared_by_web_and_proxy(compose, services):
    web_media = volume_sources(services["web"])["/app/media"]
    proxy_media = volume_sources(services["proxy"])["/srv/media"]
    assert web_media == proxy_media
    assert web_media in compose["volumes"]


def test_proxy_publishes_port_80_and_mounts_the_platform_nginx_conf(services):
    proxy = services["proxy"]
    assert any(str(port).split(":")[-1] == "80" for port in proxy["ports"])
    mounts = volume_sources(proxy)
    assert mounts.get("/etc/nginx/conf.d/default.conf") == "./platform/nginx.conf"
    assert {"web", "web-2"} <= set(proxy["depends_on"])


def test_nginx_upgrades_websockets_on_ws_with_a_long_read_timeout():
    conf = (PLATFORM / "nginx.conf").read_text()
    ws_block = re.search(r"location /ws/ \{(?P<body>[^}]*)\}", conf)
    assert ws_block, "nginx.conf has no location /ws/ block"
    body = ws_block["body"]
    assert "proxy_http_version 1.1;" in body
    assert "proxy_set_header Upgrade $http_upgrade;" in body
    assert "proxy_set_header Connection $connection_upgrade;" in body
    timeout = re.search(r"proxy_read_timeout (\d+)([smh]?);", body)
    seconds = int(timeout[1]) * {"": 1, "s": 1, "m": 60, "h": 3600}[timeout[2]]
    assert seconds >= 600


def test_nginx_serves_static_and_media_and_accepts_12_megabyte_bodies():
    conf = (PLATFORM / "nginx.conf").read_text()
    assert re.search(r"location /static/ \{[^}]*alias /srv/static/;", conf)
    assert re.search(r"location /media/ \{[^}]*alias /srv/media/;", conf)
    assert "client_max_body_size 12m;" in conf
    assert re.search(r"location / \{[^}]*proxy_pass http://", conf)


def test_platform_directory_holds_no_python_files():
    # A package named "platform" would shadow the standard library's platform module.
    python_files = [path.name for path in PLATFORM.rglob("*") if path.suffix in {".py", ".pyc"}]
    assert python_files == []
    assert not (PLATFORM / "__init__.py").exists()


def test_dockerfile_copies_and_runs_files_that_exist():
    dockerfile = (PLATFORM / "Dockerfile").read_text()
    copied = re.findall(r"^COPY (?!\. )(.+) \./$", dockerfile, flags=re.MULTILINE)
    sources = [source for line in copied for source in line.split()]
    assert "requirements.lock" in sources
    for source in sources:
        assert (ROOT / source).is_file(), source
    entrypoint = re.search(r'^ENTRYPOINT \["/app/(?P<path>[^"]+)"\]', dockerfile, re.MULTILINE)
    assert (ROOT / entrypoint["path"]).is_file()


def test_dockerfile_installs_with_the_lock_and_runs_as_a_non_root_user():
    dockerfile = (PLATFORM / "Dockerfile").read_text()
    assert "FROM python:3.13-slim" in dockerfile
    assert "-c requirements.lock" in dockerfile
    assert "collectstatic" in dockerfile
    users = re.findall(r"^USER (\S+)$", dockerfile, flags=re.MULTILINE)
    assert users
    assert users[-1] not in {"root", "0"}


def test_entrypoint_is_executable_and_runs_setup_commands_that_exist_but_never_demo():
    entrypoint = PLATFORM / "entrypoint.sh"
    assert entrypoint.stat().st_mode & 0o111
    text = entrypoint.read_text()
    commands = re.findall(r"^\s*python manage\.py (\w+)", text, flags=re.MULTILINE)
    # The exact list, so load_demo (demo accounts with a known password) can never slip in.
    assert commands == ["migrate", "load_municipality"]
    for command in commands[1:]:
        assert list(ROOT.glob(f"*/management/commands/{command}.py")), command
    assert text.rstrip().endswith('exec "$@"')


def test_env_example_documents_every_variable_compose_reads():
    compose_text = (ROOT / "docker-compose.yml").read_text()
    read = set(re.findall(r"\$\{(\w+)", compose_text))
    documented = set(re.findall(r"^#? ?(\w+)=", (PLATFORM / "env.example").read_text(), re.M))
    assert read
    assert read - documented == set()
