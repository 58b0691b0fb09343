"""The open API at /api/v1/: read-only JSON over what the site shows anyone.

It reads the programme, initiatives, comments, answers and organisations with their offers, so
it is composed here, above the apps. django-ninja builds the OpenAPI 3.1 document from the
schemas below; what the site never shows (email addresses, supporters, hidden, removed,
unpublished or unapproved items, moderators' reasons) has no field in them and no row in the
querysets. tests/config/test_api.py walks every field of the document against a list.

Every address of the API goes through `open_read` (config/api_urls.py): a limit per client
address, an ETag with 304 for an unchanged answer, and CORS for reading from any site. Lists
are paged by an opaque, signed cursor over the list's order, so a page never shifts when new
items arrive, and `next` is the address of the following page.
"""

import time
from dataclasses import dataclass
from datetime import date, datetime
from functools import wraps
from typing import Annotated, Literal

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from ninja import NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError, ValidationError

from accounts.models import Organisation, PartnerNeed
from config import statistics
from config.statistics_views import PeriodForm
from ideas.listing import AUTHOR_KINDS, STATUS_FILTERS, ListQuery, current_choices
from ideas.models import Comment, Initiative, OfficialResponse
from partners.models import PartnerOffer
from programme.models import Fokusomrade, Prioritering, Programme, Stadsdel, Viljeinriktning

# Requests one client address may make in a window of seconds; settings.API_RATE_LIMIT
# (count, seconds) changes it.
DEFAULT_RATE_LIMIT = (120, 60)
PAGE_SIZE = 20
BAD_CURSOR = _(
    "The cursor is not valid. Start again from the first page and follow the next links."
)
MAX_PAGE_SIZE = 100

api = NinjaAPI(
    title="Tillsammans open API",
    version="1",
    description=(
        "Read-only open data: the programme, public initiatives, their visible comments and "
        "the city's answers, approved organisations and their accepted offers. Lists are paged "
        "by `cursor`; follow `next` until it is null."
    ),
    urls_namespace="api",
    docs_url=None,
)

InitiativeStatus = Literal[tuple(Initiative.PUBLIC_STATUSES)]
ResponseStatus = Literal[tuple(str(status) for status in Initiative.RESPONSE_STATUSES)]
OrganisationKind = Literal[tuple(Organisation.Kind.values)]
StatusFilter = Literal[tuple(STATUS_FILTERS)]
AuthorKind = Literal[tuple(AUTHOR_KINDS)]


class ErrorOut(Schema):
    detail: str


# What every list and every single item may answer besides 200.
LIST_ERRORS = {304: None, 400: ErrorOut, 422: ErrorOut, 429: ErrorOut}
ITEM_ERRORS = {304: None, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _absolute(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


# The programme


class PrioriteringOut(Schema):
    slug: str
    position: int
    tag: str
    summary_sv: str
    summary_en: str
    official_text_sv: str
    official_text_en: str


class FokusomradeOut(Schema):
    slug: str
    position: int
    url: str
    title_sv: str
    title_en: str
    description_sv: str
    description_en: str
    source_url: str
    prioriteringar: list[PrioriteringOut]

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())


class ViljeinriktningOut(Schema):
    slug: str
    position: int
    url: str
    title_sv: str
    title_en: str
    short_title_sv: str
    short_title_en: str
    description_sv: str
    description_en: str
    source_url: str
    fokusomraden: list[FokusomradeOut]

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())


class ProgrammeOut(Schema):
    slug: str
    name_sv: str
    name_en: str
    owner: str
    valid_from: date
    valid_to: date | None
    viljeinriktningar: list[ViljeinriktningOut]


class StadsdelOut(Schema):
    slug: str
    name: str
    area: Literal[tuple(Stadsdel.Area.values)]


class ForvaltningOut(Schema):
    slug: str
    name_sv: str
    name_en: str


# Initiatives


class OrganisationRef(Schema):
    slug: str
    name: str
    url: str

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())


class InitiativeOut(Schema):
    id: int
    url: str
    title: str
    summary: str
    status: InitiativeStatus
    viljeinriktning: str
    fokusomrade: str
    stadsdel: str | None
    author_name: str
    organisation: OrganisationRef | None
    seeking_partners: bool
    published_at: datetime | None
    support_ends_at: datetime | None
    support_threshold: int
    support_count: int
    comment_count: int

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())

    @staticmethod
    def resolve_viljeinriktning(obj) -> str:
        return obj.fokusomrade.viljeinriktning.slug

    @staticmethod
    def resolve_fokusomrade(obj) -> str:
        return obj.fokusomrade.slug

    @staticmethod
    def resolve_stadsdel(obj) -> str | None:
        return obj.stadsdel.slug if obj.stadsdel_id else None

    @staticmethod
    def resolve_author_name(obj) -> str:
        return obj.author.public_name

    @staticmethod
    def resolve_organisation(obj) -> Organisation | None:
        # An organisation no moderator has approved is not named to the public.
        organisation = obj.organisation if obj.organisation_id else None
        return organisation if organisation and organisation.is_public else None


class InitiativeDetailOut(InitiativeOut):
    body: str
    prioriteringar: list[str]
    partner_needs: list[str]
    image_url: str | None
    image_alt: str
    ready_at: datetime | None
    forvaltning: ForvaltningOut | None
    answer_due: date | None

    @staticmethod
    def resolve_prioriteringar(obj) -> list[str]:
        return [prioritering.slug for prioritering in obj.prioriteringar.all()]

    @staticmethod
    def resolve_partner_needs(obj) -> list[str]:
        return [need for need in obj.partner_needs if need in PartnerNeed.values]

    @staticmethod
    def resolve_image_url(obj, context) -> str | None:
        return _absolute(context, obj.image.url) if obj.image else None


class InitiativePage(Schema):
    next: str | None
    results: list[InitiativeOut]


class CommentOut(Schema):
    id: int
    parent_id: int | None
    author_name: str
    is_staff_comment: bool
    body: str
    created_at: datetime
    edited_at: datetime | None

    @staticmethod
    def resolve_author_name(obj) -> str:
        return obj.author.public_name


class CommentPage(Schema):
    next: str | None
    results: list[CommentOut]


class ResponseOut(Schema):
    id: int
    forvaltning: ForvaltningOut
    status: ResponseStatus
    body: str
    created_at: datetime


class ResponsePage(Schema):
    next: str | None
    results: list[ResponseOut]


# Organisations


class OrganisationOut(Schema):
    slug: str
    url: str
    name: str
    kind: OrganisationKind
    description: str
    website: str
    whole_city: bool
    fokusomraden: list[str]
    stadsdelar: list[str]
    offers: list[str]
    offers_text: str
    is_verified: bool

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())

    @staticmethod
    def resolve_fokusomraden(obj) -> list[str]:
        return [fokusomrade.slug for fokusomrade in obj.fokusomraden.all()]

    @staticmethod
    def resolve_stadsdelar(obj) -> list[str]:
        return [stadsdel.slug for stadsdel in obj.stadsdelar.all()]

    @staticmethod
    def resolve_offers(obj) -> list[str]:
        return [offer for offer in obj.offers if offer in PartnerNeed.values]


class OrganisationPage(Schema):
    next: str | None
    results: list[OrganisationOut]


class InitiativeRef(Schema):
    id: int
    title: str
    url: str

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())


class OfferOut(Schema):
    id: int
    initiative: InitiativeRef
    accepted_at: datetime | None

    @staticmethod
    def resolve_accepted_at(obj) -> datetime | None:
        return obj.decided_at


class OfferPage(Schema):
    next: str | None
    results: list[OfferOut]


# Cursor pagination


@dataclass(frozen=True)
class Order:
    """A list's order: a date column then the primary key, or the primary key alone. Newest
    first puts rows without a date first, oldest first puts them last (PostgreSQL's own order
    for a descending index, so public_newest serves the initiatives)."""

    field: str | None
    descending: bool

    def order_by(self) -> list:
        keys = [self.field, "pk"] if self.field else ["pk"]
        if self.descending:
            return [F(key).desc(nulls_first=True) for key in keys]
        return [F(key).asc(nulls_last=True) for key in keys]

    def after(self, value: str | None, pk: int) -> Q:
        """The rows that come after the row at (value, pk) in this order."""
        beyond = "lt" if self.descending else "gt"
        if not self.field:
            return Q(**{f"pk__{beyond}": pk})
        name = self.field
        if value is None:
            same = Q(**{f"{name}__isnull": True, f"pk__{beyond}": pk})
            return same | Q(**{f"{name}__isnull": False}) if self.descending else same
        at = datetime.fromisoformat(value)
        later = Q(**{f"{name}__{beyond}": at}) | Q(**{name: at, f"pk__{beyond}": pk})
        return later if self.descending else later | Q(**{f"{name}__isnull": True})

    def position(self, item) -> list:
        value = getattr(item, self.field) if self.field else None
        return [value.isoformat() if value else None, item.pk]


def _page(request, items: QuerySet, *, order: Order, cursor: str | None, size: int, list_name):
    """One page of `items` from the cursor on, and the address of the next page (None at the
    end). The cursor is signed for this list, so it cannot be forged or carried to another."""
    salt = f"api.cursor.{list_name}"
    if cursor:
        try:
            value, pk = signing.loads(cursor, salt=salt)
            items = items.filter(order.after(value, int(pk)))
        except (signing.BadSignature, ValueError, TypeError) as error:
            raise HttpError(400, str(BAD_CURSOR)) from error
    rows = list(items.order_by(*order.order_by())[: size + 1])
    following = None
    if len(rows) > size:
        rows = rows[:size]
        params = request.GET.copy()
        params["cursor"] = signing.dumps(order.position(rows[-1]), salt=salt)
        following = request.build_absolute_uri(request.path) + "?" + params.urlencode()
    return {"next": following, "results": rows}


# Any number a client sends in the path is checked by the API (422 in JSON, not the site's 404
# page), and kept within what the database's integers hold.
ItemId = Annotated[int, Path(ge=1, le=2**63 - 1)]
PageSize = Annotated[int, Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)]


# Endpoints


@api.get(
    "/programme",
    response={200: ProgrammeOut, **ITEM_ERRORS},
    summary=_("The programme in force, with its whole tree"),
    tags=["programme"],
)
def programme(request):
    fokusomraden = Fokusomrade.objects.order_by("position").prefetch_related(
        Prefetch("prioriteringar", queryset=Prioritering.objects.order_by("position"))
    )
    current = Programme.objects.current()
    if current is None:
        raise Http404
    return Programme.objects.prefetch_related(
        Prefetch(
            "viljeinriktningar",
            queryset=Viljeinriktning.objects.order_by("position").prefetch_related(
                Prefetch("fokusomraden", queryset=fokusomraden)
            ),
        )
    ).get(pk=current.pk)


@api.get(
    "/stadsdelar",
    response={200: list[StadsdelOut], **LIST_ERRORS},
    summary=_("The districts an initiative may belong to"),
    tags=["programme"],
)
def stadsdelar(request):
    return Stadsdel.objects.order_by("name")


@api.get(
    "/initiatives",
    response={200: InitiativePage, **LIST_ERRORS},
    summary=_("Public initiatives, newest first, filtered as on the list page"),
    tags=["initiatives"],
)
def initiatives(
    request,
    q: str = "",
    viljeinriktning: str = "",
    fokusomrade: str = "",
    prioritering: str = "",
    stadsdel: str = "",
    status: StatusFilter | None = None,
    typ: AuthorKind | None = None,
    cursor: str = "",
    limit: PageSize = PAGE_SIZE,
):
    listed = ListQuery.from_request(request.GET).apply(
        Initiative.objects.public().for_cards(), current_choices()
    )
    order = Order("published_at", descending=True)
    return _page(request, listed, order=order, cursor=cursor, size=limit, list_name="initiatives")


def _public_initiative(pk: int) -> Initiative:
    return get_object_or_404(Initiative.objects.public(), pk=pk)


@api.get(
    "/initiatives/{initiative_id}",
    response={200: InitiativeDetailOut, **ITEM_ERRORS},
    summary=_("One public initiative"),
    tags=["initiatives"],
)
def initiative(request, initiative_id: ItemId):
    items = (
        Initiative.objects.public()
        .select_related("fokusomrade__viljeinriktning", "stadsdel", "author", "organisation")
        .select_related("forvaltning")
        .prefetch_related(Prefetch("prioriteringar", queryset=Prioritering.objects.only("slug")))
    )
    return get_object_or_404(items, pk=initiative_id)


@api.get(
    "/initiatives/{initiative_id}/comments",
    response={200: CommentPage, 404: ErrorOut, **LIST_ERRORS},
    summary=_("The visible comments on a public initiative, oldest first"),
    tags=["initiatives"],
)
def comments(request, initiative_id: ItemId, cursor: str = "", limit: PageSize = PAGE_SIZE):
    initiative = _public_initiative(initiative_id)
    visible = Comment.objects.filter(
        initiative=initiative, removed_at__isnull=True, hidden_at__isnull=True
    ).select_related("author")
    order = Order("created_at", descending=False)
    return _page(request, visible, order=order, cursor=cursor, size=limit, list_name="comments")


@api.get(
    "/initiatives/{initiative_id}/responses",
    response={200: ResponsePage, 404: ErrorOut, **LIST_ERRORS},
    summary=_("The city's official answers to a public initiative, oldest first"),
    tags=["initiatives"],
)
def responses(request, initiative_id: ItemId, cursor: str = "", limit: PageSize = PAGE_SIZE):
    initiative = _public_initiative(initiative_id)
    answers = OfficialResponse.objects.filter(initiative=initiative).select_related("forvaltning")
    order = Order("created_at", descending=False)
    return _page(request, answers, order=order, cursor=cursor, size=limit, list_name="responses")


@api.get(
    "/organisations",
    response={200: OrganisationPage, **LIST_ERRORS},
    summary=_("Organisations a moderator has approved"),
    tags=["organisations"],
)
def organisations(request, cursor: str = "", limit: PageSize = PAGE_SIZE):
    approved = Organisation.objects.public().prefetch_related(
        Prefetch("fokusomraden", queryset=Fokusomrade.objects.only("slug")),
        Prefetch("stadsdelar", queryset=Stadsdel.objects.only("slug")),
    )
    order = Order(None, descending=False)
    return _page(
        request, approved, order=order, cursor=cursor, size=limit, list_name="organisations"
    )


def _public_organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation.objects.public(), slug=slug)


@api.get(
    "/organisations/{slug}",
    response={200: OrganisationOut, **ITEM_ERRORS},
    summary=_("One approved organisation"),
    tags=["organisations"],
)
def organisation(request, slug: str):
    return _public_organisation(slug)


@api.get(
    "/organisations/{slug}/offers",
    response={200: OfferPage, 404: ErrorOut, **LIST_ERRORS},
    summary=_("An approved organisation's accepted offers of help to public initiatives"),
    tags=["organisations"],
)
def offers(request, slug: str, cursor: str = "", limit: PageSize = PAGE_SIZE):
    organisation = _public_organisation(slug)
    accepted = (
        PartnerOffer.objects.accepted()
        .filter(organisation=organisation, initiative__in=Initiative.objects.public())
        .select_related("initiative")
        .only("pk", "decided_at", "initiative__id", "initiative__title", "initiative__slug")
    )
    order = Order("decided_at", descending=False)
    return _page(request, accepted, order=order, cursor=cursor, size=limit, list_name="offers")


# Statistics


class StatisticsRowOut(Schema):
    label: str
    kind: str
    level: int
    # Numbers, or the page's "< 5" for a count small enough to point at a person, or null.
    cells: list[int | float | str | None]


class StatisticsTableOut(Schema):
    slug: str
    caption: str
    columns: list[str]
    rows: list[StatisticsRowOut]


class StatisticsOut(Schema):
    computed_at: datetime
    fran: str
    till: str
    tables: list[StatisticsTableOut]


def _table_out(table) -> dict:
    return {
        "slug": table.slug,
        "caption": str(table.caption),
        "columns": [str(column) for column in table.columns],
        "rows": [
            {"label": str(row.label), "kind": str(row.kind), "level": row.level,
             "cells": [cell if isinstance(cell, int | float) or cell is None else str(cell)
                       for cell in row.cells]}
            for row in table.rows
        ],
    }  # fmt: skip


@api.get(
    "/statistics",
    response={200: StatisticsOut, 400: ErrorOut, **ITEM_ERRORS},
    summary=_(
        "The public statistics as /statistik/ shows them: by the programme's levels, by "
        "district, the city's answer times, and by month for the months asked for"
    ),
    tags=["statistics"],
)
def statistics_tables(request, fran: str = "", till: str = ""):
    form = PeriodForm({"fran": fran, "till": till} if fran or till else None)
    if form.is_bound and not form.is_valid():
        # 400 as for a bad cursor: the value has the parameter's type but names no period.
        raise HttpError(
            400, " ".join(str(error) for errors in form.errors.values() for error in errors)
        )
    period = form.period()
    totals, months = statistics.totals(), statistics.months(period)
    tables = [
        totals.programme_table,
        totals.district_table,
        totals.responsiveness_table,
        months.month_table,
        *months.district_tables,
    ]
    return {
        "computed_at": min(totals.computed_at, months.computed_at),
        "fran": f"{period.first:%Y-%m}",
        "till": f"{period.last:%Y-%m}",
        "tables": [_table_out(table) for table in tables],
    }


# Errors: plain JSON with a sentence a person can read.


@api.exception_handler(ValidationError)
def _invalid(request, error: ValidationError):
    problems = "; ".join(
        f"{'.'.join(str(part) for part in problem.get('loc', ())[1:]) or '?'}: {problem['msg']}"
        for problem in error.errors
    )
    message = gettext("A parameter has a value the API does not take: %(problems)s") % {
        "problems": problems
    }
    return api.create_response(request, {"detail": message}, status=422)


@api.exception_handler(Http404)
def _not_found(request, error: Http404 | None):
    message = gettext("There is no such item, or it is not public.")
    return api.create_response(request, {"detail": message}, status=404)


# Limits, conditional answers and CORS, for every address of the API.

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Retry-After",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, Accept, Accept-Language",
    "Access-Control-Max-Age": "86400",
}


def _seconds_to_wait(request) -> int:
    """Count this request against its client address; the seconds until the address may ask
    again when it is over the limit, else 0. When the cache is away the count starts again,
    which lets requests through rather than refusing everyone."""
    allowed, window = getattr(settings, "API_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    now = int(time.time())
    try:
        # The address nginx decided on behind the trusted proxy, as allauth's limits count it.
        address = get_adapter(request).get_client_ip(request)
    except PermissionDenied:  # No address at all (a socket with none): one shared count.
        address = "unknown"
    key = f"api-ratelimit:{address}:{now // window}"
    cache.add(key, 0, timeout=window + 1)
    try:
        done = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window + 1)
        done = 1
    return window - now % window if done > allowed else 0


def _too_many(seconds: int) -> HttpResponse:
    message = ngettext(
        "Too many requests from your address. Try again in %(seconds)s second.",
        "Too many requests from your address. Try again in %(seconds)s seconds.",
        seconds,
    ) % {"seconds": seconds}
    response = JsonResponse({"detail": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _add_headers(response: HttpResponse, headers: dict[str, str]) -> None:
    for name, value in headers.items():
        response[name] = value


def open_read(view):
    """An API address as the open API serves it: OPTIONS answers a browser's CORS preflight;
    GET and HEAD are counted against the client's limit, then answered with an ETag, or 304
    when the client holds the same answer; all three carry Access-Control-Allow-Origin: *."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            _add_headers(response, PREFLIGHT_HEADERS)
        elif request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        elif seconds := _seconds_to_wait(request):
            response = _too_many(seconds)
        else:
            head = request.method == "HEAD"
            request.method = "GET"
            try:
                response = view(request, *args, **kwargs)
            except Http404:  # An address the API does not have: JSON too, not the site's page.
                response = _not_found(request, None)
            if response.status_code == 200:
                patch_cache_control(response, public=True, no_cache=True)
                set_response_etag(response)
                response = get_conditional_response(
                    request, etag=response["ETag"], response=response
                )
            if head:
                response.content = b""
        _add_headers(response, CORS_HEADERS)
        return response

    return wrapped


def no_such_address(request, path: str = ""):
    raise Http404


# The documentation: a page of the site, drawn from the OpenAPI document on the server, so it
# needs no script from elsewhere (the site's CSP allows none) and reads without JavaScript.


@require_safe
def docs(request):
    document = api.get_openapi_schema()
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary", ""),
            "parameters": [
                {
                    "name": parameter["name"],
                    "where": parameter["in"],
                    "required": parameter.get("required", False),
                    "type": _type_name(parameter.get("schema", {})),
                }
                for parameter in operation.get("parameters", [])
            ],
            "statuses": sorted(operation.get("responses", {})),
        }
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]
    return render(request, "api/docs.html", {"document": document, "operations": operations})


def _type_name(schema: dict) -> str:
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"])
    if "anyOf" in schema:
        return " | ".join(_type_name(option) for option in schema["anyOf"])
    return schema.get("type", "")
