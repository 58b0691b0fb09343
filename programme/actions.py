"""Writes to the programme and the city's reference data. Both are `do_` steps: they check no
permission, because only management commands and the admin (staff only) call them."""

from dataclasses import asdict, dataclass, field

from django.db import models, transaction

from programme.models import (
    Fokusomrade,
    Forvaltning,
    Prioritering,
    Programme,
    Stadsdel,
    Viljeinriktning,
)
from programme.programme_file import ProgrammeData


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _upsert(
    model: type[models.Model], report: ImportReport, lookup: dict, values: dict
) -> models.Model:
    """Create the row, or update the fields that differ; record which happened."""
    row = model.objects.filter(**lookup).first()
    if "position" in values:
        _free_position(model, lookup, values["position"])
    label = f"{model._meta.verbose_name}: {values.get('slug') or lookup.get('slug')}"
    if row is None:
        row = model.objects.create(**lookup, **values)
        report.created.append(label)
        return row
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save(update_fields=changed)
        report.updated.append(f"{label} ({', '.join(changed)})")
    else:
        report.unchanged += 1
    return row


def _without(data: object, *names: str) -> dict:
    values = asdict(data)
    for name in names:
        values.pop(name)
    return values


def _free_position(model: type[models.Model], lookup: dict, position: int) -> None:
    """Move a sibling that holds the position aside, so a reordered file never trips the unique
    order; the sibling gets its own place when its turn comes, or stays last if the file dropped it.
    """
    parent = {name: value for name, value in lookup.items() if name != "slug"}
    siblings = model.objects.filter(**parent)
    holder = siblings.filter(position=position).exclude(slug=lookup["slug"]).first()
    if holder is not None:
        holder.position = (siblings.aggregate(top=models.Max("position"))["top"] or 0) + 1
        holder.save(update_fields=["position"])


def do_programme_import(*, data: ProgrammeData) -> ImportReport:
    """Create or update a programme from a checked file, all or nothing.

    Items are matched by slug. Items that the file no longer names are kept: initiatives may be
    tagged with them, and staff may have added them in the admin.
    """
    report = ImportReport()
    with transaction.atomic():
        programme = _upsert(
            Programme,
            report,
            {"slug": data.slug},
            _without(data, "slug", "viljeinriktningar"),
        )
        for v_position, v_data in enumerate(data.viljeinriktningar, start=1):
            viljeinriktning = _upsert(
                Viljeinriktning,
                report,
                {"programme": programme, "slug": v_data.slug},
                {**_without(v_data, "slug", "fokusomraden"), "position": v_position},
            )
            for f_position, f_data in enumerate(v_data.fokusomraden, start=1):
                fokusomrade = _upsert(
                    Fokusomrade,
                    report,
                    {"viljeinriktning": viljeinriktning, "slug": f_data.slug},
                    {**_without(f_data, "slug", "prioriteringar"), "position": f_position},
                )
                for p_position, p_data in enumerate(f_data.prioriteringar, start=1):
                    _upsert(
                        Prioritering,
                        report,
                        {"fokusomrade": fokusomrade, "slug": p_data.slug},
                        {**_without(p_data, "slug"), "position": p_position},
                    )
    return report


class _PreviewOnly(Exception):
    """Raised inside the preview's transaction so that nothing it wrote stays."""


def do_programme_import_preview(*, data: ProgrammeData) -> ImportReport:
    """What importing `data` would create and change, with nothing written: the import runs in
    a transaction that is then rolled back, so the preview is the import's own report."""
    report = ImportReport()
    try:
        with transaction.atomic():
            report = do_programme_import(data=data)
            raise _PreviewOnly
    except _PreviewOnly:
        pass
    return report


def do_reference_data_load(*, forvaltningar: list[dict], stadsdelar: list[dict]) -> ImportReport:
    """Create or update the city's administrations and districts, matched by slug."""
    report = ImportReport()
    with transaction.atomic():
        for item in forvaltningar:
            _upsert(Forvaltning, report, {"slug": item["slug"]}, _without_slug(item))
        for item in stadsdelar:
            _upsert(Stadsdel, report, {"slug": item["slug"]}, _without_slug(item))
    return report


def _without_slug(item: dict) -> dict:
    return {name: value for name, value in item.items() if name != "slug"}
