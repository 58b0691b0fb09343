"""bench/generate.py, the Madrid-scale data set, run at a tiny scale of the same shape: the rows
it promises are there, every supporter follows what they support (as the site makes them
follow), and the pages read the set without error. PostgreSQL only: the generator writes with
COPY."""

import pytest
from django.db import connection

from ideas.models import Comment, Initiative, Support
from notifications.models import Follow

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the generator writes with COPY"),
]

TINY = {"users": 300, "initiatives": 40, "supports": 900, "comments": 150, "organisations": 3}


@pytest.fixture
def generated(programme, monkeypatch):
    import bench.generate as generator

    monkeypatch.setitem(generator.SCALES, "tiny", TINY)
    generator.generate("tiny", seed=2026)


def test_the_set_holds_what_its_scale_promises(generated):
    assert Initiative.objects.count() == TINY["initiatives"]
    assert Initiative.objects.public().exists()
    # Skewed counts sum to about the total asked for.
    assert TINY["supports"] * 0.8 <= Support.objects.count() <= TINY["supports"] * 1.2
    assert TINY["comments"] * 0.8 <= Comment.objects.count() <= TINY["comments"] * 1.2


def test_every_supporter_commenter_and_author_follows_the_initiative(generated):
    followed = set(Follow.objects.active().values_list("user_id", "initiative_id"))

    assert set(Support.objects.values_list("user_id", "initiative_id")) <= followed
    assert set(Comment.objects.values_list("author_id", "initiative_id")) <= followed
    assert set(Initiative.objects.values_list("author_id", "id")) <= followed


def test_the_counts_the_pages_show_match_the_rows(generated):
    for initiative in Initiative.objects.all():
        assert initiative.support_count == initiative.supports.count(), initiative.pk
        assert initiative.comment_count == initiative.comments.count(), initiative.pk


def test_the_pages_read_the_generated_set(generated, client):
    busiest = Initiative.objects.public().order_by("-comment_count").first()

    for address in ["/", "/initiativ/", "/initiativ/?sort=trendar", busiest.get_absolute_url()]:
        assert client.get(address).status_code == 200, address
