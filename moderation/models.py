from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from programme.translation import Translated


class AdmissibilityRule(models.Model):
    """One of the municipality's rules for proposals that cannot be taken up, which a rejection
    names. They come from the municipality's data file, and staff edit them: a rule that no
    longer applies is switched off rather than deleted, so that old decisions keep their words."""

    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("Decisions name the rule by this; it does not change once used."),
    )
    text_sv = models.CharField(_("text (Swedish)"), max_length=400)
    text_en = models.CharField(_("text (English)"), max_length=400, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Moderators can only choose rules in use.")
    )

    text = Translated("text")

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("admissibility rule")
        verbose_name_plural = _("admissibility rules")

    def __str__(self) -> str:
        return self.text_sv

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        transaction.on_commit(forget_admissibility_rules)

    @staticmethod
    def all_rules() -> list[dict]:
        """Every rule as code, texts and whether in use, in order: read once, then from the
        cache until staff change one, since every queue item's form lists them."""
        rules = cache.get(ADMISSIBILITY_CACHE_KEY)
        if rules is None:
            rules = list(
                AdmissibilityRule.objects.values("code", "text_sv", "text_en", "is_active")
            ) or [
                # No rule saved yet (a database emptied by hand): the municipality's file's.
                {"code": rule["code"], "text_sv": rule["text_sv"],
                 "text_en": rule.get("text_en", ""), "is_active": True}
                for rule in settings.MUNICIPALITY.get("admissibility", [])
            ]  # fmt: skip
            cache.set(ADMISSIBILITY_CACHE_KEY, rules, 3600)
        return rules

    @staticmethod
    def choices() -> list[tuple[str, str]]:
        """(code, text) of the rules in use, in the active language."""
        return [(rule["code"], _rule_text(rule)) for rule in AdmissibilityRule.all_rules()
                if rule["is_active"]]  # fmt: skip

    @staticmethod
    def labels() -> dict[str, str]:
        """code → text of every rule, those no longer in use too, in the active language."""
        return {rule["code"]: _rule_text(rule) for rule in AdmissibilityRule.all_rules()}


ADMISSIBILITY_CACHE_KEY = "moderation:admissibility-rules"


def forget_admissibility_rules() -> None:
    cache.delete(ADMISSIBILITY_CACHE_KEY)


def _rule_text(rule: dict) -> str:
    english = (get_language() or "sv").startswith("en") and rule["text_en"]
    return english or rule["text_sv"]


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

    def rejections(self, initiatives) -> "DecisionQuerySet":
        """The rejections of `initiatives`, oldest first: the last one of an initiative is
        the one in force, and its `reasons` name the admissibility rules."""
        return self.filter(
            initiative__in=initiatives, action=ModerationDecision.Action.REJECT
        ).order_by("created_at", "pk")

    def for_listing(self) -> "DecisionQuerySet":
        return self.select_related(
            "moderator", "initiative", "comment", "subject_user", "organisation"
        )


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
        ORGANISATION_APPROVE = "organisation_approve", _("Organisation approved")
        ORGANISATION_REJECT = "organisation_reject", _("Organisation not approved")
        ORGANISATION_VERIFY = "organisation_verify", _("Organisation verified")
        ORGANISATION_UNVERIFY = "organisation_unmark", _("Organisation's verified mark removed")

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
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
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
        labels = AdmissibilityRule.labels()
        return [labels[code] for code in self.reasons if code in labels]
