from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Organisation, PartnerNeed, User
from ideas import demo_data
from ideas.models import Comment, Initiative, InitiativeEvent, Support
from programme.models import Fokusomrade

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(programme, settings):
    settings.DEMO_CONTENT_ALLOWED = True
    call_command("load_demo", stdout=StringIO())


def load() -> str:
    out = StringIO()
    call_command("load_demo_initiatives", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "initiatives": Initiative.objects.count(),
        "events": InitiativeEvent.objects.count(),
        "supports": Support.objects.count(),
        "comments": Comment.objects.count(),
        "users": User.objects.count(),
    }


def test_demo_data_fits_the_initiative_fields():
    for data in demo_data.INITIATIVES:
        assert len(data["title"]) <= 120, data["title"]
        assert len(data["summary"]) <= 300, data["title"]
        assert set(data.get("partner_needs", [])) <= set(PartnerNeed.values)


def test_initiatives_cover_every_fokusomrade_several_districts_and_every_kind_of_author(demo):
    load()

    public = Initiative.objects.public()
    assert public.count() >= 28
    assert set(public.values_list("fokusomrade", flat=True)) == set(
        Fokusomrade.objects.values_list("pk", flat=True)
    )
    assert public.exclude(stadsdel=None).values("stadsdel").distinct().count() >= 4
    assert public.filter(stadsdel=None).exists()
    assert public.filter(organisation=None).exists()
    assert public.filter(organisation__kind=Organisation.Kind.FORENING).exists()
    assert public.filter(organisation__kind=Organisation.Kind.FORETAG).exists()
    assert any("venue" in needs for needs in public.values_list("partner_needs", flat=True))
    assert Initiative.objects.filter(status=Initiative.Status.SUBMITTED).exists()
    assert Initiative.objects.filter(
        status=Initiative.Status.DRAFT, author__email="boende@example.org"
    ).exists()


def test_published_initiatives_are_spread_over_the_support_period(demo):
    load()

    now = timezone.now()
    for initiative in Initiative.objects.public():
        assert now - timedelta(days=85) < initiative.published_at < now
        assert initiative.support_ends_at == initiative.published_at + timedelta(days=90)
        assert initiative.is_open_for_support


def test_exactly_one_initiative_is_three_supports_short_of_the_threshold(demo):
    load()

    assert Initiative.objects.filter(support_count=97, support_threshold=100).count() == 1
    assert not Initiative.objects.filter(support_count__gte=100).exists()
    assert not Initiative.objects.exclude(ready_at=None).exists()
    rows = Initiative.objects.annotate(rows=Count("supports"))
    assert all(initiative.rows == initiative.support_count for initiative in rows)


def test_trending_is_not_the_same_as_most_supported(demo):
    load()

    week_ago = timezone.now() - timedelta(days=7)
    public = Initiative.objects.public().annotate(
        recent=Count("supports", filter=Q(supports__created_at__gte=week_ago))
    )
    most_supported = public.order_by("-support_count").first()
    trending = public.order_by("-recent_support_count").first()
    assert trending != most_supported
    # The loader dates the supports back, then counts the week's for the trending sort.
    assert all(initiative.recent == initiative.recent_support_count for initiative in public)
    assert trending.recent_support_count > 0
    assert public.filter(support_count=0).exists()


def test_comments_include_answers_and_a_marked_staff_comment(demo):
    load()

    assert Comment.objects.count() > 30
    assert Comment.objects.exclude(parent=None).exists()
    assert Comment.objects.filter(
        is_staff_comment=True, author__email="moderator@example.org"
    ).exists()
    initiatives = Initiative.objects.annotate(rows=Count("comments"))
    assert all(initiative.rows == initiative.comment_count for initiative in initiatives)


def test_running_twice_adds_nothing(demo):
    load()
    before = counts()

    output = load()

    assert counts() == before
    assert "0 created" in output


def test_refuses_without_demo_content_allowed(programme, settings):
    settings.DEMO_CONTENT_ALLOWED = False

    with pytest.raises(CommandError, match="DEMO_CONTENT_ALLOWED"):
        call_command("load_demo_initiatives", stdout=StringIO())

    assert not Initiative.objects.exists()


def test_refuses_before_the_demo_accounts_exist(programme, settings):
    settings.DEMO_CONTENT_ALLOWED = True

    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_demo_initiatives", stdout=StringIO())

    assert not Initiative.objects.exists()
