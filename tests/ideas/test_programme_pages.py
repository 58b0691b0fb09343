import pytest

from programme.models import Fokusomrade, Viljeinriktning
from tests.factories import (
    FokusomradeFactory,
    MembershipFactory,
    OrganisationFactory,
    PrioriteringFactory,
)
from tests.queries import page_queries

PAGES = [
    "/",
    "/programmet/",
    "/programmet/allas-delaktighet/",
    "/programmet/allas-delaktighet/vi-ser-till-barn-och-ungas-perspektiv/",
    "/organisationer/",
    "/organisationer/{organisation}/",
]


def test_overview_shows_the_five_directions_and_seven_known_focus_areas(client, programme):
    response = client.get("/programmet/")

    content = response.content.decode()
    for viljeinriktning in Viljeinriktning.objects.all():
        assert viljeinriktning.title_sv in content
    for fokusomrade in Fokusomrade.objects.all():
        assert fokusomrade.title_sv in content
    assert Fokusomrade.objects.count() == 7


def test_overview_in_english_uses_the_english_titles(client, programme):
    response = client.get("/en/programmet/")

    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "A warm welcome" in content
    assert "Knowledge of valuable connections" in content
    assert "We consider the perspective of children and young people" in content


def test_overview_says_honestly_what_is_not_yet_published(client, programme):
    content = client.get("/programmet/").content.decode()

    assert "Den här viljeinriktningens fokusområden är ännu inte publicerade här." in content
    assert "bostadsbristen" in content
    assert programme.completeness_sv in content


def test_focus_area_page_lists_its_priorities(client, programme):
    response = client.get("/programmet/allas-delaktighet/vi-ser-till-barn-och-ungas-perspektiv/")

    content = response.content.decode()
    assert response.status_code == 200
    for tag in ["barnmiljö", "lyckadebarn", "uppväxtvillkor", "barnetsröst"]:
        assert f"#{tag}" in content


@pytest.mark.parametrize(
    "url",
    [
        "/programmet/finns-inte/",
        "/programmet/allas-delaktighet/finns-inte/",
        "/programmet/varmt-valkomnande/vi-ser-till-barn-och-ungas-perspektiv/",
    ],
)
def test_unknown_or_mismatched_slugs_are_404(client, programme, url):
    assert client.get(url).status_code == 404


def test_programme_pages_are_404_before_any_programme_is_imported(client, db):
    assert client.get("/programmet/").status_code == 404
    assert client.get("/").status_code == 200


def _grow(programme, organisations: int) -> str:
    """Add many focus areas, priorities and organisations to the real programme."""
    viljeinriktning = programme.viljeinriktningar.get(slug="allas-delaktighet")
    for _ in range(20):
        fokusomrade = FokusomradeFactory(viljeinriktning=viljeinriktning)
        PrioriteringFactory.create_batch(4, fokusomrade=fokusomrade)
    focus = Fokusomrade.objects.get(slug="vi-ser-till-barn-och-ungas-perspektiv")
    PrioriteringFactory.create_batch(20, fokusomrade=focus)
    first = None
    for _ in range(organisations):
        organisation = OrganisationFactory()
        organisation.fokusomraden.set(Fokusomrade.objects.all()[:5])
        MembershipFactory.create_batch(3, organisation=organisation)
        first = first or organisation
    return first.slug


def _query_counts(client, organisation_slug: str) -> dict[str, int]:
    counts = {}
    for page in PAGES:
        counts[page] = page_queries(client, page.format(organisation=organisation_slug))
    return counts


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_query_counts_do_not_grow_with_the_data(client, programme, signed_in):
    small = _grow(programme, organisations=1)
    member = MembershipFactory(organisation__slug=small + "-x")
    if signed_in:
        client.force_login(member.user)
    small_counts = _query_counts(client, small)

    _grow(programme, organisations=40)
    large_counts = _query_counts(client, small)

    assert large_counts == small_counts
    assert max(large_counts.values()) <= 10, large_counts
