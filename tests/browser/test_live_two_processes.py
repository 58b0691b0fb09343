"""The two-browser live scenario across two server processes sharing Redis, as production runs:
A watches an initiative on one process; B, on the other, supports it and comments; A sees both
without reloading."""

import pytest
from django.conf import global_settings
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import InitiativeFactory, UserFactory
from tests.live_servers import granian_servers, server_env

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_servers(redis_channel_layer):
    with granian_servers(server_env(REDIS_URL=redis_channel_layer.url)) as ports:
        yield [f"http://127.0.0.1:{port}" for port in ports]


def test_a_sees_b_support_and_comment_live_across_processes(browser, two_servers, settings):
    # The servers are other processes with the real password hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    first, second = two_servers
    initiative = InitiativeFactory()
    supporter = UserFactory(display_name="Berit Andersson")
    watching = browser.new_context(base_url=first, locale="sv-SE").new_page()
    acting = browser.new_context(base_url=second, locale="sv-SE").new_page()

    watching.goto(initiative.get_absolute_url())
    expect(watching.locator(".stats__count")).to_contain_text("0 stöd")
    sign_in(acting, supporter)
    acting.goto(initiative.get_absolute_url())
    acting.get_by_role("button", name="Stöd initiativet").click()
    expect(acting.get_by_text("Du stödjer det här initiativet.")).to_be_visible()
    acting.locator("#id_body").fill("Jag hjälper gärna till med bänkarna.")
    acting.get_by_role("button", name="Publicera kommentaren").click()

    expect(watching.locator(".stats__count")).to_contain_text("1 stöd", timeout=10_000)
    expect(watching.locator("#comment-list")).to_contain_text(
        "Jag hjälper gärna till med bänkarna.", timeout=10_000
    )
    expect(watching.locator("#live-announcer")).to_have_text("Ny kommentar från Berit Andersson.")
    assert watching.evaluate("() => performance.getEntriesByType('navigation').length") == 1
