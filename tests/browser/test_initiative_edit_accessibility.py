"""The pages of editing after publication pass axe-core: the edit form with the title and focus
area fixed by supports, and the initiative's history of versions opened."""

import pytest

from ideas.models import Support
from tests.browser.conftest import assert_accessible, assert_no_console_problems, sign_in
from tests.factories import InitiativeFactory, UserFactory, published_edit

pytestmark = pytest.mark.browser


def _edited_and_supported():
    initiative = InitiativeFactory(body="Tio bänkar under träden.")
    Support.objects.create(initiative=initiative, user=UserFactory())
    return published_edit(initiative, body="Tio bänkar under lindarna.")


LANGUAGES = ["sv", "en"]
WIDTHS = pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])


@pytest.mark.parametrize("language", LANGUAGES)
@WIDTHS
def test_the_history_of_versions_is_accessible(page, language, width):
    initiative = _edited_and_supported()
    page.set_viewport_size({"width": width, "height": 740})

    page.goto(("/en" if language == "en" else "") + initiative.get_absolute_url())
    page.locator("#initiative-versions summary").first.click()

    assert_accessible(page)
    assert_no_console_problems(page)


@pytest.mark.parametrize("language", LANGUAGES)
@WIDTHS
def test_the_edit_form_with_fixed_title_and_focus_area_is_accessible(page, language, width):
    initiative = _edited_and_supported()
    page.set_viewport_size({"width": width, "height": 740})
    sign_in(page, initiative.author, language=language)

    page.goto(("/en" if language == "en" else "") + f"/initiativ/{initiative.pk}/redigera/")

    assert page.locator("#id_title").get_attribute("readonly") is not None
    assert page.locator("#id_fokusomrade").is_disabled()
    assert_accessible(page)
    assert_no_console_problems(page)
