import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from programme.models import Fokusomrade, Prioritering, Programme, Viljeinriktning
from tests.conftest import PROGRAMME_FILE


def _snapshot() -> list[tuple]:
    rows = []
    for model in (Programme, Viljeinriktning, Fokusomrade, Prioritering):
        rows += [tuple(row.values()) for row in model.objects.order_by("pk").values()]
    return rows


def _write(tmp_path: Path, data) -> Path:
    path = tmp_path / "programme.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def data() -> dict:
    return json.loads(PROGRAMME_FILE.read_text(encoding="utf-8"))


def test_import_creates_the_known_structure(db):
    call_command("import_programme", str(PROGRAMME_FILE), verbosity=0)

    assert Viljeinriktning.objects.count() == 5
    assert Fokusomrade.objects.count() == 7
    assert Prioritering.objects.count() == 26
    assert list(Viljeinriktning.objects.values_list("title_sv", flat=True)) == [
        "Ett varmt välkomnande",
        "Allas delaktighet",
        "Livslång aktivitet",
        "Kunskap om värdefulla samband",
        "Långsiktigt ansvarstagande",
    ]
    assert not Viljeinriktning.objects.get(slug="vardefulla-samband").fokusomraden.exists()
    assert not Programme.objects.get().is_complete


def test_importing_twice_changes_nothing(db):
    call_command("import_programme", str(PROGRAMME_FILE), verbosity=0)
    before = _snapshot()

    call_command("import_programme", str(PROGRAMME_FILE), verbosity=0)

    assert _snapshot() == before


def test_edited_file_updates_items_in_place(db, tmp_path, data):
    call_command("import_programme", str(PROGRAMME_FILE), verbosity=0)
    fokusomrade = Fokusomrade.objects.get(slug="vi-ser-till-barn-och-ungas-perspektiv")
    data["viljeinriktningar"][1]["fokusomraden"][1]["title_sv"] = "Ny rubrik"
    data["viljeinriktningar"][1]["fokusomraden"][1]["prioriteringar"].reverse()

    call_command("import_programme", str(_write(tmp_path, data)), verbosity=0)

    fokusomrade.refresh_from_db()
    assert fokusomrade.title_sv == "Ny rubrik"
    assert Fokusomrade.objects.count() == 7
    assert list(fokusomrade.prioriteringar.values_list("tag", flat=True)) == [
        "barnetsröst",
        "uppväxtvillkor",
        "lyckadebarn",
        "barnmiljö",
    ]


def test_new_items_in_the_file_are_added(db, tmp_path, data):
    call_command("import_programme", str(PROGRAMME_FILE), verbosity=0)
    data["viljeinriktningar"][3]["fokusomraden"].append(
        {"slug": "nytt-omrade", "title_sv": "Nytt område", "prioriteringar": []}
    )

    call_command("import_programme", str(_write(tmp_path, data)), verbosity=0)

    assert Viljeinriktning.objects.get(slug="vardefulla-samband").fokusomraden.get().slug == (
        "nytt-omrade"
    )


def _broken(data: dict, change) -> dict:
    change(data)
    return data


INVALID_FILES = {
    "not JSON": ("{not json", "Filen är inte giltig JSON"),
    "wrong format": (
        lambda d: d.update(format="other/9"),
        "”format” måste vara ”tillsammans-programme/1”",
    ),
    "missing title": (
        lambda d: d["viljeinriktningar"][2].pop("title_sv"),
        "viljeinriktningar[2]: ”title_sv” saknas",
    ),
    "bad date": (
        lambda d: d["programme"].update(valid_from="2016-13-01"),
        "programme: ”valid_from” måste vara ett datum",
    ),
    "end before start": (
        lambda d: d["programme"].update(valid_to="2015-01-01"),
        "”valid_to” ligger före ”valid_from”",
    ),
    "duplicate slug": (
        lambda d: d["viljeinriktningar"][1]["fokusomraden"][1].update(
            slug=d["viljeinriktningar"][1]["fokusomraden"][0]["slug"]
        ),
        "viljeinriktningar[1].fokusomraden: webbadressnamnet",
    ),
    "bad slug": (
        lambda d: d["viljeinriktningar"][0].update(slug="inte en slug"),
        "viljeinriktningar[0]: ”slug” är inte giltigt",
    ),
    "unknown field": (
        lambda d: d["viljeinriktningar"][0]["fokusomraden"][0]["prioriteringar"][0].update(x=1),
        "prioriteringar[0]: okänt fält ”x”",
    ),
    "text too long": (
        lambda d: d["viljeinriktningar"][0]["fokusomraden"][0].update(title_sv="x" * 201),
        "”title_sv” är längre än 200 tecken",
    ),
    "list expected": (
        lambda d: d.update(viljeinriktningar={"a": 1}),
        "viljeinriktningar: här ska det stå en lista",
    ),
}


@pytest.mark.parametrize("case", INVALID_FILES, ids=list(INVALID_FILES))
def test_invalid_file_is_refused_with_a_message_naming_the_problem_and_changes_nothing(
    db, tmp_path, data, case
):
    call_command("import_programme", str(PROGRAMME_FILE), verbosity=0)
    before = _snapshot()
    change, message = INVALID_FILES[case]
    content = change if isinstance(change, str) else _broken(data, change)
    # A valid edit elsewhere in the same file must not be applied either.
    if isinstance(content, dict):
        content["programme"]["owner"] = "Någon annan"

    with pytest.raises(CommandError) as error:
        call_command("import_programme", str(_write(tmp_path, content)), verbosity=0)

    assert message in str(error.value)
    assert "Inget har ändrats." in str(error.value)
    assert _snapshot() == before


def test_missing_file_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="finns inte"):
        call_command("import_programme", str(tmp_path / "nope.json"), verbosity=0)
