"""The staff screens (Django's admin site, in the site's colours) pass axe in Swedish and English,
and the administrator renames a district there."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.roles import ADMINISTRATOR
from ideas.models import SupportRule
from moderation.models import AdmissibilityRule
from programme.models import Stadsdel
from tests.browser.conftest import assert_accessible, assert_no_console_problems, sign_in
from tests.factories import StadsdelFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def administrator():
    user = UserFactory(is_staff=True, display_name="Eva Lund")
    user.groups.add(Group.objects.get_or_create(name=ADMINISTRATOR)[0])
    from accounts.roles import ensure_staff_groups

    ensure_staff_groups()
    return user


@pytest.mark.accessibility
@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_staff_screens_pass_axe(page, administrator, language):
    district = StadsdelFactory(name="Norr")
    rule = AdmissibilityRule.objects.create(code="prov", text_sv="Provregel.", text_en="Test rule.")
    SupportRule.current()
    prefix = "/en" if language == "en" else ""
    sign_in(page, administrator, language=language)
    for path in [
        "/admin/",
        "/admin/programme/stadsdel/",
        f"/admin/programme/stadsdel/{district.pk}/change/",
        f"/admin/moderation/admissibilityrule/{rule.pk}/change/",
        "/admin/ideas/supportrule/1/change/",
        "/admin/programme/programme/import/",
    ]:
        page.goto(prefix + path)
        expect(page.locator("#content")).to_be_visible()
        assert_accessible(page)
    assert_no_console_problems(page)


def test_the_administrator_renames_a_district_and_the_site_shows_it(page, administrator):
    district = StadsdelFactory(name="Norr")
    sign_in(page, administrator)
    page.goto(f"/admin/programme/stadsdel/{district.pk}/change/")
    page.locator("#id_name").fill("Norra hamnen")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()

    expect(page.locator(".messagelist")).to_contain_text("Norra hamnen")
    assert Stadsdel.objects.get(pk=district.pk).name == "Norra hamnen"
    page.goto("/initiativ/")
    expect(page.locator("select[name=stadsdel] option", has_text="Norra hamnen")).to_have_count(1)
