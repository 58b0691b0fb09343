"""Underlag till nämnd: who may read the committee's document, what it says (the numbers, the
programme, the partners), that no supporter and no email address is in it, as a page or as a
PDF, and that it costs the same queries for 5 supports as for 200."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from ideas.models import Initiative
from partners.models import PartnerOffer
from tests.factories import (
    CommentFactory,
    ForvaltningFactory,
    InitiativeFactory,
    MembershipFactory,
    ModeratorFactory,
    OrganisationFactory,
    PartnerOfferFactory,
    PrioriteringFactory,
    ResponderFactory,
    StadsdelFactory,
    SupportFactory,
    UserFactory,
)
from tests.queries import page_queries
from tests.sessions import sign_in

pytestmark = pytest.mark.django_db

SUPPORTS = 7
VISIBLE_COMMENTS = 4


def _ready(supports: int = SUPPORTS, **fields) -> Initiative:
    """An initiative past its threshold, with `supports` supporters over two weeks, each with a
    name and an email address the document must never show."""
    now = timezone.now()
    defaults = {
        "title": "Vattenlek i Fredriksdal",
        "published_at": now - timedelta(days=20),
        "support_threshold": 5,
        "support_count": supports,
        "ready_at": now - timedelta(days=3),
        "forvaltning": ForvaltningFactory(),
        "answer_due": timezone.localdate() + timedelta(days=30),
        "stadsdel": StadsdelFactory(),
    }
    initiative = InitiativeFactory(**defaults | fields)
    for number in range(supports):
        supporter = UserFactory(
            display_name=f"Stödjare Hemligsson {number}",
            email=f"stodjare-{initiative.pk}-{number}@example.org",
        )
        SupportFactory(
            initiative=initiative, user=supporter, created_at=now - timedelta(days=number % 14)
        )
    return initiative


@pytest.fixture
def initiative() -> Initiative:
    initiative = _ready()
    initiative.prioriteringar.add(PrioriteringFactory(fokusomrade=initiative.fokusomrade))
    for _number in range(VISIBLE_COMMENTS):
        CommentFactory(initiative=initiative)
    CommentFactory(initiative=initiative, hidden_at=timezone.now())
    CommentFactory(initiative=initiative, removed_at=timezone.now(), body="")
    Initiative.objects.filter(pk=initiative.pk).update(comment_count=VISIBLE_COMMENTS + 2)
    organisation = OrganisationFactory(name="Föreningen Gröna Gatan")
    PartnerOfferFactory(
        initiative=initiative,
        organisation=organisation,
        offered_by=MembershipFactory(organisation=organisation).user,
        status=PartnerOffer.Status.ACCEPTED,
        decided_at=timezone.now(),
    )
    PartnerOfferFactory(
        initiative=initiative,
        offered_by=UserFactory(display_name="Partner Privatsson", email="partner@example.org"),
        status=PartnerOffer.Status.ACCEPTED,
        decided_at=timezone.now(),
    )
    PartnerOfferFactory(
        initiative=initiative,
        organisation=OrganisationFactory(name="Avböjda Föreningen"),
        status=PartnerOffer.Status.DECLINED,
    )
    initiative.refresh_from_db()
    return initiative


def _urls(initiative) -> list[str]:
    return [
        f"/handlaggning/underlag/{initiative.pk}/",
        f"/handlaggning/underlag/{initiative.pk}.pdf",
    ]


def _person(role: str, initiative: Initiative):
    match role:
        case "visitor":
            return None
        case "resident":
            return initiative.supports.first().user
        case "author":
            return initiative.author
        case "other_resident":
            return UserFactory()
        case "partner":
            return initiative.partner_offers.exclude(organisation=None).first().offered_by
        case "moderator":
            return ModeratorFactory()
        case "responder":
            return ResponderFactory(forvaltning=initiative.forvaltning)
        case "other_responder":
            return ResponderFactory(
                forvaltning=ForvaltningFactory(
                    slug="stadsbyggnad",
                    name_sv="Stadsbyggnadsförvaltningen",
                    name_en="City Planning",
                )
            )
    raise ValueError(role)


GRID = {
    "visitor": 302,
    "resident": 404,
    "author": 200,
    "other_resident": 404,
    "partner": 404,
    "moderator": 200,
    "responder": 200,
    "other_responder": 404,
}


@pytest.mark.parametrize("kind", ["page", "pdf"])
@pytest.mark.parametrize(("role", "status"), GRID.items())
def test_only_the_desks_people_and_the_author_read_the_document(
    client, initiative, role, status, kind
):
    person = _person(role, initiative)
    if person is not None:
        sign_in(client, person)
    url = _urls(initiative)[kind == "pdf"]

    response = client.get(url)

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/konto/login/?next=")


def test_a_case_officer_reads_the_document_of_one_no_administration_answers_for(client):
    initiative = _ready(forvaltning=None, answer_due=None)
    sign_in(
        client,
        ResponderFactory(
            forvaltning=ForvaltningFactory(
                slug="stadsbyggnad", name_sv="Stadsbyggnadsförvaltningen", name_en="City Planning"
            )
        ),
    )

    for url in _urls(initiative):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "fields",
    [
        {"ready_at": None},
        {"hidden_at": timezone.now()},
        {"status": Initiative.Status.WITHDRAWN},
    ],
    ids=["threshold-not-reached", "hidden", "withdrawn"],
)
@pytest.mark.parametrize("role", ["author", "moderator"])
def test_there_is_no_document_before_the_threshold_nor_for_what_is_not_public(client, fields, role):
    initiative = _ready(supports=2)
    Initiative.objects.filter(pk=initiative.pk).update(**fields)
    sign_in(client, initiative.author if role == "author" else ModeratorFactory())

    for url in _urls(initiative):
        assert client.get(url).status_code == 404


def test_posting_to_the_document_is_refused(client, initiative):
    sign_in(client, ModeratorFactory())

    for url in _urls(initiative):
        assert client.post(url).status_code == 405


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _fact(text: str, label: str) -> str:
    """The value printed after a label of the document's facts."""
    found = re.search(rf"{re.escape(label)}\s+(\S+)", text)
    assert found, f"{label!r} is not in the document"
    return found.group(1)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_pdf_opens_inline_with_the_title_and_the_right_numbers(client, initiative, language):
    sign_in(client, ModeratorFactory())
    prefix = "/en" if language == "en" else ""

    response = client.get(prefix + _urls(initiative)[1])

    assert response["Content-Disposition"] == f'inline; filename="underlag-{initiative.pk}.pdf"'
    text = _pdf_text(response)
    assert initiative.title in text
    with translation.override(language):
        assert _fact(text, _("Supports")) == str(SUPPORTS)
        assert _fact(text, _("Comments shown")) == str(VISIBLE_COMMENTS)
        assert _fact(text, _("Support threshold")) == "5"
    assert initiative.author.public_name in text
    assert "Föreningen Gröna Gatan" in text
    assert "Avböjda Föreningen" not in text
    assert initiative.stadsdel.name in text
    assert initiative.forvaltning.name_sv in text or initiative.forvaltning.name_en in text
    assert f"#{initiative.prioriteringar.get().tag}" in text


def test_the_page_shows_the_same_numbers_the_chart_and_its_table(client, initiative):
    sign_in(client, initiative.author)

    html = client.get(_urls(initiative)[0]).content.decode()

    assert f'<dd id="underlag-supports">{SUPPORTS}</dd>' in html
    assert f'<dd id="underlag-comments">{VISIBLE_COMMENTS}</dd>' in html
    assert 'id="underlag-chart-title"' in html
    totals = re.findall(r"<td>\d+</td><td>(\d+)</td></tr>", html)
    assert totals[-1] == str(SUPPORTS)
    assert "Föreningen Gröna Gatan" in html
    assert "Avböjda Föreningen" not in html
    assert f'href="/handlaggning/underlag/{initiative.pk}.pdf"' in html
    assert 'href="/static/css/print.css"' in html


def _secrets(initiative) -> list[str]:
    """What the document must never show: every supporter's name and email address, and the
    email addresses of the author and of the partners."""
    supporters = [support.user for support in initiative.supports.select_related("user")]
    partners = [
        offer.offered_by for offer in initiative.partner_offers.select_related("offered_by")
    ]
    return (
        [person.public_name for person in supporters]
        + [person.email for person in supporters + partners + [initiative.author]]
        + ["Partner Privatsson"]
    )


@pytest.mark.parametrize("role", ["author", "moderator", "responder"])
def test_no_supporter_and_no_email_address_is_in_the_page_or_the_pdf(client, initiative, role):
    sign_in(client, _person(role, initiative))
    page_url, pdf_url = _urls(initiative)

    html = client.get(page_url).content.decode()
    text = _pdf_text(client.get(pdf_url))

    secrets = _secrets(initiative)
    # Each supporter's name and email, three partners' and the author's emails, a partner's name.
    assert len(secrets) == 2 * SUPPORTS + 3 + 1 + 1
    for secret in secrets:
        assert secret not in html
        assert secret not in text
    assert "@" not in text
    assert "Stödjare Hemligsson" not in html + text


@pytest.mark.parametrize("kind", ["page", "pdf"])
def test_the_queries_do_not_grow_with_the_supports(client, kind):
    small, large = _ready(supports=5), _ready(supports=200)
    sign_in(client, ModeratorFactory())
    index = kind == "pdf"

    assert page_queries(client, _urls(small)[index]) == page_queries(client, _urls(large)[index])


def test_the_desk_links_to_the_document_of_what_reached_the_threshold(client, initiative):
    waiting = InitiativeFactory(forvaltning=initiative.forvaltning, title="Ännu inte redo")
    sign_in(client, ModeratorFactory())

    html = client.get("/handlaggning/").content.decode()

    assert f'href="/handlaggning/underlag/{initiative.pk}/"' in html
    assert f'href="/handlaggning/underlag/{waiting.pk}/"' not in html


@pytest.mark.parametrize(
    ("role", "linked"),
    [("author", True), ("moderator", True), ("responder", True), ("other_resident", False)],
)
def test_the_initiative_page_links_to_the_document_for_those_who_may_read_it(
    client, initiative, role, linked
):
    sign_in(client, _person(role, initiative))

    html = client.get(initiative.get_absolute_url()).content.decode()

    assert (f'href="/handlaggning/underlag/{initiative.pk}/"' in html) is linked


def test_drawing_the_pdf_fetches_nothing(client, monkeypatch):
    initiative = _ready(
        body_html='<p>Se <img src="http://example.invalid/bild.png" alt="bild"></p>'
        '<p><img src="file:///etc/hostname" alt="fil"></p>'
    )
    opened = []
    monkeypatch.setattr(
        "urllib.request.OpenerDirector.open", lambda self, url, *args, **kw: opened.append(url)
    )
    sign_in(client, ModeratorFactory())

    text = _pdf_text(client.get(_urls(initiative)[1]))

    assert initiative.title in text
    assert opened == []
