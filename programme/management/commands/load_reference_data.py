import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from programme.actions import do_reference_data_load


class Command(BaseCommand):
    help = (
        "Apply the municipality's data file to its administrations (förvaltningar) and "
        "districts (stadsdelar): create the missing, update the changed."
    )

    def handle(self, *args, **options):
        path = Path(settings.MUNICIPALITY_DIR) / "municipality.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        report = do_reference_data_load(
            forvaltningar=data["forvaltningar"], stadsdelar=data["stadsdelar"]
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data: {len(report.created)} created, {len(report.updated)} updated, "
                f"{report.unchanged} unchanged."
            )
        )
