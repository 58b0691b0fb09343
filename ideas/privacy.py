"""The ideas section of a person's data (core/privacy.py): what they proposed, wrote, supported
and answered, and the earlier versions of their published initiatives. Erasure keeps all of
it: it shows as written by a deleted user."""

from typing import Any

from django.db.models import Q

from accounts.models import User
from core.privacy import when
from ideas.models import (
    Comment,
    Initiative,
    InitiativeEvent,
    InitiativeVersion,
    OfficialResponse,
    Support,
)

COVERS = [
    "ideas.Initiative.author",
    "ideas.Comment.author",
    "ideas.Support.user",
    "ideas.OfficialResponse.author",
    "ideas.InitiativeEvent.actor",
    "ideas.InitiativeVersion.edited_by",
]


def export(user: User) -> dict[str, Any]:
    return {
        "initiatives": [
            {
                "title": initiative.title,
                "summary": initiative.summary,
                "body": initiative.body,
                "status": initiative.status,
                "created_at": when(initiative.created_at),
                "published_at": when(initiative.published_at),
            }
            for initiative in Initiative.objects.filter(author=user).order_by("created_at")
        ],
        # The texts their published initiatives had before each edit: their own words too.
        "initiative_versions": [
            {
                "initiative": version.initiative.title,
                "version": version.number,
                "title": version.title,
                "summary": version.summary,
                "body": version.body,
                "changed": version.changed,
                "replaced_at": when(version.created_at),
            }
            for version in InitiativeVersion.objects.filter(
                Q(initiative__author=user) | Q(edited_by=user)
            )
            .select_related("initiative")
            .order_by("initiative_id", "number")
        ],
        "comments": [
            {
                "initiative": comment.initiative.title,
                "body": comment.body,
                "written_at": when(comment.created_at),
                "removed_at": when(comment.removed_at),
            }
            for comment in Comment.objects.filter(author=user).select_related("initiative")
        ],
        # Who supported is secret from everyone else, but not from the person themself.
        "supports": [
            {"initiative": support.initiative.title, "given_at": when(support.created_at)}
            for support in Support.objects.filter(user=user).select_related("initiative")
        ],
        "official_responses": [
            {
                "initiative": response.initiative.title,
                "administration": response.forvaltning.name_sv,
                "body": response.body,
                "status": response.status,
                "answered_at": when(response.created_at),
            }
            for response in OfficialResponse.objects.filter(author=user).select_related(
                "initiative", "forvaltning"
            )
        ],
        # Steps of initiatives' public timelines that the person took, as author or as staff.
        "timeline_events": [
            {
                "initiative": event.initiative.title,
                "kind": event.kind,
                "status": event.status,
                "note": event.note,
                "at": when(event.created_at),
            }
            for event in InitiativeEvent.objects.filter(actor=user).select_related("initiative")
        ],
    }


def erase(user: User) -> None:
    """Nothing goes. Initiatives, their earlier versions, comments, official responses and
    timeline steps are public records of what was said and done. Supports stay too: an
    initiative's count must not fall when a supporter leaves, and no one but the supporter ever
    sees who gave one."""
