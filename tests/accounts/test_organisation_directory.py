"""The organisation directory, /organisationer/: its filters, what it keeps of the form, its
htmx results, and the partner directory's organisation tab, which leads to it."""

import pytest

from accounts.directory import PER_PAGE
from tests.factories import (
    FokusomradeFactory,
    OrganisationFactory,
    StadsdelFactory,
    UnverifiedUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EVERYONE = {"Lokalen", "Pengarna", "Överallt"}


@pytest.fixture
def fokus():
    """Three organisations: one with a venue in Dalhem, a business offering funding, and one
    active in the whole city that says what it has only in its description."""
    fokus, dalhem = FokusomradeFactory(slug="kultur"), StadsdelFactory(slug="dalhem")
    StadsdelFactory(slug="tagaborg")
    venue = OrganisationFactory(name="Lokalen", offers=["venue"], description="Ett kulturhus.")
    venue.fokusomraden.set([fokus])
    venue.stadsdelar.set([dalhem])
    OrganisationFactory(
        name="Pengarna", offers=["funding"], kind="foretag", description="Vi stöttar."
    )
    OrganisationFactory(name="Överallt", whole_city=True, description="Vi har en BUSS.")
    return fokus


def _names(client, query: dict | str) -> set[str]:
    response = client.get("/organisationer/", query)
    assert response.status_code == 200
    return {organisation.name for organisation in response.context["page"].object_list}


def test_the_organisation_directory_filters(client):
    fokus, dalhem = FokusomradeFactory(), StadsdelFactory(slug="dalhem")
    venue = OrganisationFactory(name="Lokalen", offers=["venue"])
    venue.fokusomraden.set([fokus])
    venue.stadsdelar.set([dalhem])
    OrganisationFactory(name="Pengarna", offers=["funding"], kind="foretag")
    OrganisationFactory(name="Överallt", whole_city=True, description="Vi har en buss.")

    def names(query: str) -> set[str]:
        page = client.get(f"/organisationer/?{query}")
        return {item.name for item in page.context["page"].object_list}

    assert names("erbjuder=venue") == {"Lokalen"}
    assert names(f"fokusomrade={fokus.slug}") == {"Lokalen"}
    assert names("stadsdel=dalhem") == {"Lokalen", "Överallt"}
    assert names("typ=foretag") == {"Pengarna"}
    assert names("q=buss") == {"Överallt"}
    assert names("erbjuder=<script>") == {"Lokalen", "Pengarna", "Överallt"}


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({}, EVERYONE),
        ({"q": "lokal"}, {"Lokalen"}),
        ({"q": "kulturhus"}, {"Lokalen"}),
        ({"typ": "foretag"}, {"Pengarna"}),
        ({"typ": "forening"}, {"Lokalen", "Överallt"}),
        ({"fokusomrade": "kultur"}, {"Lokalen"}),
        ({"erbjuder": "funding"}, {"Pengarna"}),
        ({"erbjuder": "volunteers"}, set()),
        # Active in the whole city is active in every district.
        ({"stadsdel": "dalhem"}, {"Lokalen", "Överallt"}),
        ({"stadsdel": "tagaborg"}, {"Överallt"}),
        # Filters together narrow the list further.
        ({"stadsdel": "dalhem", "typ": "forening", "q": "buss"}, {"Överallt"}),
        ({"erbjuder": "venue", "fokusomrade": "kultur", "stadsdel": "dalhem"}, {"Lokalen"}),
    ],
    ids=lambda value: (
        "&".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else None
    ),
)
def test_each_filter_narrows_the_directory(client, fokus, query, shown):
    assert _names(client, query) == shown


@pytest.mark.parametrize("search", ["buss", "BUSS", "Buss", "  en buss  "])
def test_the_search_finds_words_of_the_description_whatever_their_case(client, fokus, search):
    assert _names(client, {"q": search}) == {"Överallt"}


@pytest.mark.parametrize(
    "query",
    [
        {"typ": "okänd"},
        {"fokusomrade": "finns-inte"},
        {"erbjuder": "<script>"},
        {"erbjuder": '"'},
        {"stadsdel": "månen"},
        {"sida": "x"},
        {"sida": "999"},
        {"sida": "-1"},
        {"sida": "9" * 5000},
        {"q": "x" * 500, "typ": "x" * 500},
    ],
    ids=lambda query: ",".join(query),
)
def test_invalid_filter_values_are_ignored(client, fokus, query):
    if "q" in query:
        assert _names(client, query) == set()  # the search applies, cut at its length limit
    else:
        assert _names(client, query) == EVERYONE


def test_an_invalid_value_leaves_the_other_filters_in_force(client, fokus):
    assert _names(client, {"typ": "okänd", "erbjuder": "venue"}) == {"Lokalen"}


def test_the_form_shows_what_was_asked_for(client, fokus):
    response = client.get(
        "/organisationer/",
        {"q": '  en "buss"  ', "typ": "forening", "stadsdel": "dalhem", "erbjuder": "okänd"},
    )

    content = response.content.decode()
    assert 'name="q" value="en &quot;buss&quot;"' in content
    assert '<option value="forening" selected>' in content
    assert '<option value="dalhem" selected>' in content
    assert "okänd" not in content


def test_one_page_size_serves_the_directory(client, db):
    for index in range(PER_PAGE + 1):
        OrganisationFactory(name=f"Organisation {index:02}")

    assert len(client.get("/organisationer/").context["page"].object_list) == PER_PAGE
    assert _names(client, {"sida": "2"}) == {f"Organisation {PER_PAGE:02}"}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/samarbeten/", "/organisationer/"),
        ("/samarbeten/?erbjuder=venue&q=F", "/organisationer/?erbjuder=venue&q=F"),
        (
            "/samarbeten/?q=k%C3%B6r+s%C3%A5ng&stadsdel=dalhem&sida=2",
            "/organisationer/?q=k%C3%B6r+s%C3%A5ng&stadsdel=dalhem&sida=2",
        ),
        ("/en/samarbeten/?typ=foretag", "/en/organisationer/?typ=foretag"),
    ],
)
def test_the_partner_directory_organisation_tab_redirects_for_good_keeping_the_query(
    client, db, old, new
):
    response = client.get(old)

    assert response.status_code == 301
    assert response["Location"] == new


def test_the_partner_directory_link_still_leads_to_the_organisations(client, fokus):
    response = client.get("/samarbeten/?erbjuder=venue", follow=True)

    assert response.redirect_chain == [("/organisationer/?erbjuder=venue", 301)]
    assert {item.name for item in response.context["page"].object_list} == {"Lokalen"}


def _tabs(client, url: str) -> str:
    content = client.get(url).content.decode()
    return content.split('aria-label="Partner directory"')[1].split("</nav>")[0]


def test_the_page_shows_the_partner_directory_tabs(client, db):
    tabs = _tabs(client, "/en/organisationer/")

    assert '<a href="/en/organisationer/" aria-current="page">' in tabs
    assert '<a href="/en/samarbeten/initiativ/">' in tabs
    # The initiative tab leads back here, not through the redirect.
    tabs = _tabs(client, "/en/samarbeten/initiativ/")
    assert '<a href="/en/organisationer/">' in tabs
    assert '<a href="/en/samarbeten/initiativ/" aria-current="page">' in tabs


@pytest.mark.parametrize(
    ("user", "shown"),
    [(None, False), (UnverifiedUserFactory, False), (UserFactory, True)],
    ids=["visitor", "unverified", "resident"],
)
def test_the_create_link_shows_to_whoever_may_create_an_organisation(client, db, user, shown):
    if user:
        client.force_login(user())

    content = client.get("/organisationer/").content.decode()

    assert ('href="/organisationer/ny/"' in content) is shown


def test_htmx_filtering_gets_only_the_results(client, fokus):
    full = client.get("/organisationer/", {"erbjuder": "venue"}).content.decode()
    response = client.get("/organisationer/", {"erbjuder": "venue"}, headers={"HX-Request": "true"})

    part = response.content.decode()
    assert part.lstrip().startswith('<div id="results">')
    assert "<h1>" not in part
    assert "<form" not in part
    assert "Lokalen" in part
    assert "Pengarna" not in part
    assert part.strip() in full


def test_a_boosted_request_gets_the_whole_page(client, fokus):
    headers = {"HX-Request": "true", "HX-Boosted": "true"}

    content = client.get("/organisationer/", headers=headers).content.decode()

    assert "<h1>" in content
