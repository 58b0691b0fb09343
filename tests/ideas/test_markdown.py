import random
import re

import pytest
from django.utils.safestring import SafeString

from ideas import markdown
from ideas.markdown import BODY_TAGS, COMMENT_TAGS, render_comment_markdown, render_markdown

RENDERERS = [
    pytest.param(render_markdown, BODY_TAGS, id="body"),
    pytest.param(render_comment_markdown, COMMENT_TAGS, id="comment"),
]
TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)")
ATTRIBUTE = re.compile(r"<[a-zA-Z][a-zA-Z0-9]*\s+([^>]*)>")


def tag_names(html: str) -> set[str]:
    return {name.lower() for name in TAG.findall(html)}


def attribute_names(html: str) -> set[str]:
    return {
        attribute.split("=", 1)[0]
        for attributes in ATTRIBUTE.findall(html)
        for attribute in attributes.split()
        if "=" in attribute
    }


# Raw HTML


@pytest.mark.parametrize(("render", "allowed"), RENDERERS)
def test_script_tags_are_shown_as_text_not_run(render, allowed):
    html = render("Hej <script>alert('x')</script> då")

    assert "<script" not in html
    assert "&lt;script&gt;alert(" in html


@pytest.mark.parametrize(("render", "allowed"), RENDERERS)
def test_html_block_typed_by_the_user_is_escaped(render, allowed):
    html = render('<div onclick="steal()">\n<img src=x onerror=alert(1)>\n</div>')

    assert tag_names(html) <= {"p", "br"}
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_html_comment_is_shown_as_text():
    assert "&lt;!-- hidden --&gt;" in render_markdown("<!-- hidden -->")


# Headings


def test_hash_heading_becomes_h2_so_the_page_keeps_one_h1():
    html = render_markdown("# Fler parkbänkar")

    assert html.strip() == "<h2>Fler parkbänkar</h2>"


def test_headings_move_down_one_without_skipping_a_level_and_stop_at_h6():
    html = render_markdown("# Ett\n\n## Två\n\n#### Fyra\n\n##### Fem\n\n###### Sex")

    assert re.findall(r"<(h\d)>", html) == ["h2", "h3", "h4", "h5", "h6"]


def test_underlined_heading_is_demoted_too():
    assert render_markdown("Rubrik\n======").strip() == "<h2>Rubrik</h2>"


# Links


@pytest.mark.parametrize(("render", "allowed"), RENDERERS)
@pytest.mark.parametrize(
    "link",
    [
        "[klicka](javascript:alert(1))",
        "[klicka](JaVaScRiPt:alert(1))",
        "[klicka](data:text/html;base64,PHNjcmlwdD4=)",
        "[klicka](vbscript:msgbox(1))",
        "<javascript:alert(1)>",
    ],
)
def test_dangerous_link_schemes_never_become_hrefs(render, allowed, link):
    html = render(link)

    assert "href" not in html
    assert "klicka" in html or "alert" in html


@pytest.mark.parametrize(("render", "allowed"), RENDERERS)
def test_links_keep_only_href_and_get_nofollow_ugc_noopener(render, allowed):
    html = render('[Helsingborg](https://helsingborg.se/a?b=1&c=2 "en titel")')

    assert html.strip() == (
        '<p><a href="https://helsingborg.se/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
        "Helsingborg</a></p>"
    )


@pytest.mark.parametrize(("render", "allowed"), RENDERERS)
def test_http_mailto_and_autolinks_are_kept(render, allowed):
    html = render("[a](http://example.se) [b](mailto:hej@example.se) <https://example.org>")

    assert 'href="http://example.se"' in html
    assert 'href="mailto:hej@example.se"' in html
    assert 'href="https://example.org"' in html


@pytest.mark.parametrize(("render", "allowed"), RENDERERS)
@pytest.mark.parametrize("target", ["/admin/", "//evil.example", "ftp://example.se/fil"])
def test_relative_and_other_scheme_links_lose_their_href(render, allowed, target):
    html = render(f"[länk]({target})")

    assert "href" not in html
    assert "länk" in html


@pytest.mark.parametrize(("render", "allowed"), RENDERERS)
def test_bare_urls_are_not_linkified(render, allowed):
    assert "<a" not in render("Se https://example.se för mer")


# What bodies may and may not contain


def test_images_are_not_embedded_but_their_address_stays_visible():
    html = render_markdown("![karta](https://example.se/karta.png)")

    assert "<img" not in html
    assert 'href="https://example.se/karta.png"' in html


def test_tables_are_not_rendered():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |")

    assert tag_names(html) == {"p"}
    assert "| 1 | 2 |" in html


def test_body_keeps_lists_quotes_code_and_rules():
    html = render_markdown(
        "- ett\n- två\n\n1. a\n2. b\n\n> citat\n\n---\n\n```python\nif a < b:\n```\n\n"
        "Text med `kod`, *betoning* och **fetstil**."
    )

    assert tag_names(html) == {"ul", "ol", "li", "blockquote", "p", "hr", "pre", "code", "em"} | {
        "strong"
    }
    assert "<pre><code>if a &lt; b:\n</code></pre>" in html
    assert "class=" not in html


def test_numbered_list_keeps_its_start_number():
    assert '<ol start="3">' in render_markdown("3. tre\n4. fyra")


def test_body_hard_line_break_becomes_br_but_soft_break_does_not():
    assert render_markdown("a  \nb\nc").strip() == "<p>a<br>\nb\nc</p>"


# Comments: Markdown-lite


def test_hash_line_in_comment_stays_a_paragraph_with_its_text():
    assert render_comment_markdown("# Inte en rubrik").strip() == "<p># Inte en rubrik</p>"


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("> citat", "blockquote"),
        ("```\nkod\n```", "pre"),
        ("    indragen kod", "pre"),
        ("över\n---", "h2"),
        ("---", "hr"),
        ("| a | b |\n|---|---|", "table"),
    ],
)
def test_comment_has_no_blocks_beyond_paragraphs_and_lists(text, forbidden):
    html = render_comment_markdown(text)

    assert f"<{forbidden}" not in html
    assert html.startswith("<p>")


def test_comment_single_newline_is_a_line_break():
    assert render_comment_markdown("rad ett\nrad två").strip() == "<p>rad ett<br>\nrad två</p>"


def test_comment_keeps_emphasis_code_and_lists():
    html = render_comment_markdown("*em* **fet** `kod`\n\n- a\n- b\n\n1. x\n2. y")

    assert "<em>em</em> <strong>fet</strong> <code>kod</code>" in html
    assert "<ul>\n<li>a</li>\n<li>b</li>\n</ul>" in html
    assert "<ol>\n<li>x</li>\n<li>y</li>\n</ol>" in html


# Robustness


@pytest.mark.parametrize(("render", "allowed"), RENDERERS)
def test_output_is_a_plain_str_for_the_template_to_mark_safe(render, allowed):
    html = render("*hej*")

    assert type(html) is str
    assert not isinstance(html, SafeString)


@pytest.mark.parametrize(("render", "allowed"), RENDERERS)
def test_empty_text_renders_nothing(render, allowed):
    assert render("") == ""


NASTY_INPUTS = [
    "\x00" * 50,
    "a\x00<script>\x00",
    "\ud800 lone surrogate \udfff",
    "[" * 20_000,
    "[a](" * 5_000,
    "*" * 20_000 + "a",
    "> " * 5_000 + "x",
    "- " * 5_000 + "x",
    "1. " * 3_000 + "x",
    "`" * 10_000,
    "<" * 20_000,
    "&#0; &#xD800; &#x110000; &nbsp;" * 100,
    "x" * 1_000_000,
    "\u202e\u200b\ufeff\U0001f600" * 1_000,
]


def _random_texts(count: int) -> list[str]:
    rng = random.Random(20240611)
    alphabet = "#*_`[]()<>!-+.:/\\\n \t&;\"'=javscript" + "åäöÅÄÖ\u0000\u2028\ud83d"
    texts = [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 400))) for _ in range(count)
    ]
    texts += [
        "".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(1, 200)))
        for _ in range(count)
    ]
    return texts


@pytest.mark.parametrize(("render", "allowed"), RENDERERS)
@pytest.mark.parametrize("text", NASTY_INPUTS + _random_texts(100))
def test_any_input_renders_without_raising_and_only_with_allowed_tags(render, allowed, text):
    html = render(text)

    assert isinstance(html, str)
    html.encode("utf-8")  # a response must be able to send it
    assert tag_names(html) <= allowed
    assert attribute_names(html) <= {"href", "rel", "start"}


@pytest.mark.parametrize(("render", "allowed"), RENDERERS)
def test_lone_surrogates_become_replacement_marks_and_the_markdown_still_renders(render, allowed):
    html = render("*hej* \ud800 då")

    assert "<em>hej</em> ? då" in html
    html.encode("utf-8")


def test_a_parser_failure_still_shows_the_text_escaped(monkeypatch):
    def broken(text):
        raise RecursionError("too deep")

    monkeypatch.setattr(markdown._body_md, "render", broken)

    assert render_markdown("<b>hej</b>") == "<p>&lt;b&gt;hej&lt;/b&gt;</p>"
