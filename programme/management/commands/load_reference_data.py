import json
from pathlib import Path

from django.core.management.base import BaseCommand

from programme.actions import do_reference_data_load

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "helsingborg.json"


class Command(BaseCommand):
    help = "Load Helsingborg's administrations (förvaltningar) and districts (stadsdelar)."

    def handle(self, *args, **options):
        data = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
        report = do_reference_data_load(
            forvaltningar=data["forvaltningar"], stadsdelar=data["stadsdelar"]
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data: {len(report.created)} created, {len(report.updated)} updated, "
                f"{report.unchanged} unchanged."
            )
        )
