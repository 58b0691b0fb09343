"""The city's answer reaches an open initiative page live: its text, the new status and the
timeline entry, from the partials the page renders, announced as an answer by the
administration that gave it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext, override

from ideas.actions import response_add
from tests.factories import InitiativeFactory, ResponderFactory, UserFactory

pytestmark = pytest.mark.django_db

ANSWER = "Vi visar **fyra filmer** på Gröningen i sommar."


@pytest.fixture
def responder():
    return ResponderFactory(display_name="Handläggare Hemlig", email="hemlig@example.org")


@pytest.fixture
def initiative(responder):
    return InitiativeFactory(
        title="Sommarbio på Gröningen",
        forvaltning=responder.forvaltning,
        answer_due=timezone.localdate() + timedelta(days=30),
    )


def _answer(capture_live, responder, initiative) -> list[tuple[str, dict]]:
    with capture_live() as sent:
        response_add(user=responder, initiative=initiative, body=ANSWER, status="will_be_done")
    return sent


def _page_messages(sent, initiative, language="sv") -> list[str]:
    return [m["html"] for g, m in sent if g == f"initiative-{initiative.pk}-{language}"]


def _announcements(html: str) -> list[str]:
    marker = '<div id="live-announcer" hx-swap-oob="innerHTML">'
    return [part.split("</div>", 1)[0] for part in html.split(marker)[1:]]


def test_the_answer_its_status_and_its_timeline_entry_are_pushed(
    capture_live, responder, initiative
):
    sent = _answer(capture_live, responder, initiative)

    page = "".join(_page_messages(sent, initiative))
    assert 'id="initiative-responses"' in page
    assert "<strong>fyra filmer</strong>" in page
    assert 'id="initiative-timeline"' in page
    assert page.count("Ska genomföras") >= 3  # the answer, the badge and the timeline
    english = "".join(_page_messages(sent, initiative, "en"))
    assert "Will be done" in english
    # The lists that show the initiative's card hear of the new status too.
    assert {g for g, _m in sent} >= {f"card-{initiative.pk}-sv", f"card-{initiative.pk}-en"}


def test_the_live_region_says_who_answered_not_how_many_support(
    capture_live, responder, initiative
):
    sent = _answer(capture_live, responder, initiative)

    said = [text for html in _page_messages(sent, initiative) for text in _announcements(html)]
    assert said == [gettext("%(name)s has answered") % {"name": "Kulturförvaltningen"}]
    with override("en"):
        expected = gettext("%(name)s has answered") % {"name": "Culture Administration"}
    said = [
        text for html in _page_messages(sent, initiative, "en") for text in _announcements(html)
    ]
    assert said == [expected]


def test_the_pushed_answer_equals_what_the_page_and_a_reconnect_render(
    capture_live, responder, initiative
):
    sent = _answer(capture_live, responder, initiative)
    pushed = next(h for h in _page_messages(sent, initiative) if "initiative-responses" in h)
    parts = pushed[: pushed.index('<div id="live-announcer"')].strip()
    responses = parts[: parts.index('<div id="initiative-timeline">')].strip()
    timeline = parts[parts.index('<div id="initiative-timeline">') :]

    page = Client().get(initiative.get_absolute_url()).content.decode()
    reconnect = Client().get(f"/initiativ/{initiative.pk}/live/text/").content.decode()

    assert responses.startswith('<div id="initiative-responses">')
    assert responses in page
    assert timeline in page
    assert parts in reconnect


def test_nothing_personal_is_pushed_with_an_answer(capture_live, responder, initiative):
    follower = UserFactory(display_name="Följare Fia")
    client = Client()
    client.force_login(follower)

    sent = _answer(capture_live, responder, initiative)

    public = [m["html"] for g, m in sent if g.startswith(f"initiative-{initiative.pk}-")]
    public += [m["html"] for g, m in sent if g.startswith(f"card-{initiative.pk}-")]
    assert len(public) == 6  # answer and counts in two languages, and the counts in each list
    for html in public:
        for personal in ("Handläggare Hemlig", "hemlig@example.org", "Följare Fia"):
            assert personal not in html
        assert "csrfmiddlewaretoken" not in html
        assert "/svara/" not in html  # the responder's own link to answer again


def test_a_page_without_an_answer_has_the_place_the_answer_goes(initiative):
    page = Client().get(initiative.get_absolute_url()).content.decode()

    assert '<div id="initiative-responses">' in page
    assert 'id="responses-heading"' not in page
