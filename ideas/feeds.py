"""Atom feeds of what anyone may read: newly published initiatives (all of them, in one focus
area, in one district), the city's answers, and one initiative's timeline.

Built on django.contrib.syndication, which needs nothing in INSTALLED_APPS. Only public
initiatives appear (published or later, not hidden); the feeds name people as the pages do, by
their public name, and never carry an email address or who supported what. Titles are in the
language of the address (/en/... in English); what people wrote stays as they wrote it.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext

from ideas.models import Initiative, InitiativeEvent, OfficialResponse
from programme.models import Fokusomrade, Programme, Stadsdel

# Entries a feed holds: the newest, as feed readers keep what they have already read.
FEED_LENGTH = 50


def absolute(path: str) -> str:
    """The address as the site names itself (settings.SITE_URL), as in its canonical links."""
    return settings.SITE_URL + path


def tag_uri(kind: str, pk: int, when: datetime) -> str:
    """An entry's lasting id (RFC 4151): the same whatever the language or a changed title."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"tag:{host},{when:%Y-%m-%d}:{kind}/{pk}"


def author_name(initiative: Initiative) -> str:
    """Who proposed it, as the initiative's card names them."""
    if initiative.organisation_id and initiative.organisation.is_public:
        return initiative.organisation.name
    return initiative.author.public_name


class SiteFeed(Feed):
    """What every feed of the site shares: Atom, the site as the feed's author, absolute links
    on the site's own address."""

    feed_type = Atom1Feed

    def author_name(self) -> str:
        return settings.SITE_NAME

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Its own address on the site's address too, not on the host the request came by.
        feed.feed["feed_url"] = absolute(request.path)
        return feed


class InitiativeFeed(SiteFeed):
    """Newly published initiatives, newest first."""

    def title(self, obj) -> str:
        return gettext("New initiatives – %(site)s") % {"site": settings.SITE_NAME}

    def subtitle(self, obj) -> str:
        return gettext("Initiatives published for support in %(city)s.") % {
            "city": settings.CITY_NAME
        }

    def link(self, obj) -> str:
        return absolute(reverse("ideas:list"))

    def initiatives(self, obj) -> QuerySet:
        return Initiative.objects.public()

    def items(self, obj) -> QuerySet:
        return (
            self.initiatives(obj)
            .select_related("fokusomrade", "stadsdel", "author", "organisation")
            .only(
                "pk",
                "title",
                "slug",
                "summary",
                "status",
                "published_at",
                "created_at",
                "fokusomrade__title_sv",
                "fokusomrade__title_en",
                "stadsdel__name",
                "author__display_name",
                "author__deleted_at",
                "organisation__name",
                "organisation__review_state",
            )
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item: Initiative) -> str:
        return item.title

    def item_description(self, item: Initiative) -> str:
        # Atom's summary is HTML here: the summary is plain text, so it is escaped once.
        status = escape(item.get_status_display())
        return f"<p>{escape(item.summary)}</p><p>{status}</p>"

    def item_link(self, item: Initiative) -> str:
        return absolute(item.get_absolute_url())

    def item_guid(self, item: Initiative) -> str:
        return tag_uri("initiativ", item.pk, item.created_at)

    item_guid_is_permalink = False

    def item_pubdate(self, item: Initiative) -> datetime:
        return item.published_at

    # Atom requires each entry's time of change; the time it was made stands for it.
    item_updateddate = item_pubdate

    def item_author_name(self, item: Initiative) -> str:
        return author_name(item)

    def item_categories(self, item: Initiative) -> list[str]:
        categories = [item.fokusomrade.title]
        if item.stadsdel_id:
            categories.append(item.stadsdel.name)
        return categories


class FokusomradeFeed(InitiativeFeed):
    """Newly published initiatives in one focus area of the programme in force."""

    def get_object(self, request, slug: str) -> Fokusomrade:
        current = Programme.objects.current_pk_subquery()
        focus_areas = Fokusomrade.objects.filter(viljeinriktning__programme__in=current)
        return get_object_or_404(focus_areas.select_related("viljeinriktning"), slug=slug)

    def title(self, obj: Fokusomrade) -> str:
        return gettext("New initiatives in %(fokusomrade)s – %(site)s") % {
            "fokusomrade": obj.title,
            "site": settings.SITE_NAME,
        }

    def link(self, obj: Fokusomrade) -> str:
        return absolute(obj.get_absolute_url())

    def initiatives(self, obj: Fokusomrade) -> QuerySet:
        return Initiative.objects.public().filter(fokusomrade=obj)


class StadsdelFeed(InitiativeFeed):
    """Newly published initiatives in one district."""

    def get_object(self, request, slug: str) -> Stadsdel:
        return get_object_or_404(Stadsdel, slug=slug)

    def title(self, obj: Stadsdel) -> str:
        return gettext("New initiatives in %(stadsdel)s – %(site)s") % {
            "stadsdel": obj.name,
            "site": settings.SITE_NAME,
        }

    def link(self, obj: Stadsdel) -> str:
        return absolute(reverse("ideas:list") + "?" + urlencode({"stadsdel": obj.slug}))

    def initiatives(self, obj: Stadsdel) -> QuerySet:
        return Initiative.objects.public().filter(stadsdel=obj)


class ResponseFeed(SiteFeed):
    """The city's official answers to public initiatives, newest first."""

    def title(self, obj) -> str:
        return gettext("Answers from the city – %(site)s") % {"site": settings.SITE_NAME}

    def subtitle(self, obj) -> str:
        return gettext("The administrations' official answers to residents' initiatives.")

    def link(self, obj) -> str:
        return absolute(reverse("ideas:list") + "?" + urlencode({"status": "besvarade"}))

    def items(self, obj) -> QuerySet:
        return (
            OfficialResponse.objects.filter(initiative__in=Initiative.objects.public())
            .select_related("forvaltning", "initiative")
            .defer("initiative__body", "initiative__body_html", "initiative__search_vector")
            .order_by("-created_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item: OfficialResponse) -> str:
        return gettext("%(forvaltning)s answered: %(title)s") % {
            "forvaltning": item.forvaltning.name,
            "title": item.initiative.title,
        }

    def item_description(self, item: OfficialResponse) -> str:
        return response_html(item)

    def item_link(self, item: OfficialResponse) -> str:
        return absolute(item.initiative.get_absolute_url() + "#initiative-responses")

    def item_guid(self, item: OfficialResponse) -> str:
        return tag_uri("svar", item.pk, item.created_at)

    item_guid_is_permalink = False

    def item_pubdate(self, item: OfficialResponse) -> datetime:
        return item.created_at

    # Atom requires each entry's time of change; the time it was made stands for it.
    item_updateddate = item_pubdate

    def item_author_name(self, item: OfficialResponse) -> str:
        return item.forvaltning.name


def response_html(response: OfficialResponse) -> str:
    """The answer as its page shows it: the new status, then the text (already cleaned HTML)."""
    status = escape(response.get_status_display())
    return f"<p><strong>{status}</strong></p>{response.body_html}"


@dataclass
class TimelineEntry:
    """One line of an initiative's timeline in its feed: an event, or an official answer."""

    kind: str
    pk: int
    title: str
    html: str
    when: datetime
    fragment: str
    author: str


def event_title(event: InitiativeEvent) -> str:
    """The event as the timeline on the initiative's page words it."""
    if event.kind != InitiativeEvent.Kind.STATUS:
        return event.get_kind_display()
    return event.get_status_display()


class TimelineFeed(SiteFeed):
    """One public initiative's timeline, as its page shows it: the steps of its status, and the
    city's answers. Newest first."""

    def get_object(self, request, pk: int) -> Initiative:
        return get_object_or_404(
            Initiative.objects.public().select_related("author", "organisation"), pk=pk
        )

    def title(self, obj: Initiative) -> str:
        return gettext("Timeline: %(title)s") % {"title": obj.title}

    def subtitle(self, obj: Initiative) -> str:
        return obj.summary

    def link(self, obj: Initiative) -> str:
        return absolute(obj.get_absolute_url())

    def items(self, obj: Initiative) -> list[TimelineEntry]:
        page = obj.get_absolute_url()
        entries = [
            TimelineEntry(
                kind="handelse",
                pk=event.pk,
                title=event_title(event),
                html=f"<p>{escape(event.note)}</p>" if event.note else "",
                when=event.created_at,
                fragment=page + "#initiative-timeline",
                author=settings.SITE_NAME,
            )
            for event in obj.events.order_by("-created_at", "-pk")[:FEED_LENGTH]
        ]
        responses = obj.responses.select_related("forvaltning").order_by("-created_at", "-pk")
        entries += [
            TimelineEntry(
                kind="svar",
                pk=response.pk,
                title=gettext("The city's answer: %(status)s")
                % {"status": response.get_status_display()},
                html=response_html(response),
                when=response.created_at,
                fragment=page + "#initiative-responses",
                author=response.forvaltning.name,
            )
            for response in responses[:FEED_LENGTH]
        ]
        entries.sort(key=lambda entry: (entry.when, entry.kind, entry.pk), reverse=True)
        return entries[:FEED_LENGTH]

    def item_title(self, item: TimelineEntry) -> str:
        return item.title

    def item_description(self, item: TimelineEntry) -> str:
        return item.html

    def item_link(self, item: TimelineEntry) -> str:
        return absolute(item.fragment)

    def item_guid(self, item: TimelineEntry) -> str:
        return tag_uri(item.kind, item.pk, item.when)

    item_guid_is_permalink = False

    def item_pubdate(self, item: TimelineEntry) -> datetime:
        return item.when

    # Atom requires each entry's time of change; the time it was made stands for it.
    item_updateddate = item_pubdate

    def item_author_name(self, item: TimelineEntry) -> str:
        return item.author
