"""Reading and checking a programme file before anything is written.

A programme file is JSON in the format `tillsammans-programme/1` (see
programme/data/livskvalitetsprogrammet-2016.json). Each item carries its own slug, which is its
identity: a changed title updates the item in place, a new slug adds an item.
"""

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.utils.translation import gettext as _

FORMAT = "tillsammans-programme/1"


class ProgrammeFileError(Exception):
    """The file cannot be imported; the message names the place and the problem."""


@dataclass
class PrioriteringData:
    slug: str
    tag: str
    summary_sv: str
    summary_en: str = ""
    official_text_sv: str = ""
    official_text_en: str = ""


@dataclass
class FokusomradeData:
    slug: str
    title_sv: str
    title_en: str = ""
    description_sv: str = ""
    description_en: str = ""
    placement_note_sv: str = ""
    placement_note_en: str = ""
    source_url: str = ""
    prioriteringar: list[PrioriteringData] = field(default_factory=list)


@dataclass
class ViljeinriktningData:
    slug: str
    title_sv: str
    short_title_sv: str
    title_en: str = ""
    short_title_en: str = ""
    description_sv: str = ""
    description_en: str = ""
    missing_sv: str = ""
    missing_en: str = ""
    source_url: str = ""
    fokusomraden: list[FokusomradeData] = field(default_factory=list)


@dataclass
class ProgrammeData:
    slug: str
    name_sv: str
    owner: str
    valid_from: date
    valid_to: date | None
    name_en: str = ""
    is_complete: bool = False
    completeness_sv: str = ""
    completeness_en: str = ""
    viljeinriktningar: list[ViljeinriktningData] = field(default_factory=list)


# (field, required, max length); 0 means no limit.
_TEXT_FIELDS = {
    "programme": [
        ("slug", True, 80),
        ("name_sv", True, 200),
        ("name_en", False, 200),
        ("owner", True, 200),
        ("completeness_sv", False, 0),
        ("completeness_en", False, 0),
    ],
    "viljeinriktning": [
        ("slug", True, 120),
        ("title_sv", True, 200),
        ("title_en", False, 200),
        ("short_title_sv", True, 100),
        ("short_title_en", False, 100),
        ("description_sv", False, 0),
        ("description_en", False, 0),
        ("missing_sv", False, 0),
        ("missing_en", False, 0),
        ("source_url", False, 200),
    ],
    "fokusomrade": [
        ("slug", True, 120),
        ("title_sv", True, 200),
        ("title_en", False, 200),
        ("description_sv", False, 0),
        ("description_en", False, 0),
        ("placement_note_sv", False, 0),
        ("placement_note_en", False, 0),
        ("source_url", False, 200),
    ],
    "prioritering": [
        ("slug", True, 120),
        ("tag", True, 60),
        ("summary_sv", True, 300),
        ("summary_en", False, 300),
        ("official_text_sv", False, 0),
        ("official_text_en", False, 0),
    ],
}
_CHILDREN = {
    "programme": "viljeinriktningar",
    "viljeinriktning": "fokusomraden",
    "fokusomrade": "prioriteringar",
}


def read_programme_file(path: Path) -> ProgrammeData:
    try:
        content = Path(path).read_bytes()
    except FileNotFoundError as error:
        raise ProgrammeFileError(_("The file %(path)s does not exist.") % {"path": path}) from error
    return read_programme_bytes(content)


def read_programme_bytes(content: bytes) -> ProgrammeData:
    try:
        raw = json.loads(content.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ProgrammeFileError(_("The file is not UTF-8 text.")) from error
    except json.JSONDecodeError as error:
        raise ProgrammeFileError(
            _("The file is not valid JSON: %(error)s (line %(line)s, column %(column)s).")
            % {"error": error.msg, "line": error.lineno, "column": error.colno}
        ) from error
    return parse_programme(raw)


def parse_programme(raw: Any) -> ProgrammeData:
    if not isinstance(raw, dict):
        raise ProgrammeFileError(_("The file must hold a JSON object at the top."))
    if raw.get("format") != FORMAT:
        raise ProgrammeFileError(
            _("“format” must be “%(expected)s”, not %(found)r.")
            % {"expected": FORMAT, "found": raw.get("format")}
        )
    programme = _object(raw.get("programme"), "programme")
    texts = _texts(programme, "programme", "programme")
    valid_from = _date(programme, "valid_from", "programme", required=True)
    valid_to = _date(programme, "valid_to", "programme", required=False)
    if valid_to and valid_to < valid_from:
        raise ProgrammeFileError(_("programme: “valid_to” is before “valid_from”."))
    is_complete = programme.get("is_complete", False)
    if not isinstance(is_complete, bool):
        raise ProgrammeFileError(_("programme: “is_complete” must be true or false."))
    return ProgrammeData(
        **texts,
        valid_from=valid_from,
        valid_to=valid_to,
        is_complete=is_complete,
        viljeinriktningar=[
            _viljeinriktning(item, where)
            for item, where in _list(raw, "viljeinriktningar", "", "viljeinriktning")
        ],
    )


def _viljeinriktning(raw: dict, where: str) -> ViljeinriktningData:
    return ViljeinriktningData(
        **_texts(raw, "viljeinriktning", where),
        fokusomraden=[
            _fokusomrade(item, item_where)
            for item, item_where in _list(raw, "fokusomraden", where, "fokusomrade")
        ],
    )


def _fokusomrade(raw: dict, where: str) -> FokusomradeData:
    return FokusomradeData(
        **_texts(raw, "fokusomrade", where),
        prioriteringar=[
            PrioriteringData(**_texts(item, "prioritering", item_where))
            for item, item_where in _list(raw, "prioriteringar", where, "prioritering")
        ],
    )


def _object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ProgrammeFileError(_("%(where)s: expected an object.") % {"where": where})
    return value


def _list(parent: dict, key: str, where: str, kind: str) -> list[tuple[dict, str]]:
    where_key = f"{where}.{key}" if where else key
    items = parent.get(key, [])
    if not isinstance(items, list):
        raise ProgrammeFileError(_("%(where)s: expected a list.") % {"where": where_key})
    checked = [
        (_object(item, f"{where_key}[{index}]"), f"{where_key}[{index}]")
        for index, item in enumerate(items)
    ]
    slugs = [item["slug"] for item, _where in checked if isinstance(item.get("slug"), str)]
    duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if duplicates:
        raise ProgrammeFileError(
            _("%(where)s: the slug “%(slug)s” is used more than once.")
            % {"where": where_key, "slug": duplicates[0]}
        )
    allowed = {name for name, _required, _length in _TEXT_FIELDS[kind]}
    if kind in _CHILDREN:
        allowed.add(_CHILDREN[kind])
    for item, item_where in checked:
        extra = sorted(set(item) - allowed)
        if extra:
            raise ProgrammeFileError(
                _("%(where)s: unknown field “%(field)s”.")
                % {"where": item_where, "field": extra[0]}
            )
    return checked


def _texts(raw: dict, kind: str, where: str) -> dict[str, str]:
    values = {}
    for name, required, max_length in _TEXT_FIELDS[kind]:
        value = raw.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise ProgrammeFileError(
                _("%(where)s: “%(field)s” must be text.") % {"where": where, "field": name}
            )
        value = value.strip()
        if required and not value:
            raise ProgrammeFileError(
                _("%(where)s: “%(field)s” is missing.") % {"where": where, "field": name}
            )
        if max_length and len(value) > max_length:
            raise ProgrammeFileError(
                _("%(where)s: “%(field)s” is longer than %(max)s characters.")
                % {"where": where, "field": name, "max": max_length}
            )
        if name == "slug":
            _check(validate_slug, value, where, name)
        if name == "source_url" and value:
            _check(URLValidator(), value, where, name)
        values[name] = value
    return values


def _check(validator, value: str, where: str, name: str) -> None:
    try:
        validator(value)
    except ValidationError as error:
        raise ProgrammeFileError(
            _("%(where)s: “%(field)s” is not valid: %(value)r.")
            % {"where": where, "field": name, "value": value}
        ) from error


def _date(raw: dict, name: str, where: str, *, required: bool) -> date | None:
    value = raw.get(name)
    if value in (None, ""):
        if required:
            raise ProgrammeFileError(
                _("%(where)s: “%(field)s” is missing.") % {"where": where, "field": name}
            )
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise ProgrammeFileError(
            _("%(where)s: “%(field)s” must be a date written YYYY-MM-DD, not %(value)r.")
            % {"where": where, "field": name, "value": value}
        ) from error
