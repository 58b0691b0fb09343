"""The platform administrator runs the municipality's data in the staff screens (Django's admin
site); moderators and responders cannot reach them, and what is changed there shows on the site."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.models import User
from accounts.roles import ADMINISTRATOR
from ideas.models import SupportRule
from moderation.models import AdmissibilityRule
from programme.models import Stadsdel
from tests.factories import (
    InitiativeFactory,
    ModeratorFactory,
    ResponderFactory,
    StadsdelFactory,
    UserFactory,
)
from tests.sessions import sign_in

pytestmark = pytest.mark.django_db

# The municipality's data, and what may be done with it in the staff screens.
SCREENS = [
    "/admin/programme/programme/",
    "/admin/programme/fokusomrade/",
    "/admin/programme/forvaltning/",
    "/admin/programme/stadsdel/",
    "/admin/moderation/admissibilityrule/",
    "/admin/ideas/supportrule/1/change/",
    "/admin/pages/trustpage/",
    "/admin/accounts/organisation/",
]
# What the administrator's role does not reach: people's accounts and the content they wrote.
NOT_THEIRS = ["/admin/accounts/user/", "/admin/ideas/initiative/", "/admin/auth/group/"]


@pytest.fixture
def administrator():
    user = UserFactory(is_staff=True, display_name="Eva Lund")
    user.groups.add(Group.objects.get(name=ADMINISTRATOR))
    return user


@pytest.fixture
def admin_client(client, administrator):
    SupportRule.current()
    sign_in(client, administrator)
    return client


@pytest.mark.parametrize("url", SCREENS)
def test_the_administrator_reaches_each_staff_screen(admin_client, url):
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("url", NOT_THEIRS)
def test_the_administrator_does_not_reach_accounts_or_content(admin_client, url):
    assert admin_client.get(url).status_code == 403


@pytest.mark.parametrize("who", ["visitor", "resident", "moderator", "responder"])
@pytest.mark.parametrize("url", ["/admin/", *SCREENS])
def test_nobody_else_reaches_the_staff_screens(client, who, url):
    SupportRule.current()
    person = {
        "visitor": None,
        "resident": UserFactory,
        "moderator": ModeratorFactory,
        "responder": ResponderFactory,
    }[who]
    if person is not None:
        sign_in(client, person())

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_staff_screens_speak_the_users_language(admin_client):
    swedish = admin_client.get("/admin/").content.decode()
    english = admin_client.get("/en/admin/").content.decode()

    assert "Kommunens uppgifter" in swedish
    assert "Stadsdelar" in swedish
    assert "The municipality&#x27;s data" in english
    assert "Districts (stadsdelar)" in english
    assert "Tillsammans Helsingborg – personalens sidor" in swedish


def test_a_district_renamed_in_the_staff_screens_shows_on_the_site(admin_client, client):
    district = StadsdelFactory(name="Norr")
    initiative = InitiativeFactory(stadsdel=district)

    response = admin_client.post(
        f"/admin/programme/stadsdel/{district.pk}/change/",
        {"name": "Norra hamnen", "slug": district.slug, "area": district.area},
    )

    assert response.status_code == 302
    assert Stadsdel.objects.get(pk=district.pk).name == "Norra hamnen"
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Norra hamnen" in page
    listing = client.get("/initiativ/").content.decode()
    assert "Norra hamnen" in listing


def test_an_admissibility_rule_edited_in_the_staff_screens_is_what_moderators_choose(
    admin_client, client
):
    rule = AdmissibilityRule.objects.get(code="duplicate")
    response = admin_client.post(
        f"/admin/moderation/admissibilityrule/{rule.pk}/change/",
        {
            "text_sv": "Ett likadant förslag har lämnats det senaste året.",
            "text_en": "The same proposal was made in the last year.",
            "position": rule.position,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    InitiativeFactory(status="submitted")
    sign_in(client, ModeratorFactory())

    queue = client.get("/moderering/").content.decode()

    assert "Ett likadant förslag har lämnats det senaste året." in queue
    assert "Ett liknande förslag har lämnats under de senaste sex månaderna." not in queue


def test_a_rule_switched_off_can_no_longer_be_chosen_but_old_decisions_keep_its_words(
    admin_client,
):
    rule = AdmissibilityRule.objects.get(code="duplicate")
    admin_client.post(
        f"/admin/moderation/admissibilityrule/{rule.pk}/change/",
        {"text_sv": rule.text_sv, "text_en": rule.text_en, "position": rule.position},
    )

    assert "duplicate" not in dict(AdmissibilityRule.choices())
    assert AdmissibilityRule.labels()["duplicate"] == rule.text_sv


def test_rules_and_the_support_rule_cannot_be_deleted(admin_client):
    rule = AdmissibilityRule.objects.first()

    delete_rule = f"/admin/moderation/admissibilityrule/{rule.pk}/delete/"
    assert admin_client.get(delete_rule).status_code == 403
    assert admin_client.get("/admin/ideas/supportrule/1/delete/").status_code == 403
    assert admin_client.get("/admin/ideas/supportrule/add/").status_code == 403


def test_the_support_rule_set_in_the_staff_screens_applies_to_the_next_publication(
    admin_client,
):
    response = admin_client.post(
        "/admin/ideas/supportrule/1/change/", {"threshold": "250", "period_days": "45"}
    )
    assert response.status_code == 302

    from ideas.actions import do_initiative_publish

    initiative = do_initiative_publish(initiative=InitiativeFactory(status="submitted"), actor=None)

    assert initiative.support_threshold == 250
    assert (initiative.support_ends_at - initiative.published_at).days == 45


def test_a_support_rule_out_of_bounds_is_refused_with_the_reason(admin_client):
    response = admin_client.post(
        "/admin/ideas/supportrule/1/change/", {"threshold": "0", "period_days": "45"}
    )

    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert SupportRule.current().threshold != 0


def test_the_demo_administrator_reaches_the_staff_screens(client, settings):
    settings.DEMO_CONTENT_ALLOWED = True
    call_command("load_municipality", verbosity=0)
    call_command("load_demo", verbosity=0)
    administrator = User.objects.get(email="admin@example.org")
    sign_in(client, administrator)

    assert client.get("/admin/programme/stadsdel/").status_code == 200
    for email in ["moderator@example.org", "handlaggare@example.org"]:
        other = client.__class__()
        sign_in(other, User.objects.get(email=email))
        assert other.get("/admin/programme/stadsdel/").status_code == 302
