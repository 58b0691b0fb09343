import functools
import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from config.channel_layers import channel_layer_on_redis

PROGRAMME_FILE = (
    Path(settings.BASE_DIR)
    / "programme"
    / "data"
    / "helsingborg"
    / "livskvalitetsprogrammet-2016.json"
)


def pytest_collection_modifyitems(items):
    """The axe-core sweep (tests/browser/test_*accessibility*.py) is also marked
    `accessibility`, so that CI's second pass, on PostgreSQL, can leave it out: the pages render
    the same on either database, and the sweep is the suite's slowest part."""
    for item in items:
        if item.path.parent.name == "browser" and "accessibility" in item.path.name:
            item.add_marker(pytest.mark.accessibility)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Swedish; a request in English must not leak into the next test."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """allauth keeps its rate limits in the cache; each test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def programme(db):
    """The real 2016 programme and the city's reference data, imported from the repo's files."""
    call_command("import_programme", str(PROGRAMME_FILE), verbosity=0)
    call_command("load_reference_data", verbosity=0)
    from programme.models import Programme

    return Programme.objects.get(slug="livskvalitetsprogrammet-2016")


def _service_missing(kind: str, reason: str):
    """Locally a missing service skips its tests; under CI it fails them, so nothing hides."""
    if os.environ.get("CI"):
        pytest.fail(f"{kind} is required under CI: {reason}")
    pytest.skip(f"{kind} not available: {reason}")


@pytest.fixture
def redis_url() -> str:
    """A reachable Redis: REDIS_URL, or under CI the machine's own Redis on 127.0.0.1:6379."""
    import redis

    url = os.environ.get("REDIS_URL") or (
        "redis://127.0.0.1:6379/0" if os.environ.get("CI") else ""
    )
    if not url:
        _service_missing("Redis", "REDIS_URL is not set")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        _service_missing("Redis", f"{url} does not answer ({error})")
    return url


class PrivateRedis:
    """A Redis server of the test's own, on a free port, that the test may stop and start."""

    def __init__(self, binary: str):
        import socket

        self.binary = binary
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        import subprocess
        import time

        import redis

        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("the private Redis did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_redis():
    import shutil

    binary = shutil.which("redis-server")
    if binary is None:
        _service_missing("Redis", "redis-server is not installed")
    server = PrivateRedis(binary)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def second_private_redis(private_redis):
    """Another Redis server of the test's own, beside `private_redis`: for a sharded layer."""
    server = PrivateRedis(private_redis.binary)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_channel_layer(settings, private_redis):
    """Use channels-redis against the private Redis for this test."""
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {"default": channel_layer_on_redis(private_redis.url)}
    channel_layers.backends.clear()
    yield private_redis
    channel_layers.backends.clear()


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """`with committing(): action(...)` runs what the action left for its commit at the end of
    the block, as a real commit would: live updates, and tasks such as the followers' fan-out
    (notifications.fanout), which the immediate task backend then runs at once."""
    return functools.partial(django_capture_on_commit_callbacks, execute=True)


@pytest.fixture
def sockets_open():
    """`sockets_open(person, ...)`: these people have a personal socket open, so the live
    notifications meant for them are rendered and sent (notifications.presence)."""
    from asgiref.sync import async_to_sync

    from notifications import presence

    def open_for(*people) -> None:
        for person in people:
            async_to_sync(presence.opened)(person.pk)

    return open_for


@pytest.fixture
def capture_live(monkeypatch, django_capture_on_commit_callbacks):
    """Record what the actions inside the block announce live, once their transactions commit.

    with capture_live() as sent:
        support_set(...)
    # sent is a list of (group, message)
    """
    from core import live

    @contextmanager
    def capture():
        sent: list[tuple[str, dict]] = []
        monkeypatch.setattr(live, "send", lambda group, message: sent.append((group, message)))
        monkeypatch.setattr(live, "send_many", sent.extend)
        with django_capture_on_commit_callbacks(execute=True):
            yield sent
        monkeypatch.undo()

    return capture


@pytest.fixture
def deferred_tasks(settings):
    """A task backend that can defer and runs nothing: the test sees what was enqueued, and
    when."""
    from django.tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


# Where allauth's OpenID Connect callback is for the test client (host "testserver").
TEST_CLIENT_CALLBACK = "http://testserver/konto/oidc/elegitimation/login/callback/"


@pytest.fixture(scope="session")
def oidc_provider():
    """A real OpenID Connect provider in a process of its own (tests/oidc.py), for the session."""
    from tests.oidc import running_provider

    with running_provider([TEST_CLIENT_CALLBACK]) as provider:
        yield provider


def use_elegitimation(settings, provider, **required: str) -> None:
    """Turn e-legitimation on against `provider`, with what each action needs (support="…")."""
    from config.settings import content_security_policy, elegitimation_providers
    from tests.oidc import NATURAL_PERSON_NUMBER_SCOPE

    settings.ELEGITIMATION = {
        **settings.ELEGITIMATION,
        "issuer": provider.issuer,
        "client_id": provider.client_id,
        "secret": provider.client_secret,
        "scopes": ["openid", NATURAL_PERSON_NUMBER_SCOPE],
    }
    settings.SOCIALACCOUNT_PROVIDERS = elegitimation_providers(settings.ELEGITIMATION)
    settings.SECURE_CSP = content_security_policy(settings.ELEGITIMATION)
    settings.IDENTITY_HASH_KEYS = ["first-test-key"]
    settings.IDENTITY_REQUIRED = {**settings.IDENTITY_REQUIRED, **required}


@pytest.fixture
def elegitimation(settings, oidc_provider):
    """e-legitimation on, against the session's provider; what actions need stays as it is."""
    use_elegitimation(settings, oidc_provider)
    return oidc_provider
