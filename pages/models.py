from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pages.markdown import render_page_markdown


def content_dir() -> Path:
    """The text each page starts with, and shows while staff have not saved one of their own:
    the municipality's pages/<slug>.<language>.md, a "# Title" line and then the body in
    Markdown."""
    return Path(settings.MUNICIPALITY_DIR) / "pages"


@dataclass(frozen=True)
class PageText:
    """What a page shows in one language, and which language that really is."""

    title: str
    body_html: str
    language: str


class TrustPage(models.Model):
    """One of the pages that say who runs the service and how: staff edit the text in the
    admin, in Swedish and, when they have written it, English."""

    class Slug(models.TextChoices):
        # The value is the page's address; the name, lowercased, its URL name.
        ABOUT = "om", _("About the service")
        PRIVACY = "personuppgifter", _("Personal data")
        ACCESSIBILITY = "tillganglighet", _("Accessibility statement")
        CONTACT = "kontakt", _("Contact")

    slug = models.CharField(_("page"), max_length=40, choices=Slug.choices, unique=True)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_sv = models.TextField(
        _("text (Swedish)"),
        help_text=_(
            "Markdown: ## headings, - lists, **bold**, [links](https://…) and links to pages "
            "of this site such as [your data](/konto/mina-uppgifter/)."
        ),
    )
    body_en = models.TextField(
        _("text (English)"),
        blank=True,
        help_text=_("Leave the English title and text empty to show the Swedish page in English."),
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("trust page")
        verbose_name_plural = _("trust pages")

    def __str__(self) -> str:
        return self.get_slug_display()

    def get_absolute_url(self) -> str:
        return reverse(url_name(self.slug))

    def clean(self) -> None:
        # Half a translation would show an English title above a Swedish text, or the reverse.
        if bool(self.title_en.strip()) != bool(self.body_en.strip()):
            raise ValidationError(
                _("Write both the English title and the English text, or leave both empty.")
            )

    @classmethod
    def default(cls, slug: str) -> "TrustPage":
        """The page as it ships, unsaved: the text in the municipality's pages/."""
        return cls(slug=slug, **default_fields(slug))

    def text(self, language: str | None = None) -> PageText:
        """The page in the language asked for (the active one by default); in Swedish when
        staff have not written it in English."""
        language = language or get_language() or "sv"
        if language.startswith("en") and self.body_en.strip():
            return PageText(self.title_en, render_page_markdown(self.body_en), "en")
        return PageText(self.title_sv, render_page_markdown(self.body_sv), "sv")


def url_name(slug: str) -> str:
    return f"pages:{TrustPage.Slug(slug).name.lower()}"


def default_fields(slug: str) -> dict[str, str]:
    """title_sv, body_sv, title_en and body_en of a page as it ships."""
    return _fields_in(content_dir(), slug)


@cache
def _fields_in(directory: Path, slug: str) -> dict[str, str]:
    fields = {}
    for language in ("sv", "en"):
        text = (directory / f"{slug}.{language}.md").read_text(encoding="utf-8")
        heading, _newline, body = text.partition("\n")
        fields[f"title_{language}"] = heading.removeprefix("# ").strip()
        fields[f"body_{language}"] = body.strip() + "\n"
    return fields
