from contextlib import contextmanager

import pytest

from ideas import live


@pytest.fixture
def capture_live(monkeypatch, django_capture_on_commit_callbacks):
    """Record what the actions inside the block announce live, once their transactions commit.

    with capture_live() as sent:
        support_set(...)
    # sent is a list of (group, message)
    """

    @contextmanager
    def capture():
        sent: list[tuple[str, dict]] = []
        monkeypatch.setattr(live, "send", lambda group, message: sent.append((group, message)))
        with django_capture_on_commit_callbacks(execute=True):
            yield sent
        monkeypatch.undo()

    return capture
