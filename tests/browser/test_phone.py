"""At a phone's width (375×740): the header's menu folds behind a button, the list's filters behind
"Filtrera", and an initiative's support button shows without scrolling past the text."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, assert_no_console_problems, sign_in
from tests.factories import InitiativeFactory, OfficialResponseFactory, UserFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
LANGUAGES = ["sv", "en"]
LONG_BODY = "".join(
    f"<p>Stycke {number}: varför fler bänkar i skuggan längs promenaden behövs, för äldre och "
    "för barnfamiljer som vill stanna en stund vid vattnet.</p>"
    for number in range(60)
)


@pytest.fixture
def phone(page: Page) -> Page:
    page.set_viewport_size(PHONE)
    return page


@pytest.fixture
def initiatives(programme) -> list:
    """Public initiatives of the real programme: trending, new, one answered; the first with a
    long text."""
    fokusomrade = programme.viljeinriktningar.order_by("pk").first().fokusomraden.first()
    long_one = InitiativeFactory(
        fokusomrade=fokusomrade,
        title="Fler bänkar i skuggan längs promenaden",
        recent_support_count=4,
        body_html=LONG_BODY,
    )
    others = [InitiativeFactory(fokusomrade=fokusomrade, recent_support_count=n) for n in range(3)]
    OfficialResponseFactory(initiative=others[0])
    return [long_one, *others]


def _tab_to(page: Page, locator, most: int = 10) -> None:
    """Press Tab until `locator` has the focus, as a keyboard user would."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError("Tab never reached the element")


def test_the_menu_button_opens_and_closes_the_menu_by_keyboard(phone, initiatives):
    phone.goto("/")
    button = phone.locator("button.menu-button[aria-controls=site-menu]")
    main_menu = phone.get_by_role("navigation", name="Huvudmeny")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(main_menu).to_be_hidden()
    # The propose button stays in sight with the menu folded.
    expect(phone.get_by_role("link", name="Föreslå ett initiativ")).to_be_in_viewport()

    _tab_to(phone, button)
    phone.keyboard.press("Enter")

    expect(button).to_have_attribute("aria-expanded", "true")
    expect(main_menu).to_be_visible()
    phone.keyboard.press("Tab")
    expect(main_menu.get_by_role("link", name="Initiativ")).to_be_focused()
    phone.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(main_menu).to_be_hidden()
    assert_no_console_problems(phone)


def test_without_javascript_the_menu_stays_open_and_the_button_hidden(browser, live_url):
    context = browser.new_context(
        base_url=live_url, locale="sv-SE", viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/initiativ/")

    expect(page.locator(".menu-button")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Huvudmeny")).to_be_visible()
    context.close()


def test_on_a_wide_screen_the_menu_shows_without_a_button(page, initiatives):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")

    expect(page.locator(".menu-button")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Huvudmeny")).to_be_visible()


def test_the_filter_button_reveals_the_filters(phone, initiatives):
    phone.goto("/initiativ/")
    focus_area = phone.get_by_label("Fokusområde")
    expect(phone.get_by_label("Sök")).to_be_visible()
    expect(focus_area).to_be_hidden()

    filter_button = phone.locator(".filters__more > summary")
    _tab_to(phone, filter_button, most=20)
    phone.keyboard.press("Enter")

    expect(focus_area).to_be_visible()
    expect(phone.get_by_label("Sortera efter")).to_be_visible()
    assert_no_console_problems(phone)


def test_chosen_filters_show_open_and_wide_screens_need_no_button(page, initiatives):
    page.set_viewport_size(PHONE)
    page.goto("/initiativ/?sort=mest-stod")
    expect(page.get_by_label("Sortera efter")).to_be_visible()

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/initiativ/")
    expect(page.get_by_label("Fokusområde")).to_be_visible()
    expect(page.locator(".filters__more > summary")).to_be_hidden()


def test_the_support_button_shows_without_scrolling_past_a_long_text(phone, initiatives):
    sign_in(phone, UserFactory())

    phone.goto(initiatives[0].get_absolute_url())

    support = phone.get_by_role("button", name="Stöd initiativet")
    expect(support).to_be_in_viewport()
    box = support.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], box
    # The text is long, and below the button.
    text_top = phone.locator(".prose").first.bounding_box()["y"]
    assert text_top > box["y"]
    assert phone.evaluate("document.documentElement.scrollHeight") > 3 * PHONE["height"]


@pytest.mark.accessibility
@pytest.mark.parametrize("language", LANGUAGES)
def test_main_and_trust_pages_are_accessible_at_phone_width(phone, initiatives, language):
    prefix = "/en" if language == "en" else ""
    trust_pages = ["/om/", "/personuppgifter/", "/tillganglighet/", "/kontakt/"]
    for path in ["/", "/initiativ/", initiatives[0].get_absolute_url(), *trust_pages]:
        phone.goto(prefix + path)
        assert_accessible(phone)
        phone.locator(".menu-button").click()
        expect(phone.locator(".menu-button")).to_have_attribute("aria-expanded", "true")
        assert_accessible(phone)
    phone.goto(prefix + "/initiativ/")
    phone.locator(".filters__more > summary").click()
    assert_accessible(phone)
    assert_no_console_problems(phone)
