"""The open API (config/api.py): what it answers, and what it never lets out."""

import json
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation
from ideas.models import Initiative
from partners.models import PartnerOffer
from tests.factories import (
    CommentFactory,
    DraftFactory,
    FokusomradeFactory,
    InitiativeFactory,
    OfficialResponseFactory,
    OrganisationFactory,
    PartnerOfferFactory,
    PrioriteringFactory,
    ProgrammeFactory,
    StadsdelFactory,
    UserFactory,
    ViljeinriktningFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"

# Every field of every answer, as "Schema.field". A new field must be added here on purpose,
# after asking whether the site shows it to anyone.
ALLOWED_FIELDS = {
    "ErrorOut.detail",
    "StatisticsOut.computed_at",
    "StatisticsOut.fran",
    "StatisticsOut.till",
    "StatisticsOut.tables",
    "StatisticsTableOut.slug",
    "StatisticsTableOut.caption",
    "StatisticsTableOut.columns",
    "StatisticsTableOut.rows",
    "StatisticsRowOut.label",
    "StatisticsRowOut.kind",
    "StatisticsRowOut.level",
    "StatisticsRowOut.cells",
    "ProgrammeOut.slug",
    "ProgrammeOut.name_sv",
    "ProgrammeOut.name_en",
    "ProgrammeOut.owner",
    "ProgrammeOut.valid_from",
    "ProgrammeOut.valid_to",
    "ProgrammeOut.viljeinriktningar",
    "ViljeinriktningOut.slug",
    "ViljeinriktningOut.position",
    "ViljeinriktningOut.url",
    "ViljeinriktningOut.title_sv",
    "ViljeinriktningOut.title_en",
    "ViljeinriktningOut.short_title_sv",
    "ViljeinriktningOut.short_title_en",
    "ViljeinriktningOut.description_sv",
    "ViljeinriktningOut.description_en",
    "ViljeinriktningOut.source_url",
    "ViljeinriktningOut.fokusomraden",
    "FokusomradeOut.slug",
    "FokusomradeOut.position",
    "FokusomradeOut.url",
    "FokusomradeOut.title_sv",
    "FokusomradeOut.title_en",
    "FokusomradeOut.description_sv",
    "FokusomradeOut.description_en",
    "FokusomradeOut.source_url",
    "FokusomradeOut.prioriteringar",
    "PrioriteringOut.slug",
    "PrioriteringOut.position",
    "PrioriteringOut.tag",
    "PrioriteringOut.summary_sv",
    "PrioriteringOut.summary_en",
    "PrioriteringOut.official_text_sv",
    "PrioriteringOut.official_text_en",
    "StadsdelOut.slug",
    "StadsdelOut.name",
    "StadsdelOut.area",
    "ForvaltningOut.slug",
    "ForvaltningOut.name_sv",
    "ForvaltningOut.name_en",
    "OrganisationRef.slug",
    "OrganisationRef.name",
    "OrganisationRef.url",
    *(
        f"{schema}.{field}"
        for schema in ("InitiativeOut", "InitiativeDetailOut")
        for field in (
            "id",
            "url",
            "title",
            "summary",
            "status",
            "viljeinriktning",
            "fokusomrade",
            "stadsdel",
            "author_name",
            "organisation",
            "seeking_partners",
            "published_at",
            "support_ends_at",
            "support_threshold",
            "support_count",
            "comment_count",
        )  # fmt: skip
    ),
    "InitiativeDetailOut.body",
    "InitiativeDetailOut.prioriteringar",
    "InitiativeDetailOut.partner_needs",
    "InitiativeDetailOut.image_url",
    "InitiativeDetailOut.image_alt",
    "InitiativeDetailOut.ready_at",
    "InitiativeDetailOut.forvaltning",
    "InitiativeDetailOut.answer_due",
    *(
        f"{page}.{field}"
        for page in (
            "InitiativePage",
            "CommentPage",
            "ResponsePage",
            "OrganisationPage",
            "OfferPage",
        )  # fmt: skip
        for field in ("next", "results")
    ),
    "CommentOut.id",
    "CommentOut.parent_id",
    "CommentOut.author_name",
    "CommentOut.is_staff_comment",
    "CommentOut.body",
    "CommentOut.created_at",
    "CommentOut.edited_at",
    "ResponseOut.id",
    "ResponseOut.forvaltning",
    "ResponseOut.status",
    "ResponseOut.body",
    "ResponseOut.created_at",
    "OrganisationOut.slug",
    "OrganisationOut.url",
    "OrganisationOut.name",
    "OrganisationOut.kind",
    "OrganisationOut.description",
    "OrganisationOut.website",
    "OrganisationOut.whole_city",
    "OrganisationOut.fokusomraden",
    "OrganisationOut.stadsdelar",
    "OrganisationOut.offers",
    "OrganisationOut.offers_text",
    "OrganisationOut.is_verified",
    "InitiativeRef.id",
    "InitiativeRef.title",
    "InitiativeRef.url",
    "OfferOut.id",
    "OfferOut.initiative",
    "OfferOut.accepted_at",
}


def get_json(client, url: str, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def world(db):
    """One of everything public, linked as on the site."""
    programme = ProgrammeFactory(valid_from=timezone.localdate())
    viljeinriktning = ViljeinriktningFactory(programme=programme, position=1)
    fokusomrade = FokusomradeFactory(viljeinriktning=viljeinriktning, position=1)
    prioritering = PrioriteringFactory(fokusomrade=fokusomrade, position=1)
    stadsdel = StadsdelFactory()
    organisation = OrganisationFactory(website="https://forening.example.org", offers=["venue"])
    organisation.fokusomraden.add(fokusomrade)
    organisation.stadsdelar.add(stadsdel)
    initiative = InitiativeFactory(
        title="Bänkar vid Sundstorget",
        fokusomrade=fokusomrade,
        stadsdel=stadsdel,
        organisation=organisation,
        seeking_partners=True,
        partner_needs=["venue", "not-a-need"],
    )
    initiative.prioriteringar.add(prioritering)
    comment = CommentFactory(initiative=initiative, body="Bra idé!")
    response = OfficialResponseFactory(initiative=initiative)
    offer = PartnerOfferFactory(
        initiative=initiative,
        organisation=organisation,
        status=PartnerOffer.Status.ACCEPTED,
        decided_at=timezone.now(),
    )
    return {
        "programme": programme,
        "fokusomrade": fokusomrade,
        "prioritering": prioritering,
        "stadsdel": stadsdel,
        "organisation": organisation,
        "initiative": initiative,
        "comment": comment,
        "response": response,
        "offer": offer,
    }


def test_every_endpoint_answers_with_data(client, world):
    initiative, organisation = world["initiative"], world["organisation"]

    tree = get_json(client, f"{API}/programme")
    assert tree["slug"] == world["programme"].slug
    [direction] = tree["viljeinriktningar"]
    [area] = direction["fokusomraden"]
    assert area["slug"] == world["fokusomrade"].slug
    assert area["url"].startswith("http://testserver/")
    assert [item["slug"] for item in area["prioriteringar"]] == [world["prioritering"].slug]

    assert get_json(client, f"{API}/stadsdelar")[0]["slug"] == world["stadsdel"].slug

    [card] = get_json(client, f"{API}/initiatives")["results"]
    assert card["id"] == initiative.pk
    assert card["organisation"]["slug"] == organisation.slug
    assert card["author_name"] == initiative.author.display_name
    assert card["stadsdel"] == world["stadsdel"].slug
    assert card["url"] == "http://testserver" + initiative.get_absolute_url()

    detail = get_json(client, f"{API}/initiatives/{initiative.pk}")
    assert detail["body"] == initiative.body
    assert detail["prioriteringar"] == [world["prioritering"].slug]
    assert detail["partner_needs"] == ["venue"]

    [comment] = get_json(client, f"{API}/initiatives/{initiative.pk}/comments")["results"]
    assert comment["body"] == "Bra idé!"
    assert comment["author_name"] == world["comment"].author.display_name

    [answer] = get_json(client, f"{API}/initiatives/{initiative.pk}/responses")["results"]
    assert answer["forvaltning"]["slug"] == world["response"].forvaltning.slug
    assert answer["status"] == "will_be_done"

    [listed] = get_json(client, f"{API}/organisations")["results"]
    assert listed["slug"] == organisation.slug
    assert listed["fokusomraden"] == [world["fokusomrade"].slug]
    assert get_json(client, f"{API}/organisations/{organisation.slug}")["offers"] == ["venue"]

    [offer] = get_json(client, f"{API}/organisations/{organisation.slug}/offers")["results"]
    assert offer["id"] == world["offer"].pk
    assert offer["initiative"]["id"] == initiative.pk


def test_initiatives_filter_as_the_list_page(client, world):
    other = InitiativeFactory(title="Ny lekplats", status=Initiative.Status.DONE)

    def ids(query: str) -> set[int]:
        return {item["id"] for item in get_json(client, f"{API}/initiatives?{query}")["results"]}

    initiative = world["initiative"]
    assert ids(f"fokusomrade={world['fokusomrade'].slug}") == {initiative.pk}
    assert ids(f"stadsdel={world['stadsdel'].slug}") == {initiative.pk}
    assert ids("status=genomforda") == {other.pk}
    assert ids("q=lekplats") == {other.pk}
    assert ids("typ=forening") == {initiative.pk}
    assert ids("") == {initiative.pk, other.pk}


def _properties(document: dict):
    """Every (schema name, property) that an answer of the document can hold, following $ref
    through lists, anyOf and nested objects from each operation's responses."""
    components = document["components"]["schemas"]
    seen: set[str] = set()
    found: set[str] = set()

    def walk(schema: dict, name: str | None) -> None:
        if "$ref" in schema:
            ref_name = schema["$ref"].rsplit("/", 1)[-1]
            if ref_name not in seen:
                seen.add(ref_name)
                walk(components[ref_name], ref_name)
            return
        for key in ("anyOf", "oneOf", "allOf"):
            for option in schema.get(key, []):
                walk(option, name)
        if "items" in schema:
            walk(schema["items"], name)
        if isinstance(schema.get("additionalProperties"), dict):
            walk(schema["additionalProperties"], name)
        for field, subschema in schema.get("properties", {}).items():
            found.add(f"{name}.{field}")
            walk(subschema, name)

    for methods in document["paths"].values():
        for operation in methods.values():
            for answer in operation["responses"].values():
                for content in answer.get("content", {}).values():
                    walk(content["schema"], None)
    return found


def test_every_field_of_every_answer_is_on_the_allowed_list(client):
    document = get_json(client, f"{API}/openapi.json")
    assert document["openapi"].startswith("3.1")
    fields = _properties(document)
    assert fields - ALLOWED_FIELDS == set()
    # The walk reached every schema the list names: it cannot pass by finding nothing.
    assert fields == ALLOWED_FIELDS
    private = {"email", "review_reason", "review_state", "contact_person", "hidden_at",
               "removed_at", "supports", "user", "message", "reply", "members"}  # fmt: skip
    assert {field.split(".")[1] for field in fields} & private == set()


def _everything(client) -> str:
    """Every answer the API gives about the public data, as one text."""
    answers = [
        client.get(f"{API}/programme").content,
        client.get(f"{API}/stadsdelar").content,
    ]
    for page_url in (f"{API}/initiatives?limit=100", f"{API}/organisations?limit=100"):
        page = client.get(page_url).json()
        answers.append(json.dumps(page))
        for item in page["results"]:
            if "id" in item:
                base = f"{API}/initiatives/{item['id']}"
                extra = [base, f"{base}/comments?limit=100", f"{base}/responses?limit=100"]
            else:
                base = f"{API}/organisations/{item['slug']}"
                extra = [base, f"{base}/offers?limit=100"]
            answers.extend(client.get(url).content for url in extra)
    return "\n".join(answer.decode() if isinstance(answer, bytes) else answer for answer in answers)


def test_nothing_private_is_reachable(client, world):
    public = world["initiative"]
    hidden_things = {
        "draft": DraftFactory(title="Utkast som ingen ser"),
        "submitted": InitiativeFactory(
            title="Väntar på granskning", status=Initiative.Status.SUBMITTED
        ),
        "rejected": InitiativeFactory(title="Avslaget förslag", status=Initiative.Status.REJECTED),
        "withdrawn": InitiativeFactory(
            title="Återtaget förslag", status=Initiative.Status.WITHDRAWN
        ),
        "hidden": InitiativeFactory(title="Dolt av moderator", hidden_at=timezone.now()),
    }
    CommentFactory(initiative=public, body="Borttagen kommentar", removed_at=timezone.now())
    CommentFactory(initiative=public, body="Dold kommentar", hidden_at=timezone.now())
    CommentFactory(initiative=hidden_things["hidden"], body="Kommentar på dolt förslag")
    OfficialResponseFactory(initiative=hidden_things["hidden"], body="Svar på dolt förslag")
    pending = OrganisationFactory(
        name="Väntande förening", review_state=Organisation.Review.PENDING
    )
    rejected = OrganisationFactory(
        name="Avvisad förening",
        review_state=Organisation.Review.REJECTED,
        review_reason="Skälet som bara medlemmarna ser",
    )
    on_behalf_of_pending = InitiativeFactory(title="För en väntande förening", organisation=pending)
    organisation = world["organisation"]
    PartnerOfferFactory(organisation=organisation, message="Erbjudandet")
    PartnerOfferFactory(organisation=organisation, status=PartnerOffer.Status.DECLINED)
    PartnerOfferFactory(
        initiative=hidden_things["hidden"],
        organisation=organisation,
        status=PartnerOffer.Status.ACCEPTED,
        decided_at=timezone.now(),
    )
    supporter = UserFactory(email="supporter@example.org", display_name="Hemlig Supporter")
    public.supports.create(user=supporter)

    text = _everything(client)

    assert "@example.org" not in text
    assert "Hemlig Supporter" not in text
    for item in hidden_things.values():
        assert item.title not in text
        assert client.get(f"{API}/initiatives/{item.pk}").status_code == 404
        assert client.get(f"{API}/initiatives/{item.pk}/comments").status_code == 404
    for words in ("Borttagen kommentar", "Dold kommentar", "Kommentar på dolt förslag",
                  "Svar på dolt förslag", "Erbjudandet", "Skälet som bara"):  # fmt: skip
        assert words not in text
    for organisation_hidden in (pending, rejected):
        assert organisation_hidden.name not in text
        assert client.get(f"{API}/organisations/{organisation_hidden.slug}").status_code == 404
    # An initiative proposed for an organisation no moderator approved is public; the
    # organisation is not named.
    shown = get_json(client, f"{API}/initiatives/{on_behalf_of_pending.pk}")
    assert shown["organisation"] is None
    offers = get_json(client, f"{API}/organisations/{organisation.slug}/offers")["results"]
    assert [offer["id"] for offer in offers] == [world["offer"].pk]


def test_not_found_is_json_with_a_sentence(client):
    response = client.get(f"{API}/initiatives/999999")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "public" in response.json()["detail"] or "offentlig" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/", "/nothing", "/organisations/a%2Fb", "/initiatives/x"])
def test_any_other_address_under_the_api_answers_in_json(client, path):
    response = client.get(API + path)
    assert response.status_code in (404, 422)
    assert isinstance(response.json()["detail"], str)


def _walk(client, url: str) -> list[int]:
    ids, pages = [], 0
    while url:
        page = get_json(client, url)
        ids += [item["id"] for item in page["results"]]
        url, pages = page["next"], pages + 1
        assert pages < 50
    return ids


def test_cursor_pagination_walks_every_initiative_exactly_once(client):
    at = timezone.now() - timedelta(days=3)
    # Ties on the publishing time, and an initiative with none, are where a cursor slips.
    tied = InitiativeFactory.create_batch(5, published_at=at)
    others = [InitiativeFactory(published_at=at - timedelta(hours=n)) for n in range(1, 12)]
    undated = InitiativeFactory(status=Initiative.Status.DONE, published_at=None)
    expected = [undated.pk, *sorted((i.pk for i in tied), reverse=True), *(i.pk for i in others)]

    walked = _walk(client, f"{API}/initiatives?limit=4")

    assert walked == expected


def test_cursor_pagination_keeps_the_filters(client):
    stadsdel = StadsdelFactory()
    inside = InitiativeFactory.create_batch(5, stadsdel=stadsdel)
    InitiativeFactory.create_batch(3)

    walked = _walk(client, f"{API}/initiatives?limit=2&stadsdel={stadsdel.slug}")

    assert sorted(walked) == sorted(item.pk for item in inside)


def test_cursor_pagination_walks_comments_oldest_first(client):
    initiative = InitiativeFactory()
    at = timezone.now() - timedelta(days=1)
    comments = [
        CommentFactory(initiative=initiative, created_at=at + timedelta(minutes=n // 2))
        for n in range(9)
    ]

    walked = _walk(client, f"{API}/initiatives/{initiative.pk}/comments?limit=2")

    assert walked == [comment.pk for comment in comments]


def test_a_forged_or_foreign_cursor_is_a_400(client):
    initiative = InitiativeFactory()
    CommentFactory.create_batch(3, initiative=initiative)
    comments_next = get_json(client, f"{API}/initiatives/{initiative.pk}/comments?limit=1")["next"]
    foreign = comments_next.split("cursor=")[1]

    for cursor in ("not-a-cursor", foreign):
        response = client.get(f"{API}/initiatives", {"cursor": cursor})
        assert response.status_code == 400
        assert response.json()["detail"]


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=many", "status=sometimes"])
def test_a_bad_parameter_is_a_422_with_a_sentence(client, query):
    response = client.get(f"{API}/initiatives?{query}")
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], str)


def test_an_unchanged_answer_is_a_304(client):
    InitiativeFactory()
    first = client.get(f"{API}/initiatives")
    etag = first["ETag"]

    again = client.get(f"{API}/initiatives", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"

    InitiativeFactory()
    changed = client.get(f"{API}/initiatives", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_every_endpoint_has_an_etag(client, world):
    slug = world["organisation"].slug
    pk = world["initiative"].pk
    paths = ["/programme", "/stadsdelar", "/initiatives", f"/initiatives/{pk}",
             f"/initiatives/{pk}/comments", f"/initiatives/{pk}/responses", "/organisations",
             f"/organisations/{slug}", f"/organisations/{slug}/offers",
             "/openapi.json"]  # fmt: skip
    for path in paths:
        etag = client.get(API + path)["ETag"]
        assert client.get(API + path, headers={"If-None-Match": etag}).status_code == 304


def test_over_the_limit_a_client_gets_429_with_retry_after(client, settings):
    settings.API_RATE_LIMIT = (3, 60)
    for _ in range(3):
        assert client.get(f"{API}/stadsdelar").status_code == 200

    refused = client.get(f"{API}/stadsdelar")

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"]
    assert refused["Access-Control-Allow-Origin"] == "*"
    # Another address has its own count.
    assert client.get(f"{API}/stadsdelar", REMOTE_ADDR="203.0.113.9").status_code == 200


def test_reading_is_open_to_any_site(client):
    read = client.get(f"{API}/stadsdelar", headers={"Origin": "https://example.net"})
    assert read["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in read["Access-Control-Expose-Headers"]

    preflight = client.options(
        f"{API}/stadsdelar",
        headers={
            "Origin": "https://example.net",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]

    head = client.head(f"{API}/stadsdelar")
    assert head.status_code == 200
    assert head.content == b""
    assert head["Access-Control-Allow-Origin"] == "*"

    assert "Access-Control-Allow-Origin" not in client.get("/initiativ/")


def test_writing_is_refused(client):
    response = client.post(f"{API}/stadsdelar")
    assert response.status_code == 405
    assert "Access-Control-Allow-Origin" not in response


def test_the_docs_page_lists_every_address_with_no_outside_script(client):
    document = get_json(client, f"{API}/openapi.json")
    page = client.get(f"{API}/docs")

    assert page.status_code == 200
    html = page.content.decode()
    for path in document["paths"]:
        assert f"GET {path}" in html
    sources = _loaded_addresses(html)
    assert sources, "the page loads its own scripts and styles"
    outside = [
        address for address in sources if not address.startswith("/") or address.startswith("//")
    ]
    assert outside == []
    assert "<script>" not in html


class _Loads(HTMLParser):
    """Every address a page makes the browser load: scripts, styles, images."""

    def __init__(self):
        super().__init__()
        self.addresses = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"script", "img"} and attributes.get("src"):
            self.addresses.append(attributes["src"])
        loaded = {"stylesheet", "icon", "preload", "modulepreload", "manifest"}
        if tag == "link" and loaded & set((attributes.get("rel") or "").split()):
            self.addresses.append(attributes["href"])


def _loaded_addresses(html):
    parser = _Loads()
    parser.feed(html)
    return parser.addresses


def _build_initiatives(count: int) -> str:
    organisation = OrganisationFactory()
    stadsdel = StadsdelFactory()
    InitiativeFactory.create_batch(count, organisation=organisation, stadsdel=stadsdel)
    return f"{API}/initiatives?limit=100"


def _build_comments(count: int) -> str:
    initiative = InitiativeFactory()
    for _ in range(count):
        CommentFactory(initiative=initiative, author=UserFactory())
    return f"{API}/initiatives/{initiative.pk}/comments?limit=100"


def _build_responses(count: int) -> str:
    initiative = InitiativeFactory()
    OfficialResponseFactory.create_batch(count, initiative=initiative)
    return f"{API}/initiatives/{initiative.pk}/responses?limit=100"


def _build_organisations(count: int) -> str:
    fokusomrade, stadsdel = FokusomradeFactory(), StadsdelFactory()
    for organisation in OrganisationFactory.create_batch(count):
        organisation.fokusomraden.add(fokusomrade)
        organisation.stadsdelar.add(stadsdel)
    return f"{API}/organisations?limit=100"


def _build_offers(count: int) -> str:
    organisation = OrganisationFactory()
    PartnerOfferFactory.create_batch(
        count,
        organisation=organisation,
        status=PartnerOffer.Status.ACCEPTED,
        decided_at=timezone.now(),
    )
    return f"{API}/organisations/{organisation.slug}/offers?limit=100"


def _build_programme(count: int) -> str:
    # The larger programme starts later, so it is the one in force.
    programme = ProgrammeFactory(valid_from=timezone.localdate() - timedelta(days=1000 - count))
    for n in range(count // 5):
        direction = ViljeinriktningFactory(programme=programme, position=n)
        for m in range(5):
            area = FokusomradeFactory(viljeinriktning=direction, position=m)
            PrioriteringFactory(fokusomrade=area, position=1)
    return f"{API}/programme"


def _build_stadsdelar(count: int) -> str:
    StadsdelFactory.create_batch(count)
    return f"{API}/stadsdelar"


@pytest.mark.parametrize(
    "build",
    [
        _build_initiatives,
        _build_comments,
        _build_responses,
        _build_organisations,
        _build_offers,
        _build_programme,
        _build_stadsdelar,
    ],
)
def test_query_counts_stay_flat_from_5_to_100_items(client, build):
    def queries(count: int) -> int:
        url = build(count)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    small = queries(5)
    large = queries(100)

    assert large == small


def test_the_statistics_are_the_pages_numbers(client, world):
    """The API's tables are the ones /statistik/ shows: the same numbers, "< 5" included."""
    from config import statistics

    answer = get_json(client, f"{API}/statistics")

    tables = {table["slug"]: table for table in answer["tables"]}
    page_tables = [statistics.totals().programme_table, statistics.totals().district_table]
    for table in page_tables:
        rows = tables[table.slug]["rows"]
        assert [row["label"] for row in rows] == [str(row.label) for row in table.rows]
        assert [row["cells"] for row in rows] == [
            [
                cell if isinstance(cell, int | float) or cell is None else str(cell)
                for cell in row.cells
            ]
            for row in table.rows
        ]
    district = tables[statistics.totals().district_table.slug]
    [row] = [row for row in district["rows"] if row["label"] == world["stadsdel"].name]
    assert row["cells"][0] == 1  # the one public initiative in the district


@pytest.mark.parametrize("query", ["fran=2025-13", "fran=x&till=y", "fran=2026-05&till=2025-01"])
def test_a_bad_statistics_period_is_a_400_with_the_reason(client, world, query):
    answer = client.get(f"{API}/statistics?{query}")

    assert answer.status_code == 400
    assert answer.json()["detail"]


def test_the_statistics_period_is_the_one_asked_for(client, world):
    answer = get_json(client, f"{API}/statistics?fran=2026-01&till=2026-03")

    assert (answer["fran"], answer["till"]) == ("2026-01", "2026-03")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_every_operation_refuses_to_write(client, world, method):
    """The API only reads: every address refuses every other method, signed in or not, and the
    data stays as it was."""
    from ideas.models import Comment, Initiative

    initiative = world["initiative"]
    client.force_login(initiative.author)
    before = (Initiative.objects.count(), Comment.objects.count(), initiative.title)
    paths = [
        "/programme",
        "/stadsdelar",
        "/statistics",
        "/initiatives",
        f"/initiatives/{initiative.pk}",
        f"/initiatives/{initiative.pk}/comments",
        f"/initiatives/{initiative.pk}/responses",
        "/organisations",
        f"/organisations/{world['organisation'].slug}",
        f"/organisations/{world['organisation'].slug}/offers",
    ]

    for path in paths:
        response = getattr(client, method)(
            f"{API}{path}", data={"title": "Ändrad", "body": "x"}, content_type="application/json"
        )
        assert response.status_code == 405, (method, path, response.status_code)

    initiative.refresh_from_db()
    assert (Initiative.objects.count(), Comment.objects.count(), initiative.title) == before
