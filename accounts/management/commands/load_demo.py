from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Membership, Organisation, User
from accounts.roles import ADMINISTRATOR, MODERATOR, RESPONDER, ensure_staff_groups
from programme.models import Fokusomrade, Forvaltning

DEMO_PASSWORD = "demo-tillsammans"  # noqa: S105 (documented in README; never in production)

DEMO_USERS = [
    # email, display name, staff roles, förvaltning
    ("boende@example.org", "Sara Lindqvist", [], None),
    ("forening@example.org", "Ahmed Haddad", [], None),
    ("foretag@example.org", "Karin Persson", [], None),
    ("moderator@example.org", "Maria Berg (moderator)", [MODERATOR], None),
    ("handlaggare@example.org", "Jonas Ek (handläggare)", [RESPONDER], "kulturforvaltningen"),
    ("admin@example.org", "Eva Lund (administratör)", [ADMINISTRATOR], None),
]

DEMO_ORGANISATIONS = [
    {
        "slug": "dalhems-grannskapsforening",
        "name": "Dalhems grannskapsförening",
        "kind": Organisation.Kind.FORENING,
        "description": (
            "Vi är grannar i Dalhem som ordnar städdagar, läxhjälp och fester på gården. "
            "Vi har en föreningslokal med plats för 40 personer och ett trettiotal "
            "aktiva medlemmar."
        ),
        "website": "https://example.org/dalhem",
        "is_verified": True,
        "fokusomraden": [
            "vi-har-mojligheter-till-kontakt-med-andra-manniskor-varje-dag",
            "vi-ser-till-barn-och-ungas-perspektiv",
        ],
        "members": [("forening@example.org", Membership.Role.ADMIN)],
    },
    {
        "slug": "oresundscykel-ab",
        "name": "Öresundscykel AB",
        "kind": Organisation.Kind.FORETAG,
        "description": (
            "Cykelverkstad och uthyrning vid Knutpunkten. Vi lånar gärna ut verktyg och "
            "mekaniker till initiativ som får fler att röra på sig."
        ),
        "website": "https://example.org/oresundscykel",
        "is_verified": False,
        "fokusomraden": ["vi-inspirerar-till-ett-aktivt-och-halsosamt-liv"],
        "members": [("foretag@example.org", Membership.Role.MEMBER)],
    },
]


class Command(BaseCommand):
    help = "Create the demo accounts and organisations. Refuses to run outside the demo setup."

    def handle(self, *args, **options):
        if not settings.DEMO_CONTENT_ALLOWED:
            raise CommandError(
                "Demo content is only loaded where DEMO_CONTENT_ALLOWED is on (the default with "
                "DEBUG=1). Production never has demo accounts."
            )
        ensure_staff_groups()
        with transaction.atomic():
            users = {row[0]: self._user(*row) for row in DEMO_USERS}
            for data in DEMO_ORGANISATIONS:
                self._organisation(data, users)
        self.stdout.write(self.style.SUCCESS("Demo accounts (password: demo-tillsammans):"))
        for email, name, _roles, _forvaltning in DEMO_USERS:
            self.stdout.write(f"  {email:<26} {name}")

    def _user(self, email: str, name: str, roles: list[str], forvaltning: str | None) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, display_name=name)
        if forvaltning:
            user.forvaltning = Forvaltning.objects.get(slug=forvaltning)
            user.save(update_fields=["forvaltning"])
        user.groups.add(*Group.objects.filter(name__in=roles))
        if ADMINISTRATOR in roles and not user.is_staff:
            # The staff screens are Django's admin site, which lets only staff in.
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _organisation(self, data: dict, users: dict[str, User]) -> None:
        fields = {
            key: value
            for key, value in data.items()
            if key not in {"slug", "fokusomraden", "members"}
        }
        # The demo organisations are shown at once, as if a moderator had approved them.
        fields["review_state"] = Organisation.Review.APPROVED
        organisation, _created = Organisation.objects.get_or_create(
            slug=data["slug"], defaults=fields
        )
        organisation.fokusomraden.add(*Fokusomrade.objects.filter(slug__in=data["fokusomraden"]))
        for email, role in data["members"]:
            Membership.objects.get_or_create(
                organisation=organisation, user=users[email], defaults={"role": role}
            )
