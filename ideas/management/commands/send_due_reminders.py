from django.core.management.base import BaseCommand

from ideas.reminders import do_answer_reminders_send


class Command(BaseCommand):
    help = (
        "Remind the case officers of the responsible administration that an answer is due, a "
        "week before the due date and on the day. Each reminder goes out once, so it is safe to "
        "run as often as you like; the scheduler runs it every ten minutes."
    )

    def handle(self, *args, **options) -> None:
        sent = do_answer_reminders_send()
        self.stdout.write(f"Due reminders: {sent} initiative(s) reminded.")
