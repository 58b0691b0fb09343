"""Loading a municipality's data directory (settings.MUNICIPALITY_DIR) into an empty or running
site: its programme, förvaltningar, districts, admissibility rules, support rule and the trust
pages' first text. What exists is left as it is, so that staff's edits in the staff screens
survive every later load; `import_programme` and `load_reference_data` apply a changed file.

It reaches every app's data, so it lives in the top app."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ideas.models import SupportRule
from moderation.models import AdmissibilityRule
from pages.models import TrustPage, _fields_in
from programme.actions import do_programme_import
from programme.models import Forvaltning, Programme, Stadsdel
from programme.programme_file import read_programme_file


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def read(directory: Path) -> dict:
    return json.loads((directory / "municipality.json").read_text(encoding="utf-8"))


def load_municipality(directory: Path | None = None) -> LoadReport:
    """Create what the municipality's files describe and the site lacks."""
    directory = Path(directory or settings.MUNICIPALITY_DIR)
    data, report = read(directory), LoadReport()
    programme = read_programme_file(directory / data["programme"])
    with transaction.atomic():
        if Programme.objects.filter(slug=programme.slug).exists():
            report.kept.append(f"programme {programme.slug}")
        else:
            do_programme_import(data=programme)
            report.created.append(f"programme {programme.slug}")
        for item in data["forvaltningar"]:
            _create(report, Forvaltning, item["slug"], item)
        for item in data["stadsdelar"]:
            _create(report, Stadsdel, item["slug"], item)
        for position, item in enumerate(data.get("admissibility", [])):
            rule, created = AdmissibilityRule.objects.get_or_create(
                code=item["code"],
                defaults={
                    "text_sv": item["text_sv"],
                    "text_en": item.get("text_en", ""),
                    "position": position,
                },
            )
            (report.created if created else report.kept).append(f"admissibility rule {rule.code}")
        _rule, created = SupportRule.objects.get_or_create(
            pk=1,
            defaults={
                "threshold": data["support"]["threshold"],
                "period_days": data["support"]["period_days"],
            },
        )
        (report.created if created else report.kept).append("support rule")
        for slug in TrustPage.Slug.values:
            _page, created = TrustPage.objects.get_or_create(
                slug=slug, defaults=_fields_in(directory / "pages", slug)
            )
            (report.created if created else report.kept).append(f"page {slug}")
    return report


def _create(report: LoadReport, model, slug: str, item: dict) -> None:
    fields = {name: value for name, value in item.items() if name != "slug"}
    _row, created = model.objects.get_or_create(slug=slug, defaults=fields)
    (report.created if created else report.kept).append(f"{model._meta.model_name} {slug}")
