"""The open-data dump: the public tables as CSV and JSON, with a README that documents every
column, under MEDIA_ROOT/open-data/<date>/, and open-data/latest.json naming the newest dump.

Here, in partners, because the dump reads the programme, initiatives, comments, answers and
organisations with their accepted offers: partners is the lowest app that may import them all.

Only what the site shows anyone: public initiatives (published or later, not hidden), their
comments that are neither removed nor hidden, the city's answers, organisations a moderator
approved and their accepted offers on public initiatives. People are named by their public name
as beside what they wrote; no email address, no supporter, no private message.

One dump a day: a second run on the same day finds the day's folder and does nothing. The dump
is written into a temporary folder and renamed into place, so a half-written dump is never seen.
"""

import json
import logging
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, PartnerNeed
from core import pagecache
from core.csv import csv_text
from ideas.models import PUBLIC_STATUSES, Comment, Initiative, OfficialResponse
from partners.models import PartnerOffer
from programme.models import (
    Fokusomrade,
    Forvaltning,
    Prioritering,
    Programme,
    Stadsdel,
    Viljeinriktning,
)

logger = logging.getLogger(__name__)

FOLDER = "open-data"
MANIFEST = "latest.json"
README = "README.txt"
LICENCE = "CC0-1.0"
LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"
# Rows read from the database at a time, so a large table never sits in memory whole.
CHUNK = 2000


@dataclass(frozen=True)
class Column:
    name: str
    description: Promise
    # The codes the column may hold, with what each means (a model's choices).
    choices: tuple[tuple[str, Promise], ...] = ()


@dataclass(frozen=True)
class Table:
    name: str
    description: Promise
    columns: tuple[Column, ...]
    rows: Callable[[], Iterable[tuple]]

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]


# Descriptions several tables share.
ID = _("The row's number; it stays the same from one dump to the next.")
SLUG = _("The name used in the site's addresses.")
POSITION = _("Order within its parent, from 1.")
SOURCE = _("Where the city publishes it.")
SWEDISH = _("%(what)s in Swedish.")
ENGLISH = _("%(what)s in English; empty where staff have not translated it.")
URL = _("The page on the site.")


def _filled(template: Promise, what: Promise) -> str:
    return str(template) % {"what": what}


_filled_lazy = lazy(_filled, str)


def _both(name: str, what: Promise) -> tuple[Column, Column]:
    """The Swedish and the English column of a text stored in both languages."""
    return (
        Column(f"{name}_sv", _filled_lazy(SWEDISH, what)),
        Column(f"{name}_en", _filled_lazy(ENGLISH, what)),
    )


def _ids(values: Iterable[int]) -> list[int]:
    return sorted(values)


def _site(path: str) -> str:
    return settings.SITE_URL + path


def _programme_rows() -> Iterator[tuple]:
    yield from Programme.objects.order_by("valid_from", "pk").values_list(
        "pk", "slug", "name_sv", "name_en", "owner", "valid_from", "valid_to"
    )


def _viljeinriktning_rows() -> Iterator[tuple]:
    yield from Viljeinriktning.objects.order_by("programme", "position").values_list(
        "pk",
        "programme_id",
        "position",
        "slug",
        "title_sv",
        "title_en",
        "short_title_sv",
        "short_title_en",
        "description_sv",
        "description_en",
        "source_url",
    )


def _fokusomrade_rows() -> Iterator[tuple]:
    yield from Fokusomrade.objects.order_by("viljeinriktning", "position").values_list(
        "pk",
        "viljeinriktning_id",
        "position",
        "slug",
        "title_sv",
        "title_en",
        "description_sv",
        "description_en",
        "source_url",
    )


def _prioritering_rows() -> Iterator[tuple]:
    yield from Prioritering.objects.order_by("fokusomrade", "position").values_list(
        "pk",
        "fokusomrade_id",
        "position",
        "slug",
        "tag",
        "summary_sv",
        "summary_en",
        "official_text_sv",
        "official_text_en",
    )


def _stadsdel_rows() -> Iterator[tuple]:
    yield from Stadsdel.objects.order_by("pk").values_list("pk", "slug", "name", "area")


def _forvaltning_rows() -> Iterator[tuple]:
    yield from Forvaltning.objects.order_by("pk").values_list("pk", "slug", "name_sv", "name_en")


def _public_initiatives():
    return Initiative.objects.public()


def _initiative_rows() -> Iterator[tuple]:
    initiatives = (
        _public_initiatives()
        .select_related("author", "organisation")
        .prefetch_related(Prefetch("prioriteringar", queryset=Prioritering.objects.only("pk")))
        .defer("body_html", "search_vector")
        .order_by("pk")
    )
    for item in initiatives.iterator(chunk_size=CHUNK):
        organisation = item.organisation if item.organisation_id else None
        public_organisation = organisation if organisation and organisation.is_public else None
        yield (
            item.pk,
            _site(item.get_absolute_url()),
            item.title,
            item.summary,
            item.body,
            item.status,
            item.fokusomrade_id,
            _ids(prioritering.pk for prioritering in item.prioriteringar.all()),
            item.stadsdel_id,
            public_organisation.pk if public_organisation else None,
            public_organisation.name if public_organisation else item.author.public_name,
            item.seeking_partners,
            [need for need in item.partner_needs if need in PartnerNeed.values],
            item.published_at,
            item.support_ends_at,
            item.support_threshold,
            item.support_count,
            item.comment_count,
            item.ready_at,
            item.forvaltning_id,
            item.answer_due,
        )


def _comment_rows() -> Iterator[tuple]:
    comments = (
        Comment.objects.filter(
            initiative__in=_public_initiatives(), removed_at__isnull=True, hidden_at__isnull=True
        )
        .select_related("author")
        .defer("body_html")
        .order_by("pk")
    )
    for comment in comments.iterator(chunk_size=CHUNK):
        yield (
            comment.pk,
            comment.initiative_id,
            comment.parent_id,
            comment.author.public_name,
            comment.is_staff_comment,
            comment.body,
            comment.created_at,
            comment.edited_at,
        )


def _response_rows() -> Iterator[tuple]:
    yield from (
        OfficialResponse.objects.filter(initiative__in=_public_initiatives())
        .order_by("pk")
        .values_list("pk", "initiative_id", "forvaltning_id", "status", "body", "created_at")
        .iterator(chunk_size=CHUNK)
    )


def _organisation_rows() -> Iterator[tuple]:
    organisations = (
        Organisation.objects.public()
        .prefetch_related(
            Prefetch("fokusomraden", queryset=Fokusomrade.objects.only("pk")),
            Prefetch("stadsdelar", queryset=Stadsdel.objects.only("pk")),
        )
        .only(
            "pk",
            "slug",
            "name",
            "kind",
            "description",
            "website",
            "whole_city",
            "offers",
            "offers_text",
            "is_verified",
        )
        .order_by("pk")
    )
    for organisation in organisations.iterator(chunk_size=CHUNK):
        yield (
            organisation.pk,
            _site(organisation.get_absolute_url()),
            organisation.name,
            organisation.kind,
            organisation.description,
            organisation.website,
            organisation.whole_city,
            _ids(item.pk for item in organisation.fokusomraden.all()),
            _ids(item.pk for item in organisation.stadsdelar.all()),
            [offer for offer in organisation.offers if offer in PartnerNeed.values],
            organisation.offers_text,
            organisation.is_verified,
        )


def _offer_rows() -> Iterator[tuple]:
    yield from (
        PartnerOffer.objects.accepted()
        .filter(
            Q(organisation__in=Organisation.objects.public()),
            initiative__in=_public_initiatives(),
        )
        .order_by("pk")
        .values_list("pk", "initiative_id", "organisation_id", "decided_at")
        .iterator(chunk_size=CHUNK)
    )


def _choices(choices) -> tuple[tuple[str, Promise], ...]:
    return tuple((str(value), label) for value, label in choices)


STATUS = tuple(item for item in _choices(Initiative.Status.choices) if item[0] in PUBLIC_STATUSES)
ANSWER_STATUS = _choices((status.value, status.label) for status in Initiative.RESPONSE_STATUSES)
NEEDS = _choices(PartnerNeed.choices)
TABLES: tuple[Table, ...] = (
    Table(
        "programmes",
        _("The city's programmes: the quality of life programme and any that follow it."),
        (
            Column("id", ID),
            Column("slug", SLUG),
            *_both("name", _("The programme's name")),
            Column("owner", _("Who decided the programme.")),
            Column("valid_from", _("First day the programme applies (YYYY-MM-DD).")),
            Column("valid_to", _("Last day the programme applies; empty while it has no end.")),
        ),
        _programme_rows,
    ),
    Table(
        "viljeinriktningar",
        _("The programme's directions (viljeinriktningar)."),
        (
            Column("id", ID),
            Column("programme_id", _("The programme (programmes.id).")),
            Column("position", POSITION),
            Column("slug", SLUG),
            *_both("title", _("The title")),
            *_both("short_title", _("The short title")),
            *_both("description", _("The description")),
            Column("source_url", SOURCE),
        ),
        _viljeinriktning_rows,
    ),
    Table(
        "fokusomraden",
        _("The focus areas (fokusområden) of each direction."),
        (
            Column("id", ID),
            Column("viljeinriktning_id", _("The direction (viljeinriktningar.id).")),
            Column("position", POSITION),
            Column("slug", SLUG),
            *_both("title", _("The title")),
            *_both("description", _("The description")),
            Column("source_url", SOURCE),
        ),
        _fokusomrade_rows,
    ),
    Table(
        "prioriteringar",
        _("The priorities (prioriteringar) of each focus area."),
        (
            Column("id", ID),
            Column("fokusomrade_id", _("The focus area (fokusomraden.id).")),
            Column("position", POSITION),
            Column("slug", SLUG),
            Column("tag", _("The programme's own keyword, without #.")),
            *_both("summary", _("A short summary")),
            *_both("official_text", _("The city's own wording, where entered")),
        ),
        _prioritering_rows,
    ),
    Table(
        "stadsdelar",
        _("The districts (stadsdelar) an initiative may belong to."),
        (
            Column("id", ID),
            Column("slug", SLUG),
            Column("name", _("The district's name.")),
            Column(
                "area",
                _("Whether the district is in the central town."),
                _choices(Stadsdel.Area.choices),
            ),
        ),
        _stadsdel_rows,
    ),
    Table(
        "forvaltningar",
        _("The city's administrations (förvaltningar), which answer initiatives."),
        (
            Column("id", ID),
            Column("slug", SLUG),
            *_both("name", _("The administration's name")),
        ),
        _forvaltning_rows,
    ),
    Table(
        "initiatives",
        _("Public initiatives: published for support or later, not rejected, withdrawn or hidden."),
        (
            Column("id", ID),
            Column("url", URL),
            Column("title", _("The title, as the author wrote it.")),
            Column("summary", _("The summary, as the author wrote it.")),
            Column("body", _("The description, in Markdown, as the author wrote it.")),
            Column("status", _("Where the initiative stands."), STATUS),
            Column("fokusomrade_id", _("The focus area (fokusomraden.id).")),
            Column(
                "prioritering_ids",
                _("The priorities it serves (prioriteringar.id); in CSV separated by spaces."),
            ),
            Column("stadsdel_id", _("The district (stadsdelar.id); empty for the whole city.")),
            Column(
                "organisation_id",
                _("The organisation it was proposed for (organisations.id); empty for a resident."),
            ),
            Column(
                "author_name",
                _(
                    "Who proposed it, as the site names them: the organisation, or the "
                    "person's public name."
                ),
            ),
            Column("seeking_partners", _("Whether the author seeks partners (true or false).")),
            Column(
                "partner_needs",
                _("What the author needs from partners; in CSV separated by spaces."),
                NEEDS,
            ),
            Column("published_at", _("When it was published (ISO 8601, with time zone).")),
            Column("support_ends_at", _("When the support period ends (ISO 8601).")),
            Column("support_threshold", _("Supports needed for the city to answer.")),
            Column("support_count", _("Supports so far.")),
            Column("comment_count", _("Comments so far.")),
            Column(
                "ready_at",
                _("When it reached the threshold and went to the city (ISO 8601); empty if not."),
            ),
            Column(
                "forvaltning_id",
                _("The administration that answers it (forvaltningar.id); empty until chosen."),
            ),
            Column("answer_due", _("The day the answer is due (YYYY-MM-DD); empty if none.")),
        ),
        _initiative_rows,
    ),
    Table(
        "comments",
        _("Comments on public initiatives, except removed and hidden ones."),
        (
            Column("id", ID),
            Column("initiative_id", _("The initiative (initiatives.id).")),
            Column(
                "parent_id",
                _(
                    "The comment it answers (comments.id); empty for a comment that starts a "
                    "thread. It may name a removed comment, which is not in the table."
                ),
            ),
            Column("author_name", _("The writer's public name, as shown beside the comment.")),
            Column("is_staff_comment", _("Whether city staff wrote it (true or false).")),
            Column("body", _("The comment, in Markdown.")),
            Column("created_at", _("When it was written (ISO 8601).")),
            Column("edited_at", _("When it was last edited (ISO 8601); empty if never.")),
        ),
        _comment_rows,
    ),
    Table(
        "official_responses",
        _("The city's official answers to public initiatives."),
        (
            Column("id", ID),
            Column("initiative_id", _("The initiative (initiatives.id).")),
            Column("forvaltning_id", _("The administration that answered (forvaltningar.id).")),
            Column("status", _("The status the answer gave the initiative."), ANSWER_STATUS),
            Column("body", _("The answer, in Markdown.")),
            Column("created_at", _("When it was answered (ISO 8601).")),
        ),
        _response_rows,
    ),
    Table(
        "organisations",
        _("Associations and businesses a moderator has approved."),
        (
            Column("id", ID),
            Column("url", URL),
            Column("name", _("The organisation's name.")),
            Column("kind", _("Association or business."), _choices(Organisation.Kind.choices)),
            Column("description", _("What the organisation does, in its own words.")),
            Column("website", _("Its website; empty if none.")),
            Column("whole_city", _("Whether it is active in the whole city (true or false).")),
            Column(
                "fokusomrade_ids",
                _("Focus areas of interest (fokusomraden.id); in CSV separated by spaces."),
            ),
            Column(
                "stadsdel_ids",
                _("Districts where it is active (stadsdelar.id); in CSV separated by spaces."),
            ),
            Column(
                "offers", _("What it can offer initiatives; in CSV separated by spaces."), NEEDS
            ),
            Column("offers_text", _("More about what it can offer, in its own words.")),
            Column("is_verified", _("Whether city staff have verified it (true or false).")),
        ),
        _organisation_rows,
    ),
    Table(
        "partner_offers",
        _("Accepted offers of help from approved organisations to public initiatives."),
        (
            Column("id", ID),
            Column("initiative_id", _("The initiative (initiatives.id).")),
            Column("organisation_id", _("The organisation (organisations.id).")),
            Column("accepted_at", _("When the author accepted the offer (ISO 8601).")),
        ),
        _offer_rows,
    ),
)


def _json_value(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _csv_value(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return _json_value(value)


def _write_table(table: Table, folder: Path) -> None:
    rows = [tuple(row) for row in table.rows()]
    csv_rows = ([_csv_value(value) for value in row] for row in rows)
    (folder / f"{table.name}.csv").write_text(csv_text(table.header, csv_rows), encoding="utf-8")
    records = [
        {name: _json_value(value) for name, value in zip(table.header, row, strict=True)}
        for row in rows
    ]
    (folder / f"{table.name}.json").write_text(
        json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8"
    )


def readme_text(made_at: datetime) -> str:
    """What the files hold, column by column, in Swedish and then in English, with the licence."""
    sections = []
    for language in ("sv", "en"):
        with translation.override(language):
            sections.append(_readme_section(made_at))
    return "\n\n".join(sections)


def _readme_section(made_at: datetime) -> str:
    lines = [
        gettext("Open data from %(site)s") % {"site": settings.SITE_NAME},
        "=" * 40,
        gettext("Made %(when)s.") % {"when": made_at.isoformat(timespec="seconds")},
        gettext(
            "Licence: the data is dedicated to the public domain under CC0 1.0 Universal "
            "(%(url)s): you may copy, change and use it for any purpose without asking."
        )
        % {"url": LICENCE_URL},
        gettext(
            "Each table comes as CSV (UTF-8, comma-separated, first row the column names) and "
            "as JSON (a list of objects). A CSV cell that would begin with =, +, -, @, a tab "
            "or a carriage return begins with an apostrophe, so that spreadsheets do not run it "
            "as a formula. Times are ISO 8601 with time zone."
        ),
        gettext(
            "Nothing private is included: no email address, no supporter, no private message, "
            "nothing hidden by moderation or unpublished."
        ),
    ]
    for table in TABLES:
        lines += ["", f"{table.name}.csv, {table.name}.json", "-" * 40, str(table.description)]
        for column in table.columns:
            lines.append(f"  {column.name}: {column.description}")
            lines += [f"      {code} = {label}" for code, label in column.choices]
    return "\n".join(lines) + "\n"


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER


def dump_exists(day: date | None = None) -> bool:
    return (root() / (day or timezone.localdate()).isoformat()).is_dir()


def make_dump(day: date | None = None) -> Path | None:
    """Write the day's dump and point latest.json at it; None if the day's dump exists already."""
    day = day or timezone.localdate()
    target = root() / day.isoformat()
    if target.is_dir():
        return None
    root().mkdir(parents=True, exist_ok=True)
    made_at = timezone.localtime()
    work = Path(tempfile.mkdtemp(prefix=f".{day.isoformat()}-", dir=root()))
    try:
        # Names such as "Deleted user" in the site's own language, whoever runs the dump.
        with translation.override(settings.LANGUAGE_CODE):
            for table in TABLES:
                _write_table(table, work)
        (work / README).write_text(readme_text(made_at), encoding="utf-8")
        work.chmod(0o755)
        try:
            work.rename(target)
        except OSError:  # Another run of the same day was quicker: its dump stands.
            return None
    finally:
        if work.exists():
            shutil.rmtree(work)
    _write_manifest(target, made_at)
    pagecache.changed()  # The open-data page lists the new dump at once.
    logger.info("Open-data dump written to %s", target)
    return target


def _write_manifest(folder: Path, made_at: datetime) -> None:
    files = [
        {"name": path.name, "bytes": path.stat().st_size}
        for path in sorted(folder.iterdir())
        if path.is_file()
    ]
    manifest = {
        "date": folder.name,
        "made_at": made_at.isoformat(timespec="seconds"),
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "folder": f"{FOLDER}/{folder.name}/",
        "files": files,
    }
    partial = root() / f".{MANIFEST}.tmp"
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    partial.replace(root() / MANIFEST)


def latest() -> dict | None:
    """The newest dump as latest.json describes it, each file with its address; None if none."""
    try:
        manifest = json.loads((root() / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for item in manifest["files"]:
        item["url"] = settings.MEDIA_URL + manifest["folder"] + item["name"]
    manifest["made_at"] = datetime.fromisoformat(manifest["made_at"])
    return manifest
