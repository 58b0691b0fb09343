"""A query compiled once (core.database.CompiledOnce): run for any value with the SQL of the
first, and refused when anything but the value would change between runs."""

import pytest
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Block, User
from core.database import CompiledOnce
from tests.factories import BlockFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_each_value_gets_its_own_rows_with_their_annotations():
    blocked = BlockFactory().user
    free = UserFactory()
    query = CompiledOnce(
        lambda pk: User.objects.filter(pk=pk).annotate(
            blocked=Exists(Block.objects.filter(user=OuterRef("pk")))
        )
    )

    (first,) = query(blocked.pk)
    (second,) = query(free.pk)

    assert (first, bool(first.blocked)) == (blocked, True)
    assert (second, bool(second.blocked)) == (free, False)
    assert list(query(free.pk + 1000)) == []


def test_a_query_with_the_python_clock_in_it_is_refused():
    """Kept compiled, it would ask about the moment of its first run for ever."""
    query = CompiledOnce(lambda pk: User.objects.filter(pk=pk, date_joined__lte=timezone.now()))

    with pytest.raises(ValueError, match="does not differ by its value alone"):
        query(1)


def test_a_query_that_ignores_its_value_is_refused():
    query = CompiledOnce(lambda pk: User.objects.filter(is_active=True))

    with pytest.raises(ValueError, match="does not differ by its value alone"):
        query(1)
