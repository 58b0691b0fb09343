"""An author corrects a published initiative: every edit is shown as an edit, with the earlier
text kept; once somebody supports it, its title and focus area stay as they were supported."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from core import privacy
from ideas.actions import StaleEdit, initiative_save
from ideas.forms import LOCKED_HELP, LOCKED_REFUSAL
from ideas.live import REVIEW_GROUP
from ideas.models import Initiative, InitiativeEvent, InitiativeVersion, Support
from tests.concurrency import at_once
from tests.factories import (
    FokusomradeFactory,
    InitiativeFactory,
    ModeratorFactory,
    UserFactory,
    blocked_user,
)
from tests.queries import page_queries
from tests.sessions import sign_in

pytestmark = pytest.mark.django_db

BODY = "Vi föreslår **tio nya bänkar** längs Sundstorget, i skuggan under träden."
TYPO_FIXED = "Vi föreslår **tio nya bänkar** längs Sundstorget, i skuggan under lindarna."


def _published(**fields) -> Initiative:
    """A published initiative in a focus area of the programme in force, so the form offers it."""
    fields.setdefault("fokusomrade", FokusomradeFactory())
    return InitiativeFactory(body=BODY, body_html=f"<p>{BODY}</p>", **fields)


def _supported(initiative: Initiative, count: int = 1) -> Initiative:
    for _ in range(count):
        Support.objects.create(initiative=initiative, user=UserFactory())
    Initiative.objects.filter(pk=initiative.pk).update(support_count=count)
    initiative.refresh_from_db()
    return initiative


def _fields(initiative: Initiative, **changes) -> dict:
    """What initiative_save takes: the saved initiative, with `changes`."""
    return {
        "title": initiative.title,
        "summary": initiative.summary,
        "body": initiative.body,
        "fokusomrade": initiative.fokusomrade,
        "stadsdel": initiative.stadsdel,
        "seeking_partners": initiative.seeking_partners,
        "partner_needs": initiative.partner_needs,
        "partner_needs_text": initiative.partner_needs_text,
        "image_alt": initiative.image_alt,
    } | changes


def _edit(initiative: Initiative, *, user=None, version=None, **changes) -> Initiative:
    return initiative_save(
        user=user or initiative.author,
        initiative=initiative,
        fields=_fields(initiative, **changes),
        prioriteringar=[],
        version=initiative.version if version is None else version,
    )


def _form(initiative: Initiative, **changes) -> dict:
    """What the edit form posts, with `changes`."""
    return {
        "title": initiative.title,
        "summary": initiative.summary,
        "body": initiative.body,
        "fokusomrade": initiative.fokusomrade_id,
        "version": initiative.version,
        "save": "1",
    } | changes


def _edit_url(initiative: Initiative) -> str:
    return f"/initiativ/{initiative.pk}/redigera/"


def _page(client, initiative: Initiative) -> str:
    response = client.get(initiative.get_absolute_url(), follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def author_client(client):
    def sign_in_as(initiative: Initiative):
        sign_in(client, initiative.author)
        return client

    return sign_in_as


# --- editing and the history --------------------------------------------------------------------


def test_the_author_corrects_a_typo_after_supports_and_the_page_shows_both_versions(
    author_client,
):
    initiative = _supported(_published(), 3)
    client = author_client(initiative)

    response = client.post(_edit_url(initiative), _form(initiative, body=TYPO_FIXED))

    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.body == TYPO_FIXED
    assert "lindarna" in initiative.body_html
    version = initiative.versions.get()
    assert (version.number, version.body, version.title) == (1, BODY, initiative.title)
    assert version.changed == ["body"]
    assert version.edited_by == initiative.author
    page = _page(Client(), initiative)
    assert "lindarna" in page
    assert 'id="initiative-versions"' in page
    assert gettext("Changes since publishing") in page
    history = page[page.index('id="initiative-versions"') :]
    assert re.search(r"<del>.*träden", history, re.S)
    assert re.search(r"<ins>.*lindarna", history, re.S)
    assert f'href="#initiative-versions">{gettext("edited")}' in page


def test_every_edit_is_a_version_and_shows_in_the_timeline():
    initiative = _published()

    initiative = _edit(initiative, summary="Sittplatser i skuggan för alla längs vattnet.")
    initiative = _edit(initiative, body=TYPO_FIXED)

    versions = list(initiative.versions.order_by("number"))
    assert [version.number for version in versions] == [1, 2]
    assert versions[0].summary == "Sittplatser i skuggan för alla som promenerar längs vattnet."
    assert versions[1].summary == "Sittplatser i skuggan för alla längs vattnet."
    assert versions[1].body == BODY
    events = initiative.events.filter(kind=InitiativeEvent.Kind.EDITED)
    assert events.count() == 2
    assert {event.actor for event in events} == {initiative.author}
    page = _page(Client(), initiative)
    timeline = page[page.index('id="initiative-timeline"') :]
    assert str(InitiativeEvent.Kind.EDITED.label) in timeline


def test_a_save_that_changes_nothing_writes_no_version():
    initiative = _published()

    saved = _edit(initiative)

    assert saved.version == initiative.version
    assert not InitiativeVersion.objects.exists()
    assert not initiative.events.filter(kind=InitiativeEvent.Kind.EDITED).exists()


def test_a_draft_edit_keeps_no_version():
    initiative = _published(status=Initiative.Status.DRAFT, published_at=None)

    _edit(initiative, body=TYPO_FIXED)

    assert not InitiativeVersion.objects.exists()


# --- what was supported stays -------------------------------------------------------------------


def test_once_supported_the_form_shows_title_and_focus_area_read_only_and_says_why(
    author_client,
):
    initiative = _supported(_published())

    page = author_client(initiative).get(_edit_url(initiative)).content.decode()

    assert re.search(r'<input[^>]*name="title"[^>]*readonly', page)
    assert re.search(r'<select[^>]*name="fokusomrade"[^>]*disabled', page)
    assert escape(str(LOCKED_HELP["title"])) in page
    assert escape(str(LOCKED_HELP["fokusomrade"])) in page


def test_before_any_support_the_title_and_focus_area_can_be_changed(author_client):
    initiative = _published()
    other = FokusomradeFactory(viljeinriktning=initiative.fokusomrade.viljeinriktning)
    client = author_client(initiative)
    assert "readonly" not in client.get(_edit_url(initiative)).content.decode()

    response = client.post(
        _edit_url(initiative),
        _form(initiative, title="Bänkar längs hela Sundstorget", fokusomrade=other.pk),
    )

    assert response.status_code == 302
    saved = Initiative.objects.get(pk=initiative.pk)
    assert (saved.title, saved.fokusomrade) == ("Bänkar längs hela Sundstorget", other)
    version = saved.versions.get()
    assert (version.title, version.fokusomrade) == (initiative.title, initiative.fokusomrade)
    assert version.changed == ["title", "fokusomrade"]


@pytest.mark.parametrize("field", ["title", "fokusomrade"])
def test_a_crafted_post_changing_what_was_supported_is_refused_and_keeps_the_rest(
    author_client, field
):
    initiative = _supported(_published())
    other = FokusomradeFactory(viljeinriktning=initiative.fokusomrade.viljeinriktning)
    crafted = {"title": "Något helt annat förslag", "fokusomrade": other.pk}[field]

    response = author_client(initiative).post(
        _edit_url(initiative), _form(initiative, body=TYPO_FIXED, **{field: crafted})
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert escape(str(LOCKED_REFUSAL[field])) in page
    assert "lindarna" in page  # what the author typed elsewhere is kept
    assert "Något helt annat förslag" not in page  # the saved title is shown again
    assert re.search(rf'<option value="{initiative.fokusomrade_id}"[^>]*selected', page)
    saved = Initiative.objects.get(pk=initiative.pk)
    assert (saved.title, saved.fokusomrade_id, saved.body) == (
        initiative.title,
        initiative.fokusomrade_id,
        BODY,
    )
    assert not InitiativeVersion.objects.exists()


def test_the_action_refuses_what_a_support_given_meanwhile_fixed():
    """The form was opened and validated before the first support; the action checks again
    under the row lock."""
    initiative = _published()
    _supported(initiative)

    with pytest.raises(ValidationError) as refused:
        _edit(initiative, title="Något helt annat förslag", body=TYPO_FIXED)

    assert refused.value.code == "locked"
    assert Initiative.objects.get(pk=initiative.pk).body == BODY
    assert not InitiativeVersion.objects.exists()


def test_the_locked_form_without_the_fixed_fields_saves_the_rest(author_client):
    """A disabled select sends nothing; the saved focus area is kept."""
    initiative = _supported(_published())
    data = _form(initiative, body=TYPO_FIXED)
    del data["fokusomrade"]

    response = author_client(initiative).post(_edit_url(initiative), data)

    assert response.status_code == 302
    saved = Initiative.objects.get(pk=initiative.pk)
    assert (saved.body, saved.fokusomrade_id) == (TYPO_FIXED, initiative.fokusomrade_id)


# --- who may edit ---------------------------------------------------------------------------------


def _role(role: str, initiative: Initiative):
    match role:
        case "visitor":
            return None
        case "author":
            return initiative.author
        case "resident":
            return UserFactory()
        case "moderator":
            return ModeratorFactory()
        case "blocked author":
            blocked_user(user=initiative.author)
            return initiative.author
    raise ValueError(role)


@pytest.mark.parametrize(
    ("role", "status", "hidden", "expected"),
    [
        ("visitor", "published", False, "login"),
        ("resident", "published", False, "refused"),
        ("moderator", "published", False, "refused"),
        ("blocked author", "published", False, "refused"),
        ("author", "published", False, "saved"),
        # Once the city has answered, the text stays as it was answered.
        ("author", "answered", False, "refused"),
        ("author", "will_be_done", False, "refused"),
        ("author", "published", True, "refused"),
        ("author", "withdrawn", False, "refused"),
    ],
)
def test_who_may_edit_a_published_initiative(client, role, status, hidden, expected):
    initiative = _published(status=status, hidden_at=timezone.now() if hidden else None)
    person = _role(role, initiative)
    if person is not None:
        sign_in(client, person)

    response = client.post(_edit_url(initiative), _form(initiative, body=TYPO_FIXED))

    saved = Initiative.objects.get(pk=initiative.pk)
    if expected == "saved":
        assert response.status_code == 302
        assert saved.body == TYPO_FIXED
        return
    if expected == "login":
        assert response.status_code == 302
        assert "/konto/login/" in response["Location"]
    else:
        assert response.status_code in {403, 404}
    assert saved.body == BODY
    assert not InitiativeVersion.objects.exists()


def test_the_action_refuses_anyone_but_the_author():
    initiative = _published()

    with pytest.raises(PermissionDenied):
        _edit(initiative, user=ModeratorFactory(), body=TYPO_FIXED)


# --- double submits and two tabs ----------------------------------------------------------------


def test_the_same_edit_sent_twice_keeps_one_version_and_says_so_without_an_error(author_client):
    initiative = _supported(_published())
    client = author_client(initiative)
    data = _form(initiative, body=TYPO_FIXED)

    first = client.post(_edit_url(initiative), data)
    second = client.post(_edit_url(initiative), data)

    assert first.status_code == second.status_code == 302
    assert InitiativeVersion.objects.count() == 1
    assert Initiative.objects.get(pk=initiative.pk).version == initiative.version + 1


def test_an_edit_from_an_older_tab_is_refused_with_the_text_kept(author_client):
    initiative = _published()
    client = author_client(initiative)
    client.post(_edit_url(initiative), _form(initiative, body=TYPO_FIXED))

    response = client.post(
        _edit_url(initiative), _form(initiative, summary="En helt annan sammanfattning.")
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "ändrades efter att du öppnade formuläret" in page
    assert "En helt annan sammanfattning." in page
    assert InitiativeVersion.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_at_the_same_moment_keeps_one_version():
    initiative = _supported(_published())

    outcomes = at_once(*[lambda: _edit(initiative, body=TYPO_FIXED)] * 3)

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert InitiativeVersion.objects.count() == 1
    assert Initiative.objects.get(pk=initiative.pk).body == TYPO_FIXED
    assert InitiativeEvent.objects.filter(kind=InitiativeEvent.Kind.EDITED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_tabs_saving_different_edits_at_once_keep_one_and_refuse_the_other():
    initiative = _published()

    outcomes = at_once(
        lambda: _edit(initiative, body=TYPO_FIXED),
        lambda: _edit(initiative, summary="En helt annan sammanfattning."),
    )

    saved = [outcome for outcome in outcomes if isinstance(outcome, Initiative)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(saved) == 1
    assert len(refused) == 1
    assert isinstance(refused[0], StaleEdit)
    assert InitiativeVersion.objects.count() == 1


# --- the page's cost, live updates, review, personal data -----------------------------------------


def _edited_times(initiative: Initiative, count: int) -> Initiative:
    for _ in range(count):
        number = initiative.versions.count() + 1
        initiative = _edit(
            initiative, body=f"{BODY}\n\nTillägg {number}: en bänk vid Norra hamnen."
        )
    return initiative


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "resident"])
def test_the_page_runs_as_many_queries_with_30_versions_as_with_1(client, signed_in):
    initiative = _edited_times(_published(), 1)
    if signed_in:
        sign_in(client, UserFactory())
    url = initiative.get_absolute_url()
    one = page_queries(client, url)

    _edited_times(initiative, 29)
    thirty = page_queries(client, url)

    assert InitiativeVersion.objects.count() == 30
    assert thirty == one
    assert 'id="initiative-versions"' in client.get(url).content.decode()


def test_an_edit_sends_the_new_text_and_history_to_the_page_in_both_languages(capture_live):
    initiative = _published()

    with capture_live() as sent:
        _edit(initiative, body=TYPO_FIXED)

    groups = sorted(group for group, _message in sent)
    assert groups == [f"initiative-{initiative.pk}-en", f"initiative-{initiative.pk}-sv"]
    swedish = dict(sent)[f"initiative-{initiative.pk}-sv"]["html"]
    for part in ["title", "summary", "edited", "text", "timeline", "versions"]:
        assert f'id="initiative-{part}"' in swedish
    assert "lindarna" in swedish
    assert 'id="live-announcer"' in swedish
    assert "Edited by the author" in dict(sent)[f"initiative-{initiative.pk}-en"]["html"]


def test_the_pushed_edit_equals_what_a_reconnecting_page_fetches(capture_live):
    initiative = _published()
    with capture_live() as sent:
        _edit(initiative, body=TYPO_FIXED)
    pushed = dict(sent)[f"initiative-{initiative.pk}-sv"]["html"]

    fetched = Client().get(f"/initiativ/{initiative.pk}/live/text/").content.decode()

    assert "lindarna" in fetched
    assert pushed[: pushed.index('<div id="live-announcer"')].strip() == fetched.strip()


def test_edits_of_drafts_and_unchanged_saves_send_nothing(capture_live):
    draft = _published(status=Initiative.Status.DRAFT, published_at=None)
    published = _published()

    with capture_live() as sent:
        _edit(draft, body=TYPO_FIXED)
        _edit(published)

    assert sent == []


@pytest.mark.parametrize("review", [False, True])
def test_the_review_queue_hears_of_an_edit_only_when_edits_are_reviewed(
    settings, capture_live, review
):
    settings.REVIEW_PUBLISHED_EDITS = review
    initiative = _published()

    with capture_live() as sent:
        _edit(initiative, body=TYPO_FIXED)

    assert ((REVIEW_GROUP, {"type": "review.changed"}) in sent) is review
    assert initiative.versions.get().needs_review is review


def test_the_authors_export_holds_the_earlier_versions_and_erasure_keeps_them():
    initiative = _edited_times(_published(), 2)
    author = initiative.author

    exported = privacy.export(author)["initiative_versions"]
    privacy.erase(author)

    assert [item["version"] for item in exported] == [1, 2]
    assert exported[0]["body"] == BODY
    assert exported[0]["initiative"] == initiative.title
    assert InitiativeVersion.objects.filter(initiative=initiative).count() == 2
    assert privacy.export(UserFactory())["initiative_versions"] == []
