from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ideas.models import Initiative
from moderation.models import AdmissibilityReason


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
        """One sentence saying what happened, in the active language."""
        title = self.initiative.title if self.initiative_id else ""
        actor = self.actor.public_name if self.actor_id else gettext("Someone")
        kind = self.Kind
        if self.kind == kind.COMMENT_ON_MY_INITIATIVE:
            text = gettext("%(actor)s commented on your initiative “%(title)s”.")
        elif self.kind == kind.REPLY_TO_MY_COMMENT:
            text = gettext("%(actor)s answered your comment on “%(title)s”.")
        elif self.kind == kind.COMMENT_ON_FOLLOWED:
            text = gettext("%(actor)s commented on “%(title)s”, which you follow.")
        elif self.kind == kind.STATUS_CHANGED:
            status = dict(Initiative.Status.choices).get(self.extra.get("status"))
            if status is None:
                text = gettext("The status of “%(title)s” changed.")
            else:
                text = gettext("The status of “%(title)s” is now: %(status)s.")
                return text % {"title": title, "status": status}
        elif self.kind == kind.OFFICIAL_RESPONSE:
            text = gettext("The city has answered “%(title)s”.")
        elif self.kind == kind.MODERATION_DECISION:
            text = self._decision_sentence()
        elif self.kind == kind.THRESHOLD_REACHED:
            if self.initiative_id and self.initiative.author_id == self.recipient_id:
                text = gettext("Your initiative “%(title)s” has the supports it needs.")
            else:
                text = gettext("“%(title)s”, which you follow, has the supports it needs.")
        elif self.kind == kind.PARTNER_OFFER:
            text = gettext("%(actor)s offers to help with your initiative “%(title)s”.")
        elif self.kind == kind.PARTNER_ANSWER:
            text = self._partner_answer_sentence()
        elif self.kind == kind.PARTNER_MESSAGE:
            text = gettext("%(actor)s wrote about helping with “%(title)s”.")
        elif self.initiative_id:
            text = gettext("Something on “%(title)s” waits for moderation.")
        else:
            text = gettext("Something waits for moderation.")
        return text % {"actor": actor, "title": title}

    def _partner_answer_sentence(self) -> str:
        status = self.extra.get("status")
        if status == "accepted":
            return gettext("%(actor)s accepted the offer to help with “%(title)s”.")
        if status == "declined":
            return gettext("%(actor)s declined the offer to help with “%(title)s”.")
        if status == "withdrawn":
            return gettext("%(actor)s withdrew the offer to help with “%(title)s”.")
        return gettext("%(actor)s ended the partnership on “%(title)s”.")

    def _decision_sentence(self) -> str:
        decision = self.extra.get("decision")
        if decision == "approve":
            return gettext("Your initiative “%(title)s” was approved and published.")
        if decision == "reject":
            return gettext("Your initiative “%(title)s” was not approved.")
        if decision == "send_back":
            return gettext(
                "A moderator asks you to change your initiative “%(title)s” before it is published."
            )
        if decision in {"hide", "auto_hide"}:
            return gettext("A moderator hid your content on “%(title)s”.")
        if decision == "unhide":
            return gettext("Your content on “%(title)s” is shown again.")
        return gettext("A moderator made a decision about your content on “%(title)s”.")

    def details(self) -> str:
        """Why: the reasons of a moderation decision, in the reader's language."""
        if self.kind != self.Kind.MODERATION_DECISION:
            return ""
        labels = dict(AdmissibilityReason.choices)
        parts = [str(labels[code]) for code in self.extra.get("reasons", []) if code in labels]
        if self.extra.get("text"):
            parts.append(self.extra["text"])
        return " ".join(parts)


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
