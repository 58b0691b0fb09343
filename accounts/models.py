import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

INVITATION_VALID_DAYS = 14


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. The email address is the login."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        help_text=_("Shown beside what you write. You may use a first name or a nickname."),
    )
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("May sign in to the admin site.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_verified_resident = models.BooleanField(
        _("verified resident"),
        default=False,
        help_text=_("Set by a stronger identity check, such as Swedish e-legitimation."),
    )
    forvaltning = models.ForeignKey(
        "programme.Forvaltning",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("administration"),
        help_text=_("For case officers: the administration they answer for."),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("moderate", _("Can moderate initiatives, comments and users")),
            ("respond", _("Can write official responses and set an initiative's status")),
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name shown beside what the person wrote; never their email address."""
        if self.is_deleted:
            return str(_("Deleted user"))
        return self.display_name

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class PartnerNeed(models.TextChoices):
    """What an initiative may need from a partner, and so what an organisation may offer."""

    VOLUNTEERS = "volunteers", _("Volunteers")
    VENUE = "venue", _("A venue")
    FUNDING = "funding", _("Funding")
    EXPERTISE = "expertise", _("Expertise")
    MATERIALS = "materials", _("Materials")


def organisation_number_digits(value: str) -> str:
    """The ten digits of an organisation number, whatever separator or spaces were typed."""
    return re.sub(r"[\s-]", "", value)


def validate_organisation_number(value: str) -> None:
    """An organisationsnummer: ten digits, the third 2 or more (a legal person's; a sole trader
    uses a personal identity number, which the site does not take), and the last a check digit
    by the Luhn algorithm."""
    digits = organisation_number_digits(value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError(
            _("Write the organisation number as ten digits, for example 212000-1108."),
            code="format",
        )
    if int(digits[2]) < 2:
        raise ValidationError(
            _(
                "This is not an organisation number: the third digit of one is 2 or more. A sole "
                "trader's number is a personal identity number; leave the field empty."
            ),
            code="group",
        )
    if luhn_sum(digits) % 10:
        raise ValidationError(
            _("The organisation number's last digit does not match the others. Check for a typo."),
            code="check_digit",
        )


def luhn_sum(digits: str) -> int:
    """The Luhn sum of the digits: every other digit from the right doubled, with the digits of
    the double added (a valid number's sum is divisible by ten)."""
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total


def offers_any(values: list[str]) -> models.Q:
    """Organisations whose `offers` list holds any of the values (a JSON text match: works on
    SQLite and PostgreSQL alike, and the values are fixed PartnerNeed codes)."""
    query = models.Q(pk__in=[])
    for value in values:
        query |= models.Q(offers__icontains=f'"{value}"')
    return query


class OrganisationQuerySet(models.QuerySet):
    def public(self) -> "OrganisationQuerySet":
        """Organisations anyone may see: those a moderator approved (or that were there before
        approval was asked for). Every public listing starts here."""
        return self.filter(review_state=Organisation.Review.APPROVED)

    def awaiting_review(self) -> "OrganisationQuerySet":
        return self.filter(review_state=Organisation.Review.PENDING)

    def with_member_counts(self) -> "OrganisationQuerySet":
        return self.annotate(member_count=models.Count("memberships", distinct=True))

    def directory(
        self,
        *,
        search: str = "",
        kind: str = "",
        fokusomrade: str = "",
        offer: str = "",
        stadsdel: str = "",
    ) -> "OrganisationQuerySet":
        """The organisation directory: those matching every filter given (an empty one is no
        filter), by name. `search` is found in the name or the description, whatever the case;
        `fokusomrade` and `stadsdel` are slugs, `offer` a PartnerNeed value. An organisation
        active in the whole city is active in every district."""
        organisations = self
        if search:
            organisations = organisations.filter(
                models.Q(name__icontains=search) | models.Q(description__icontains=search)
            )
        if kind:
            organisations = organisations.filter(kind=kind)
        # Subqueries rather than joins, so an organisation shows once whatever else it lists.
        if fokusomrade:
            organisations = organisations.filter(
                pk__in=self.model.objects.filter(fokusomraden__slug=fokusomrade).values("pk")
            )
        if offer:
            organisations = organisations.filter(offers_any([offer]))
        if stadsdel:
            organisations = organisations.filter(
                models.Q(whole_city=True)
                | models.Q(pk__in=self.model.objects.filter(stadsdelar__slug=stadsdel).values("pk"))
            )
        return organisations.order_by("name", "pk")


class Organisation(models.Model):
    class Kind(models.TextChoices):
        FORENING = "forening", _("Association")
        FORETAG = "foretag", _("Business")

    class Review(models.TextChoices):
        PENDING = "pending", _("Waiting for a moderator's approval")
        APPROVED = "approved", _("Approved by a moderator")
        REJECTED = "rejected", _("Not approved by a moderator")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    description = models.TextField(_("what we do"), max_length=4000, blank=True)
    website = models.URLField(_("website"), blank=True)
    fokusomraden = models.ManyToManyField(
        "programme.Fokusomrade",
        blank=True,
        related_name="organisations",
        verbose_name=_("focus areas of interest"),
    )
    prioriteringar = models.ManyToManyField(
        "programme.Prioritering",
        blank=True,
        related_name="organisations",
        verbose_name=_("priorities of interest"),
    )
    stadsdelar = models.ManyToManyField(
        "programme.Stadsdel",
        blank=True,
        related_name="organisations",
        verbose_name=_("districts where we are active"),
    )
    whole_city = models.BooleanField(_("active in the whole city"), default=False)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=11,
        blank=True,
        validators=[validate_organisation_number],
        help_text=_(
            "Ten digits, as in the Swedish Companies Registration Office's register "
            "(organisationsnummer), for example 212000-1108. Moderators check it before they "
            "mark the organisation verified."
        ),
    )
    # PartnerNeed values: what the organisation can give an initiative.
    offers = models.JSONField(_("what we can offer"), default=list, blank=True)
    offers_text = models.TextField(_("more about what we can offer"), max_length=1000, blank=True)
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
        help_text=_("A member who answers messages. People write through Tillsammans."),
    )
    is_verified = models.BooleanField(
        _("verified by staff"),
        default=False,
        help_text=_("Staff have checked that the organisation is what it says it is."),
    )
    # Shown to the public only once approved (settings.ORGANISATIONS_NEED_APPROVAL): a new
    # organisation starts pending unless accounts.actions.organisation_create says otherwise.
    review_state = models.CharField(
        _("review"), max_length=10, choices=Review.choices, default=Review.PENDING
    )
    review_reason = models.TextField(
        _("moderator's reason"),
        max_length=2000,
        blank=True,
        help_text=_("Why the organisation was not approved; its members see it."),
    )
    review_decided_at = models.DateTimeField(_("review decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations"
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organisation_unique_name_ci"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:organisation", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.review_state == self.Review.APPROVED

    def offer_labels(self) -> list[str]:
        labels = dict(PartnerNeed.choices)
        return [labels[offer] for offer in self.offers if offer in labels]

    @classmethod
    def unique_slug_for(cls, name: str) -> str:
        base = slugify(name)[:120] or "organisation"
        slug, counter = base, 2
        while cls.objects.filter(slug=slug).exists():
            slug, counter = f"{base}-{counter}", counter + 1
        return slug


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-role", "joined_at"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(
            accepted_at__isnull=True,
            declined_at__isnull=True,
            created_at__gte=timezone.now() - timedelta(days=INVITATION_VALID_DAYS),
        )


class Invitation(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    # When it was last sent: sending again to a pending address waits a day.
    sent_at = models.DateTimeField(_("last sent"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("accounts:invitation", kwargs={"token": self.token})

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.declined_at is None
            and self.created_at >= timezone.now() - timedelta(days=INVITATION_VALID_DAYS)
        )


class BlockQuerySet(models.QuerySet):
    def active(self, now=None) -> "BlockQuerySet":
        if now is None:
            now = timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gt=now, lifted_at__isnull=True)


class Block(models.Model):
    """A person may read but not write until the block ends by itself (or is lifted). Part of
    the person's standing, read on every request (accounts.permissions); moderators give and lift
    blocks (moderation.actions)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="blocks_given"
    )
    reason = models.TextField(_("reason"), max_length=2000)
    starts_at = models.DateTimeField(_("from"), default=timezone.now)
    ends_at = models.DateTimeField(_("until"))
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)

    objects = BlockQuerySet.as_manager()

    class Meta:
        # The table keeps the name it had while moderation held the model (migration 0003).
        db_table = "moderation_block"
        ordering = ["-starts_at"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="block_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} until {self.ends_at:%Y-%m-%d}"


class IdentityVerificationQuerySet(models.QuerySet):
    def of_identity(self, identity) -> "IdentityVerificationQuerySet":
        """The verification, of whichever account, that proved this identity (an
        accounts.identity.Identity): stored under as many keys as it was, whatever that is."""
        query = models.Q(pk__in=[])
        for layers, digest in enumerate(identity.digests, start=1):
            query |= models.Q(layers=layers, digest=digest)
        return self.filter(query)


class IdentityVerification(models.Model):
    """A person verified with Swedish e-legitimation (accounts.elegitimation). One identity
    verifies one account: the number's keyed hash is unique, and the number itself is kept
    nowhere (accounts.identity)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identity_verification"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # How many of IDENTITY_HASH_KEYS wrapped the digest (accounts.identity).
    layers = models.PositiveSmallIntegerField(default=1, editable=False)
    level_of_assurance = models.CharField(_("level of assurance"), max_length=200, blank=True)
    verified_at = models.DateTimeField(_("verified"), default=timezone.now)

    objects = IdentityVerificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("identity verification")
        verbose_name_plural = _("identity verifications")

    def __str__(self) -> str:
        return f"{self.user_id} ({self.level_of_assurance})"

    @property
    def assurance_label(self) -> str:
        """The level of assurance as people know it: "3" for the Swedish framework's
        .../loa/1.0/loa3, else as the broker sent it."""
        match = re.search(r"loa(\d)$", self.level_of_assurance)
        return match.group(1) if match else self.level_of_assurance
