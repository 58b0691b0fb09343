"""Swedish content on English pages is marked lang="sv", so screen readers read it in Swedish;
Swedish pages need no mark. Each test asks for the Swedish page first: a request leaves its
language active in the test's thread, and get_absolute_url() then gives the English address."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from ideas import actions
from tests.factories import (
    CommentFactory,
    FokusomradeFactory,
    InitiativeFactory,
    OrganisationFactory,
    ResponderFactory,
)

pytestmark = pytest.mark.django_db

SV = ' lang="sv"'


def _tag(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load content_lang %}" + source).render(Context(context))


def _marked(page: str, tag: str, text: str) -> bool:
    """Whether the element `tag` holding `text` (directly or in a link) carries lang="sv"."""
    pattern = rf"<{tag}\b([^>]*)>\s*(?:<a [^>]*>)?\s*{re.escape(text)}"
    found = re.search(pattern, page)
    assert found, f"No <{tag}> with {text!r} on the page"
    return SV in f" {found.group(1)}"


def test_user_content_is_marked_swedish_on_an_english_page_only():
    assert _tag("<p{% content_lang %}>", "en") == f"<p{SV}>"
    assert _tag("<p{% content_lang %}>", "sv") == "<p>"


def test_translated_text_is_marked_only_where_the_english_is_missing():
    translated = FokusomradeFactory(title_en="Meeting places")
    untranslated = FokusomradeFactory(title_en="")
    source = '<a{% content_lang item "title" %}>'

    assert _tag(source, "en", item=translated) == "<a>"
    assert _tag(source, "en", item=untranslated) == f"<a{SV}>"
    assert _tag(source, "sv", item=untranslated) == "<a>"


def test_initiative_page_in_english_marks_what_people_wrote(client):
    responder = ResponderFactory()
    initiative = InitiativeFactory(
        title="Fler bänkar vid Sundstorget",
        summary="Sittplatser i skuggan.",
        forvaltning=responder.forvaltning,
    )
    CommentFactory(initiative=initiative, body="Bra idé!", body_html="<p>Bra idé!</p>")
    actions.response_add(
        user=responder, initiative=initiative, body="Vi bygger bänkarna.", status="answered"
    )

    swedish = client.get(initiative.get_absolute_url()).content.decode()
    english = client.get(f"/en{initiative.get_absolute_url()}").content.decode()

    assert _marked(english, "h1", "Fler bänkar vid Sundstorget")
    assert _marked(english, "p", "Sittplatser i skuggan.")
    assert _marked(english, "div", "<p>Vi föreslår")  # the body
    assert _marked(english, "div", "<p>Bra idé!</p>")  # the comment
    assert _marked(english, "div", "<p>Vi bygger bänkarna.</p>")  # the official answer
    assert not _marked(swedish, "h1", "Fler bänkar vid Sundstorget")
    assert not _marked(swedish, "div", "<p>Bra idé!</p>")


def test_initiative_cards_in_english_mark_title_and_summary(client):
    InitiativeFactory(title="Odlingslotter i Drottninghög", summary="Gemensam odling.")

    swedish = client.get("/initiativ/").content.decode()
    english = client.get("/en/initiativ/").content.decode()

    assert _marked(english, "h3", "Odlingslotter i Drottninghög")
    assert _marked(english, "p", "Gemensam odling.")
    assert not _marked(swedish, "h3", "Odlingslotter i Drottninghög")


def test_programme_page_marks_only_the_texts_without_english(client):
    fokusomrade = FokusomradeFactory(
        title_sv="Mötesplatser",
        title_en="",
        description_sv="Platser där människor möts.",
        description_en="Places where people meet.",
    )
    url = f"/en/programmet/{fokusomrade.viljeinriktning.slug}/{fokusomrade.slug}/"

    english = client.get(url).content.decode()

    assert _marked(english, "h1", "Mötesplatser")
    assert not _marked(english, "p", "Places where people meet.")


def test_organisation_page_in_english_marks_its_name_and_description(client):
    organisation = OrganisationFactory(name="Rutfältets odlare", description="Vi odlar ihop.")

    swedish = client.get(organisation.get_absolute_url()).content.decode()
    english = client.get(f"/en{organisation.get_absolute_url()}").content.decode()

    assert _marked(english, "h1", "Rutfältets odlare")
    assert _marked(english, "p", "Vi odlar ihop.")
    assert not _marked(swedish, "h1", "Rutfältets odlare")


def test_partner_directory_in_english_marks_initiatives_seeking_partners(client):
    InitiativeFactory(
        title="Loppis på Söder",
        summary="Vi söker en lokal.",
        seeking_partners=True,
        partner_needs=["venue"],
    )

    english = client.get("/en/samarbeten/initiativ/").content.decode()

    assert _marked(english, "h3", "Loppis på Söder")
    assert _marked(english, "p", "Vi söker en lokal.")
