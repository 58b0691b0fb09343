from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser, Group
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import (
    Block,
    IdentityVerification,
    Invitation,
    Membership,
    Organisation,
    User,
)
from accounts.roles import MODERATOR, RESPONDER, ensure_staff_groups
from ideas.models import (
    Comment,
    Initiative,
    InitiativeEvent,
    InitiativeVersion,
    OfficialResponse,
    Support,
)
from moderation.models import Flag, ModerationDecision
from notifications.models import Follow, Notification, NotificationSettings
from pages.models import TrustPage
from partners.models import OfferMessage, PartnerOffer
from programme.models import (
    Fokusomrade,
    Forvaltning,
    Prioritering,
    Programme,
    Stadsdel,
    Viljeinriktning,
)

PASSWORD = "a-long-test-password-42"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    """A resident: an account with a verified email address."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name", locale="sv_SE")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, verified=extracted is not False, primary=True
            )


class UnverifiedUserFactory(UserFactory):
    """Signed up, but has not yet confirmed the email address."""

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=False, primary=True)


def _staff(user: User, role: str) -> User:
    ensure_staff_groups()
    user.groups.add(Group.objects.get(name=role))
    return user


class ModeratorFactory(UserFactory):
    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            _staff(self, MODERATOR)


class ForvaltningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forvaltning
        django_get_or_create = ["slug"]

    slug = "kulturforvaltningen"
    name_sv = "Kulturförvaltningen"
    name_en = "Culture Administration"


class ResponderFactory(UserFactory):
    forvaltning = factory.SubFactory(ForvaltningFactory)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            _staff(self, RESPONDER)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    slug = factory.Sequence(lambda n: f"programme-{n}")
    name_sv = "Livskvalitetsprogrammet"
    name_en = "The Quality of Life Programme"
    owner = "Helsingborgs stad"
    valid_from = factory.Faker("date_between", start_date="-10y", end_date="-5y")
    valid_to = None


class ViljeinriktningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Viljeinriktning

    programme = factory.SubFactory(ProgrammeFactory)
    position = factory.Sequence(lambda n: n + 100)
    slug = factory.Sequence(lambda n: f"viljeinriktning-{n}")
    title_sv = factory.Sequence(lambda n: f"Viljeinriktning {n}")
    title_en = factory.Sequence(lambda n: f"Direction {n}")
    short_title_sv = factory.SelfAttribute("title_sv")


class FokusomradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fokusomrade

    viljeinriktning = factory.SubFactory(ViljeinriktningFactory)
    position = factory.Sequence(lambda n: n + 100)
    slug = factory.Sequence(lambda n: f"fokusomrade-{n}")
    title_sv = factory.Sequence(lambda n: f"Fokusområde {n}")
    title_en = factory.Sequence(lambda n: f"Focus area {n}")


class PrioriteringFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prioritering

    fokusomrade = factory.SubFactory(FokusomradeFactory)
    position = factory.Sequence(lambda n: n + 100)
    slug = factory.Sequence(lambda n: f"prioritering-{n}")
    tag = factory.Sequence(lambda n: f"tagg{n}")
    summary_sv = factory.Sequence(lambda n: f"Prioritering {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.FORENING
    name = factory.Sequence(lambda n: f"Förening {n}")
    slug = factory.Sequence(lambda n: f"forening-{n}")
    description = "Vi ordnar aktiviteter i stadsdelen."
    # Approved, as every organisation was before approval was asked for; pass PENDING for a new one.
    review_state = Organisation.Review.APPROVED


class IdentityVerificationFactory(factory.django.DjangoModelFactory):
    """A person verified with e-legitimation: the verification and the flag on the account.
    The digest stands for a number's keyed hash (accounts.identity); it is no real number's."""

    class Meta:
        model = IdentityVerification

    user = factory.SubFactory(UserFactory, is_verified_resident=True)
    digest = factory.Sequence(lambda n: f"{n:064x}")
    level_of_assurance = "http://id.elegnamnden.se/loa/1.0/loa3"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invited{n}@example.org")
    role = Membership.Role.MEMBER
    invited_by = factory.SubFactory(UserFactory)


class InitiativeFactory(factory.django.DjangoModelFactory):
    """A published initiative, open for support, unless told otherwise."""

    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Fler parkbänkar längs Sundstorget {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "Sittplatser i skuggan för alla som promenerar längs vattnet."
    body = "Vi föreslår **tio nya bänkar**."
    body_html = "<p>Vi föreslår <strong>tio nya bänkar</strong>.</p>"
    fokusomrade = factory.SubFactory(FokusomradeFactory)
    author = factory.SubFactory(UserFactory)
    status = Initiative.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    support_ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=90))
    support_threshold = 100

    @factory.post_generation
    def searchable(self, create, extracted, **kwargs):
        """Store the search vector as the saving action does, so searches find it on PostgreSQL."""
        if create:
            Initiative.objects.filter(pk=self.pk).refresh_search_vector()


def initiative_fields(**fields) -> dict:
    """The fields of the proposal form, as ideas.actions.initiative_save takes them: a title, a
    text and a new focus area unless given."""
    defaults = {
        "title": "Lekplats i Fredriksdal",
        "summary": "En lekplats för de minsta.",
        "body": "## Varför\n\nBarnen behöver en plats att leka på.",
        "stadsdel": None,
        "seeking_partners": False,
        "partner_needs": [],
        "partner_needs_text": "",
        "image_alt": "",
    }
    if "fokusomrade" not in fields:
        fields["fokusomrade"] = FokusomradeFactory()
    return defaults | fields


def published_edit(initiative: Initiative, **changes) -> Initiative:
    """The author's edit of an initiative as the edit form sends it: its current fields, with
    `changes`, through ideas.actions.initiative_save."""
    from ideas.actions import initiative_save

    fields = initiative_fields(
        title=initiative.title,
        summary=initiative.summary,
        body=initiative.body,
        fokusomrade=initiative.fokusomrade,
    )
    return initiative_save(
        user=initiative.author,
        initiative=initiative,
        fields=fields | changes,
        prioriteringar=[],
        version=initiative.version,
    )


class DraftFactory(InitiativeFactory):
    status = Initiative.Status.DRAFT
    published_at = None
    support_ends_at = None
    support_threshold = 0


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    initiative = factory.SubFactory(InitiativeFactory)
    author = factory.SubFactory(UserFactory)
    body = "Bra idé!"
    body_html = "<p>Bra idé!</p>"


class StadsdelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stadsdel

    slug = factory.Sequence(lambda n: f"stadsdel-{n}")
    name = factory.Sequence(lambda n: f"Stadsdel {n}")
    area = Stadsdel.Area.CENTRAL


class OfficialResponseFactory(factory.django.DjangoModelFactory):
    """An answer written by a case officer of the initiative's administration."""

    class Meta:
        model = OfficialResponse

    initiative = factory.SubFactory(InitiativeFactory)
    author = factory.SubFactory(ResponderFactory)
    forvaltning = factory.SelfAttribute("author.forvaltning")
    body = "Förvaltningen ställer ut fem bänkar i vår."
    body_html = "<p>Förvaltningen ställer ut fem bänkar i vår.</p>"
    status = Initiative.Status.WILL_BE_DONE


class BlockFactory(factory.django.DjangoModelFactory):
    """A block in force for a week, given by a moderator."""

    class Meta:
        model = Block

    user = factory.SubFactory(UserFactory)
    moderator = factory.SubFactory(ModeratorFactory)
    reason = "Upprepade personangrepp."
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(days=7))


def person(role: str, *, author=None, organisation=None):
    """One person of a role the permission grids ask about: visitor, unverified, resident,
    org_member, org_admin, author (`author`), moderator, responder or blocked. The organisation
    roles belong to `organisation`, or to one of their own."""
    joins = {"organisation": organisation} if organisation is not None else {}
    match role:
        case "visitor":
            return AnonymousUser()
        case "unverified":
            return UnverifiedUserFactory()
        case "resident":
            return UserFactory()
        case "org_member":
            return MembershipFactory(**joins).user
        case "org_admin":
            return MembershipFactory(role=Membership.Role.ADMIN, **joins).user
        case "author":
            return author
        case "moderator":
            return ModeratorFactory()
        case "responder":
            return ResponderFactory()
        case "blocked":
            return blocked_user()
    raise ValueError(f"no such role: {role}")


def blocked_user(**fields) -> User:
    """A resident whom a moderator has blocked (for a week unless told otherwise): may read, not
    write. `fields` go to the block."""
    return BlockFactory(**fields).user


class ModerationDecisionFactory(factory.django.DjangoModelFactory):
    """An entry of the moderation log: a moderator hid a comment."""

    class Meta:
        model = ModerationDecision

    moderator = factory.SubFactory(ModeratorFactory)
    action = ModerationDecision.Action.HIDE
    comment = factory.SubFactory(CommentFactory)
    subject_user = factory.SelfAttribute("comment.author")
    text = "Personangrepp."
    state_before = factory.LazyFunction(lambda: {"hidden": False, "removed": False})
    state_after = factory.LazyFunction(lambda: {"hidden": True, "removed": False})


class PartnerOfferFactory(factory.django.DjangoModelFactory):
    """A person offers help with an initiative that seeks partners."""

    class Meta:
        model = PartnerOffer

    initiative = factory.SubFactory(
        InitiativeFactory, seeking_partners=True, partner_needs=["venue"]
    )
    offered_by = factory.SubFactory(UserFactory)
    message = "Vi har en lokal."


class OfferMessageFactory(factory.django.DjangoModelFactory):
    """A message in an offer's thread, from the one who offered."""

    class Meta:
        model = OfferMessage

    offer = factory.SubFactory(PartnerOfferFactory)
    author = factory.SelfAttribute("offer.offered_by")
    body = "När kan vi ses?"


class InitiativeEventFactory(factory.django.DjangoModelFactory):
    """A line of an initiative's timeline: it was published."""

    class Meta:
        model = InitiativeEvent

    initiative = factory.SubFactory(InitiativeFactory)
    status = factory.SelfAttribute("initiative.status")


class SupportFactory(factory.django.DjangoModelFactory):
    """A resident's support, as a row: the counters on the initiative are support_set's work,
    so tests of counts go through the action."""

    class Meta:
        model = Support

    initiative = factory.SubFactory(InitiativeFactory)
    user = factory.SubFactory(UserFactory)


class FlagFactory(factory.django.DjangoModelFactory):
    """A resident reports an initiative as spam."""

    class Meta:
        model = Flag

    reporter = factory.SubFactory(UserFactory)
    initiative = factory.SubFactory(InitiativeFactory)
    reason = Flag.Reason.SPAM


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    user = factory.SubFactory(UserFactory)
    initiative = factory.SubFactory(InitiativeFactory)


class NotificationFactory(factory.django.DjangoModelFactory):
    """A row of the notification centre, as do_notify writes it (without its live update)."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = Notification.Kind.COMMENT_ON_MY_INITIATIVE
    initiative = factory.SubFactory(InitiativeFactory, author=factory.SelfAttribute("..recipient"))
    actor = factory.SubFactory(UserFactory)


class NotificationSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationSettings
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)


class InitiativeVersionFactory(factory.django.DjangoModelFactory):
    """The text a published initiative had before its author's first edit."""

    class Meta:
        model = InitiativeVersion

    initiative = factory.SubFactory(InitiativeFactory)
    number = 1
    title = factory.SelfAttribute("initiative.title")
    summary = factory.SelfAttribute("initiative.summary")
    body = "Vi föreslår **nio nya bänkar**."
    fokusomrade = factory.SelfAttribute("initiative.fokusomrade")
    changed = factory.LazyFunction(lambda: ["body"])
    edited_by = factory.SelfAttribute("initiative.author")


class TrustPageFactory(factory.django.DjangoModelFactory):
    """A trust page: the four exist from the first migration on, so this takes the one asked
    for and gives it the text."""

    class Meta:
        model = TrustPage
        django_get_or_create = ["slug"]

    slug = TrustPage.Slug.CONTACT
    title_sv = "Kontakt"
    body_sv = "Ring kontaktcenter."


from ideas.models import AnswerReminder  # noqa: E402 — appended with its factory


class AnswerReminderFactory(factory.django.DjangoModelFactory):
    """The record that the week-ahead reminder about an initiative's answer went out."""

    class Meta:
        model = AnswerReminder

    initiative = factory.SubFactory(
        InitiativeFactory,
        forvaltning=factory.SubFactory(ForvaltningFactory),
        answer_due=factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7)),
    )
    forvaltning = factory.SelfAttribute("initiative.forvaltning")
    answer_due = factory.SelfAttribute("initiative.answer_due")
    days_before = 7


from ideas.models import SupportRule  # noqa: E402 — appended with its factory
from moderation.models import AdmissibilityRule  # noqa: E402 — appended with its factory


class SupportRuleFactory(factory.django.DjangoModelFactory):
    """The one support rule (a single row)."""

    class Meta:
        model = SupportRule
        django_get_or_create = ["id"]

    id = 1
    threshold = 100
    period_days = 90


class AdmissibilityRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdmissibilityRule

    code = factory.Sequence(lambda n: f"regel-{n}")
    text_sv = factory.Sequence(lambda n: f"Skäl nummer {n}.")
    text_en = factory.Sequence(lambda n: f"Reason number {n}.")
    position = factory.Sequence(lambda n: 100 + n)
