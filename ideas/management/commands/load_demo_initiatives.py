import random
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.management.commands.load_demo import DEMO_PASSWORD
from accounts.models import Organisation, User
from ideas import demo_data
from ideas.actions import (
    comment_add,
    do_initiative_publish,
    do_recent_supports_refresh,
    initiative_save,
    initiative_submit,
    support_set,
)
from ideas.models import Comment, Initiative, InitiativeEvent, Support, SupportRule
from notifications.actions import muted
from programme.models import Fokusomrade, Prioritering, Stadsdel

Status = Initiative.Status


class Command(BaseCommand):
    help = (
        "Create about 30 demo initiatives with supports and comments, written by the demo "
        "accounts. Run load_demo first. Running it again adds nothing that already exists."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_CONTENT_ALLOWED:
            raise CommandError(
                "Demo content is only loaded where DEMO_CONTENT_ALLOWED is on (the default with "
                "DEBUG=1). Production never has demo initiatives."
            )
        self.now = timezone.now()
        # Demo history tells no one: notifications about it would only fill the console.
        with muted(), transaction.atomic():
            accounts, new_accounts = self._accounts()
            self.accounts = accounts
            # Everyone who may support: every demo resident except the city's staff.
            self.supporters = [
                user for key, user in sorted(accounts.items()) if key not in {"maria"}
            ]
            created, skipped, supports, comments = 0, 0, 0, 0
            for data in demo_data.INITIATIVES:
                author = accounts[data["author"]]
                if Initiative.objects.filter(author=author, slug=slugify(data["title"])).exists():
                    skipped += 1
                    continue
                added_supports, added_comments = self._initiative(data, author)
                created += 1
                supports += added_supports
                comments += added_comments
            # The supports were dated back above; count this week's for the trending sort.
            do_recent_supports_refresh()

        public = Initiative.objects.public().count()
        in_review = Initiative.objects.filter(status=Status.SUBMITTED).count()
        drafts = Initiative.objects.filter(status=Status.DRAFT).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo initiatives: {created} created, {skipped} already there "
                f"({new_accounts} new demo accounts, {supports} supports, {comments} comments)."
            )
        )
        self.stdout.write(f"  in total {public} public, {in_review} in review, {drafts} in draft")
        self.stdout.write(
            "  demo residents (password: demo-tillsammans): "
            + ", ".join(email for email, _name in demo_data.RESIDENTS)
        )

    def _accounts(self) -> tuple[dict[str, User], int]:
        """Every demo account by its short key: the load_demo people, the residents, and the
        supporters (`stodjare-001`…). The residents share one password hash, hashed once."""
        wanted = dict(demo_data.RESIDENTS)
        wanted |= {
            demo_data.SUPPORTER_EMAIL.format(number): self._supporter_name(number)
            for number in range(1, demo_data.SUPPORTER_COUNT + 1)
        }
        existing = set(User.objects.filter(email__in=wanted).values_list("email", flat=True))
        resident_hash = make_password(DEMO_PASSWORD)
        residents = {email for email, _name in demo_data.RESIDENTS}
        User.objects.bulk_create(
            User(
                email=email,
                display_name=name,
                password=resident_hash if email in residents else make_password(None),
            )
            for email, name in wanted.items()
            if email not in existing
        )
        users = {
            user.email: user
            for user in User.objects.filter(
                email__in=[*wanted, *demo_data.PEOPLE.values()]
            ).order_by("email")
        }
        missing = [email for email in demo_data.PEOPLE.values() if email not in users]
        if missing:
            raise CommandError(f"Run `manage.py load_demo` first: {', '.join(missing)} missing.")
        verified = set(
            EmailAddress.objects.filter(user__in=users.values()).values_list("email", flat=True)
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=email, verified=True, primary=True)
            for email, user in users.items()
            if email not in verified
        )
        by_email = {email: key for key, email in demo_data.PEOPLE.items()}
        accounts = {by_email.get(email, email.split("@")[0]): user for email, user in users.items()}
        return accounts, len(wanted) - len(existing)

    @staticmethod
    def _supporter_name(number: int) -> str:
        first = demo_data.FIRST_NAMES[number % len(demo_data.FIRST_NAMES)]
        initial = demo_data.LAST_INITIALS[(number * 7) % len(demo_data.LAST_INITIALS)]
        return f"{first} {initial}."

    def _initiative(self, data: dict, author: User) -> tuple[int, int]:
        """Create one initiative through the actions, then date it back to look lived-in."""
        rng = random.Random(data["title"])
        fokusomrade = self._fokusomrade(data["fokusomrade"])
        prioriteringar = list(
            Prioritering.objects.filter(fokusomrade=fokusomrade, slug__in=data["prioriteringar"])
        )
        if len(prioriteringar) != len(data["prioriteringar"]):
            raise CommandError(f"Unknown prioriteringar in {data['title']!r}.")
        stadsdel = None
        if data["stadsdel"]:
            stadsdel = Stadsdel.objects.filter(slug=data["stadsdel"]).first()
            if stadsdel is None:
                raise CommandError("Run `manage.py load_reference_data` first.")
        organisation = None
        if data.get("organisation"):
            organisation = Organisation.objects.get(slug=data["organisation"])
        needs = data.get("partner_needs", [])
        fields = {
            "title": data["title"],
            "summary": data["summary"],
            "body": data["body"],
            "fokusomrade": fokusomrade,
            "stadsdel": stadsdel,
            "seeking_partners": bool(needs),
            "partner_needs": needs,
            "partner_needs_text": data.get("partner_needs_text", ""),
            "image_alt": "",
        }
        initiative = initiative_save(
            user=author, fields=fields, prioriteringar=prioriteringar, organisation=organisation
        )
        target = data.get("status", Status.PUBLISHED)
        if target != Status.DRAFT:
            initiative = initiative_submit(user=author, initiative=initiative)
        if target == Status.PUBLISHED and initiative.status == Status.SUBMITTED:
            initiative = do_initiative_publish(initiative=initiative, actor=self.accounts["maria"])
        self._backdate(initiative, days_ago=data["days_ago"], rng=rng)
        if not initiative.is_public:
            return 0, 0
        return self._support(initiative, data, rng), self._comment(initiative, data, rng)

    @staticmethod
    def _fokusomrade(slug: str) -> Fokusomrade:
        fokusomrade = Fokusomrade.objects.filter(
            slug=slug, viljeinriktning__programme__slug=demo_data.PROGRAMME
        ).first()
        if fokusomrade is None:
            raise CommandError("Run `manage.py import_programme` first.")
        return fokusomrade

    def _backdate(self, initiative: Initiative, *, days_ago: int, rng: random.Random) -> None:
        """Spread the timeline over the past weeks: written, submitted, then published."""
        moment = self.now - timedelta(days=days_ago, hours=rng.randint(0, 9))
        if initiative.is_public:
            published_at = moment
            submitted_at = published_at - timedelta(hours=rng.randint(3, 40))
        else:
            published_at = None
            submitted_at = moment if initiative.status == Status.SUBMITTED else None
        created_at = (submitted_at or moment) - timedelta(hours=rng.randint(1, 72))
        dates = {"created_at": created_at, "submitted_at": submitted_at}
        if published_at is not None:
            dates["published_at"] = published_at
            period = timedelta(days=SupportRule.current().period_days)
            dates["support_ends_at"] = published_at + period
        Initiative.objects.filter(pk=initiative.pk).update(**dates)
        for name, value in dates.items():
            setattr(initiative, name, value)
        for status, when in [
            (Status.DRAFT, created_at),
            (Status.SUBMITTED, submitted_at),
            (Status.PUBLISHED, published_at),
        ]:
            if when is not None:
                initiative.events.filter(kind=InitiativeEvent.Kind.STATUS, status=status).update(
                    created_at=when
                )

    def _moments(self, start: datetime, count: int, rng: random.Random, skew: float) -> list:
        """`count` moments between start and now; skew < 1 crowds them lately, > 1 early."""
        span = self.now - timedelta(minutes=5) - start
        return [start + span * (rng.random() ** skew) for _ in range(count)]

    def _support(self, initiative: Initiative, data: dict, rng: random.Random) -> int:
        pool = [user for user in self.supporters if user.pk != initiative.author_id]
        users = rng.sample(pool, data["supports"])
        for user in users:
            support_set(user=user, initiative=initiative, supported=True)
        skew = {"hot": 0.35, "cooling": 2.5}.get(data.get("trend"), 1.0)
        supports = list(Support.objects.filter(initiative=initiative).order_by("pk"))
        for support, when in zip(
            supports,
            self._moments(initiative.published_at, len(supports), rng, skew),
            strict=True,
        ):
            support.created_at = when
        Support.objects.bulk_update(supports, ["created_at"])
        return len(users)

    def _comment(self, initiative: Initiative, data: dict, rng: random.Random) -> int:
        added = []
        for thread in data.get("comments", []):
            parent = comment_add(
                user=self.accounts[thread["by"]], initiative=initiative, body=thread["text"]
            )
            added.append(parent)
            for reply in thread.get("replies", []):
                added.append(
                    comment_add(
                        user=self.accounts[reply["by"]],
                        initiative=initiative,
                        body=reply["text"],
                        parent=parent,
                    )
                )
        # Sorted moments in thread order keep every answer after the comment it answers.
        start = initiative.published_at + timedelta(hours=1)
        for comment, when in zip(
            added, sorted(self._moments(start, len(added), rng, 1.0)), strict=True
        ):
            comment.created_at = when
        Comment.objects.bulk_update(added, ["created_at"])
        return len(added)
