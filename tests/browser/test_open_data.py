"""The open-data page in Swedish and English, with a dump and before the first one, checked
with axe; its table of files is reached by keyboard."""

import pytest
from playwright.sync_api import expect

from partners.open_data import make_dump
from tests.browser.conftest import assert_accessible, assert_no_console_problems
from tests.factories import InitiativeFactory, StadsdelFactory

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _open_data(settings, tmp_path):
    # The live server runs in this process, so it serves the test's media folder.
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.accessibility
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("with_dump", [True, False], ids=["dump", "none-yet"])
def test_the_open_data_page_is_accessible(page, language, with_dump):
    InitiativeFactory(stadsdel=StadsdelFactory(name="Dalhem"))
    if with_dump:
        make_dump()
    prefix = "/en" if language == "en" else ""

    assert page.goto(f"{prefix}/oppna-data/").status == 200

    assert page.locator("html").get_attribute("lang") == language
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("main table a")).to_have_count(23 if with_dump else 0)
    if with_dump:
        page.keyboard.press("Tab")  # the skip link
        page.keyboard.press("Enter")
        for _step in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.closest('table') !== null"):
                break
        assert page.evaluate("document.activeElement.textContent") == "README.txt"
    assert_accessible(page)
    assert_no_console_problems(page)
