"""The moderation loop across two server processes sharing Redis, with the task worker running:
a moderator approves through one process, the author's socket on the other hears of it at once,
and the worker sends the email."""

import asyncio
import subprocess
import sys
import threading
import time

import pytest
import websockets
from django.conf import settings
from django.test import Client

from ideas.models import Initiative
from moderation.models import ModerationDecision
from notifications.models import Notification
from tests.factories import DraftFactory, ModeratorFactory
from tests.live_servers import granian_servers, post_form, server_env

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def processes(redis_channel_layer, tmp_path):
    env = server_env(
        REDIS_URL=redis_channel_layer.url,
        TASKS_BACKEND="database",
        NOTIFICATION_GROUP_SECONDS="0",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path),
    )
    # As docker-compose runs it: no autoreloader, which would start the worker in a second process.
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
        + ["--interval", "0.2"],
        cwd=settings.BASE_DIR,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        worker_ready = _watch_for_start(worker)
        with granian_servers(env) as ports:
            # The test is about delivery, not about how long a cold machine takes to start
            # Python: the clock for the email starts when the worker polls the queue.
            if not worker_ready.wait(timeout=60):
                raise RuntimeError(f"the task worker did not start (exit code {worker.poll()})")
            yield ports, tmp_path
    finally:
        worker.terminate()
        worker.wait(timeout=10)


def _watch_for_start(worker: subprocess.Popen) -> threading.Event:
    """Pass the worker's log through to the test's stderr; the event is set at its first poll."""
    started = threading.Event()

    def relay() -> None:
        for line in worker.stderr:
            sys.stderr.write(line)
            if "Starting worker" in line:
                started.set()

    threading.Thread(target=relay, daemon=True).start()
    return started


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_approval_on_one_process_reaches_the_author_on_the_other_and_is_emailed(processes):
    (first, second), mail_dir = processes
    initiative = DraftFactory(status=Initiative.Status.SUBMITTED)
    author_session = _session(initiative.author)
    moderator_session = _session(ModeratorFactory())

    async def watch_and_approve() -> str:
        async with websockets.connect(
            f"ws://127.0.0.1:{second}/ws/notiser/?lang=sv",
            origin=f"http://127.0.0.1:{second}",
            additional_headers={"Cookie": f"sessionid={author_session}"},
        ) as author_socket:
            status = await asyncio.to_thread(
                post_form,
                first,
                "/moderering/",
                "/moderering/beslut/",
                {
                    "action": "approve",
                    "initiativ": str(initiative.pk),
                    f"version-{initiative.pk}": str(initiative.version),
                    "text": "",
                },
                moderator_session,
            )
            assert status == 302
            return await asyncio.wait_for(author_socket.recv(), timeout=10)

    message = asyncio.run(watch_and_approve())

    assert 'id="notification-badge"' in message
    assert '<span class="badge">1<' in message
    assert Initiative.objects.get(pk=initiative.pk).status == Initiative.Status.PUBLISHED
    assert ModerationDecision.objects.get().action == ModerationDecision.Action.APPROVE
    # The worker sends, then marks the notification sent when its transaction commits; the file
    # backend creates its file before it writes the message into it. Wait for both.
    to_author = f"To: {initiative.author.email}"
    notification = Notification.objects.filter(recipient=initiative.author)
    _wait_for(
        lambda: (
            to_author in _emails(mail_dir) and notification.get().email == Notification.Email.SENT
        )
    )
    assert to_author in _emails(mail_dir)
    assert notification.get().email == Notification.Email.SENT


def _emails(mail_dir) -> str:
    return "".join(path.read_text() for path in mail_dir.glob("*.log"))


def _wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.2)
