"""Where focus goes after a keyboard user sends a form: to the comment they posted, or to the
summary of the errors, whose links lead to each field; and the password rules are read with the
password field."""

import pytest
from playwright.sync_api import Page, expect

from ideas.models import Comment
from tests.browser.conftest import assert_no_console_problems, sign_in
from tests.factories import InitiativeFactory, UserFactory

pytestmark = pytest.mark.browser

ACTIVE_ELEMENT = """() => {
    const element = document.activeElement;
    return {id: element.id, classes: [...element.classList]};
}"""


def active(page: Page) -> dict:
    return page.evaluate(ACTIVE_ELEMENT)


def open_with_live_socket(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.locator("article[data-live-opened-before=true]")).to_have_count(1)


def test_keyboard_user_posts_a_comment_and_focus_lands_on_it(page):
    initiative = InitiativeFactory()
    sign_in(page, UserFactory(display_name="Berit Andersson"))
    open_with_live_socket(page, initiative.get_absolute_url())

    page.get_by_label("Din kommentar").focus()
    page.keyboard.type("Bänkar i skuggan, gärna nära lekplatsen.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Publicera kommentar")).to_be_focused()
    page.keyboard.press("Enter")

    comment = page.locator("#comment-list > li.comment")
    expect(comment).to_have_count(1)
    posted = Comment.objects.get()
    expect(page.locator(f"#{posted.dom_id}")).to_be_focused()
    assert active(page)["id"] == posted.dom_id
    # The same comment also arrives over the live socket; it is still shown once, with the
    # author's own links.
    page.wait_for_function(
        "() => document.getElementById('live-announcer').textContent.includes('Berit')"
    )
    expect(comment).to_have_count(1)
    expect(comment.get_by_role("link", name="Redigera")).to_be_visible()
    expect(page.get_by_label("Din kommentar")).to_have_value("")
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
    assert_no_console_problems(page)


def test_empty_comment_shows_the_summary_with_focus(page):
    initiative = InitiativeFactory()
    sign_in(page, UserFactory())
    page.goto(initiative.get_absolute_url())

    page.get_by_role("button", name="Publicera kommentar").focus()
    page.keyboard.press("Enter")

    summary = page.locator("#kommentera .error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Din kommentar")).to_be_focused()
    assert not Comment.objects.exists()
    assert_no_console_problems(page)


def test_empty_initiative_form_starts_with_a_summary_whose_links_reach_the_fields(page, programme):
    sign_in(page, UserFactory())
    page.goto("/initiativ/nytt/")

    page.get_by_role("button", name="Spara utkast och förhandsvisa").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_be_visible()
    # The first link is the title's; following it with the keyboard puts focus in the field.
    page.keyboard.press("Tab")
    link = summary.get_by_role("link").first
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    assert active(page)["id"] == "id_title"
    # Every link leads to a field that exists.
    for target in summary.get_by_role("link").evaluate_all(
        "(links) => links.map((link) => link.hash.slice(1))"
    ):
        assert page.locator(f"#{target}").count() == 1, target
    assert_no_console_problems(page)


def test_password_rules_are_the_description_of_the_password_field(page):
    page.goto("/konto/signup/")

    description = page.locator("#id_password1").evaluate(
        """(input) => input.getAttribute('aria-describedby').split(' ')
            .map((id) => document.getElementById(id).textContent).join(' ')"""
    )

    assert "minst 8 tecken" in description
    assert_no_console_problems(page)
