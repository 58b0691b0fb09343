"""The site's own Swedish catalogue for allauth (locale-overrides/sv) is complete and in use."""

import re
from pathlib import Path

import allauth
import polib
import pytest
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale-overrides" / "sv" / "LC_MESSAGES"
PO_FILE = CATALOGUE / "django.po"
MO_FILE = CATALOGUE / "django.mo"
ALLAUTH_PO = Path(allauth.__file__).parent / "locale" / "sv" / "LC_MESSAGES" / "django.po"

# %(name)s, %(name)d, %s, %d and str.format fields such as {email}.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")

SIGN_UP_SENTENCE = (
    "If you have not created an account yet, then please %(link)ssign up%(end_link)s first."
)


def _entries() -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(PO_FILE)) if not entry.obsolete]


def _translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def test_catalogue_header():
    catalogue = polib.pofile(str(PO_FILE))

    assert catalogue.metadata["Language"] == "sv"
    assert catalogue.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


def test_every_entry_is_translated_and_not_fuzzy():
    entries = _entries()

    assert entries
    untranslated = [entry.msgid for entry in entries if not all(_translations(entry))]
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    assert untranslated == []
    assert fuzzy == []


def test_every_placeholder_is_kept():
    missing = []
    for entry in _entries():
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            wanted |= set(PLACEHOLDER.findall(entry.msgid_plural))
        for text in _translations(entry):
            lost = wanted - set(PLACEHOLDER.findall(text))
            if lost:
                missing.append((entry.msgid, sorted(lost)))

    assert missing == []


def test_msgids_are_allauths_own():
    """A msgid that differs from allauth's by one character would silently never be used."""
    allauth_ids = {
        (entry.msgctxt, entry.msgid) for entry in polib.pofile(str(ALLAUTH_PO)) if entry.msgid
    }
    unknown = [
        entry.msgid for entry in _entries() if (entry.msgctxt, entry.msgid) not in allauth_ids
    ]

    assert unknown == []


def test_compiled_catalogue_matches_the_po_file():
    compiled = {(entry.msgctxt, entry.msgid): entry for entry in polib.mofile(str(MO_FILE))}
    stale = []
    for entry in _entries():
        built = compiled.get((entry.msgctxt, entry.msgid))
        if built is None or _translations(built) != _translations(entry):
            stale.append(entry.msgid)

    assert stale == [], "Run msgfmt --check -o django.mo django.po in " + str(CATALOGUE)


def test_the_site_catalogue_wins_over_allauths():
    with translation.override("sv"):
        sentence = translation.gettext(SIGN_UP_SENTENCE)

    assert "skapa ett konto" in sentence
    assert "logga in" not in sentence


@pytest.mark.django_db
def test_login_page_in_swedish_invites_people_to_sign_up(client):
    response = client.get("/konto/login/", HTTP_ACCEPT_LANGUAGE="sv")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'Då behöver du först <a href="/konto/signup/">' in page
    assert "skapa ett konto" in page
    assert "E-postadress" in page
    assert "Epost" not in page
    assert "sign up" not in page.lower()
