"""The nightly open-data dump: every table as CSV and JSON with the columns its README documents,
nothing private in any file, formula cells neutralised, one dump a day, and the page that lists
it."""

import csv
import io
import json
import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Organisation, User
from ideas.models import Initiative
from partners import open_data
from partners.models import PartnerOffer
from partners.tasks import make_open_data
from tests.factories import (
    CommentFactory,
    DraftFactory,
    InitiativeFactory,
    OfferMessageFactory,
    OfficialResponseFactory,
    OrganisationFactory,
    PartnerOfferFactory,
    PrioriteringFactory,
    StadsdelFactory,
    SupportFactory,
    UserFactory,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
# Every column the dump may have, table by table. A new column is added here on purpose, after
# checking that the pages show it to anyone.
ALLOWED = {
    "programmes": ["id", "slug", "name_sv", "name_en", "owner", "valid_from", "valid_to"],
    "viljeinriktningar": [
        "id", "programme_id", "position", "slug", "title_sv", "title_en", "short_title_sv",
        "short_title_en", "description_sv", "description_en", "source_url",
    ],
    "fokusomraden": [
        "id", "viljeinriktning_id", "position", "slug", "title_sv", "title_en",
        "description_sv", "description_en", "source_url",
    ],
    "prioriteringar": [
        "id", "fokusomrade_id", "position", "slug", "tag", "summary_sv", "summary_en",
        "official_text_sv", "official_text_en",
    ],
    "stadsdelar": ["id", "slug", "name", "area"],
    "forvaltningar": ["id", "slug", "name_sv", "name_en"],
    "initiatives": [
        "id", "url", "title", "summary", "body", "status", "fokusomrade_id", "prioritering_ids",
        "stadsdel_id", "organisation_id", "author_name", "seeking_partners", "partner_needs",
        "published_at", "support_ends_at", "support_threshold", "support_count",
        "comment_count", "ready_at", "forvaltning_id", "answer_due",
    ],
    "comments": [
        "id", "initiative_id", "parent_id", "author_name", "is_staff_comment", "body",
        "created_at", "edited_at",
    ],
    "official_responses": [
        "id", "initiative_id", "forvaltning_id", "status", "body", "created_at",
    ],
    "organisations": [
        "id", "url", "name", "kind", "description", "website", "whole_city", "fokusomrade_ids",
        "stadsdel_ids", "offers", "offers_text", "is_verified",
    ],
    "partner_offers": ["id", "initiative_id", "organisation_id", "accepted_at"],
}  # fmt: skip
FORMULA = '=HYPERLINK("http://x")'


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world():
    author = UserFactory(display_name="Greta Gata", email="greta.private@example.org")
    public = InitiativeFactory(title=FORMULA, author=author, stadsdel=StadsdelFactory())
    public.prioriteringar.set([PrioriteringFactory(fokusomrade=public.fokusomrade)])
    SupportFactory(initiative=public, user=UserFactory(display_name="Sture Stödjare"))
    visible = CommentFactory(initiative=public, body="Synlig kommentar")
    CommentFactory(initiative=public, parent=visible, body="+Svar som börjar med plus")
    CommentFactory(initiative=public, body="Borttagen kommentar", removed_at=timezone.now())
    CommentFactory(initiative=public, body="Dold kommentar", hidden_at=timezone.now())
    OfficialResponseFactory(initiative=public, body="Svaret från staden")

    hidden = InitiativeFactory(title="Dolt initiativ", hidden_at=timezone.now())
    CommentFactory(initiative=hidden, body="Kommentar på dolt initiativ")
    OfficialResponseFactory(initiative=hidden, body="Svar på dolt initiativ")
    DraftFactory(title="Utkast initiativ")
    DraftFactory(title="Avslaget initiativ", status=Initiative.Status.REJECTED)

    approved = OrganisationFactory(name="Godkänd förening", website="https://example.org/")
    pending = OrganisationFactory(
        name="Väntande förening", review_state=Organisation.Review.PENDING
    )
    accepted = PartnerOfferFactory(
        initiative=public,
        organisation=approved,
        status=PartnerOffer.Status.ACCEPTED,
        decided_at=timezone.now(),
        message="Privat meddelande i erbjudandet",
    )
    OfferMessageFactory(offer=accepted, body="Privat tråd")
    PartnerOfferFactory(
        initiative=public, organisation=pending, status=PartnerOffer.Status.ACCEPTED
    )
    PartnerOfferFactory(initiative=public, organisation=OrganisationFactory())  # still offered
    PartnerOfferFactory(initiative=public, status=PartnerOffer.Status.ACCEPTED)  # a person's
    return {"public": public, "accepted": accepted, "approved": approved}


def dump_folder():
    return open_data.root() / timezone.localdate().isoformat()


def read_csv(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((dump_folder() / f"{name}.csv").read_text())))


def read_json(name: str) -> list[dict]:
    return json.loads((dump_folder() / f"{name}.json").read_text())


def documented_columns(readme: str) -> list[dict[str, list[str]]]:
    """The columns README.txt documents, table by table, for each language section."""
    sections, current, table = [], None, None
    for line in readme.splitlines():
        heading = re.fullmatch(r"(\w+)\.csv, (\w+)\.json", line)
        if heading:
            table = heading.group(1)
            if current is None or table in current:
                current = {}
                sections.append(current)
            current[table] = []
        elif table and (column := re.fullmatch(r"  (\w+): .+", line)):
            current[table].append(column.group(1))
        elif not line.strip():
            table = None
    return sections


def test_the_dump_writes_every_table_as_csv_and_json_with_a_readme(world):
    call_command("make_open_data")

    names = {path.name for path in dump_folder().iterdir()}
    expected = {f"{table}.{kind}" for table in ALLOWED for kind in ("csv", "json")}
    assert names == expected | {"README.txt"}
    manifest = json.loads((open_data.root() / "latest.json").read_text())
    assert manifest["date"] == timezone.localdate().isoformat()
    assert manifest["licence"] == "CC0-1.0"
    assert {item["name"]: item["bytes"] for item in manifest["files"]} == {
        name: (dump_folder() / name).stat().st_size for name in names
    }


def test_every_column_is_documented_in_both_languages_and_allowed(world):
    call_command("make_open_data")
    readme = (dump_folder() / "README.txt").read_text()

    sections = documented_columns(readme)
    assert len(sections) == 2  # Swedish, then English
    for documented in sections:
        assert documented == ALLOWED
    for table, columns in ALLOWED.items():
        assert read_csv(table)[0] == columns, table
        for record in read_json(table):
            assert list(record) == columns, table
    assert "CC0 1.0" in readme
    assert "https://creativecommons.org/publicdomain/zero/1.0/" in readme


def test_only_public_rows_are_dumped(world):
    call_command("make_open_data")

    initiatives = read_json("initiatives")
    assert [row["id"] for row in initiatives] == [world["public"].pk]
    assert initiatives[0]["author_name"] == "Greta Gata"
    assert initiatives[0]["prioritering_ids"] == [world["public"].prioriteringar.get().pk]
    assert {row["body"] for row in read_json("comments")} == {
        "Synlig kommentar",
        "+Svar som börjar med plus",
    }
    assert [row["body"] for row in read_json("official_responses")] == ["Svaret från staden"]
    assert {row["name"] for row in read_json("organisations")} == {
        organisation.name for organisation in Organisation.objects.public()
    }
    assert "Väntande förening" not in {row["name"] for row in read_json("organisations")}
    assert read_json("partner_offers") == [
        {
            "id": world["accepted"].pk,
            "initiative_id": world["public"].pk,
            "organisation_id": world["approved"].pk,
            "accepted_at": world["accepted"].decided_at.isoformat(),
        }
    ]


def test_no_file_holds_anything_private(world):
    call_command("make_open_data")
    private = [
        "Dolt initiativ",
        "Utkast initiativ",
        "Avslaget initiativ",
        "Borttagen kommentar",
        "Dold kommentar",
        "Kommentar på dolt initiativ",
        "Svar på dolt initiativ",
        "Väntande förening",
        "Privat meddelande",
        "Privat tråd",
        "Sture Stödjare",
    ]
    for user in User.objects.all():
        private += [user.email, user.password]

    for path in dump_folder().iterdir():
        text = path.read_text()
        found = [value for value in private if value and value in text]
        assert not found, (path.name, found)
        assert not EMAIL.search(text), (path.name, EMAIL.search(text))


def test_a_formula_cell_is_neutralised_in_the_csv(world):
    call_command("make_open_data")

    [header, row] = read_csv("initiatives")
    assert row[header.index("title")] == "'" + FORMULA
    replies = {row[5] for row in read_csv("comments")[1:]}
    assert "'+Svar som börjar med plus" in replies
    # JSON is not opened as a spreadsheet: it keeps the text as written.
    assert read_json("initiatives")[0]["title"] == FORMULA


def test_a_second_run_the_same_day_leaves_the_dump_as_it_is(world):
    call_command("make_open_data")
    before = {path.name: path.read_bytes() for path in dump_folder().iterdir()}
    InitiativeFactory(title="Publicerat efteråt")

    call_command("make_open_data")
    make_open_data.enqueue()

    assert open_data.make_dump() is None
    assert {path.name: path.read_bytes() for path in dump_folder().iterdir()} == before
    assert [path.name for path in open_data.root().iterdir() if path.is_dir()] == [
        dump_folder().name
    ]


def test_the_next_day_makes_a_new_dump_and_latest_points_to_it(world):
    today = timezone.localdate()
    open_data.make_dump(today)
    InitiativeFactory(title="Publicerat i morgon")

    folder = open_data.make_dump(today + timedelta(days=1))

    assert folder.name == (today + timedelta(days=1)).isoformat()
    assert "Publicerat i morgon" in (folder / "initiatives.csv").read_text()
    assert open_data.latest()["date"] == folder.name


def test_the_task_writes_the_dump(world):
    make_open_data.enqueue()  # the immediate backend in tests, the worker in production
    assert dump_folder().is_dir()


def test_the_command_queues_the_dump_for_the_worker(world):
    call_command("make_open_data", "--enqueue")
    assert (dump_folder() / "README.txt").is_file()


def test_the_open_data_page_lists_the_newest_dump(client, world):
    empty = client.get("/oppna-data/").content.decode()
    assert "<table" not in empty
    assert "README.txt" not in empty

    call_command("make_open_data")
    page = client.get("/oppna-data/").content.decode()
    english = client.get("/en/oppna-data/").content.decode()

    day = dump_folder().name
    for table in ALLOWED:
        assert f'href="/media/open-data/{day}/{table}.csv"' in page
        assert f'href="/media/open-data/{day}/{table}.json"' in page
    assert f'href="/media/open-data/{day}/README.txt"' in page
    assert f'datetime="{date.fromisoformat(day).isoformat()}' in page
    assert 'href="https://creativecommons.org/publicdomain/zero/1.0/" rel="license"' in page
    assert 'href="/initiativ/atom/"' in page
    assert 'href="/svar/atom/"' in page
    assert f'href="/initiativ/atom/stadsdel/{world["public"].stadsdel.slug}/"' in page
    assert 'href="/en/initiativ/atom/"' in english


def test_the_open_data_page_runs_as_many_queries_for_many_districts(client, world):
    call_command("make_open_data")
    small = page_queries(client, "/oppna-data/")

    StadsdelFactory.create_batch(20)
    assert page_queries(client, "/oppna-data/") == small
