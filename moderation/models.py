from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AdmissibilityReason(models.TextChoices):
    """Helsingborg's rules for proposals that cannot be taken up (data/helsingborg.json)."""

    OUTSIDE_MANDATE = (
        "outside_mandate",
        _(
            "It is outside the city's responsibilities: the Riksdag, a state agency, Region Skåne "
            "or a private actor decides."
        ),
    )
    NOT_A_PROPOSAL = (
        "not_a_proposal",
        _("It is a comment, a question or a fault report rather than a proposal."),
    )
    AUTHORITY = (
        "authority",
        _(
            "It concerns the exercise of authority over an individual, or a case in an ongoing "
            "legal dispute."
        ),
    )
    DUPLICATE = "duplicate", _("A similar proposal was made in the last six months.")
    UNLAWFUL = "unlawful", _("It breaks the law, discriminates or is otherwise offensive.")
    INTERNAL = "internal", _("It concerns the city's internal organisation or its staff.")


class FlagQuerySet(models.QuerySet):
    def open(self) -> "FlagQuerySet":
        return self.filter(resolved_at__isnull=True)


class Flag(models.Model):
    """A person's report that an initiative or a comment breaks the rules."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        OFFENSIVE = "offensive", _("Offensive or abusive")
        OFF_TOPIC = "off_topic", _("Off-topic")
        PERSONAL_DATA = "personal_data", _("Reveals personal data")
        OTHER = "other", _("Something else")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags_made"
    )
    initiative = models.ForeignKey(
        "ideas.Initiative", on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    comment = models.ForeignKey(
        "ideas.Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    text = models.TextField(_("more about it"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("flagged"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.CheckConstraint(
                condition=Q(initiative__isnull=False, comment__isnull=True)
                | Q(initiative__isnull=True, comment__isnull=False),
                name="flag_has_one_target",
            ),
            models.UniqueConstraint(
                fields=["reporter", "initiative"],
                condition=Q(initiative__isnull=False),
                name="flag_once_per_initiative",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(comment__isnull=False),
                name="flag_once_per_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.initiative_id or self.comment_id}"


class AppendOnlyError(Exception):
    """The moderation log is never changed or deleted, by any code path."""


class DecisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The moderation log is append-only.")

    def delete(self):
        raise AppendOnlyError("The moderation log is append-only.")

    def for_listing(self) -> "DecisionQuerySet":
        return self.select_related("moderator", "initiative", "comment", "subject_user")


class ModerationDecision(models.Model):
    """One entry of the append-only moderation log: who, when, what, why, before and after.

    Besides this class refusing changes, database triggers refuse UPDATE and DELETE on the table
    (migration 0002), so no code path, the admin included, can alter the log.
    """

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        SEND_BACK = "send_back", _("Sent back for changes")
        HIDE = "hide", _("Hidden")
        AUTO_HIDE = "auto_hide", _("Hidden automatically after flags")
        UNHIDE = "unhide", _("Shown again")
        DISMISS_FLAGS = "dismiss_flags", _("Flags dismissed")
        BLOCK = "block", _("User blocked")
        UNBLOCK = "unblock", _("Block lifted")
        ASSIGN = "assign", _("Responsible administration chosen")
        REVIEW_EDIT = "review_edit", _("Edit reviewed")

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions_made",
        help_text=_("Empty when the platform acted by itself."),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    initiative = models.ForeignKey(
        "ideas.Initiative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    comment = models.ForeignKey(
        "ideas.Comment", on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions_about",
        verbose_name=_("user concerned"),
    )
    reasons = models.JSONField(_("admissibility reasons"), default=list, blank=True)
    text = models.TextField(_("why"), blank=True)
    state_before = models.JSONField(_("before"), default=dict)
    state_after = models.JSONField(_("after"), default=dict)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The moderation log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The moderation log is append-only.")

    def reason_labels(self) -> list[str]:
        labels = dict(AdmissibilityReason.choices)
        return [str(labels[code]) for code in self.reasons if code in labels]
