from django.core.management.base import BaseCommand

from notifications.tasks import send_digests


class Command(BaseCommand):
    help = (
        "Queue the daily digest email for everyone who has notifications waiting for one and "
        "has had no digest in the last 24 hours. Safe to run as often as you like."
    )

    def handle(self, *args, **options) -> None:
        count = send_digests.call()
        self.stdout.write(f"Queued {count} digest(s).")
