"""Markdown to safe HTML: the parts every app's texts share.

markdown-it-py turns the text into HTML with raw HTML switched off, so anything that looks like
a tag is shown as text. nh3 then cleans the result again, in case a parser rule ever lets
something through: only the tags given survive, and links keep nothing but an allowed href.
`render` returns a plain str; marking it safe is the template's job. ideas/markdown.py makes
the parsers and cleaners for what residents write; pages/ for the texts staff write.
"""

import html
import logging
from collections.abc import Callable

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
LINK_SCHEMES = {"http", "https", "mailto"}

# The page's own title is the only h1, so a "# heading" in a body becomes h2, "##" h3 and
# everything deeper h4: the outline stays valid for screen readers.
_TOP_HEADING_LEVEL = 2
_BOTTOM_HEADING_LEVEL = 4


def _demote_headings(state: StateCore) -> None:
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1]) + _TOP_HEADING_LEVEL - 1
            token.tag = f"h{min(level, _BOTTOM_HEADING_LEVEL)}"


def body_parser() -> MarkdownIt:
    """CommonMark without raw HTML or images, headings from h2."""
    # "image" is off: ![alt](url) then reads as "!" and a link, so the address stays visible.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline"])
    md.core.ruler.after("block", "demote_headings", _demote_headings)
    return md


def own_site_path(url: str) -> str | None:
    """A relative link kept only as a path on our own site ("/om/"); "//host" and "page.html",
    which would lead elsewhere or depend on where the text is shown, are dropped."""
    return url if url.startswith("/") and not url.startswith("//") else None


def cleaner(
    tags: set[str],
    *,
    link_rel: str | None,
    relative_links: str | Callable[[str], str | None] = "deny",
) -> nh3.Cleaner:
    """A cleaner keeping only `tags`; links keep only an http(s) or mailto href, and relative
    links are dropped unless `relative_links` says how to keep them."""
    # "*": set() empties nh3's default attributes for every tag (title, lang).
    return nh3.Cleaner(
        tags=tags,
        attributes={"*": set(), "a": {"href"}, "ol": {"start"}},
        url_schemes=LINK_SCHEMES,
        url_relative=relative_links,
        link_rel=link_rel,
    )


def render(text: str, md: MarkdownIt, html_cleaner: nh3.Cleaner) -> str:
    if not text:
        return ""
    # Lone surrogates cannot cross into nh3 (Rust wants valid UTF-8); show them as "?".
    text = text.encode("utf-8", "replace").decode("utf-8")
    try:
        return html_cleaner.clean(md.render(text))
    except Exception:
        # A page must still show what someone wrote, even if a parser bug trips on it.
        logger.exception("Markdown rendering failed; showing the text escaped instead")
        return f"<p>{html.escape(text)}</p>"
