"""The organisation directory's filters, read from the address so that any view of it can be
shared. One page shows it, /organisationer/; the partner directory's organisation tab is that
page too, and its initiative tab filters with the same options and rules. It lists approved
organisations only (OrganisationQuerySet.public)."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.http import QueryDict

from accounts.models import Organisation, PartnerNeed
from core.params import text
from programme.models import Fokusomrade, Stadsdel

PER_PAGE = 24
SEARCH_MAX_LENGTH = 100


def filter_options() -> dict[str, list[tuple[str, str]]]:
    """The choices of the directory's filter form, as (value, label) pairs."""
    return {
        "kinds": Organisation.Kind.choices,
        "fokusomraden": [(item.slug, item.title) for item in Fokusomrade.objects.all()],
        "needs": PartnerNeed.choices,
        "stadsdelar": [(item.slug, item.name) for item in Stadsdel.objects.all()],
    }


def choice(params: QueryDict, name: str, choices: list[tuple[str, str]]) -> str:
    """The parameter's value when it is one of the choices, else empty: an old or hand-edited
    address shows a list, never an error."""
    value = params.get(name, "")
    return value if value in {key for key, _label in choices} else ""


def search_text(params: QueryDict) -> str:
    return text(params.get("q"), SEARCH_MAX_LENGTH)


@dataclass(frozen=True)
class DirectoryQuery:
    """What the directory's form asks for. A value that is none of the choices is ignored, so an
    old or hand-edited address shows a list, never an error; the search keeps what was typed."""

    q: str = ""
    typ: str = ""
    fokusomrade: str = ""
    erbjuder: str = ""
    stadsdel: str = ""
    sida: str = ""

    @classmethod
    def from_request(cls, params: QueryDict, options: dict) -> "DirectoryQuery":
        return cls(
            q=search_text(params),
            typ=choice(params, "typ", options["kinds"]),
            fokusomrade=choice(params, "fokusomrade", options["fokusomraden"]),
            erbjuder=choice(params, "erbjuder", options["needs"]),
            stadsdel=choice(params, "stadsdel", options["stadsdelar"]),
            sida=params.get("sida", ""),
        )

    def page(self) -> Page:
        """The page asked for of the organisations that match, with what their cards show."""
        organisations = (
            Organisation.objects.public()
            .directory(
                search=self.q,
                kind=self.typ,
                fokusomrade=self.fokusomrade,
                offer=self.erbjuder,
                stadsdel=self.stadsdel,
            )
            .prefetch_related(
                Prefetch("fokusomraden", queryset=Fokusomrade.objects.order_by("title_sv")),
                "stadsdelar",
            )
        )
        return Paginator(organisations, PER_PAGE).get_page(self.sida)
