"""Proposing and supporting an initiative with the keyboard alone, with focus always visible."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from ideas.models import Initiative
from programme.models import Fokusomrade
from tests.browser.conftest import assert_no_console_problems
from tests.factories import PASSWORD, InitiativeFactory, UserFactory

pytestmark = pytest.mark.browser

MAX_TABS = 60

DESCRIBE_FOCUS = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {
        tag: element.tagName.toLowerCase(),
        text: (element.textContent || element.value || "").trim(),
        outline: style.outlineStyle === "none" ? "none" : style.outlineWidth,
        shadow: style.boxShadow,
    };
}"""


def focus_is_visible(page: Page) -> dict:
    focused = page.evaluate(DESCRIBE_FOCUS)
    assert focused["tag"] != "body", "Focus was lost to the page itself"
    visible = focused["outline"] not in ("none", "0px") or focused["shadow"] != "none"
    assert visible, f"The focused element shows no focus indicator: {focused}"
    return focused


def tab_to(page: Page, target) -> None:
    """Press Tab until the target has focus, checking that every stop shows its focus."""
    element = target.element_handle(timeout=2000)
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focus_is_visible(page)
        if element.evaluate("(element) => element === document.activeElement"):
            return
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached {target}")


def sign_in_with_keyboard(page: Page, user) -> None:
    page.goto("/konto/login/")
    page.locator("input[name=login]").focus()
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/konto/login/" not in page.url, "Signing in failed"


def test_resident_proposes_an_initiative_with_the_keyboard(page, programme):
    resident = UserFactory()
    fokusomrade = (
        Fokusomrade.objects.filter(
            viljeinriktning__programme=programme, prioriteringar__isnull=False
        )
        .order_by("viljeinriktning__position", "position")
        .first()
    )
    sign_in_with_keyboard(page, resident)

    # From the header's link, on whichever page signing in led to.
    tab_to(page, page.locator("header").get_by_role("link", name="Föreslå ett initiativ"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/initiativ/nytt/"

    # The skip link, then into the main content: the title is its first field.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_label("Rubrik"))
    page.keyboard.type("Fler sittplatser i Slottshagen")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Sammanfattning")).to_be_focused()
    page.keyboard.type("Bänkar i skuggan för äldre och barnfamiljer.")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Beskrivning")).to_be_focused()
    page.keyboard.type("Vi föreslår **tio bänkar** längs gångvägarna.")

    select = page.locator("#id_fokusomrade")
    tab_to(page, select)
    while select.input_value() != str(fokusomrade.pk):
        page.keyboard.press("ArrowDown")
    group = page.locator(f".prioritering-group[data-fokusomrade='{fokusomrade.pk}']")
    expect(group).to_be_visible()
    first_priority = group.get_by_role("checkbox").first
    tab_to(page, first_priority)
    page.keyboard.press("Space")
    expect(first_priority).to_be_checked()

    tab_to(page, page.get_by_role("button", name="Spara och skicka in för granskning"))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    initiative = Initiative.objects.get(author=resident)
    assert initiative.status == Initiative.Status.SUBMITTED
    assert initiative.fokusomrade == fokusomrade
    assert initiative.prioriteringar.count() == 1
    assert urlsplit(page.url).path == initiative.get_absolute_url()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fler sittplatser i Slottshagen")
    expect(page.locator("main .notice")).to_contain_text("Granskas.")
    expect(page.locator("main .messages")).to_contain_text("Ditt initiativ granskas")
    assert_no_console_problems(page)


def test_resident_supports_an_initiative_with_the_keyboard(page):
    initiative = InitiativeFactory()
    sign_in_with_keyboard(page, UserFactory())
    page.goto(initiative.get_absolute_url())

    tab_to(page, page.get_by_role("button", name="Stöd initiativet"))
    page.keyboard.press("Enter")

    expect(page.get_by_text("Du stödjer det här initiativet.")).to_be_visible()
    expect(page.locator(f"#initiativ-{initiative.pk}-stats")).to_contain_text("1 stöd")
    # The button was replaced; focus moves to its successor instead of falling to the page.
    expect(page.get_by_role("button", name="Ta tillbaka mitt stöd")).to_be_focused()
    focus_is_visible(page)
    assert initiative.supports.count() == 1
    assert_no_console_problems(page)
