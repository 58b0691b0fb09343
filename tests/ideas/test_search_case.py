"""Search finds å, ä and ö in any case, as it does A–Z, on SQLite (whose LIKE folds only A–Z)
and on PostgreSQL alike."""

import pytest
from django.utils import timezone

from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def _found(client, query: str) -> list:
    return list(client.get("/initiativ/", {"q": query}).context["page"])


@pytest.mark.parametrize(
    ("query", "field", "text"),
    [
        ("ödåkra", "title", "Ny busshållplats i Ödåkra"),
        ("ÖDÅKRA", "title", "Ny busshållplats i ödåkra"),
        ("äldre", "summary", "Äldre i Helsingborg behöver fler mötesplatser."),
        ("åstorp", "body", "Cykelbana hela vägen till ÅSTORP."),
        ("Äldre Ödåkra", "body", "Träffpunkt för ÄLDRE i ÖDÅKRA med kaffe och sällskap."),
    ],
)
def test_search_finds_swedish_letters_in_any_case(client, query, field, text):
    wanted = InitiativeFactory(**{field: text})
    InitiativeFactory(title="Konstverk på torget")

    assert _found(client, query) == [wanted]


def test_a_swedish_letter_is_its_own_letter_not_its_plain_neighbour(client):
    InitiativeFactory(title="Ny busshållplats i Odakra")
    wanted = InitiativeFactory(title="Ny busshållplats i Ödåkra")

    assert _found(client, "ödåkra") == [wanted]
    assert wanted not in _found(client, "odakra")


def test_search_in_any_case_still_leaves_out_what_is_not_public(client):
    InitiativeFactory(title="Äldreboende i Ödåkra", hidden_at=timezone.now())
    InitiativeFactory(title="Äldreboende i Ödåkra", status="submitted", published_at=None)
    wanted = InitiativeFactory(title="Äldreboende i Ödåkra")

    assert _found(client, "ödåkra") == [wanted]


def test_similar_titles_are_found_in_any_case(client):
    InitiativeFactory(title="Äldreboende i Ödåkra")

    response = client.get("/initiativ/liknande/", {"title": "äldreboende i ödåkra"})

    assert "Äldreboende i Ödåkra" in response.content.decode()
