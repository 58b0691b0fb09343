"""The municipality is data: a second, invented one (tests/data/solvik/) runs on the same code
from its own files, and no page or email it sends names Helsingborg."""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client

from ideas.actions import comment_add
from ideas.models import Initiative, SupportRule
from moderation.models import AdmissibilityRule
from moderation.municipality import load_municipality, read
from pages.models import TrustPage
from programme.models import Fokusomrade, Forvaltning, Stadsdel
from tests.factories import (
    CommentFactory,
    InitiativeFactory,
    ModeratorFactory,
    OrganisationFactory,
    ResponderFactory,
    UserFactory,
)
from tests.sessions import sign_in

pytestmark = pytest.mark.django_db

SOLVIK = Path(__file__).resolve().parents[1] / "data" / "solvik"
OTHER_CITY = "Helsingborg"


@pytest.fixture
def solvik(settings):
    """The site as Solvik runs it: its settings from its directory, and a database that holds
    only its data (the migrations seeded Helsingborg's rules and pages; they go first)."""
    data = read(SOLVIK)
    settings.MUNICIPALITY_DIR = SOLVIK
    settings.MUNICIPALITY = data
    settings.CITY_NAME = data["name"]
    settings.SITE_NAME = data["site_name"]
    settings.MFA_TOTP_ISSUER = data["site_name"]
    TrustPage.objects.all().delete()
    AdmissibilityRule.objects.all().delete()
    report = load_municipality()
    fokusomrade = Fokusomrade.objects.get(slug="rena-strander")
    district = Stadsdel.objects.get(slug="hamnen")
    initiative = InitiativeFactory(
        title="Fler soptunnor vid stranden",
        fokusomrade=fokusomrade,
        stadsdel=district,
        forvaltning=Forvaltning.objects.get(slug="gatukontoret"),
    )
    CommentFactory(initiative=initiative, body="Bra idé!")
    return {"report": report, "initiative": initiative}


def test_solvik_is_loaded_from_its_own_files(solvik):
    assert "programme solvikprogrammet-2025" in solvik["report"].created
    assert set(Stadsdel.objects.values_list("name", flat=True)) == {"Hamnen", "Skogsbacken"}
    assert {rule["code"] for rule in AdmissibilityRule.all_rules()} == {
        "utanfor-kommunen",
        "inget-forslag",
    }
    rule = SupportRule.current()
    assert (rule.threshold, rule.period_days) == (50, 60)
    assert TrustPage.objects.get(slug="om").title_sv == "Sidan om för Tillsammans Solvik"


def test_loading_again_keeps_what_staff_changed(solvik):
    Stadsdel.objects.filter(slug="hamnen").update(name="Hamnen och Kajen")

    report = load_municipality()

    assert Stadsdel.objects.get(slug="hamnen").name == "Hamnen och Kajen"
    assert report.created == []


def _pages(solvik) -> list[tuple[str, object]]:
    """(address, who) for the pages each kind of person reaches."""
    initiative: Initiative = solvik["initiative"]
    public = [
        "/",
        "/initiativ/",
        initiative.get_absolute_url(),
        "/programmet/",
        "/organisationer/",
        "/om/",
        "/personuppgifter/",
        "/tillganglighet/",
        "/kontakt/",
        "/konto/login/",
        "/konto/signup/",
        "/finns-inte/",
    ]
    pages = [(url, None) for url in public]
    pages += [(f"/en{url}", None) for url in public]
    resident = UserFactory()
    pages += [(url, resident) for url in ["/", "/mina-sidor/", "/konto/profil/"]]
    moderator = ModeratorFactory()
    pages += [(url, moderator) for url in ["/moderering/", "/handlaggning/", "/moderering/logg/"]]
    responder = ResponderFactory(forvaltning=initiative.forvaltning)
    pages += [("/handlaggning/", responder), (initiative.get_absolute_url(), responder)]
    return pages


def test_no_page_names_the_other_municipality(solvik):
    seen_own_name = 0
    for url, who in _pages(solvik):
        client = Client()
        if who is not None:
            sign_in(client, who)
        response = client.get(url, follow=True)
        assert response.status_code in {200, 404}, url
        html = response.content.decode()
        assert OTHER_CITY not in html, f"{url} names {OTHER_CITY}"
        seen_own_name += "Solvik" in html
    # The header and the footer name the place on every page.
    assert seen_own_name == len(_pages(solvik))


def _texts_of(messages) -> list[str]:
    texts = []
    for message in messages:
        texts += [message.subject, message.body]
        texts += [content for content, _mime in getattr(message, "alternatives", [])]
    return texts


def test_no_email_names_the_other_municipality(solvik, client, django_capture_on_commit_callbacks):
    initiative: Initiative = solvik["initiative"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # A password reset, through allauth's templates.
        forgetful = UserFactory(email="ny@solvik.example")
        reset = client.post("/konto/password/reset/", {"email": forgetful.email})
        assert reset.status_code == 302
        # A notification to the author, sent at once.
        comment_add(user=UserFactory(), initiative=initiative, body="Jag håller med.")
        # An invitation to an organisation.
        organisation = OrganisationFactory()
        admin = UserFactory()
        from accounts.actions import invitation_send
        from accounts.models import Membership

        Membership.objects.create(organisation=organisation, user=admin, role=Membership.Role.ADMIN)
        invitation_send(
            user=admin,
            organisation=organisation,
            email="gast@solvik.example",
            role=Membership.Role.MEMBER,
        )
    texts = _texts_of(mail.outbox)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    expected = ["ny@solvik.example", initiative.author.email, "gast@solvik.example"]
    assert recipients == sorted(expected)
    for text in texts:
        assert OTHER_CITY not in text
    assert any(re.search(r"Solvik", text) for text in texts)
