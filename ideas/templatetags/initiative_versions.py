"""The history of a published initiative's text: each edit, and what it changed, word by word.
The initiative page shows it (ideas/_versions.html); the moderation queue shows the edits that
wait for review with the same comparison."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ideas.models import Initiative, InitiativeVersion

register = template.Library()

# Words, each with the spaces after it, so that a text put back together keeps its line breaks
# and a replaced phrase reads as one change rather than word by word.
TOKENS = re.compile(r"\S+\s*|\s+")
# Unchanged words shown on either side of a change; a longer unchanged stretch is shortened to
# "…", so that a corrected typo in a long description shows as one line.
CONTEXT = 12


def word_diff(old: str, new: str) -> SafeString:
    """`old` changed into `new`: removed words in <del>, added ones in <ins>, each announced to
    screen readers, and long unchanged stretches shortened."""
    old_tokens, new_tokens = TOKENS.findall(old), TOKENS.findall(new)
    opcodes = SequenceMatcher(None, old_tokens, new_tokens).get_opcodes()
    parts = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            first, last = index == 0, index == len(opcodes) - 1
            parts.append(_unchanged(old_tokens[i1:i2], first=first, last=last))
            continue
        if i2 > i1:
            parts.append(_marked("del", _("removed:"), old_tokens[i1:i2]))
        if j2 > j1:
            parts.append(_marked("ins", _("added:"), new_tokens[j1:j2]))
    return mark_safe("".join(parts))  # noqa: S308 — every part is escaped above


def _marked(element: str, announced: str, tokens: list[str]) -> str:
    return format_html(
        '<{0}><span class="visually-hidden">{1} </span>{2}</{0}>',
        mark_safe(element),  # noqa: S308 — "del" or "ins"
        announced,
        "".join(tokens),
    )


def _unchanged(tokens: list[str], *, first: bool, last: bool) -> str:
    if len(tokens) <= 2 * CONTEXT + 1:
        return escape("".join(tokens))
    before = [] if first else tokens[:CONTEXT]
    after = [] if last else tokens[-CONTEXT:]
    return escape("".join(before)) + " … " + escape("".join(after))


@dataclass
class Change:
    label: str
    diff: SafeString
    # The author's words (Swedish whatever the page's language), not the programme's.
    written: bool = True


@dataclass
class Edit:
    """One edit: the text it replaced (`version`), and what it changed in it."""

    version: InitiativeVersion
    changes: list[Change]


def text_changes(before: InitiativeVersion, after: InitiativeVersion | Initiative) -> list[Change]:
    """What differs between two versions of the text (the later one may be the initiative)."""
    changes = [
        Change(label, word_diff(getattr(before, name), getattr(after, name)))
        for name, label in [
            ("title", _("Title")),
            ("summary", _("Summary")),
            ("body", _("Description")),
        ]
        if getattr(before, name) != getattr(after, name)
    ]
    if before.fokusomrade_id != after.fokusomrade_id:
        changes.append(
            Change(
                _("Focus area"),
                format_html(
                    '<del><span class="visually-hidden">{} </span>{}</del> → '
                    '<ins><span class="visually-hidden">{} </span>{}</ins>',
                    _("removed:"),
                    before.fokusomrade.title,
                    _("added:"),
                    after.fokusomrade.title,
                ),
                written=False,
            )
        )
    return changes


@register.simple_tag
def version_history(initiative: Initiative) -> list[Edit]:
    """Each edit of the initiative after it was published, newest first. Reads the versions
    prefetched with the initiative, or else in one query."""
    versions = list(initiative.versions.all())
    if not versions:
        return []
    later = [*versions[1:], initiative]
    edits = [
        Edit(version=before, changes=text_changes(before, after))
        for before, after in zip(versions, later, strict=True)
    ]
    return edits[::-1]


@register.simple_tag
def last_edit(initiative: Initiative) -> InitiativeVersion | None:
    """The text the latest edit replaced (its date is the edit's), or None: never edited. Reads
    the versions prefetched with the initiative, or else in one query."""
    versions = list(initiative.versions.all())
    return versions[-1] if versions else None


@register.simple_tag
def changes_since(version: InitiativeVersion, initiative: Initiative) -> list[Change]:
    """What differs between an earlier version and the initiative's text now."""
    return text_changes(version, initiative)
