"""On `make run` the demo association finds the initiative that needs a venue, both ways."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Organisation
from ideas.models import Initiative
from partners.matching import initiatives_for, organisations_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(programme, settings):
    settings.DEMO_CONTENT_ALLOWED = True
    for command in ("load_demo", "load_demo_initiatives", "load_demo_partners"):
        call_command(command, stdout=StringIO())


def test_the_demo_association_finds_the_initiative_that_needs_a_venue(demo, client):
    association = Organisation.objects.get(slug="dalhems-grannskapsforening")
    needs_venue = Initiative.objects.filter(
        seeking_partners=True, partner_needs__icontains='"venue"'
    ).exclude(organisation=association)
    assert needs_venue.exists()

    suggested = [item.item for item in initiatives_for(association)]
    assert suggested[0] in needs_venue
    for initiative in needs_venue:
        if initiative.stadsdel and initiative.stadsdel.slug == "drottninghog":
            assert association in [item.item for item in organisations_for(initiative)]

    page = client.get("/samarbeten/initiativ/?behov=venue")
    assert suggested[0] in page.context["page"].object_list
    directory = client.get("/samarbeten/?erbjuder=venue", follow=True)
    assert association in directory.context["page"].object_list


def test_loading_again_changes_nothing(demo):
    association = Organisation.objects.get(slug="dalhems-grannskapsforening")
    before = (association.offers, list(association.stadsdelar.values_list("slug", flat=True)))

    call_command("load_demo_partners", stdout=StringIO())

    association.refresh_from_db()
    assert (association.offers, list(association.stadsdelar.values_list("slug", flat=True))) == (
        before
    )


def test_it_refuses_outside_the_demo(settings):
    settings.DEMO_CONTENT_ALLOWED = False

    with pytest.raises(CommandError):
        call_command("load_demo_partners", stdout=StringIO())
