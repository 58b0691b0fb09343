"""A comment's public part is rendered once for every viewer and kept in the cache
(ideas.fragments.with_public_parts): what a page shows is still exactly what the comment is now,
and what is personal or for moderators never travels through the cache."""

import re

import pytest
from django.utils import timezone

from ideas import fragments
from ideas.actions import comment_add, comment_edit, comment_remove
from tests.factories import InitiativeFactory, ModeratorFactory, UserFactory
from tests.renders import watch_renders
from tests.sessions import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Every public part the thread's page renders, by the comment's text."""
    return watch_renders(
        monkeypatch,
        fragments,
        lambda context: context["comment"].body if "comment" in context else None,
    )


def _discussion():
    initiative = InitiativeFactory()
    first = comment_add(user=UserFactory(display_name="Alva"), initiative=initiative, body="Först")
    comment_add(user=UserFactory(), initiative=initiative, body="Ett svar", parent=first)
    comment_add(user=UserFactory(), initiative=initiative, body="Sedan")
    return initiative, first


def _page(client, initiative, language="sv") -> str:
    """The initiative's page; Swedish is the default language and has no prefix."""
    prefix = "" if language == "sv" else f"/{language}"
    response = client.get(f"{prefix}{initiative.get_absolute_url()}")
    assert response.status_code == 200
    return response.content.decode()


def test_a_page_seen_again_renders_no_comment_and_shows_the_same(client, renders):
    initiative, _first = _discussion()

    first_view = _page(client, initiative)
    rendered_first = sorted(renders)
    renders.clear()
    second_view = _page(client, initiative)

    assert rendered_first == ["Ett svar", "Först", "Sedan"]
    assert renders == []
    assert _comments(second_view) == _comments(first_view)


def test_an_edit_a_removal_and_a_new_name_show_at_once(client):
    initiative, first = _discussion()
    later = first.initiative.comments.get(body="Sedan")
    _page(client, initiative)

    comment_edit(user=first.author, comment=first, body="Ändrad text")
    comment_remove(user=later.author, comment=later)
    first.author.display_name = "Alva Nilsson"
    first.author.save(update_fields=["display_name"])
    html = _page(client, initiative)

    assert "Ändrad text" in html
    assert ">Först<" not in html
    assert "Alva Nilsson" in html
    assert "Kommentaren är borttagen." in html
    assert "Sedan" not in _comments(html)


def test_the_public_part_follows_the_language(client):
    initiative, _first = _discussion()

    swedish = _page(client, initiative, "sv")
    english = _page(client, initiative, "en")

    assert "Svara<span" in swedish
    assert "Reply<span" in english
    assert "Svara<span" not in english


def test_a_hidden_comment_stays_hidden_from_the_public_after_a_moderator_saw_it(client):
    initiative, first = _discussion()
    first.hidden_at = timezone.now()
    first.save(update_fields=["hidden_at"])
    moderator = ModeratorFactory()

    sign_in(client, moderator)
    for_moderator = _page(client, initiative)
    client.logout()
    for_public = _page(client, initiative)

    assert "Först" in for_moderator
    assert "Dold för allmänheten" in for_moderator
    assert "Först" not in _comments(for_public)
    assert "Kommentaren är dold medan en moderator granskar den." in for_public


def test_each_viewer_still_gets_their_own_links(client):
    initiative, first = _discussion()
    _page(client, initiative)  # the public parts are in the cache now

    sign_in(client, first.author)
    for_author = _page(client, initiative)
    sign_in(client, UserFactory())
    for_another = _page(client, initiative)
    sign_in(client, ModeratorFactory())
    for_moderator = _page(client, initiative)

    assert _edit_links(for_author) == [first.pk]
    assert _edit_links(for_another) == []
    assert _edit_links(for_moderator) == []
    assert 'name="kommentar"' in for_moderator
    assert 'name="kommentar"' not in for_author + for_another


def _comments(html: str) -> str:
    start = html.index('<ol id="comment-list"')
    return html[start : html.index("</ol>\n", html.index('class="replies"', start))]


def _edit_links(html: str) -> list[int]:
    """The comments whose edit link the page shows."""
    return [int(pk) for pk in re.findall(r'href="[^"]*/kommentarer/(\d+)/redigera/"', html)]
