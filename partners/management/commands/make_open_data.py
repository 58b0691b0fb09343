from django.core.management.base import BaseCommand

from partners.open_data import dump_exists, make_dump
from partners.tasks import make_open_data


class Command(BaseCommand):
    help = (
        "Write today's open-data dump (CSV, JSON and a README of every column) under "
        "MEDIA_ROOT/open-data/<date>/ and point open-data/latest.json at it. Once a day: when "
        "today's dump exists it does nothing, so the scheduler may run it every ten minutes. "
        "With --enqueue the task worker writes it instead."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the dump for the task worker instead of writing it here.",
        )

    def handle(self, *args, enqueue: bool = False, **options) -> None:
        if dump_exists():
            self.stdout.write("Open data: today's dump exists already.")
        elif enqueue:
            make_open_data.enqueue()
            self.stdout.write("Open data: today's dump is queued for the worker.")
        else:
            folder = make_dump()
            written = f"written to {folder}" if folder else "today's dump exists already"
            self.stdout.write(f"Open data: {written}.")
