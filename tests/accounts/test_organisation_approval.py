"""A new organisation is shown to the public only once a moderator has approved it
(settings.ORGANISATIONS_NEED_APPROVAL, on by default): until then, and after a rejection, it is in
no public listing, and only its members and city staff see its page, with its state and the
moderator's reason."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from accounts import live as accounts_live
from accounts.actions import organisation_create, organisation_update
from accounts.models import Membership, Organisation
from partners.matching import organisations_for
from partners.models import PartnerOffer
from tests.factories import (
    FokusomradeFactory,
    InitiativeFactory,
    MembershipFactory,
    ModeratorFactory,
    OrganisationFactory,
    PartnerOfferFactory,
    ResponderFactory,
    UserFactory,
)
from tests.queries import page_queries
from tests.sessions import sign_in

pytestmark = pytest.mark.django_db

Review = Organisation.Review
NOT_PUBLIC = [Review.PENDING, Review.REJECTED]
REASON = "Vi hittar inte föreningen i föreningsregistret."


def _organisation(state: str, **fields) -> Organisation:
    reason = REASON if state == Review.REJECTED else ""
    return OrganisationFactory(review_state=state, review_reason=reason, **fields)


def test_a_new_organisation_waits_for_approval_and_is_announced_to_the_queue(capture_live):
    with capture_live() as sent:
        organisation = organisation_create(
            user=UserFactory(), fields={"kind": Organisation.Kind.FORENING, "name": "Nyföreningen"}
        )

    organisation.refresh_from_db()
    assert organisation.review_state == Review.PENDING
    assert organisation.review_decided_at is None
    assert not Organisation.objects.public().filter(pk=organisation.pk).exists()
    assert (accounts_live.REVIEW_GROUP, {"type": "review.changed"}) in sent


def test_with_the_setting_off_a_new_organisation_is_approved_and_listed_at_once(
    settings, client, capture_live
):
    settings.ORGANISATIONS_NEED_APPROVAL = False

    with capture_live() as sent:
        organisation = organisation_create(
            user=UserFactory(), fields={"kind": Organisation.Kind.FORENING, "name": "Direktklubben"}
        )

    organisation.refresh_from_db()
    assert organisation.review_state == Review.APPROVED
    assert organisation.review_decided_at is not None
    assert sent == []  # nothing waits in the queue
    assert "Direktklubben" in client.get("/organisationer/").content.decode()
    assert client.get(organisation.get_absolute_url()).status_code == 200


def test_creating_one_says_whether_others_see_it_yet(client, settings):
    user = UserFactory()
    sign_in(client, user)
    data = {"kind": Organisation.Kind.FORENING, "name": "Väntföreningen"}

    waiting = client.post("/en/organisationer/ny/", data, follow=True).content.decode()
    settings.ORGANISATIONS_NEED_APPROVAL = False
    at_once = client.post("/en/organisationer/ny/", data | {"name": "Genast"}, follow=True)

    assert "Others see it once a moderator has approved it." in waiting
    assert "Others see it once" not in at_once.content.decode()
    assert "You are its administrator." in at_once.content.decode()


@pytest.mark.parametrize("state", NOT_PUBLIC)
def test_the_directory_and_its_search_list_only_approved_organisations(client, state):
    _organisation(Review.APPROVED, name="Godkända klubben")
    _organisation(state, name="Dolda klubben")

    listing = client.get("/organisationer/").content.decode()
    search = client.get("/organisationer/", {"q": "klubben"}).content.decode()
    fragment = client.get("/organisationer/", {"q": "Dolda"}, headers={"HX-Request": "true"})

    assert "Godkända klubben" in listing
    assert "Godkända klubben" in search
    for page in (listing, search, fragment.content.decode()):
        assert "Dolda klubben" not in page


@pytest.mark.parametrize("state", NOT_PUBLIC)
def test_the_sitemap_lists_only_approved_organisations(client, state):
    shown = _organisation(Review.APPROVED)
    hidden = _organisation(state)

    sitemap = client.get("/sitemap.xml").content.decode()

    assert shown.get_absolute_url() in sitemap
    assert hidden.get_absolute_url() not in sitemap


@pytest.mark.parametrize("state", NOT_PUBLIC)
@pytest.mark.parametrize("who", ["visitor", "resident", "member of another organisation"])
def test_the_page_of_an_organisation_not_approved_is_not_found_for_the_public(client, state, who):
    organisation = _organisation(state)
    if who == "resident":
        sign_in(client, UserFactory())
    elif who != "visitor":
        sign_in(client, MembershipFactory(role=Membership.Role.ADMIN).user)

    response = client.get(organisation.get_absolute_url())

    assert response.status_code == 404
    assert organisation.name not in response.content.decode()


@pytest.mark.parametrize("role", [Membership.Role.MEMBER, Membership.Role.ADMIN])
def test_members_see_that_their_organisation_waits_for_approval(client, role):
    organisation = _organisation(Review.PENDING, name="Väntklubben")
    sign_in(client, MembershipFactory(organisation=organisation, role=role).user)

    page = client.get(f"/en{organisation.get_absolute_url()}").content.decode()

    assert "Väntklubben" in page
    assert 'id="organisation-review"' in page
    assert "waits for a moderator's approval" in page
    assert '<meta name="robots" content="noindex">' in page


def test_the_administrator_sees_the_rejection_the_reason_and_what_to_do(client):
    organisation = _organisation(Review.REJECTED)
    sign_in(client, MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user)

    page = client.get(f"/en{organisation.get_absolute_url()}").content.decode()

    assert "A moderator did not approve the organisation." in page
    assert REASON in page
    assert "it then goes back to a moderator" in page


@pytest.mark.parametrize("staff", [ModeratorFactory, ResponderFactory])
def test_city_staff_see_an_organisation_waiting_for_approval_with_its_state(client, staff):
    organisation = _organisation(Review.PENDING)
    sign_in(client, staff())

    response = client.get(f"/en{organisation.get_absolute_url()}")

    assert response.status_code == 200
    assert 'id="organisation-review"' in response.content.decode()


def test_an_approved_organisation_shows_no_review_notice(client):
    organisation = _organisation(Review.APPROVED)

    page = client.get(organisation.get_absolute_url()).content.decode()

    assert organisation.name in page
    assert 'id="organisation-review"' not in page
    assert 'name="robots"' not in page


@pytest.mark.parametrize("state", NOT_PUBLIC)
def test_partner_suggestions_and_the_public_partner_list_leave_out_organisations_not_approved(
    state,
):
    fokus = FokusomradeFactory()
    initiative = InitiativeFactory(fokusomrade=fokus, seeking_partners=True)
    approved, hidden = _organisation(Review.APPROVED), _organisation(state)
    for organisation in (approved, hidden):
        organisation.fokusomraden.set([fokus])
        PartnerOfferFactory(
            initiative=InitiativeFactory(seeking_partners=True),
            organisation=organisation,
            status=PartnerOffer.Status.ACCEPTED,
            decided_at=timezone.now(),
        )
    helpers = [
        PartnerOfferFactory(
            initiative=initiative,
            organisation=organisation,
            status=PartnerOffer.Status.ACCEPTED,
            decided_at=timezone.now(),
        )
        for organisation in (approved, hidden)
    ]
    alone = PartnerOfferFactory(
        initiative=initiative, status=PartnerOffer.Status.ACCEPTED, decided_at=timezone.now()
    )

    suggested = [
        suggestion.item
        for suggestion in organisations_for(
            InitiativeFactory(fokusomrade=fokus, seeking_partners=True)
        )
    ]
    listed = PartnerOffer.objects.accepted_on(initiative.pk)

    assert approved in suggested
    assert hidden not in suggested
    assert listed == [helpers[0], alone]


def test_editing_a_rejected_organisation_sends_it_back_to_the_queue(capture_live):
    organisation = _organisation(Review.REJECTED)
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user

    with capture_live() as sent:
        organisation_update(
            user=admin, organisation=organisation, fields={"description": "Nu med org.nr."}
        )

    organisation.refresh_from_db()
    assert organisation.review_state == Review.PENDING
    assert (accounts_live.REVIEW_GROUP, {"type": "review.changed"}) in sent


def test_editing_an_approved_organisation_keeps_it_approved_and_announces_nothing(capture_live):
    organisation = _organisation(Review.APPROVED)
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user

    with capture_live() as sent:
        organisation_update(user=admin, organisation=organisation, fields={"description": "Ny."})

    organisation.refresh_from_db()
    assert organisation.review_state == Review.APPROVED
    assert sent == []


def test_the_migration_approves_the_organisations_registered_before_it():
    earlier = [_organisation(Review.PENDING), _organisation(Review.PENDING)]
    migration = importlib.import_module("accounts.migrations.0005_organisation_review")

    migration.approve_existing(apps, None)

    assert {
        item.review_state for item in Organisation.objects.filter(pk__in=[o.pk for o in earlier])
    } == {Review.APPROVED}


def test_the_directory_runs_as_many_queries_with_many_organisations_waiting_as_with_few(client):
    def add(number: int, start: int) -> None:
        for index in range(start, start + number):
            _organisation(Review.APPROVED, name=f"Klubb {index}")
            _organisation(Review.PENDING, name=f"Väntande {index}")
            _organisation(Review.REJECTED, name=f"Avslagen {index}")

    add(2, 0)
    small = page_queries(client, "/organisationer/")
    add(20, 2)
    large = page_queries(client, "/organisationer/")

    assert large == small
    page = client.get("/organisationer/").content.decode()
    assert "Klubb 21" in page
    assert "Väntande" not in page
    assert "Avslagen" not in page
