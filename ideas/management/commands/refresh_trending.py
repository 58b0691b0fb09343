from django.core.management.base import BaseCommand

from ideas.actions import do_recent_supports_refresh


class Command(BaseCommand):
    help = (
        "Recount each initiative's supports of the last week for the trending sort, so that "
        "supports older than a week stop counting. Safe to run as often as you like; the "
        "scheduler runs it every ten minutes."
    )

    def handle(self, *args, **options) -> None:
        changed = do_recent_supports_refresh()
        self.stdout.write(f"Trending: {changed} initiative(s) recounted.")
