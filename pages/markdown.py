"""Markdown for the trust pages, which staff write.

The same parser and cleaner rules as an initiative's body (core/markdown.py), with three
differences that fit text the city stands behind: headings keep the levels staff wrote ("##" is
an h2 under the page's h1, and a "#" becomes an h2 too, so the page keeps one h1), links may
lead to pages of this site ("/konto/mina-uppgifter/"), and links carry no "nofollow ugc", which
marks what residents wrote.
"""

from markdown_it.rules_core import StateCore

from core.markdown import BODY_TAGS, body_parser, cleaner, own_site_path, render

_TOP, _LOWEST = 2, 6


def _headings_below_the_title(state: StateCore) -> None:
    """Headings from h2, each at most one level below the one before it, so that the outline a
    screen reader lists has no gaps; nothing goes below h6."""
    level = _TOP - 1
    for token in state.tokens:
        if token.type == "heading_open":
            level = max(_TOP, min(int(token.tag[1]), level + 1, _LOWEST))
            token.tag = f"h{level}"
        elif token.type == "heading_close":
            token.tag = f"h{level}"


_md = body_parser()
_md.core.ruler.at("demote_headings", _headings_below_the_title)
_cleaner = cleaner(BODY_TAGS | {"h5", "h6"}, link_rel="noopener", relative_links=own_site_path)


def render_page_markdown(text: str) -> str:
    return render(text, _md, _cleaner)
