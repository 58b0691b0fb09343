"""The small things of issue 11: visitors pressing a button are sent to sign in and back, a
posted comment is placed and named for focus, forms open with a summary of their errors, the
password rules are tied to their field, an author's headings keep the page's outline, and no
select speaks English on a Swedish page."""

import json
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation
from django.utils.translation import gettext

from ideas.markdown import render_comment_markdown, render_markdown, render_response_markdown
from ideas.models import Comment, Support
from notifications.models import Follow
from tests.factories import InitiativeFactory, ModeratorFactory, UserFactory
from tests.sessions import sign_in

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _next_of(url: str) -> str:
    parts = urlsplit(url)
    assert parts.path == "/konto/login/"
    return parse_qs(parts.query)["next"][0]


# Visitors pressing Follow, Support or posting a comment


@pytest.mark.parametrize(
    ("action", "data", "back_to"),
    [
        ("folj", {"folj": "1"}, ""),
        ("stod", {"stod": "1"}, ""),
        ("kommentarer", {"body": "Bra förslag!"}, "#kommentera"),
    ],
)
def test_visitor_pressing_a_button_with_htmx_is_sent_to_sign_in_and_back(
    client, action, data, back_to
):
    initiative = InitiativeFactory()

    response = client.post(f"/initiativ/{initiative.pk}/{action}/", data, headers=HTMX)

    # A client redirect, not the sign-in page swapped into the button's place.
    assert response.status_code == 200
    assert response.content == b""
    assert _next_of(response["HX-Redirect"]) == initiative.get_absolute_url() + back_to


@pytest.mark.parametrize(
    ("action", "data", "back_to"),
    [
        ("folj", {"folj": "1"}, ""),
        ("stod", {"stod": "1"}, ""),
        ("kommentarer", {"body": "Bra förslag!"}, "#kommentera"),
    ],
)
def test_visitor_without_htmx_returns_to_the_initiative_not_to_the_post_address(
    client, action, data, back_to
):
    initiative = InitiativeFactory()

    response = client.post(f"/initiativ/{initiative.pk}/{action}/", data)

    assert response.status_code == 302
    assert _next_of(response["Location"]) == initiative.get_absolute_url() + back_to
    assert not Follow.objects.exists()
    assert not Support.objects.exists()
    assert not Comment.objects.exists()


def test_visitor_gets_not_found_for_an_initiative_they_cannot_see(client):
    draft = InitiativeFactory(status="draft", published_at=None)

    response = client.post(f"/initiativ/{draft.pk}/folj/", {"folj": "1"}, headers=HTMX)

    assert response.status_code == 404


def test_signed_in_resident_still_follows_with_htmx(client):
    initiative = InitiativeFactory()
    resident = UserFactory()
    sign_in(client, resident)

    response = client.post(f"/initiativ/{initiative.pk}/folj/", {"folj": "1"}, headers=HTMX)

    assert "HX-Redirect" not in response
    assert Follow.objects.active().filter(user=resident, initiative=initiative).exists()


# Posting a comment with htmx


def test_posted_comment_comes_back_with_a_fresh_form_and_is_named_for_focus(client):
    initiative = InitiativeFactory()
    resident = UserFactory()
    sign_in(client, resident)

    response = client.post(
        f"/initiativ/{initiative.pk}/kommentarer/",
        {"body": "Jag hjälper gärna till."},
        headers=HTMX,
    )

    comment = Comment.objects.get()
    page = response.content.decode()
    assert response.status_code == 200
    trigger = json.loads(response["HX-Trigger-After-Settle"])
    assert trigger == {"comment-posted": {"id": comment.dom_id}}
    # The comment is placed in the discussion, focusable, with the author's own links.
    assert 'hx-swap-oob="beforeend:#comment-list"' in page
    assert f'<li id="{comment.dom_id}"' in page
    assert re.search(rf'<li id="{comment.dom_id}"[^>]*tabindex="-1"', page)
    assert f"/kommentarer/{comment.pk}/redigera/" in page
    # The form is empty again, ready for the next comment.
    assert 'id="kommentera"' in page
    assert "Jag hjälper gärna till.</textarea>" not in page


def test_comment_with_errors_comes_back_as_the_form_with_a_summary(client):
    initiative = InitiativeFactory()
    sign_in(client, UserFactory())

    response = client.post(f"/initiativ/{initiative.pk}/kommentarer/", {"body": ""}, headers=HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert not Comment.objects.exists()
    assert "HX-Trigger-After-Settle" not in response
    assert page.lstrip().startswith("<form")
    assert 'class="error-summary" role="alert"' in page
    assert '<a href="#id_body">' in page


def test_initiative_page_posts_comments_with_htmx(client):
    initiative = InitiativeFactory()
    sign_in(client, UserFactory())

    page = client.get(initiative.get_absolute_url()).content.decode()

    assert f'hx-post="/initiativ/{initiative.pk}/kommentarer/"' in page


# Error summaries


def test_initiative_form_with_errors_starts_with_a_summary_linking_to_each_field(client, programme):
    sign_in(client, UserFactory())

    page = client.post("/initiativ/nytt/", {"title": "", "save": "1"}).content.decode()

    form = page[page.index('<form method="post" enctype="multipart/form-data"') :]
    assert form.index('class="error-summary"') < form.index('name="title"')
    summary = form[: form.index("</div>")]
    for field in ("id_title", "id_summary", "id_body", "id_fokusomrade"):
        assert f'<a href="#{field}">' in summary
        assert f'id="{field}"' in page


def test_every_link_of_the_initiative_form_summary_leads_to_an_element(client, programme):
    """The priorities are a group of checkboxes written out by hand: its link leads to the
    group, as every other link leads to its field."""
    sign_in(client, UserFactory())

    page = client.post(
        "/initiativ/nytt/", {"title": "", "prioriteringar": "inte-ett-tal", "save": "1"}
    ).content.decode()

    summary = page[page.index('class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    targets = re.findall(r'<a href="#([^"]+)">', summary)
    assert "id_prioriteringar_0" in targets
    for target in targets:
        assert f'id="{target}"' in page, target


def test_allauth_form_with_errors_starts_with_a_summary(client):
    page = client.post("/konto/signup/", {"email": "inte en adress"}).content.decode()

    assert "error-summary" in page
    assert '<a href="#id_email">' in page
    assert '<a href="#id_password1">' in page


def test_form_without_errors_has_no_summary(client):
    assert "error-summary" not in client.get("/konto/signup/").content.decode()


# The password rules on sign-up


class _Ancestry(HTMLParser):
    """The tags open around the element with a given id, and the text inside it."""

    VOID = {"input", "br", "img", "meta", "link", "hr"}

    def __init__(self, wanted: str):
        super().__init__()
        self.wanted, self.stack, self.ancestors, self.depth, self.text = wanted, [], None, 0, ""

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag not in self.VOID
        elif dict(attrs).get("id") == self.wanted:
            self.ancestors, self.depth = list(self.stack), 1
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
        if tag in self.stack:
            del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag) :]

    def handle_data(self, data):
        if self.depth:
            self.text += data


def test_password_rules_are_the_text_the_password_field_is_described_by(client):
    page = client.get("/konto/signup/").content.decode()

    field = re.search(r'<input type="password" name="password1"[^>]*>', page).group(0)
    described_by = re.search(r'aria-describedby="([^"]+)"', field).group(1).split()
    help_id = next(item for item in described_by if item.endswith("helptext"))
    parser = _Ancestry(help_id)
    parser.feed(page)
    assert "8 tecken" in parser.text
    # A list inside a <p> closes the paragraph in a browser and leaves the element empty.
    assert "p" not in parser.ancestors


# An author's headings


def test_initiative_body_headings_start_at_h2_under_the_title():
    assert render_markdown("# Bakgrund").strip() == "<h2>Bakgrund</h2>"


def test_official_answer_headings_start_below_the_answer_heading():
    html = render_response_markdown("# Beslut\n\n## Skäl")

    assert re.findall(r"<(h\d)>", html) == ["h3", "h4"]


def test_headings_never_skip_a_level_and_stop_at_h6():
    html = render_response_markdown(
        "### Tre\n\n###### Sex\n\n# Ett\n\n## Två\n\n### Tre\n\n####### x"
    )

    assert re.findall(r"<(h\d)>", html) == ["h3", "h4", "h3", "h4", "h5"]
    deep = render_response_markdown("# a\n\n## b\n\n### c\n\n#### d\n\n##### e\n\n###### f")
    assert re.findall(r"<(h\d)>", deep) == ["h3", "h4", "h5", "h6", "h6", "h6"]


def test_comments_have_no_headings():
    assert "<h" not in render_comment_markdown("# Rubrik\n\nRubrik\n===")


def test_official_answer_is_stored_with_headings_below_the_answer_heading():
    from ideas import actions
    from tests.factories import ResponderFactory

    responder = ResponderFactory()
    initiative = InitiativeFactory(forvaltning=responder.forvaltning)

    response = actions.response_add(
        user=responder, initiative=initiative, body="# Beslut\n\nVi bygger.", status="answered"
    )

    assert response.body_html.startswith("<h3>Beslut</h3>")


# No English placeholder in Swedish selects


def test_swedish_select_has_no_english_placeholder(client):
    initiative = InitiativeFactory()
    sign_in(client, ModeratorFactory())

    page = client.get(f"/initiativ/{initiative.pk}/ansvar/").content.decode()

    assert 'name="forvaltning"' in page
    assert "Select an option" not in page
    empty_option = re.search(r'<option value=""[^>]*>([^<]*)</option>', page).group(1)
    with translation.override("sv"):
        assert empty_option.strip() == gettext("Choose…")
