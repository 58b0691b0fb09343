"""Markdown for what residents and case officers write: initiative bodies, comments and the
city's official answers.

The parsing and cleaning are core/markdown.py's; this module chooses what residents may use.
Relative links are refused: with only absolute http(s) and mailto addresses, "//host" tricks
and paths that mean something else on our own site cannot slip through. Links get rel
"nofollow ugc", as user-generated content should. Both functions return a plain str; marking it
safe is the template's job.
"""

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from core import markdown

__all__ = [
    "BODY_TAGS",
    "COMMENT_TAGS",
    "render_comment_markdown",
    "render_markdown",
    "render_response_markdown",
]

BODY_TAGS = markdown.BODY_TAGS | {"h5", "h6"}
COMMENT_TAGS = {"p", "ul", "ol", "li", "a", "strong", "em", "code", "br"}
LINK_REL = "nofollow ugc noopener"

# An author's headings sit below the heading the text is shown under: an initiative's body comes
# right after the page's h1 (its title), so its "#" is an h2; an official answer comes under the
# h2 "The city's answer", so its "#" is an h3. Comments have no headings at all.
INITIATIVE_BODY_TOP = 2
RESPONSE_TOP = 3
_LOWEST = 6


def _heading_shift(top: int):
    """A core rule moving the author's headings to start at `top`. A heading is never more than
    one level below the one before it (an author's "#" then "###" reads h2, h3), so the page's
    outline has no gaps for a screen reader's list of headings; nothing goes below h6."""

    def shift(state: StateCore) -> None:
        level = top - 1
        for token in state.tokens:
            if token.type == "heading_open":
                wanted = int(token.tag[1]) + top - 1
                level = max(top, min(wanted, level + 1, _LOWEST))
                token.tag = f"h{level}"
            elif token.type == "heading_close":
                token.tag = f"h{level}"

    return shift


def _body_parser(top: int) -> MarkdownIt:
    md = markdown.body_parser()
    md.core.ruler.at("demote_headings", _heading_shift(top))
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


_body_md = _body_parser(INITIATIVE_BODY_TOP)
_response_md = _body_parser(RESPONSE_TOP)
_comment_md = _comment_parser()
_body_cleaner = markdown.cleaner(BODY_TAGS, link_rel=LINK_REL)
_comment_cleaner = markdown.cleaner(COMMENT_TAGS, link_rel=LINK_REL)


def render_markdown(text: str) -> str:
    """Render an initiative body: CommonMark without raw HTML or images, headings from h2."""
    return markdown.render(text, _body_md, _body_cleaner)


def render_response_markdown(text: str) -> str:
    """Render an official answer: as an initiative body, with headings from h3."""
    return markdown.render(text, _response_md, _body_cleaner)


def render_comment_markdown(text: str) -> str:
    """Render a comment: paragraphs, line breaks, emphasis, inline code, links and lists."""
    return markdown.render(text, _comment_md, _comment_cleaner)
