"""e-legitimation in a browser, through the real provider of tests/oidc.py: a person presses
"Stöd", signs in at the provider, comes back, and their support counts as verified. The pages
of verifying pass axe in Swedish and in English."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from accounts.models import IdentityVerification
from ideas.models import Support
from tests.browser.conftest import assert_accessible, assert_no_console_problems, sign_in
from tests.conftest import use_elegitimation
from tests.factories import (
    IdentityVerificationFactory,
    InitiativeFactory,
    ModeratorFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.oidc import PASSWORD, running_provider

pytestmark = pytest.mark.browser

CALLBACK = "/konto/oidc/elegitimation/login/callback/"


@pytest.fixture(scope="session")
def browser_provider(live_asgi_server) -> Iterator:
    """The provider, with the live server's callback as its redirect address."""
    with running_provider([live_asgi_server.url + CALLBACK]) as provider:
        yield provider


@pytest.fixture
def support_needs_it(settings, browser_provider):
    use_elegitimation(settings, browser_provider, support="e-legitimation")
    return browser_provider


def at_provider(provider) -> str:
    """Any page of the provider's (its sign-in page is beside its issuer, not under it)."""
    return provider.issuer.removesuffix("/o") + "/**"


def sign_in_at_provider(page: Page, username: str) -> None:
    """At the provider's own sign-in page, as the person would."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_a_resident_verifies_supports_and_the_support_counts_verified(page, support_needs_it):
    initiative = InitiativeFactory()
    person = UserFactory()
    # The provider's pages have no icon; that is the provider's, not ours.
    page.console_problems.expect_failed_load(at_provider(support_needs_it)[:-2] + "favicon.ico")
    sign_in(page, person)
    page.goto(initiative.get_absolute_url())
    expect(page.get_by_text("du verifierar dig med BankID eller Freja eID först")).to_be_visible()

    page.get_by_role("button", name="Stöd initiativet").click()
    page.wait_for_url(at_provider(support_needs_it))
    sign_in_at_provider(page, "anna")
    page.wait_for_url(f"**{initiative.get_absolute_url()}")

    thanks = "Tack! Ditt stöd är registrerat, som verifierad invånare."
    expect(page.get_by_text(thanks)).to_be_visible()
    expect(page.locator(f"#initiativ-{initiative.pk}-verified")).to_have_text(
        "1 av dem från en invånare verifierad med e-legitimation."
    )
    assert Support.objects.filter(initiative=initiative, user=person).exists()
    assert IdentityVerification.objects.filter(user=person).exists()
    assert_accessible(page)
    assert_no_console_problems(page)


def test_a_refused_verification_is_said_plainly_and_accessibly(page, support_needs_it):
    initiative = InitiativeFactory()
    sign_in(page, UserFactory())
    page.goto(initiative.get_absolute_url())

    page.get_by_role("button", name="Stöd initiativet").click()
    page.wait_for_url(at_provider(support_needs_it))
    sign_in_at_provider(page, "fel-signatur")

    expect(page.get_by_role("heading", name="Det gick inte att verifiera dig")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("kunde inte kontrolleras")
    assert not Support.objects.exists()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_pages_of_verifying_are_accessible(page, settings, browser_provider, language):
    use_elegitimation(settings, browser_provider)
    prefix = "/en" if language == "en" else ""
    verified = IdentityVerificationFactory().user
    moderator = ModeratorFactory()
    organisation = OrganisationFactory(organisation_number="212000-1108")

    page.goto(f"{prefix}/konto/login/")
    expect(page.locator(".elegitimation button")).to_be_visible()
    assert_accessible(page)
    sign_in(page, UserFactory(), language=language)
    page.goto(f"{prefix}/konto/profil/")
    expect(page.locator("#elegitimation-heading")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{prefix}/konto/oidc/elegitimation/login/?process=connect")
    assert_accessible(page)
    page.goto(f"{prefix}{CALLBACK}?state=gammal&code=gammal")
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{prefix}/konto/3rdparty/login/cancelled/")
    expect(page.locator("main h1")).to_be_visible()
    assert_accessible(page)
    page.context.clear_cookies()
    sign_in(page, verified, language=language)
    page.goto(f"{prefix}/konto/profil/")
    expect(page.locator("#verified-resident")).to_be_visible()
    assert_accessible(page)
    page.context.clear_cookies()
    sign_in(page, moderator, language=language)
    page.goto(f"{prefix}{organisation.get_absolute_url().removeprefix('/en')}")
    expect(page.locator("#organisation-verify button")).to_be_visible()
    assert_accessible(page)


def test_a_new_person_creates_an_account_with_it(page, browser_provider, settings):
    use_elegitimation(settings, browser_provider)
    page.goto("/konto/login/")
    page.locator(".elegitimation button").click()
    page.wait_for_url(at_provider(browser_provider))
    sign_in_at_provider(page, "bertil")
    page.wait_for_url("**/konto/3rdparty/signup/**")
    expect(page.get_by_role("heading", name="Skapa ditt konto")).to_be_visible()
    assert_accessible(page)

    page.locator("input[name=email]").fill("bertil@example.org")
    page.locator("input[name=display_name]").fill("Bertil")
    page.get_by_role("button", name="Skapa konto").click()

    page.wait_for_load_state()
    assert IdentityVerification.objects.get().user.email == "bertil@example.org"
    assert_accessible(page)
