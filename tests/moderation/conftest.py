from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from accounts.models import Block
from ideas.models import Initiative
from tests.factories import BlockFactory, DraftFactory, ModeratorFactory


def block(user, *, days: int = 7, **fields) -> Block:
    """A block in force on the person for `days`, given by a moderator of its own."""
    now = timezone.now()
    fields = {"starts_at": now - timedelta(hours=1), "ends_at": now + timedelta(days=days)} | fields
    return BlockFactory(user=user, **fields)


def submitted(**fields) -> Initiative:
    """An initiative waiting for review."""
    return DraftFactory(status=Initiative.Status.SUBMITTED, submitted_at=timezone.now(), **fields)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def moderator_client(client):
    moderator = ModeratorFactory()
    client.force_login(moderator)
    client.user = moderator
    return client
