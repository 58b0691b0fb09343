"""The partner pages: who sees what, the directory's filters and its query counts."""

import pytest

from partners import actions
from partners.models import OfferMessage, PartnerOffer
from tests.factories import (
    FokusomradeFactory,
    MembershipFactory,
    OrganisationFactory,
    StadsdelFactory,
    UserFactory,
)
from tests.partners.conftest import seeking
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def test_a_member_offers_for_the_organisation_and_the_author_accepts(client, roles):
    client.force_login(roles.member)
    response = client.post(
        f"/initiativ/{roles.initiative.pk}/erbjud-hjalp/",
        {"organisation": str(roles.organisation.pk), "message": "Vår lokal är ledig på lördagar."},
    )
    offer = PartnerOffer.objects.get()
    assert response.url == f"/samarbeten/erbjudanden/{offer.pk}/"
    assert offer.organisation == roles.organisation

    client.force_login(roles.author)
    page = client.get(f"/initiativ/{roles.initiative.pk}/erbjudanden/").content.decode()
    assert "Vår lokal är ledig på lördagar." in page
    client.post(f"/samarbeten/erbjudanden/{offer.pk}/svar/", {"accept": "1", "reply": "Tack!"})

    offer.refresh_from_db()
    assert offer.status == PartnerOffer.Status.ACCEPTED
    initiative_page = client.get(roles.initiative.get_absolute_url()).content.decode()
    assert "Dalhems grannar" in initiative_page
    organisation_page = client.get(roles.organisation.get_absolute_url()).content.decode()
    assert roles.initiative.title in organisation_page


def test_no_email_address_shows_in_the_thread(client, roles):
    offer = roles.offer()
    actions.message_send(user=roles.author, offer=offer, body="Hej, när passar det?")
    client.force_login(roles.member)

    page = client.get(offer.get_absolute_url()).content.decode()

    assert "Hej, när passar det?" in page
    for person in (roles.author, roles.admin, roles.member):
        assert person.email not in page


@pytest.mark.parametrize("role", ["visitor", "resident", "blocked"])
def test_outsiders_cannot_read_a_thread(client, roles, role):
    offer = roles.offer()
    if roles.people[role]:
        client.force_login(roles.people[role])

    response = client.get(offer.get_absolute_url())

    assert response.status_code in {302, 403}


def test_only_the_author_sees_the_offers_page(client, roles):
    client.force_login(roles.member)

    assert client.get(f"/initiativ/{roles.initiative.pk}/erbjudanden/").status_code == 403


def test_the_author_sees_suggestions_on_the_initiative_page(client, roles):
    roles.organisation.fokusomraden.set([roles.initiative.fokusomrade])
    OrganisationFactory(name="Kulturhuset", offers=["venue"])
    client.force_login(roles.author)

    page = client.get(roles.initiative.get_absolute_url()).content.decode()

    assert "Kulturhuset" in page
    assert "Dalhems grannar" in page


def test_members_see_initiatives_they_could_help_on_the_organisation_page(client, roles):
    roles.organisation.offers = ["venue"]
    roles.organisation.save()
    client.force_login(roles.member)

    page = client.get(roles.organisation.get_absolute_url()).content.decode()

    assert roles.initiative.title in page
    client.logout()
    assert (
        roles.initiative.title
        not in client.get(roles.organisation.get_absolute_url()).content.decode()
    )


def test_the_initiative_directory_filters(client):
    dalhem = StadsdelFactory(slug="dalhem")
    venue = seeking(partner_needs=["venue"], stadsdel=dalhem, title="Lokal sökes")
    seeking(partner_needs=["funding"], title="Pengar sökes")
    seeking(seeking_partners=False, title="Söker inga")

    def titles(query: str) -> set[str]:
        page = client.get(f"/samarbeten/initiativ/?{query}")
        return {item.title for item in page.context["page"].object_list}

    assert titles("") == {"Lokal sökes", "Pengar sökes"}
    assert titles("behov=venue") == {venue.title}
    assert titles("stadsdel=dalhem") == {venue.title}
    assert titles(f"fokusomrade={venue.fokusomrade.slug}") == {venue.title}
    assert titles("q=Pengar") == {"Pengar sökes"}


def _data(number: int, fokus, stadsdel, start: int) -> None:
    for index in range(start, start + number):
        organisation = OrganisationFactory(
            name=f"Organisation {index}", offers=["venue"], whole_city=index % 2 == 0
        )
        organisation.fokusomraden.set([fokus])
        organisation.stadsdelar.set([stadsdel])
        seeking(fokusomrade=fokus, stadsdel=stadsdel, organisation=organisation)


# The organisation tab is the organisation directory (its filters are tested with it, in
# tests/accounts/test_organisation_directory.py).
URLS = [
    "/organisationer/",
    "/organisationer/?erbjuder=venue&stadsdel=s-1&q=Organisation",
    "/samarbeten/initiativ/",
    "/samarbeten/initiativ/?behov=venue&stadsdel=s-1",
]


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_the_directory_runs_as_many_queries_with_much_data_as_with_little(client, signed_in):
    fokus, stadsdel = FokusomradeFactory(), StadsdelFactory(slug="s-1")
    if signed_in:
        client.force_login(MembershipFactory().user)
    _data(2, fokus, stadsdel, 0)
    client.get(URLS[0])  # The first request of a session writes it; later ones only read.
    small = {url: page_queries(client, url) for url in URLS}

    _data(45, fokus, stadsdel, 2)
    large = {url: page_queries(client, url) for url in URLS}

    assert large == small
    assert max(large.values()) <= 10, large


def test_a_person_without_an_organisation_offers_alone(client):
    initiative, person = seeking(), UserFactory()
    client.force_login(person)

    client.post(f"/initiativ/{initiative.pk}/erbjud-hjalp/", {"message": "Jag kan bära."})

    offer = PartnerOffer.objects.get()
    assert offer.organisation is None
    assert offer.offered_by == person


def test_the_offer_pages_run_as_many_queries_for_40_offers_and_messages_as_for_2(client, roles):
    offer = roles.offer()

    def grow(number: int) -> None:
        for index in range(number):
            OfferMessage.objects.create(offer=offer, author=roles.admin, body=f"Meddelande {index}")
            roles.offer(offered_by=UserFactory(), organisation=None, message=f"Hjälp {index}")

    client.force_login(roles.author)
    pages = [
        f"/samarbeten/erbjudanden/{offer.pk}/",
        f"/initiativ/{roles.initiative.pk}/erbjudanden/",
    ]
    grow(2)
    small = {url: page_queries(client, url) for url in pages}

    grow(38)
    large = {url: page_queries(client, url) for url in pages}

    assert large == small
    assert max(large.values()) <= 10, large
