import pytest
from django.db import connection

from ideas.actions import initiative_save
from ideas.models import Initiative
from tests.factories import InitiativeFactory, UserFactory, initiative_fields

pytestmark = pytest.mark.django_db


def _publish_via_action(title: str, body: str) -> Initiative:
    """Saved through the action, so the search vector is stored as in real use."""
    fields = initiative_fields(title=title, summary="Sammanfattning", body=body)
    initiative = initiative_save(user=UserFactory(), fields=fields, prioriteringar=[])
    InitiativeFactory._meta.model.objects.filter(pk=initiative.pk).update(
        status=Initiative.Status.PUBLISHED, published_at=initiative.created_at
    )
    return initiative


def test_search_finds_words_in_title_and_body(client):
    wanted = _publish_via_action("Cykelbanor till skolan", "Tryggare vägar för barnen.")
    _publish_via_action("Konstverk på torget", "Skulpturer vid vattnet.")

    response = client.get("/initiativ/", {"q": "cykelbanor"})

    assert [item.pk for item in response.context["page"].object_list] == [wanted.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Swedish stemming is PostgreSQL's")
def test_swedish_full_text_search_matches_inflected_forms(client):
    wanted = _publish_via_action("Fler bänkar i parken", "Vi vill ha sittplatser i parkerna.")

    response = client.get("/initiativ/", {"q": "parkernas bänk"})

    assert [item.pk for item in response.context["page"].object_list] == [wanted.pk]


def test_similar_titles_are_suggested_while_typing(client):
    existing = InitiativeFactory(title="Utegym i Slottshagen")
    InitiativeFactory(title="Konsert på Sundstorget")

    response = client.get("/initiativ/liknande/", {"title": "Ett utegym i Slottshagen"})

    assert existing.title in response.content.decode()
    assert "Konsert" not in response.content.decode()


@pytest.mark.parametrize("query", ["", "a", "<script>", "x" * 300, "' OR 1=1 --", "ä&&||!"])
def test_odd_searches_never_fail(client, query):
    assert client.get("/initiativ/", {"q": query}).status_code == 200
    assert client.get("/initiativ/liknande/", {"title": query}).status_code == 200
