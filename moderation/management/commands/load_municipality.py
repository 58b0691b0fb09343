from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from moderation.municipality import load_municipality
from programme.programme_file import ProgrammeFileError


class Command(BaseCommand):
    help = (
        "Load the municipality's data directory (MUNICIPALITY_DIR): programme, förvaltningar, "
        "districts, admissibility rules, support rule and trust pages. What exists is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=settings.MUNICIPALITY_DIR, type=Path)

    def handle(self, *args, directory: Path, **options):
        try:
            report = load_municipality(directory)
        except (OSError, KeyError, ValueError, ProgrammeFileError) as error:
            raise CommandError(f"{directory}: {error!r}. Nothing was changed.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{settings.CITY_NAME}: {len(report.created)} created, {len(report.kept)} kept."
            )
        )
