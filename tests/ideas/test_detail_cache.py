"""An initiative's page takes its public record (responses, timeline, versions, priorities, the
edited mark) and, for a reader with no part in the discussion, the discussion's page from the
cache (ideas.fragments.record_parts, discussion_page): what it shows is still exactly what is
stored now, and nobody's own links or moderator forms travel through the cache."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ideas import fragments
from ideas.actions import comment_add
from moderation.actions import content_hide
from tests.core.pages import NONCE, text
from tests.factories import (
    CommentFactory,
    InitiativeEventFactory,
    InitiativeFactory,
    ModeratorFactory,
    OfficialResponseFactory,
    PrioriteringFactory,
    UserFactory,
    published_edit,
)
from tests.sessions import sign_in

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
# The comment form's token against double sends, new in every form.
FORM_TOKEN = re.compile(r'value="[0-9a-f]{8}-[0-9a-f-]{27}"')
# What the record and the discussion are: a column each of their rows, as a query that reads
# them selects it.
RECORD_AND_DISCUSSION = {
    "comments": '"ideas_comment"."body_html"',
    "events": '"ideas_initiativeevent"."note"',
    "responses": '"ideas_officialresponse"."body_html"',
    "versions": '"ideas_initiativeversion"."changed"',
    "priorities": '"programme_prioritering"."tag"',
}


@pytest.fixture(autouse=True)
def pages_made(settings):
    """Every page made by its view: the page cache would hide what the view reads."""
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "seconds": 0}


@pytest.fixture
def initiative():
    initiative = InitiativeFactory(title="Bänkar vid Sundstorget")
    OfficialResponseFactory(initiative=initiative, body_html="<p>Bänkarna kommer i maj.</p>")
    InitiativeEventFactory(initiative=initiative, note="Publicerat efter granskning.")
    published_edit(initiative, summary="Fler bänkar längs kajen.")  # It sets no priority.
    initiative.prioriteringar.set(
        [PrioriteringFactory(fokusomrade=initiative.fokusomrade, tag="sittplatser")]
    )
    first = CommentFactory(initiative=initiative, body_html="<p>Bra idé!</p>")
    CommentFactory(initiative=initiative, parent=first, body_html="<p>Håller med.</p>")
    return initiative


def reader(person=None) -> Client:
    client = Client()
    if person is not None:
        sign_in(client, person)
    return client


def parts_read(client, url: str) -> set[str]:
    """Which of the record's and the discussion's parts one GET reads from the database."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return {
        part
        for part, column in RECORD_AND_DISCUSSION.items()
        if any(column in query["sql"] for query in queries)
    }


def same(html: str) -> str:
    return FORM_TOKEN.sub("", CSRF.sub("", NONCE.sub("", html)))


@pytest.mark.parametrize("second", ["visitor", "resident"])
def test_a_second_reader_gets_the_record_and_the_discussion_without_reading_them(
    initiative, second
):
    url = initiative.get_absolute_url()
    first_reader, second_reader = (
        reader(UserFactory()),
        reader(UserFactory() if second == "resident" else None),
    )

    first = parts_read(first_reader, url)
    again = parts_read(second_reader, url)

    assert first == set(RECORD_AND_DISCUSSION)
    assert again == set()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_page_from_the_cache_is_the_page_made_afresh(initiative, language):
    """The same reader, once from the parts kept for someone else and once with nothing kept,
    gets the same page, in each language."""
    url = (
        initiative.get_absolute_url() if language == "sv" else f"/en{initiative.get_absolute_url()}"
    )
    person = UserFactory()
    reader(UserFactory()).get(url)

    kept = reader(person).get(url)
    cache.clear()
    fresh = reader(person).get(url)

    assert same(text(kept)) == same(text(fresh))
    for shown in [
        "Bänkarna kommer i maj.",
        "Publicerat efter granskning.",
        "#sittplatser",
        "Håller med.",
    ]:
        assert shown in text(kept), shown


ROLES = ["visitor", "resident", "commenter", "moderator"]


@pytest.mark.parametrize(("maker", "viewer"), [(m, v) for m in ROLES for v in ROLES if m != v])
def test_own_links_and_moderator_forms_reach_only_their_reader(initiative, maker, viewer):
    """Over every pair of roles: whoever read the page first, the reader sees the links of
    their own comment, and the moderator's forms and a hidden comment's text, only when they
    are theirs to see."""
    commenter = UserFactory(display_name="Kim Kommentar")
    comment_add(user=commenter, initiative=initiative, body="Min egen kommentar")
    hidden = CommentFactory(initiative=initiative, body_html="<p>Ett dolt påhopp</p>")
    content_hide(moderator=ModeratorFactory(), text="Kränkande.", comment=hidden)
    people = {
        "visitor": None,
        "resident": UserFactory(),
        "commenter": commenter,
        "moderator": ModeratorFactory(),
    }
    url = initiative.get_absolute_url()
    reader(people[maker]).get(url)

    html = text(reader(people[viewer]).get(url))

    edit_link = f"/kommentarer/{initiative.comments.get(body='Min egen kommentar').pk}/redigera/"
    assert "Min egen kommentar" in html
    assert (edit_link in html) == (viewer == "commenter")
    assert ('name="kommentar"' in html) == (viewer == "moderator")
    assert ("Ett dolt påhopp" in html) == (viewer == "moderator")


def _new_comment(initiative):
    comment_add(user=UserFactory(), initiative=initiative, body="En helt ny kommentar")
    return "En helt ny kommentar"


def _hidden_comment(initiative):
    comment = initiative.comments.get(parent=None)
    content_hide(moderator=ModeratorFactory(), text="Kränkande.", comment=comment)
    return "Kommentaren är dold medan en moderator granskar den."


def _new_response(initiative):
    OfficialResponseFactory(initiative=initiative, body_html="<p>Ett andra svar från staden.</p>")
    return "Ett andra svar från staden."


def _new_event(initiative):
    InitiativeEventFactory(initiative=initiative, note="Skickat till nämnden.")
    return "Skickat till nämnden."


def _new_version(initiative):
    initiative.refresh_from_db()
    published_edit(initiative, body="Bänkar i ek längs hela kajen.")
    return "ändrat initiativet 2 gånger"


def _new_priority(initiative):
    initiative.prioriteringar.add(
        PrioriteringFactory(fokusomrade=initiative.fokusomrade, tag="skugga")
    )
    return "#skugga"


@pytest.mark.parametrize(
    "change",
    [_new_comment, _hidden_comment, _new_response, _new_event, _new_version, _new_priority],
)
def test_a_change_shows_at_once_to_the_next_reader(initiative, change):
    url = initiative.get_absolute_url()
    before = text(reader(UserFactory()).get(url))

    shown = change(initiative)
    after = text(reader(UserFactory()).get(url))

    assert shown not in before
    assert shown in after


def test_a_draft_shows_its_author_the_moderators_note_and_is_not_kept(client):
    draft = InitiativeFactory(
        status="draft", published_at=None, support_ends_at=None, support_threshold=0
    )
    InitiativeEventFactory(initiative=draft, actor=ModeratorFactory(), note="Lägg till en plats.")
    client.force_login(draft.author)

    assert "Lägg till en plats." in text(client.get(draft.get_absolute_url()))


def test_the_parts_live_a_minute_so_a_missed_generation_shows_within_one(initiative, monkeypatch):
    """A change whose new generation Redis missed (unreachable at that moment) shows once the
    parts kept under the old one expire: they are stored for GENERATION_PART_SECONDS."""
    stored = {}
    set_many = cache.set_many

    def watched(data, timeout=None, **kwargs):
        stored.update(dict.fromkeys((key.split(":")[0] for key in data), timeout))
        return set_many(data, timeout, **kwargs)

    monkeypatch.setattr(cache, "set_many", watched)
    reader(UserFactory()).get(initiative.get_absolute_url())

    assert stored["initiative-record"] == fragments.GENERATION_PART_SECONDS == 60
    assert stored["discussion-page"] == 60
