"""Mina sidor in a browser: a draft found again after the browser closed, by keyboard; a
moderator's decision showing without reload; every tab accessible at desktop and phone widths."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ideas.models import Initiative
from moderation.actions import initiative_approve
from tests.browser.conftest import (
    ConsoleProblems,
    assert_accessible,
    assert_no_console_problems,
    sign_in,
)
from tests.browser.test_initiatives_live import in_another_thread, open_live
from tests.factories import (
    CommentFactory,
    DraftFactory,
    FollowFactory,
    InitiativeFactory,
    ModeratorFactory,
    PartnerOfferFactory,
    SupportFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

TABS = [
    "/mina-sidor/",
    "/mina-sidor/stod/",
    "/mina-sidor/foljer/",
    "/mina-sidor/kommentarer/",
    "/mina-sidor/samarbeten/",
]
PHONE = {"width": 375, "height": 740}


def _keyboard_to(page: Page, name: str) -> None:
    """Tab through the page until the link or button named `name` has focus, then press it."""
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.textContent.trim()")
        if focused == name:
            page.keyboard.press("Enter")
            return
    raise AssertionError(f"{name!r} was not reached by keyboard")


def test_a_draft_is_found_again_after_the_browser_closed(browser, live_url, programme):
    author = UserFactory()
    fokusomrade = programme.viljeinriktningar.first().fokusomraden.first()
    first = browser.new_context(base_url=live_url, locale="sv-SE")
    page = first.new_page()
    sign_in(page, author)
    page.goto("/initiativ/nytt/")
    page.locator("#id_title").fill("Vattenlek i Fredriksdal")
    page.locator("#id_summary").fill("En plats att svalka sig för barnen.")
    page.locator("#id_body").fill("Barnen behöver vatten att leka i på sommaren.")
    page.locator("#id_fokusomrade").select_option(str(fokusomrade.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Spara utkast och förhandsvisa").click()
    first.close()

    second = browser.new_context(base_url=live_url, locale="sv-SE")
    page = second.new_page()
    page.console_problems = ConsoleProblems(page)
    sign_in(page, author)
    with page.expect_navigation():
        _keyboard_to(page, "Mina sidor")
    expect(page.get_by_role("heading", name="Utkast (1)")).to_be_visible()
    with page.expect_navigation():
        _keyboard_to(page, "Fortsätt redigera")
    expect(page.locator("#id_title")).to_have_value("Vattenlek i Fredriksdal")
    expect(page.locator("#id_body")).to_have_value("Barnen behöver vatten att leka i på sommaren.")
    assert_no_console_problems(page)
    second.close()


def test_a_decision_moves_the_initiative_without_reload(page):
    draft = DraftFactory(
        title="Boulebana i Slottshagen",
        status=Initiative.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    sign_in(page, draft.author)
    open_live(page, "/mina-sidor/", "li[data-personal-socket]")
    expect(page.get_by_role("heading", name="Granskas (1)")).to_be_visible()

    in_another_thread(lambda: initiative_approve(moderator=ModeratorFactory(), initiative=draft))

    expect(page.get_by_role("heading", name="Öppet för stöd (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Granskas (1)")).to_have_count(0)
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
    assert_no_console_problems(page)


@pytest.fixture
def history():
    """A person with something in every tab."""
    person = UserFactory()
    DraftFactory(author=person, title="Mitt utkast")
    InitiativeFactory(author=person, title="Mitt publicerade initiativ")
    SupportFactory(user=person)
    FollowFactory(user=person)
    CommentFactory(author=person)
    PartnerOfferFactory(offered_by=person)
    return person


@pytest.mark.accessibility
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_every_tab_is_accessible(page, history, language, phone):
    if phone:
        page.set_viewport_size(PHONE)
    sign_in(page, history, language=language)
    prefix = "/en" if language == "en" else ""
    for path in TABS:
        page.goto(prefix + path)
        expect(page.locator("#mina-sidor-innehall")).to_be_visible()
        assert_accessible(page)
    assert_no_console_problems(page)
