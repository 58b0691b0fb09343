"""Markdown for what residents write: initiative bodies and comments.

markdown-it-py turns the text into HTML with raw HTML switched off, so anything that looks like
a tag is shown as text. nh3 then cleans the result again, in case a parser rule ever lets
something through: only the tags below survive, and links keep nothing but an http(s) or mailto
href. Both functions return a plain str; marking it safe is the template's job.
"""

import html
import logging

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

logger = logging.getLogger(__name__)

BODY_TAGS = {
    "h2",
    "h3",
    "h4",
    "p",
    "ul",
    "ol",
    "li",
    "a",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "br",
    "hr",
}
COMMENT_TAGS = {"p", "ul", "ol", "li", "a", "strong", "em", "code", "br"}
LINK_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"

# The page's own title is the only h1, so a "# heading" in a body becomes h2, "##" h3 and
# everything deeper h4: the outline stays valid for screen readers.
_TOP_HEADING_LEVEL = 2
_BOTTOM_HEADING_LEVEL = 4


def _demote_headings(state: StateCore) -> None:
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1]) + _TOP_HEADING_LEVEL - 1
            token.tag = f"h{min(level, _BOTTOM_HEADING_LEVEL)}"


def _body_parser() -> MarkdownIt:
    # "image" is off: ![alt](url) then reads as "!" and a link, so the address stays visible.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline"])
    md.core.ruler.after("block", "demote_headings", _demote_headings)
    return md


def _comment_parser() -> MarkdownIt:
    # "zero" has only paragraphs and text; switch on just what a comment needs. A single newline
    # is a line break, as people expect when they type a comment.
    md = MarkdownIt("zero", {"html": False, "linkify": False, "breaks": True})
    md.enable(
        [
            "list",
            "newline",
            "escape",
            "backticks",
            "emphasis",
            "link",
            "autolink",
            "entity",
        ]
    )
    return md


_body_md = _body_parser()
_comment_md = _comment_parser()


def _cleaner(tags: set[str]) -> nh3.Cleaner:
    # "*": set() empties nh3's default attributes for every tag (title, lang); links keep only
    # href. Relative links are refused too: with only absolute http(s) and mailto addresses,
    # "//host" tricks and paths that mean something else on our own site cannot slip through.
    return nh3.Cleaner(
        tags=tags,
        attributes={"*": set(), "a": {"href"}, "ol": {"start"}},
        url_schemes=LINK_SCHEMES,
        url_relative="deny",
        link_rel=LINK_REL,
    )


_body_cleaner = _cleaner(BODY_TAGS)
_comment_cleaner = _cleaner(COMMENT_TAGS)


def _render(text: str, md: MarkdownIt, cleaner: nh3.Cleaner) -> str:
    if not text:
        return ""
    # Lone surrogates cannot cross into nh3 (Rust wants valid UTF-8); show them as "?".
    text = text.encode("utf-8", "replace").decode("utf-8")
    try:
        return cleaner.clean(md.render(text))
    except Exception:
        # A page must still show what someone wrote, even if a parser bug trips on it.
        logger.exception("Markdown rendering failed; showing the text escaped instead")
        return f"<p>{html.escape(text)}</p>"


def render_markdown(text: str) -> str:
    """Render an initiative body: CommonMark without raw HTML or images, headings from h2."""
    return _render(text, _body_md, _body_cleaner)


def render_comment_markdown(text: str) -> str:
    """Render a comment: paragraphs, line breaks, emphasis, inline code, links and lists."""
    return _render(text, _comment_md, _comment_cleaner)
