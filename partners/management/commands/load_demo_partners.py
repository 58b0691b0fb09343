from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Organisation
from programme.models import Stadsdel

# What each demo organisation offers, and where it is active. The association offers a venue
# in Dalhem and next-door Drottninghög, where the cycle workshop initiative looks for one.
DEMO_PROFILES = {
    "dalhems-grannskapsforening": {
        "offers": ["venue", "volunteers"],
        "offers_text": (
            "Föreningslokalen i Dalhem (40 platser, kök) är ledig de flesta vardagskvällar och "
            "lördagar, och ett tiotal medlemmar hjälper gärna till."
        ),
        "stadsdelar": ["dalhem", "drottninghog"],
        "whole_city": False,
    },
    "oresundscykel-ab": {
        "offers": ["expertise", "materials"],
        "offers_text": "Mekaniker, verktyg och reservdelar till initiativ om cykling.",
        "stadsdelar": [],
        "whole_city": True,
    },
}


class Command(BaseCommand):
    help = (
        "Give the demo organisations partner profiles: what they offer and where they are "
        "active. Run load_demo and load_demo_initiatives first. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_CONTENT_ALLOWED:
            raise CommandError(
                "Demo content is only loaded where DEMO_CONTENT_ALLOWED is on (the default with "
                "DEBUG=1)."
            )
        updated = 0
        with transaction.atomic():
            for slug, profile in DEMO_PROFILES.items():
                organisation = Organisation.objects.filter(slug=slug).first()
                if organisation is None:
                    raise CommandError(f"The demo organisation {slug} is missing: run load_demo.")
                organisation.offers = profile["offers"]
                organisation.offers_text = profile["offers_text"]
                organisation.whole_city = profile["whole_city"]
                if organisation.contact_person_id is None:
                    organisation.contact_person = organisation.members.order_by(
                        "memberships__joined_at"
                    ).first()
                organisation.save()
                organisation.stadsdelar.set(Stadsdel.objects.filter(slug__in=profile["stadsdelar"]))
                updated += 1
        self.stdout.write(self.style.SUCCESS(f"Demo partner profiles: {updated} organisations."))
