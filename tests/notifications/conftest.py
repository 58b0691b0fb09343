from contextlib import contextmanager

import pytest
from django.tasks import default_task_backend

from ideas import live


@pytest.fixture
def capture_live(monkeypatch, django_capture_on_commit_callbacks):
    """Record what the actions inside the block announce live, once their transactions commit:
    a list of (group, message)."""

    @contextmanager
    def capture():
        sent: list[tuple[str, dict]] = []
        monkeypatch.setattr(live, "send", lambda group, message: sent.append((group, message)))
        with django_capture_on_commit_callbacks(execute=True):
            yield sent
        monkeypatch.undo()

    return capture


@pytest.fixture
def deferred_tasks(settings):
    """A task backend that can defer and runs nothing: the test sees what was enqueued."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


class FailingEmailBackend:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("The mail server does not answer")


@pytest.fixture
def failing_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.conftest.FailingEmailBackend"}}
