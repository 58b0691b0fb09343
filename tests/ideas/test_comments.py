import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ideas.actions import StaleEdit, comment_add, comment_edit, comment_remove
from ideas.models import Comment
from tests.factories import (
    CommentFactory,
    DraftFactory,
    InitiativeFactory,
    ModeratorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_resident_comments_with_sanitised_markdown_lite():
    initiative = InitiativeFactory()

    comment = comment_add(
        user=UserFactory(),
        initiative=initiative,
        body="**Ja!** <script>alert(1)</script>\n# inte en rubrik",
    )

    assert "<strong>Ja!</strong>" in comment.body_html
    assert "<script>" not in comment.body_html
    assert "&lt;script&gt;" in comment.body_html
    assert "<h1>" not in comment.body_html
    initiative.refresh_from_db()
    assert initiative.comment_count == 1


def test_answers_are_one_level_deep():
    initiative = InitiativeFactory()
    top = comment_add(user=UserFactory(), initiative=initiative, body="Fråga")
    answer = comment_add(user=UserFactory(), initiative=initiative, body="Svar", parent=top)

    assert answer.parent == top
    with pytest.raises(ValidationError):
        comment_add(user=UserFactory(), initiative=initiative, body="Djupare", parent=answer)


def test_an_answer_must_belong_to_the_same_initiative():
    other = CommentFactory()

    with pytest.raises(ValidationError):
        comment_add(user=UserFactory(), initiative=InitiativeFactory(), body="x", parent=other)


def test_a_double_submitted_comment_is_saved_once():
    initiative = InitiativeFactory()
    user = UserFactory()
    token = uuid.uuid4()

    first = comment_add(user=user, initiative=initiative, body="Hej", client_token=token)
    second = comment_add(user=user, initiative=initiative, body="Hej", client_token=token)

    assert first.pk == second.pk
    assert Comment.objects.count() == 1


def test_unpublished_initiatives_cannot_be_discussed():
    with pytest.raises(PermissionDenied):
        comment_add(user=UserFactory(), initiative=DraftFactory(), body="x")


def test_staff_comments_are_marked():
    comment = comment_add(user=ModeratorFactory(), initiative=InitiativeFactory(), body="Hej")

    assert comment.is_staff_comment


def test_author_edits_within_fifteen_minutes_and_it_shows_as_edited():
    comment = CommentFactory()

    comment_edit(user=comment.author, comment=comment, body="Ändrad *text*")

    comment.refresh_from_db()
    assert comment.body_html.strip() == "<p>Ändrad <em>text</em></p>"
    assert comment.edited_at is not None


def test_editing_after_fifteen_minutes_is_refused():
    comment = CommentFactory(created_at=timezone.now() - timedelta(minutes=16))

    with pytest.raises(PermissionDenied):
        comment_edit(user=comment.author, comment=comment, body="För sent")


def test_someone_else_cannot_edit_or_remove():
    comment = CommentFactory()
    stranger = UserFactory()

    with pytest.raises(PermissionDenied):
        comment_edit(user=stranger, comment=comment, body="x")
    with pytest.raises(PermissionDenied):
        comment_remove(user=stranger, comment=comment)


def test_a_stale_edit_is_refused():
    comment = CommentFactory()
    comment_edit(user=comment.author, comment=comment, body="Första", edited_at_seen="")

    with pytest.raises(StaleEdit):
        comment_edit(user=comment.author, comment=comment, body="Andra", edited_at_seen="")


def test_removing_leaves_removed_in_place_and_keeps_the_answers(client):
    initiative = InitiativeFactory()
    top = comment_add(user=UserFactory(), initiative=initiative, body="Hemlig text")
    answer = comment_add(user=UserFactory(), initiative=initiative, body="Ett svar", parent=top)

    comment_remove(user=top.author, comment=top)

    top.refresh_from_db()
    assert top.is_removed
    assert top.body == ""
    content = client.get(initiative.get_absolute_url()).content.decode()
    assert "Hemlig text" not in content
    assert "Kommentaren är borttagen." in content
    assert "Ett svar" in content
    assert f'id="{answer.dom_id}"' in content


def test_comment_form_keeps_an_over_long_text_with_a_message(client):
    initiative = InitiativeFactory()
    client.force_login(UserFactory())
    text = "å" * 5001

    response = client.post(f"/initiativ/{initiative.pk}/kommentarer/", {"body": text})

    assert response.status_code == 200
    assert "som mest 5000 tecken" in response.content.decode()
    assert text in response.content.decode()
    assert not Comment.objects.exists()


def test_a_long_discussion_is_shown_a_page_at_a_time_with_answers_kept(client, settings):
    from ideas import views

    initiative = InitiativeFactory()
    tops = [CommentFactory(initiative=initiative, body_html=f"<p>Tråd {n}</p>") for n in range(3)]
    CommentFactory(initiative=initiative, parent=tops[2], body_html="<p>Svar på tråd 2</p>")
    original = views.THREADS_PER_PAGE
    views.THREADS_PER_PAGE = 2
    try:
        first = client.get(initiative.get_absolute_url()).content.decode()
        second = client.get(initiative.get_absolute_url() + "?kommentarer=2").content.decode()
        beyond = client.get(initiative.get_absolute_url() + "?kommentarer=99")
    finally:
        views.THREADS_PER_PAGE = original

    assert "Tråd 0" in first
    assert "Tråd 1" in first
    assert "Tråd 2" not in first
    assert "?kommentarer=2" in first
    assert "Tråd 2" in second
    assert "Svar på tråd 2" in second
    assert "Tråd 0" not in second
    assert beyond.status_code == 200


def test_the_reply_link_makes_the_form_answer_that_comment(client):
    initiative = InitiativeFactory()
    top = CommentFactory(initiative=initiative)
    client.force_login(UserFactory())

    page = client.get(f"{initiative.get_absolute_url()}?svara={top.pk}").content.decode()
    client.post(
        f"/initiativ/{initiative.pk}/kommentarer/", {"body": "Ett svar", "parent": str(top.pk)}
    )

    assert f'name="parent" value="{top.pk}"' in page
    assert "Du svarar på en kommentar." in page
    assert Comment.objects.get(body="Ett svar").parent == top


def test_a_long_thread_shows_its_first_answers_and_opens_the_rest_on_request(client):
    initiative = InitiativeFactory()
    top = CommentFactory(initiative=initiative, body_html="<p>Fråga</p>")
    for number in range(8):
        CommentFactory(initiative=initiative, parent=top, body_html=f"<p>Svar nummer {number}</p>")

    page = client.get(initiative.get_absolute_url()).content.decode()
    opened = client.get(f"{initiative.get_absolute_url()}?alla-svar={top.pk}").content.decode()

    assert "Svar nummer 4" in page
    assert "Svar nummer 5" not in page
    assert "Visa 3 svar till" in page
    assert f"alla-svar={top.pk}" in page
    assert "Svar nummer 7" in opened
    assert "Visa 3 svar till" not in opened
