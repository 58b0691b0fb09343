"""The live messages each action sends, and that nothing unpublished or personal is sent."""

import pytest
from django.test import Client

from ideas.actions import (
    comment_add,
    comment_edit,
    comment_remove,
    do_initiative_publish,
    initiative_save,
    initiative_submit,
    initiative_withdraw,
    support_set,
)
from ideas.live import REVIEW_GROUP
from ideas.models import Initiative
from tests.factories import (
    DraftFactory,
    InitiativeFactory,
    UserFactory,
    initiative_fields,
)

pytestmark = pytest.mark.django_db


def _groups(sent):
    return sorted({group for group, _message in sent})


def test_support_updates_the_page_and_the_pages_showing_its_card_in_both_languages(
    capture_live,
):
    initiative = InitiativeFactory()

    with capture_live() as live_messages:
        support_set(user=UserFactory(), initiative=initiative, supported=True)

    # Only the groups of this initiative: lists that show other cards hear nothing.
    assert _groups(live_messages) == [
        f"card-{initiative.pk}-en",
        f"card-{initiative.pk}-sv",
        f"initiative-{initiative.pk}-en",
        f"initiative-{initiative.pk}-sv",
    ]
    page = dict(live_messages)[f"initiative-{initiative.pk}-sv"]["html"]
    assert "1 stöd" in page
    assert 'id="live-announcer"' in page
    english = dict(live_messages)[f"initiative-{initiative.pk}-en"]["html"]
    assert "1 support" in english


def test_live_messages_carry_nothing_personal(capture_live):
    initiative = InitiativeFactory()
    supporter = UserFactory(display_name="Hemlig Person")

    with capture_live() as live_messages:
        support_set(user=supporter, initiative=initiative, supported=True)

    assert live_messages
    for _group, message in live_messages:
        assert "Hemlig Person" not in message["html"]
        assert supporter.email not in message["html"]
        assert "csrfmiddlewaretoken" not in message["html"]
        assert "Du stödjer" not in message["html"]


def test_publishing_announces_the_new_initiative_to_lists(capture_live):
    draft = DraftFactory(status=Initiative.Status.SUBMITTED)

    with capture_live() as live_messages:
        do_initiative_publish(initiative=draft, actor=None)

    published = [
        message for _group, message in live_messages if message["type"] == "live.published"
    ]
    assert len(published) == 2
    assert draft.title in published[0]["html"]
    assert published[0]["match"]["fokusomrade"] == draft.fokusomrade.slug


def test_drafts_submissions_and_their_edits_never_reach_public_sockets(capture_live):
    user = UserFactory()
    fields = initiative_fields(title="Hemligt utkast", summary="s", body="b")

    with capture_live() as live_messages:
        draft = initiative_save(user=user, fields=fields, prioriteringar=[])
        initiative_save(user=user, initiative=draft, fields=fields, prioriteringar=[])
        initiative_submit(user=user, initiative=draft)
        initiative_withdraw(user=user, initiative=draft)

    # Only the review queue's sockets hear that something entered review, and not what: they
    # render the queue themselves (moderation.consumers). No public page hears of it.
    assert live_messages == [(REVIEW_GROUP, {"type": "review.changed"})]


def test_comments_added_edited_and_removed_are_sent_to_the_page(capture_live):
    initiative = InitiativeFactory()
    author = UserFactory(display_name="Kim")

    group = f"initiative-{initiative.pk}-sv"

    with capture_live() as added:
        comment = comment_add(user=author, initiative=initiative, body="Första")
    with capture_live() as edited:
        comment_edit(user=author, comment=comment, body="Ändrad")
    with capture_live() as removed:
        comment_remove(user=author, comment=comment)

    added_html = next(m["html"] for g, m in added if g == group and "beforeend" in m["html"])
    assert 'hx-swap-oob="beforeend:#comment-list"' in added_html
    assert "Första" in added_html
    assert "Kim" in added_html
    edited_html = next(m["html"] for g, m in edited if g == group and comment.dom_id in m["html"])
    assert "Ändrad" in edited_html
    removed_html = next(m["html"] for g, m in removed if g == group and comment.dom_id in m["html"])
    assert "Kommentaren är borttagen." in removed_html
    assert "Ändrad" not in removed_html
    # The author's edit and remove buttons are personal: they never travel.
    for _group, message in added + edited + removed:
        assert "ta-bort" not in message["html"]


def test_an_answer_is_appended_under_its_comment(capture_live):
    initiative = InitiativeFactory()
    top = comment_add(user=UserFactory(), initiative=initiative, body="Fråga")

    with capture_live() as live_messages:
        comment_add(user=UserFactory(), initiative=initiative, body="Svar", parent=top)

    html = next(m["html"] for g, m in live_messages if g.endswith("-sv") and "Svar" in m["html"])
    assert f'hx-swap-oob="beforeend:#svar-{top.pk}"' in html


def test_withdrawing_a_published_initiative_sends_nothing_more(capture_live):
    initiative = InitiativeFactory()

    with capture_live() as live_messages:
        initiative_withdraw(user=initiative.author, initiative=initiative)

    assert live_messages == []


def test_the_pushed_fragment_equals_the_fragment_a_get_returns(capture_live):
    initiative = InitiativeFactory(support_threshold=3)
    with capture_live() as live_messages:
        support_set(user=UserFactory(), initiative=initiative, supported=True)
    pushed = dict(live_messages)[f"initiative-{initiative.pk}-sv"]["html"]

    fetched = Client().get(f"/initiativ/{initiative.pk}/live/stod/").content.decode()

    assert 'id="initiativ-' in fetched
    assert pushed.strip().startswith(fetched.strip())


def test_the_pushed_comment_equals_the_comment_in_a_get(capture_live):
    initiative = InitiativeFactory()
    with capture_live() as live_messages:
        comment = comment_add(user=UserFactory(), initiative=initiative, body="Hej **du**")
    pushed = next(
        m["html"] for g, m in live_messages if g.endswith("-sv") and comment.dom_id in m["html"]
    )

    fetched = Client().get(f"/initiativ/{initiative.pk}/live/kommentarer/").content.decode()

    start = fetched.index(f'<li id="{comment.dom_id}"')
    end = fetched.index("</li>", fetched.index(f'id="svar-{comment.pk}"')) + len("</li>")
    assert fetched[start:end] in pushed


def test_a_new_comment_is_announced_and_the_counts_stay_silent(capture_live):
    initiative = InitiativeFactory()

    with capture_live() as sent:
        comment_add(user=UserFactory(display_name="Kim"), initiative=initiative, body="Hej")

    page = "".join(m["html"] for g, m in sent if g == f"initiative-{initiative.pk}-sv")
    assert page.count('id="live-announcer"') == 1
    assert "Ny kommentar från Kim." in page
    assert "1 kommentar" in page
