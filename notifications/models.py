from django.conf import settings
from django.db import models
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    """How often a person wants email about one category of notifications."""

    IMMEDIATE = "immediate", _("Immediately")
    DIGEST = "digest", _("In a daily digest")
    NONE = "none", _("No email")


class FollowQuerySet(models.QuerySet):
    def active(self) -> "FollowQuerySet":
        return self.filter(active=True)


class Follow(models.Model):
    """A person follows an initiative. Stopping keeps the row, inactive, so that an automatic
    follow (after a comment, say) never starts again what the person stopped."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    initiative = models.ForeignKey(
        "ideas.Initiative", on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)
    active = models.BooleanField(_("following"), default=True)

    objects = FollowQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["user", "initiative"], name="follow_once_per_person"),
        ]
        indexes = [models.Index(fields=["initiative", "active"], name="follow_initiative_active")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.initiative_id}"


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def for_centre(self) -> "NotificationQuerySet":
        """What an item shows, fetched without one query per item."""
        return self.select_related("initiative", "actor").order_by("-created_at", "-pk")


class Notification(models.Model):
    class Kind(models.TextChoices):
        COMMENT_ON_MY_INITIATIVE = "comment_on_my_initiative", _("Comment on my initiative")
        REPLY_TO_MY_COMMENT = "reply_to_my_comment", _("Answer to my comment")
        COMMENT_ON_FOLLOWED = "comment_on_followed", _("Comment on an initiative I follow")
        STATUS_CHANGED = "status_changed", _("Status changed")
        OFFICIAL_RESPONSE = "official_response", _("Official response")
        MODERATION_DECISION = "moderation_decision", _("Moderation decision")
        THRESHOLD_REACHED = "threshold_reached", _("Support threshold reached")
        PARTNER_OFFER = "partner_offer", _("Partner offer")
        PARTNER_ANSWER = "partner_answer", _("Answer about a partner offer")
        PARTNER_MESSAGE = "partner_message", _("Message about a partner offer")
        MODERATION_ALERT = "moderation_alert", _("Waiting for moderation")
        ANSWER_DUE = "answer_due", _("Answer due soon")

    class Email(models.TextChoices):
        PENDING_IMMEDIATE = "pending_immediate", _("To be sent shortly")
        PENDING_DIGEST = "pending_digest", _("To be sent in the digest")
        SENT = "sent", _("Sent")
        NOT_SENT = "not_sent", _("Not sent (no email wanted)")
        FAILED = "failed", _("Failed")

    PENDING = [Email.PENDING_IMMEDIATE, Email.PENDING_DIGEST]

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    initiative = models.ForeignKey(
        "ideas.Initiative",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    comment = models.ForeignKey(
        "ideas.Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Which email preference applies: the person's own content, or initiatives they follow.
    own_content = models.BooleanField(default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email = models.CharField(
        _("email"), max_length=20, choices=Email.choices, default=Email.NOT_SENT
    )
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("send attempts"), default=0)
    # Small display parameters only, such as a status or a decision code.
    extra = models.JSONField(default=dict, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at", "created_at"], name="notification_unread"),
            models.Index(fields=["email", "recipient"], name="notification_email_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    def get_absolute_url(self) -> str:
        """Opening the notification marks it read, then leads to what it is about."""
        return reverse("notifications:open", kwargs={"pk": self.pk})

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def target_url(self) -> str:
        if self.extra.get("offer"):
            return reverse("partners:offer", kwargs={"pk": self.extra["offer"]})
        if self.initiative_id is None:
            return reverse("notifications:list")
        url = self.initiative.get_absolute_url()
        return f"{url}#kommentar-{self.comment_id}" if self.comment_id else url

    def sentence(self) -> str:
        """One sentence saying what happened, in the active language. Its wording is the
        template of its kind (templates/notifications/kinds/), which the app that notifies owns
        in all but place: this model knows no other app's statuses or reasons."""
        return self._render(get_template(f"notifications/kinds/{self.kind}.txt"))

    def details(self) -> str:
        """Why, when the kind has more to say (a moderation decision's reasons): the template
        `<kind>_details.txt` beside the sentence's, or nothing."""
        try:
            template = get_template(f"notifications/kinds/{self.kind}_details.txt")
        except TemplateDoesNotExist:
            return ""
        return self._render(template)

    def _render(self, template) -> str:
        context = {
            "notification": self,
            "extra": self.extra,
            "title": self.initiative.title if self.initiative_id else "",
            "actor": self.actor.public_name if self.actor_id else gettext("Someone"),
        }
        # Plain text: the pages and emails that show it escape it where they need to.
        return str.strip(template.render(context))


class NotificationSettings(models.Model):
    """A person's email preferences; made when first needed, with the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    own_content = models.CharField(
        _("about your own initiatives and comments"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.IMMEDIATE,
    )
    followed = models.CharField(
        _("about initiatives you follow"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.DIGEST,
    )
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.own_content}/{self.followed}"

    @classmethod
    def for_user(cls, user) -> "NotificationSettings":
        settings_, _created = cls.objects.get_or_create(user=user)
        return settings_

    def frequency(self, *, own_content: bool) -> str:
        return self.own_content if own_content else self.followed
