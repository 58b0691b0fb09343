from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from programme.actions import do_programme_import
from programme.programme_file import ProgrammeFileError, read_programme_file


def default_file() -> Path:
    """The programme file the municipality's data directory names."""
    directory = Path(settings.MUNICIPALITY_DIR)
    return directory / settings.MUNICIPALITY["programme"]


class Command(BaseCommand):
    help = "Import a programme file (format tillsammans-programme/1). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=default_file(), type=Path)

    def handle(self, *args, path: Path, verbosity: int, **options):
        try:
            data = read_programme_file(path)
        except ProgrammeFileError as error:
            raise CommandError(
                _("%(path)s: %(error)s Nothing was changed.") % {"path": path, "error": error}
            ) from error
        report = do_programme_import(data=data)
        if verbosity > 1:
            for line in report.created:
                self.stdout.write(f"  + {line}")
        for line in report.updated:
            self.stdout.write(f"  ~ {line}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{data.name_sv}: {len(report.created)} created, {len(report.updated)} updated, "
                f"{report.unchanged} unchanged."
            )
        )
