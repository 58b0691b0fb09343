from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchVector,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import Count, F, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.db.models.lookups import Contains
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import PartnerNeed
from core.database import Casefold

# Published, or later in the lifecycle (not rejected or withdrawn). Written out here, not taken
# from Initiative.Status, so the partial indexes in Initiative.Meta can use the very condition
# that public() filters by: PostgreSQL uses a partial index only for a matching condition.
PUBLIC_STATUSES = ["published", "answered", "will_be_done", "in_progress", "done", "not_possible"]
PUBLIC = Q(status__in=PUBLIC_STATUSES, hidden_at__isnull=True)
# The trending sort counts the supports of this many days.
TRENDING_DAYS = 7


def _contains_folded(word: str, *fields: str) -> Q:
    """One of the fields contains the word, in any case (SQLite). SQLite's LIKE folds only A–Z,
    so for a word with other letters both sides are folded first (core.database.Casefold), and
    "ödåkra" finds "Ödåkra". A word of A–Z alone keeps the plain LIKE: it folds that word right,
    and scans long texts several times faster than a call into Python for every row."""
    if word.isascii():
        return Q(*(Q(**{f"{name}__icontains": word}) for name in fields), _connector=Q.OR)
    folded = word.casefold()
    return Q(*(Contains(Casefold(name), folded) for name in fields), _connector=Q.OR)


class InitiativeQuerySet(models.QuerySet):
    def public(self) -> "InitiativeQuerySet":
        """Initiatives anyone may read: published or later (not rejected), and not hidden."""
        return self.filter(PUBLIC)

    def visible_to(self, user) -> "InitiativeQuerySet":
        """Public initiatives, plus the person's own in any state, plus review work for staff."""
        if not user.is_authenticated:
            return self.public()
        if user.has_perm("accounts.moderate"):
            return self.exclude(status__in=[Initiative.Status.DRAFT, Initiative.Status.WITHDRAWN])
        visible = PUBLIC | Q(author=user)
        return self.filter(visible)

    def with_verified_support_count(self) -> "InitiativeQuerySet":
        """`verified_support_count`: how many of the supports come from people verified with
        e-legitimation now. Counted when read, so a verification given or removed counts at
        once; supports themselves say nothing of the supporter."""
        verified = (
            Support.objects.filter(
                initiative=models.OuterRef("pk"), user__is_verified_resident=True
            )
            .order_by()
            .values("initiative")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return self.annotate(verified_support_count=Coalesce(Subquery(verified), 0))

    def open_for_support(self, now=None) -> "InitiativeQuerySet":
        now = now or timezone.now()
        return self.filter(status=Initiative.Status.PUBLISHED, support_ends_at__gt=now)

    def search(self, query: str) -> "InitiativeQuerySet":
        """Full-text search in Swedish on PostgreSQL (its GIN index on search_vector; the text
        search folds case, å, ä and ö included); elsewhere every word in the title, summary or
        description, in any case."""
        words = query.split()[:8]
        if not words:
            return self
        if connection.vendor == "postgresql":
            search = SearchQuery(" ".join(words), config="swedish", search_type="websearch")
            return self.filter(search_vector=search)
        matches = Q()
        for word in words:
            matches &= _contains_folded(word, "title", "summary", "body")
        return self.filter(matches)

    def similar_to(self, title: str) -> "InitiativeQuerySet":
        """Initiatives whose titles resemble this one: trigram similarity on PostgreSQL."""
        title = title.strip()[:120]
        if len(title) < 4:
            return self.none()
        if connection.vendor == "postgresql":
            return (
                self.annotate(similarity=TrigramWordSimilarity(title, "title"))
                .filter(similarity__gte=0.4)
                .order_by("-similarity")
            )
        words = [word for word in title.split() if len(word) >= 4][:6]
        matches = Q()
        for word in words:
            matches |= _contains_folded(word, "title")
        return self.filter(matches) if words else self.none()

    def refresh_search_vector(self) -> None:
        """Store the Swedish search vector of these rows (PostgreSQL only)."""
        if connection.vendor == "postgresql":
            self.update(
                search_vector=SearchVector("title", weight="A", config="swedish")
                + SearchVector("summary", weight="B", config="swedish")
                + SearchVector("body", weight="C", config="swedish")
            )

    def for_cards(self, *, with_programme: bool = True) -> "InitiativeQuerySet":
        """What a list card shows, fetched without one query per card, and without the long
        texts a card does not show. `with_programme=False` joins neither the focus area nor the
        district, for a caller that sets them from what it holds
        (ideas.listing.ProgrammeChoices.show_on_cards)."""
        cards = self.select_related("author", "organisation").defer(
            "body", "body_html", "search_vector"
        )
        if not with_programme:
            return cards
        return cards.select_related("fokusomrade__viljeinriktning", "stadsdel")


class Initiative(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("In review")
        PUBLISHED = "published", _("Open for support")
        ANSWERED = "answered", _("Answered")
        WILL_BE_DONE = "will_be_done", _("Will be done")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        NOT_POSSIBLE = "not_possible", _("Not possible")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    PUBLIC_STATUSES = PUBLIC_STATUSES
    EDITABLE_STATUSES = [Status.DRAFT, Status.SUBMITTED]
    # The statuses a case officer may set with an official response.
    RESPONSE_STATUSES = [
        Status.ANSWERED,
        Status.WILL_BE_DONE,
        Status.IN_PROGRESS,
        Status.DONE,
        Status.NOT_POSSIBLE,
    ]
    # Which status may follow which. ideas.actions.do_initiative_set_status, the one place that
    # changes a status, refuses every other step. A new official response may set any response
    # status again, the same one included; rejected and withdrawn initiatives stay as they are.
    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.SUBMITTED: {Status.PUBLISHED, Status.DRAFT, Status.REJECTED, Status.WITHDRAWN},
        Status.PUBLISHED: {*RESPONSE_STATUSES, Status.WITHDRAWN},
        Status.ANSWERED: set(RESPONSE_STATUSES),
        Status.WILL_BE_DONE: set(RESPONSE_STATUSES),
        Status.IN_PROGRESS: set(RESPONSE_STATUSES),
        Status.DONE: set(RESPONSE_STATUSES),
        Status.NOT_POSSIBLE: set(RESPONSE_STATUSES),
        Status.REJECTED: set(),
        Status.WITHDRAWN: set(),
    }

    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, allow_unicode=False)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("description"), max_length=20000)
    body_html = models.TextField(editable=False, default="")
    fokusomrade = models.ForeignKey(
        "programme.Fokusomrade",
        on_delete=models.PROTECT,
        related_name="initiatives",
        verbose_name=_("focus area"),
    )
    prioriteringar = models.ManyToManyField(
        "programme.Prioritering",
        blank=True,
        related_name="initiatives",
        verbose_name=_("priorities"),
    )
    stadsdel = models.ForeignKey(
        "programme.Stadsdel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("district"),
    )
    image = models.ImageField(_("image"), upload_to="initiativ/%Y/%m/", blank=True)
    image_alt = models.CharField(
        _("image description"),
        max_length=200,
        blank=True,
        help_text=_("Describe the image for people who cannot see it."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="initiatives",
        verbose_name=_("author"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("on behalf of"),
    )
    seeking_partners = models.BooleanField(_("seeking partners"), default=False)
    partner_needs = models.JSONField(_("what is needed"), default=list, blank=True)
    partner_needs_text = models.TextField(
        _("more about what is needed"), max_length=1000, blank=True
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    support_ends_at = models.DateTimeField(_("support period ends"), null=True, blank=True)
    support_threshold = models.PositiveIntegerField(_("support threshold"), default=0)
    ready_at = models.DateTimeField(_("ready for the committee"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden by moderation"), null=True, blank=True)
    forvaltning = models.ForeignKey(
        "programme.Forvaltning",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("responsible administration"),
    )
    answer_due = models.DateField(_("answer due"), null=True, blank=True)
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    # Supports of the last TRENDING_DAYS days, for the trending sort: raised and lowered with
    # each support, and recounted by recent_supports_refresh() (the scheduler) as supports age.
    recent_support_count = models.PositiveIntegerField(
        _("supports in the last week"), default=0, editable=False
    )
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    # Raised on every edit, so a form opened before someone else's edit is refused, not applied.
    version = models.PositiveIntegerField(default=1)
    # Sent with the form that created the initiative, so a double submit creates it only once.
    client_token = models.UUIDField(null=True, blank=True, editable=False)
    # Filled on PostgreSQL only, where a GIN index serves Swedish full-text search.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        # The lists' sort orders over public initiatives, so a page is read from an index
        # instead of sorting every public row (docs/decisions/0002-list-order-indexes.md).
        indexes = [
            models.Index(
                F("published_at").desc(), F("id").desc(), name="public_newest", condition=PUBLIC
            ),
            models.Index(
                F("support_count").desc(),
                F("published_at").desc(),
                F("id").desc(),
                name="public_most_supported",
                condition=PUBLIC,
            ),
            models.Index(
                F("comment_count").desc(),
                F("published_at").desc(),
                F("id").desc(),
                name="public_most_discussed",
                condition=PUBLIC,
            ),
            models.Index(
                F("recent_support_count").desc(),
                F("support_count").desc(),
                F("id").desc(),
                name="public_trending",
                condition=PUBLIC & Q(recent_support_count__gt=0),
            ),
            models.Index(
                "fokusomrade",
                F("published_at").desc(),
                F("id").desc(),
                name="public_by_fokusomrade",
                condition=PUBLIC,
            ),
            # A district, alone or with a focus area: the filters people combine most.
            models.Index("stadsdel", "fokusomrade", name="public_by_stadsdel", condition=PUBLIC),
            models.Index(fields=["status", "submitted_at"], name="initiative_review_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["published", "answered"]) | Q(published_at__isnull=False),
                name="initiative_published_has_date",
            ),
            models.UniqueConstraint(
                fields=["author", "client_token"], name="initiative_client_token_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:detail", kwargs={"pk": self.pk, "slug": self.slug or "-"})

    def set_slug(self) -> None:
        self.slug = slugify(self.title)[:140] or "initiativ"

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES and self.hidden_at is None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_open_for_support(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.hidden_at is None
            and self.support_ends_at is not None
            and self.support_ends_at > timezone.now()
        )

    @property
    def is_ready_for_committee(self) -> bool:
        return self.ready_at is not None

    @property
    def support_progress_percent(self) -> int:
        if not self.support_threshold:
            return 0
        return min(100, round(100 * self.support_count / self.support_threshold))

    @property
    def supports_missing(self) -> int:
        return max(0, self.support_threshold - self.support_count)

    @property
    def author_kind(self) -> str:
        return self.organisation.kind if self.organisation_id else "resident"

    def partner_need_labels(self) -> list[str]:
        labels = dict(PartnerNeed.choices)
        return [labels[need] for need in self.partner_needs if need in labels]


class InitiativeEvent(models.Model):
    """One step of an initiative's visible timeline."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status changed")
        READY = "ready", _("Ready for the committee")
        ASSIGNED = "assigned", _("Responsible administration chosen")
        EDITED = "edited", _("Edited by the author")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STATUS)
    status = models.CharField(_("status"), max_length=20, choices=Initiative.Status.choices)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.status}"


class InitiativeVersionQuerySet(models.QuerySet):
    def for_history(self) -> "InitiativeVersionQuerySet":
        return self.select_related("fokusomrade").order_by("number")

    def awaiting_review(self) -> "InitiativeVersionQuerySet":
        """Edits made while settings.REVIEW_PUBLISHED_EDITS asked for review, not yet reviewed."""
        return self.filter(needs_review=True, reviewed_at__isnull=True)


class InitiativeVersion(models.Model):
    """The text of a published initiative as it was before one of its author's edits, kept so
    that anyone can see what was changed, and when, and what the first supporters read.

    Version 1 is the text as published; the initiative itself holds the current text, which is
    version `versions.count() + 1`. Each row is written by the edit that replaced its text
    (ideas.actions.initiative_save), in the same transaction.
    """

    # The parts of an initiative an edit may change, as the history names them.
    PARTS = {
        "title": _("title"),
        "summary": _("summary"),
        "body": _("description"),
        "fokusomrade": _("focus area"),
        "prioriteringar": _("priorities"),
        "stadsdel": _("district"),
        "image": _("image"),
        "organisation": _("on behalf of"),
        "partners": _("partners sought"),
    }

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=120)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("description"), max_length=20000)
    fokusomrade = models.ForeignKey(
        "programme.Fokusomrade",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("focus area"),
    )
    # What the edit that replaced this text changed: keys of PARTS.
    changed = models.JSONField(_("changed"), default=list, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("edited by"),
    )
    created_at = models.DateTimeField(_("edited"), default=timezone.now)
    needs_review = models.BooleanField(_("to be reviewed by a moderator"), default=False)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    objects = InitiativeVersionQuerySet.as_manager()

    class Meta:
        ordering = ["initiative", "number"]
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "number"], name="initiative_version_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["initiative", "number"],
                name="version_awaiting_review",
                condition=Q(needs_review=True, reviewed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} v{self.number}"

    def changed_labels(self) -> list[str]:
        return [str(self.PARTS[part]) for part in self.changed if part in self.PARTS]


class OfficialResponseQuerySet(models.QuerySet):
    def for_timeline(self) -> "OfficialResponseQuerySet":
        return self.select_related("forvaltning", "author").order_by("created_at", "pk")


class OfficialResponse(models.Model):
    """The city's public answer, written by a case officer in the name of an administration."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="responses")
    forvaltning = models.ForeignKey(
        "programme.Forvaltning",
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("administration"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="official_responses"
    )
    body = models.TextField(_("response"), max_length=20000)
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(_("new status"), max_length=20, choices=Initiative.Status.choices)
    created_at = models.DateTimeField(_("answered"), default=timezone.now)

    objects = OfficialResponseQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("official response")
        verbose_name_plural = _("official responses")

    def __str__(self) -> str:
        return f"{self.forvaltning} → {self.initiative_id}"


class Support(models.Model):
    """One person's support for one initiative. Who supported is never shown to anyone.

    A support counts as verified while its person is verified with e-legitimation
    (InitiativeQuerySet.with_verified_support_count)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="support_one_per_person"),
        ]
        indexes = [
            models.Index(fields=["initiative", "created_at"], name="support_recent"),
            models.Index(fields=["created_at", "initiative"], name="support_created"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.initiative_id}"


@dataclass
class Thread:
    """A top-level comment, the answers shown under it, and how many more answers it has."""

    comment: "Comment"
    replies: list["Comment"]
    more: int = 0


@dataclass
class ThreadPage:
    """One page of a discussion: top-level comments, oldest first, each with its answers."""

    threads: list[Thread]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


class CommentQuerySet(models.QuerySet):
    def for_thread(self) -> "CommentQuerySet":
        return self.select_related("author").order_by("created_at", "pk")

    def thread_page(
        self,
        initiative: "Initiative",
        number: int,
        size: int,
        replies_shown: int,
        expanded: int | None = None,
    ) -> ThreadPage:
        """A page of threads in ONE query, however long the discussion: the page's top-level
        comments are chosen in a subquery, and the comments of their threads come back in the
        same query, at most `replies_shown` answers a thread (all of them for `expanded`), so a
        page costs the same whatever its threads hold. One thread more than the page is read,
        to know if more follow.
        """
        number = max(1, number)
        start = (number - 1) * size
        top_level = (
            self.filter(initiative=initiative, parent__isnull=True)
            .order_by("created_at", "pk")
            .values("pk")[start : start + size + 1]
        )
        in_thread = {"partition_by": [F("thread")], "order_by": [F("created_at"), F("pk")]}
        rows = list(
            self.filter(initiative=initiative)
            .annotate(thread=Coalesce("parent_id", "id"))
            .filter(thread__in=Subquery(top_level))
            .annotate(
                place=Window(RowNumber(), **in_thread),
                thread_size=Window(Count("pk"), partition_by=[F("thread")]),
            )
            .filter(Q(place__lte=replies_shown + 1) | Q(thread=expanded or 0))
            .for_thread()
        )
        replies: dict[int, list[Comment]] = {}
        for comment in rows:
            if comment.parent_id:
                replies.setdefault(comment.parent_id, []).append(comment)
        tops = [comment for comment in rows if not comment.parent_id]
        threads = [
            Thread(
                comment=top,
                replies=replies.get(top.pk, []),
                more=top.thread_size - 1 - len(replies.get(top.pk, [])),
            )
            for top in tops[:size]
        ]
        return ThreadPage(threads=threads, number=number, has_next=len(tops) > size)


class Comment(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    body = models.TextField(_("comment"), max_length=5000)
    body_html = models.TextField(editable=False, default="")
    is_staff_comment = models.BooleanField(_("written by city staff"), default=False)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden by moderation"), null=True, blank=True)
    client_token = models.UUIDField(null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["initiative", "created_at"], name="comment_thread")]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_token"], name="comment_client_token_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_id} on {self.initiative_id}"

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def edit_deadline(self):
        return self.created_at + timedelta(minutes=settings.COMMENT_EDIT_MINUTES)

    @property
    def dom_id(self) -> str:
        return f"kommentar-{self.pk}"


class SupportRule(models.Model):
    """How many supports an initiative needs, and within how many days of publishing, to go
    to the city for an answer. One row, which staff edit; an initiative keeps the rule it was
    published under, so a change applies to initiatives published after it."""

    threshold = models.PositiveIntegerField(
        _("supports needed"), validators=[MinValueValidator(1), MaxValueValidator(1_000_000)]
    )
    period_days = models.PositiveIntegerField(
        _("days to gather them"), validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("support rule")
        verbose_name_plural = _("support rule")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="support_rule_single_row")]

    def __str__(self) -> str:
        return str(_("%(threshold)s supports within %(days)s days") % {
            "threshold": self.threshold, "days": self.period_days})  # fmt: skip

    @classmethod
    def current(cls) -> "SupportRule":
        """The rule in force: the staff's, or the municipality's data file's until they set one."""
        rule, _created = cls.objects.get_or_create(
            pk=1,
            defaults={
                "threshold": settings.SUPPORT_THRESHOLD,
                "period_days": settings.SUPPORT_PERIOD_DAYS,
            },
        )
        return rule


class AnswerReminder(models.Model):
    """A reminder, sent once, that the answer to an initiative is due: `days_before` the due
    date (0 on the day). Written in the transaction that notifies, and its constraint refuses a
    second, so the scheduler may run as often as it likes, two runs at once included. A new due
    date or a new administration is reminded anew (ideas.reminders)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="answer_reminders"
    )
    forvaltning = models.ForeignKey(
        "programme.Forvaltning", on_delete=models.CASCADE, related_name="+"
    )
    answer_due = models.DateField(_("answer due"))
    days_before = models.PositiveSmallIntegerField(_("days before"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("answer reminder")
        verbose_name_plural = _("answer reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "forvaltning", "answer_due", "days_before"],
                name="answer_reminder_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} → {self.answer_due} ({self.days_before})"
