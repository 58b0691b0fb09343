"""What waits for a moderator: initiatives in review (oldest first), new organisations waiting
for approval (settings.ORGANISATIONS_NEED_APPROVAL), flagged content, and, when
settings.REVIEW_PUBLISHED_EDITS asks for it, authors' edits of published initiatives."""

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery

from accounts.models import Membership, Organisation
from ideas.models import Comment, Initiative, InitiativeVersion
from moderation.forms import InitiativeDecisionForm, OrganisationDecisionForm
from moderation.models import Flag
from partners.models import OfferMessage

QUEUE_LIMIT = 200


def queue_context() -> dict:
    open_flags = Prefetch("flags", queryset=Flag.objects.open().order_by("created_at"))
    review = list(
        Initiative.objects.filter(status=Initiative.Status.SUBMITTED)
        .select_related("author", "fokusomrade", "organisation")
        .order_by("submitted_at", "pk")[:QUEUE_LIMIT]
    )
    # Each initiative in review has its own buttons to approve, reject or send back.
    for initiative in review:
        initiative.decision_form = InitiativeDecisionForm(initiative=initiative)
    # Exists, not a join on flags__resolved_at=None: a join also matches content with no flags.
    flagged_initiatives = list(
        Initiative.objects.filter(Exists(Flag.objects.open().filter(initiative=OuterRef("pk"))))
        .annotate(open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True)))
        .select_related("author")
        .prefetch_related(open_flags)
        .order_by("-open_flags", "pk")[:QUEUE_LIMIT]
    )
    flagged_comments = list(
        Comment.objects.filter(Exists(Flag.objects.open().filter(comment=OuterRef("pk"))))
        .annotate(open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True)))
        .select_related("author", "initiative")
        .prefetch_related(open_flags)
        .order_by("-open_flags", "pk")[:QUEUE_LIMIT]
    )
    # Private messages between partners, flagged by one party: no Flag row, see OfferMessage.
    flagged_offer_messages = list(
        OfferMessage.objects.flagged()
        .select_related("author", "flagged_by", "offer__initiative")
        .order_by("flagged_at", "pk")[:QUEUE_LIMIT]
    )
    return {
        "flagged_offer_messages": flagged_offer_messages,
        "review": review,
        "organisations": _organisations(),
        "edited": _edited() if settings.REVIEW_PUBLISHED_EDITS else [],
        "flagged_initiatives": flagged_initiatives,
        "flagged_comments": flagged_comments,
    }


def _organisations() -> list[Organisation]:
    """Organisations waiting for approval, the longest waiting first, with who registered them
    (their administrators) and each its own buttons."""
    admins = Membership.objects.filter(role=Membership.Role.ADMIN).select_related("user")
    organisations = list(
        Organisation.objects.awaiting_review()
        .prefetch_related(Prefetch("memberships", queryset=admins, to_attr="admins"))
        .order_by("created_at", "pk")[:QUEUE_LIMIT]
    )
    for organisation in organisations:
        organisation.decision_form = OrganisationDecisionForm(organisation=organisation)
    return organisations


def _edited() -> list[Initiative]:
    """Public initiatives whose author edited them since a moderator last looked, the longest
    waiting first; `edits_awaiting` holds the versions those edits replaced, oldest first."""
    awaiting = InitiativeVersion.objects.awaiting_review()
    first_edit = awaiting.filter(initiative=OuterRef("pk")).order_by("number").values("created_at")
    return list(
        Initiative.objects.public()
        .annotate(waiting_since=Subquery(first_edit[:1]))
        .filter(waiting_since__isnull=False)
        .select_related("author", "fokusomrade")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=awaiting.select_related("fokusomrade").order_by("number"),
                to_attr="edits_awaiting",
            )
        )
        .order_by("waiting_since", "pk")[:QUEUE_LIMIT]
    )
