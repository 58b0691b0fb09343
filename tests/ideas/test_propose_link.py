""" "Propose an initiative" in every page's header: a visitor signs in, or signs up and confirms
the email address, and lands straight in the form; who may not propose is told why on the
form's page."""

import html
import re

import pytest
from django.core import mail

from tests.factories import PASSWORD, InitiativeFactory, UnverifiedUserFactory, UserFactory
from tests.factories import blocked_user as make_blocked_user

pytestmark = pytest.mark.django_db

FORM = "/initiativ/nytt/"


def _propose_href(page: str) -> str:
    link = re.search(r'<a class="button propose-button" href="([^"]+)"', page)
    assert link, "the header has no propose link"
    return html.unescape(link.group(1))


def _href(page: str, path: str) -> str:
    """The first link on the page to `path` (with its query)."""
    return html.unescape(re.search(rf'href="({re.escape(path)}[^"]*)"', page).group(1))


def _hidden_next(page: str) -> str:
    return html.unescape(re.search(r'name="next" value="([^"]+)"', page).group(1))


@pytest.mark.parametrize("path", ["/", "/initiativ/", "/programmet/", "detail"])
def test_every_page_offers_a_visitor_to_propose_after_signing_in(client, programme, path):
    if path == "detail":
        path = InitiativeFactory().get_absolute_url()

    page = client.get(path).content.decode()

    assert _propose_href(page) == f"/konto/login/?next={FORM}"
    assert "Föreslå ett initiativ" in page


def test_a_signed_in_person_goes_straight_to_the_form(client, programme):
    client.force_login(UserFactory())

    assert _propose_href(client.get("/").content.decode()) == FORM


def test_in_english_the_link_leads_to_the_english_form(client, programme):
    page = client.get("/en/").content.decode()

    assert _propose_href(page) == "/en/konto/login/?next=/en/initiativ/nytt/"
    assert "Propose an initiative" in page


def test_a_visitor_signs_in_and_lands_in_the_form(client, programme):
    user = UserFactory()
    login_url = _propose_href(client.get("/").content.decode())
    login_page = client.get(login_url)
    assert login_page.status_code == 200

    signed_in = client.post(
        login_url,
        {
            "login": user.email,
            "password": PASSWORD,
            "next": _hidden_next(login_page.content.decode()),
        },
    )

    assert signed_in.status_code == 302
    assert signed_in["Location"] == FORM
    form = client.get(signed_in["Location"])
    assert form.status_code == 200
    assert 'class="initiative-form"' in form.content.decode()


def test_a_visitor_without_an_account_signs_up_confirms_and_lands_in_the_form(
    client, programme, django_capture_on_commit_callbacks
):
    login_page = client.get(_propose_href(client.get("/").content.decode())).content.decode()
    signup_url = _href(login_page, "/konto/signup/?next=")
    signup_page = client.get(signup_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        signed_up = client.post(
            signup_url,
            {
                "email": "ny@example.org",
                "display_name": "Nina Ny",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "next": _hidden_next(signup_page),
            },
        )
    assert signed_up.status_code == 302
    assert "confirm-email" in signed_up["Location"]
    assert client.get(FORM).status_code == 302  # not signed in before confirming
    link = re.search(r"https?://[^/\s]+(/konto/confirm-email/\S+/)", mail.outbox[-1].body).group(1)

    confirmed = client.post(link)

    assert confirmed.status_code == 302
    assert confirmed["Location"] == FORM
    assert 'class="initiative-form"' in client.get(FORM).content.decode()


def test_a_person_who_had_not_confirmed_signs_in_confirms_and_lands_in_the_form(
    client, programme, django_capture_on_commit_callbacks
):
    user = UnverifiedUserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        stopped = client.post(
            f"/konto/login/?next={FORM}", {"login": user.email, "password": PASSWORD, "next": FORM}
        )
    assert "confirm-email" in stopped["Location"]
    link = re.search(r"https?://[^/\s]+(/konto/confirm-email/\S+/)", mail.outbox[-1].body).group(1)

    confirmed = client.post(link)

    assert confirmed["Location"] == FORM
    assert client.get(FORM).status_code == 200


@pytest.mark.parametrize(
    ("who", "reason"),
    [("unverified", "Bekräfta din e-postadress"), ("blocked", "Ditt konto är avstängt till")],
)
def test_who_may_not_propose_is_told_why_on_the_forms_page(client, programme, who, reason):
    user = UnverifiedUserFactory() if who == "unverified" else make_blocked_user()
    client.force_login(user)

    response = client.get(FORM)

    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Föreslå ett initiativ</h1>" in page
    assert 'id="propose-refusal"' in page
    assert reason in page
    assert 'class="initiative-form"' not in page
    # The unverified are shown where to have the confirmation sent again.
    assert ('href="/konto/email/"' in page) is (who == "unverified")
