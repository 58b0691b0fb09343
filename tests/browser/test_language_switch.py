import re

import pytest
from playwright.sync_api import expect

from programme.models import Viljeinriktning
from tests.browser.conftest import assert_no_console_problems

pytestmark = pytest.mark.browser


def test_language_switcher_moves_between_swedish_and_english_on_the_same_page(page, programme):
    direction = Viljeinriktning.objects.get(slug="allas-delaktighet")
    page.goto("/programmet/allas-delaktighet/")
    expect(page.locator("h1")).to_have_text(direction.title_sv)

    page.get_by_role("navigation", name="Språk").get_by_role("link", name="English").click()

    expect(page).to_have_url(re.compile(r"/en/programmet/allas-delaktighet/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(direction.title_en)
    expect(page.get_by_role("navigation", name="Main menu")).to_contain_text("The programme")

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Svenska").click()

    expect(page).to_have_url(re.compile(r"127\.0\.0\.1:\d+/programmet/allas-delaktighet/$"))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("h1")).to_have_text(direction.title_sv)
    expect(page.get_by_role("navigation", name="Huvudmeny")).to_contain_text("Programmet")
    assert_no_console_problems(page)
