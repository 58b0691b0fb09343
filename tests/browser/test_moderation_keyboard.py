"""Moderating and answering with the keyboard alone, with focus always visible."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ideas.models import Initiative, OfficialResponse
from tests.browser.conftest import assert_no_console_problems
from tests.browser.test_initiatives_keyboard import sign_in_with_keyboard, tab_to
from tests.factories import DraftFactory, InitiativeFactory, ModeratorFactory, ResponderFactory

pytestmark = pytest.mark.browser


def test_a_moderator_approves_an_initiative_with_the_keyboard(page):
    waiting = DraftFactory(
        title="Sommarbio på Gröningen",
        status=Initiative.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    other = DraftFactory(
        title="Boulebana i Slottshagen",
        status=Initiative.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    sign_in_with_keyboard(page, ModeratorFactory())
    page.goto("/moderering/")

    chosen = page.get_by_role("checkbox", name="Sommarbio på Gröningen")
    tab_to(page, chosen)
    page.keyboard.press("Space")
    expect(chosen).to_be_checked()
    approve = page.get_by_role("radio", name="Godkänn och publicera")
    tab_to(page, approve)
    page.keyboard.press("Space")
    expect(approve).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Verkställ för de valda posterna"))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    waiting.refresh_from_db()
    other.refresh_from_db()
    assert waiting.status == Initiative.Status.PUBLISHED
    assert other.status == Initiative.Status.SUBMITTED
    assert urlsplit(page.url).path == "/moderering/"
    expect(page.locator("main .messages")).to_contain_text("1 beslut fattades.")
    expect(page.get_by_role("checkbox", name="Sommarbio på Gröningen")).to_have_count(0)
    assert_no_console_problems(page)


def test_a_case_officer_answers_an_initiative_with_the_keyboard(page):
    responder = ResponderFactory()
    initiative = InitiativeFactory(
        title="Fler bänkar längs Sundstorget",
        forvaltning=responder.forvaltning,
        answer_due=timezone.localdate() + timedelta(days=14),
    )
    sign_in_with_keyboard(page, responder)
    page.goto(initiative.get_absolute_url())

    tab_to(page, page.get_by_role("link", name="Skriv det officiella svaret"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == f"/initiativ/{initiative.pk}/svara/"
    tab_to(page, page.get_by_label("Stadens svar"))
    page.keyboard.type("Kulturförvaltningen ställer ut tio bänkar i maj.")
    tab_to(page, page.get_by_role("radio").first)
    will_be_done = page.get_by_role("radio", name="Ska genomföras")
    while not will_be_done.is_checked():
        page.keyboard.press("ArrowDown")
    tab_to(page, page.get_by_role("button", name="Publicera svaret"))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert urlsplit(page.url).path == initiative.get_absolute_url()
    answer = page.get_by_role("region", name="Stadens svar")
    expect(answer).to_contain_text("Kulturförvaltningen ställer ut tio bänkar i maj.")
    expect(answer).to_contain_text("Ska genomföras")
    expect(page.locator("main .messages")).to_contain_text("Svaret är publicerat.")
    assert OfficialResponse.objects.get().status == Initiative.Status.WILL_BE_DONE
    assert_no_console_problems(page)
