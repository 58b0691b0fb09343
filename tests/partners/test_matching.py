"""Suggestions are ranked by fit, say why, and leave out pairs already answered or under way."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.models import Organisation
from partners.matching import initiatives_for, organisations_for
from partners.models import PartnerOffer
from tests.factories import (
    FokusomradeFactory,
    OrganisationFactory,
    PrioriteringFactory,
    StadsdelFactory,
    UserFactory,
)
from tests.partners.conftest import seeking

pytestmark = pytest.mark.django_db


def _organisation(name, *, fokus=(), prios=(), stadsdelar=(), offers=(), whole_city=False):
    organisation = OrganisationFactory(name=name, offers=list(offers), whole_city=whole_city)
    organisation.fokusomraden.set(fokus)
    organisation.prioriteringar.set(prios)
    organisation.stadsdelar.set(stadsdelar)
    return organisation


@pytest.fixture
def world():
    fokus, other = FokusomradeFactory(title_en="Meeting places"), FokusomradeFactory()
    prio = PrioriteringFactory(fokusomrade=fokus, tag="motesplatser")
    dalhem, soder = StadsdelFactory(name="Dalhem"), StadsdelFactory(name="Söder")
    initiative = seeking(fokusomrade=fokus, stadsdel=dalhem, partner_needs=["venue", "funding"])
    initiative.prioriteringar.set([prio])
    return {
        "initiative": initiative,
        "best": _organisation(
            "Bäst", fokus=[fokus], prios=[prio], stadsdelar=[dalhem], offers=["venue"]
        ),
        "focus_only": _organisation("Bara fokus", fokus=[fokus]),
        "need_only": _organisation("Bara behov", stadsdelar=[soder], offers=["funding"]),
        "city": _organisation("Hela staden", fokus=[other], whole_city=True),
        "unrelated": _organisation(
            "Inget", fokus=[other], stadsdelar=[soder], offers=["expertise"]
        ),
    }


def test_organisations_for_ranks_the_best_fit_first_with_its_reasons(world):
    with translation.override("en"):
        suggestions = organisations_for(world["initiative"])

    names = [suggestion.item.name for suggestion in suggestions]
    assert names == ["Bäst", "Bara fokus", "Bara behov", "Hela staden"]
    assert suggestions[0].reasons == [
        "Same focus area: Meeting places",
        "Shared priorities: #motesplatser",
        "offers a venue, which is needed",
        "Active in the same district: Dalhem",
    ]
    assert suggestions[2].reasons == ["offers funding, which is needed"]
    assert suggestions[3].reasons == ["Active in the whole city"]


@pytest.mark.parametrize(
    "status",
    [PartnerOffer.Status.OFFERED, PartnerOffer.Status.ACCEPTED, PartnerOffer.Status.DECLINED],
)
def test_organisations_already_answered_or_under_way_are_left_out(world, status):
    PartnerOffer.objects.create(
        initiative=world["initiative"],
        offered_by=UserFactory(),
        organisation=world["best"],
        message="Hej",
        status=status,
    )

    names = [suggestion.item.name for suggestion in organisations_for(world["initiative"])]

    assert "Bäst" not in names
    assert names[0] == "Bara fokus"


def test_a_withdrawn_offer_does_not_hide_the_organisation(world):
    PartnerOffer.objects.create(
        initiative=world["initiative"],
        offered_by=UserFactory(),
        organisation=world["best"],
        message="Hej",
        status=PartnerOffer.Status.WITHDRAWN,
    )

    assert organisations_for(world["initiative"])[0].item == world["best"]


def test_the_initiatives_own_organisation_is_not_suggested(world):
    initiative = world["initiative"]
    initiative.organisation = world["best"]
    initiative.save()

    assert world["best"] not in [item.item for item in organisations_for(initiative)]


def test_initiatives_for_ranks_by_fit_and_recent_activity():
    fokus = FokusomradeFactory(title_en="Meeting places")
    dalhem = StadsdelFactory(name="Dalhem")
    organisation = _organisation("Grannar", fokus=[fokus], stadsdelar=[dalhem], offers=["venue"])
    old = timezone.now() - timedelta(days=200)
    best = seeking(fokusomrade=fokus, stadsdel=dalhem, published_at=old, title="Bäst")
    recent = seeking(fokusomrade=fokus, title="Ny", partner_needs=["funding"])
    needs_venue = seeking(partner_needs=["venue"], published_at=old, title="Lokal")
    seeking(partner_needs=["funding"], title="Inget gemensamt")
    seeking(fokusomrade=fokus, title="Söker inte", seeking_partners=False)
    answered = seeking(fokusomrade=fokus, title="Redan besvarad")
    PartnerOffer.objects.create(
        initiative=answered,
        offered_by=UserFactory(),
        organisation=organisation,
        message="Hej",
        status=PartnerOffer.Status.DECLINED,
    )

    with translation.override("en"):
        suggestions = initiatives_for(organisation)

    assert [item.item for item in suggestions] == [best, recent, needs_venue]
    assert suggestions[0].reasons == [
        "Same focus area: Meeting places",
        "offers a venue, which is needed",
        "In a district where you are active: Dalhem",
    ]
    assert suggestions[1].reasons == ["Same focus area: Meeting places", "Published recently"]


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def _crowd(number: int, fokus, stadsdel, start: int = 0) -> None:
    for index in range(start, start + number):
        organisation = _organisation(
            f"Förening nummer {index}",
            fokus=[fokus],
            stadsdelar=[stadsdel],
            offers=["venue", "volunteers"][: 1 + index % 2],
        )
        seeking(fokusomrade=fokus, stadsdel=stadsdel, organisation=organisation)


def _fresh(initiative, organisation):
    """The objects as a view holds them: the initiative with its focus area and district."""
    initiative = (
        type(initiative).objects.select_related("fokusomrade", "stadsdel").get(pk=initiative.pk)
    )
    return initiative, Organisation.objects.get(pk=organisation.pk)


def test_suggestions_run_as_many_queries_with_much_data_as_with_little():
    fokus, stadsdel = FokusomradeFactory(), StadsdelFactory()
    initiative = seeking(fokusomrade=fokus, stadsdel=stadsdel)
    organisation = _organisation("Mätt", fokus=[fokus], stadsdelar=[stadsdel], offers=["venue"])
    _crowd(2, fokus, stadsdel)
    first, second = _fresh(initiative, organisation)
    small = (
        _queries(lambda: organisations_for(first)),
        _queries(lambda: initiatives_for(second)),
    )

    _crowd(40, fokus, stadsdel, start=2)
    first, second = _fresh(initiative, organisation)
    large = (
        _queries(lambda: organisations_for(first)),
        _queries(lambda: initiatives_for(second)),
    )

    assert len(organisations_for(first)) == 10
    assert len(initiatives_for(second)) == 10
    assert large == small
    assert max(large) <= 6
