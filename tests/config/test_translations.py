"""Swedish is complete, English is complete, and the compiled catalogues match their sources."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
CATALOGUES = [BASE / "locale" / language / "LC_MESSAGES" / "django.po" for language in ("sv", "en")]
SOURCES = [
    "core",
    "accounts",
    "config",
    "programme",
    "pages",
    "ideas",
    "moderation",
    "notifications",
    "partners",
    "templates",
    "manage.py",
]


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_every_string_is_translated(po_path):
    catalogue = polib.pofile(str(po_path))

    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]

    assert untranslated == []
    assert fuzzy == []
    assert len(catalogue) > 100


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_compiled_catalogue_matches_its_source(po_path):
    source = polib.pofile(str(po_path))
    with po_path.with_suffix(".mo").open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)

    for entry in source.translated_entries():
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 2) == entry.msgstr_plural[1]
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_catalogue_holds_every_string_in_the_code(tmp_path):
    """Extract the strings afresh and compare; a string added without `make messages` fails."""
    for name in SOURCES:
        source = BASE / name
        target = tmp_path / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("locale", "__pycache__"))
        else:
            shutil.copy(source, target)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "sv", "-v", "0"],
        cwd=tmp_path,
        check=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)},
    )
    fresh = {
        entry.msgid for entry in polib.pofile(str(tmp_path / "locale/sv/LC_MESSAGES/django.po"))
    }
    committed = {entry.msgid for entry in polib.pofile(str(CATALOGUES[0]))}

    assert fresh - committed == set(), "run `make messages` and translate the new strings"
    assert committed - fresh == set(), "run `make messages` to drop strings no longer used"


@pytest.mark.django_db
def test_english_pages_show_no_swedish_interface_text(client):
    content = client.get("/en/").content.decode()

    assert "Skip to content" in content
    assert "Hoppa till innehållet" not in content
    assert "Logga in" not in content
