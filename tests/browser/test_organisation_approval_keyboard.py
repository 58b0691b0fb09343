"""Deciding about a new organisation in the moderation queue by keyboard alone: the reason is a
labelled field beside its buttons, and one press decides."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from accounts.models import Organisation
from moderation.models import ModerationDecision
from tests.browser.conftest import assert_no_console_problems
from tests.browser.test_initiatives_keyboard import sign_in_with_keyboard, tab_to
from tests.factories import ModeratorFactory, OrganisationFactory

pytestmark = pytest.mark.browser


def test_a_moderator_rejects_a_new_organisation_with_a_reason_by_keyboard(page):
    waiting = OrganisationFactory(name="Nyföreningen", review_state=Organisation.Review.PENDING)
    other = OrganisationFactory(name="Cykelköket", review_state=Organisation.Review.PENDING)
    sign_in_with_keyboard(page, ModeratorFactory())
    page.goto("/moderering/")
    item = page.locator(f"#queue-organisation-{waiting.pk}")

    tab_to(page, item.get_by_label("Skäl"))
    page.keyboard.type("Finns inte i föreningsregistret.")
    tab_to(page, item.get_by_role("button", name="Avslå"))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    waiting.refresh_from_db()
    other.refresh_from_db()
    assert waiting.review_state == Organisation.Review.REJECTED
    assert waiting.review_reason == "Finns inte i föreningsregistret."
    assert other.review_state == Organisation.Review.PENDING
    assert ModerationDecision.objects.get().organisation == waiting
    assert urlsplit(page.url).path == "/moderering/"
    expect(page.locator(f"#queue-organisation-{waiting.pk}")).to_have_count(0)
    assert_no_console_problems(page)


def test_rejecting_without_a_reason_comes_back_focused_at_the_item(page):
    waiting = OrganisationFactory(name="Nyföreningen", review_state=Organisation.Review.PENDING)
    sign_in_with_keyboard(page, ModeratorFactory())
    page.goto("/moderering/")
    item = page.locator(f"#queue-organisation-{waiting.pk}")

    tab_to(page, item.get_by_role("button", name="Avslå"))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    item = page.locator(f"#queue-organisation-{waiting.pk}")
    expect(item.locator(".error-summary")).to_be_focused()
    waiting.refresh_from_db()
    assert waiting.review_state == Organisation.Review.PENDING
