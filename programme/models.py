from datetime import date

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programme.translation import Translated


class ProgrammeQuerySet(models.QuerySet):
    def current(self, today: date | None = None) -> "Programme | None":
        """The programme in force: the latest one that has started.

        A programme keeps being shown after its end date until a newer one starts, because the
        city has not published a successor to the 2016–2024 programme.
        """
        return self._in_force(today).first()

    def current_pk_subquery(self, today: date | None = None) -> models.QuerySet:
        """The current programme's pk, to filter other queries by without a query of its own."""
        return self._in_force(today).values("pk")[:1]

    def _in_force(self, today: date | None) -> "ProgrammeQuerySet":
        return self.filter(valid_from__lte=today or timezone.localdate()).order_by("-valid_from")


class Programme(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    owner = models.CharField(_("owner"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_complete = models.BooleanField(
        _("structure complete"),
        default=False,
        help_text=_("Tick when every fokusområde and prioritering of the programme is entered."),
    )
    completeness_sv = models.TextField(_("what is missing (Swedish)"), blank=True)
    completeness_en = models.TextField(_("what is missing (English)"), blank=True)

    name = Translated("name")
    completeness = Translated("completeness")

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="programme_valid_to_after_valid_from",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.name_sv} {self.valid_from.year}–{self.valid_to.year if self.valid_to else ''}"
        )

    @property
    def has_ended(self) -> bool:
        return self.valid_to is not None and self.valid_to < timezone.localdate()


class Viljeinriktning(models.Model):
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="viljeinriktningar",
        verbose_name=_("programme"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    slug = models.SlugField(_("slug"), max_length=120)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    short_title_sv = models.CharField(_("short title (Swedish)"), max_length=100)
    short_title_en = models.CharField(_("short title (English)"), max_length=100, blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    missing_sv = models.TextField(
        _("not yet published (Swedish)"),
        blank=True,
        help_text=_("What of this direction is known to exist but is not entered yet."),
    )
    missing_en = models.TextField(_("not yet published (English)"), blank=True)
    source_url = models.URLField(_("source"), blank=True)

    title = Translated("title")
    short_title = Translated("short_title")
    description = Translated("description")
    missing = Translated("missing")

    class Meta:
        ordering = ["programme", "position"]
        verbose_name = _("direction (viljeinriktning)")
        verbose_name_plural = _("directions (viljeinriktningar)")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "slug"], name="viljeinriktning_unique_slug"
            ),
            models.UniqueConstraint(
                fields=["programme", "position"], name="viljeinriktning_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return self.title_sv

    def get_absolute_url(self) -> str:
        return reverse("programme:viljeinriktning", kwargs={"viljeinriktning": self.slug})


class Fokusomrade(models.Model):
    viljeinriktning = models.ForeignKey(
        Viljeinriktning,
        on_delete=models.PROTECT,
        related_name="fokusomraden",
        verbose_name=_("direction"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    slug = models.SlugField(_("slug"), max_length=120)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    placement_note_sv = models.TextField(_("note on placement (Swedish)"), blank=True)
    placement_note_en = models.TextField(_("note on placement (English)"), blank=True)
    source_url = models.URLField(_("source"), blank=True)

    title = Translated("title")
    description = Translated("description")
    placement_note = Translated("placement_note")

    class Meta:
        ordering = ["viljeinriktning__position", "position"]
        verbose_name = _("focus area (fokusområde)")
        verbose_name_plural = _("focus areas (fokusområden)")
        constraints = [
            models.UniqueConstraint(
                fields=["viljeinriktning", "slug"], name="fokusomrade_unique_slug"
            ),
            models.UniqueConstraint(
                fields=["viljeinriktning", "position"], name="fokusomrade_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return self.title_sv

    def get_absolute_url(self) -> str:
        return reverse(
            "programme:fokusomrade",
            kwargs={"viljeinriktning": self.viljeinriktning.slug, "fokusomrade": self.slug},
        )


class Prioritering(models.Model):
    fokusomrade = models.ForeignKey(
        Fokusomrade,
        on_delete=models.PROTECT,
        related_name="prioriteringar",
        verbose_name=_("focus area"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    slug = models.SlugField(_("slug"), max_length=120)
    tag = models.CharField(
        _("tag"), max_length=60, help_text=_("The programme's own hashtag keyword, without #.")
    )
    summary_sv = models.CharField(_("summary (Swedish)"), max_length=300)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    official_text_sv = models.TextField(
        _("official wording (Swedish)"),
        blank=True,
        help_text=_("The city's own sentence, when staff have it."),
    )
    official_text_en = models.TextField(_("official wording (English)"), blank=True)

    summary = Translated("summary")
    official_text = Translated("official_text")

    class Meta:
        ordering = ["fokusomrade__viljeinriktning__position", "fokusomrade__position", "position"]
        verbose_name = _("priority (prioritering)")
        verbose_name_plural = _("priorities (prioriteringar)")
        constraints = [
            models.UniqueConstraint(
                fields=["fokusomrade", "slug"], name="prioritering_unique_slug"
            ),
            models.UniqueConstraint(
                fields=["fokusomrade", "position"], name="prioritering_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.tag}"


class Forvaltning(models.Model):
    """A city administration (förvaltning): the department that answers an initiative."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    name = Translated("name")

    class Meta:
        ordering = ["name_sv"]
        verbose_name = _("administration (förvaltning)")
        verbose_name_plural = _("administrations (förvaltningar)")

    def __str__(self) -> str:
        return self.name_sv


class Stadsdel(models.Model):
    class Area(models.TextChoices):
        CENTRAL = "central", _("The central town")
        OUTSIDE = "outside", _("Outside the central town")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district (stadsdel)")
        verbose_name_plural = _("districts (stadsdelar)")

    def __str__(self) -> str:
        return self.name
