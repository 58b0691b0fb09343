"""Security as tests that stay: every state-changing URL and every websocket route against every
role, with production's rules for staff (STAFF_MFA_REQUIRED on, staff having done their second
factor, but for staff_no_2fa).

The URLs are read from the URL conf: a new URL that accepts a POST fails
test_every_state_changing_url_has_a_row until it gets a row in ROWS, and a row whose URL is gone
fails it too. Each row says, for each role, what must happen when that person POSTs a minimal
valid body:

- "ok": the write happened (a 2xx, or a redirect that is not to sign-in or to the second
  factor, and the database changed as the row checks);
- "login": a redirect to /konto/login/, nothing written;
- "refused": a 4xx (403, or 404 for what the person may not even see), or an answer that left
  the database as it was (some forms say no with a message on the page they return to);
- "mfa": a redirect to the second factor's set-up, nothing written.

In each row the role is the person it would be for that action: the author of "own" things, the
administrator of "the" organisation (org_admin; org_member is a member of it), the one an
invitation was sent to. The blocked person is that same person, blocked: a blocked author, a
blocked organisation administrator, a blocked responder where staff work is asked about.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

import pytest
from asgiref.sync import async_to_sync
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    Block,
    IdentityVerification,
    Invitation,
    Membership,
    Organisation,
    User,
)
from config.routing import websocket_urlpatterns
from ideas.models import Comment, Initiative, InitiativeVersion, OfficialResponse, Support
from moderation.models import Flag
from notifications.models import Follow, NotificationSettings
from notifications.tokens import make_token
from partners.models import OfferMessage, PartnerOffer
from tests import sockets
from tests.factories import (
    PASSWORD,
    BlockFactory,
    CommentFactory,
    DraftFactory,
    FokusomradeFactory,
    ForvaltningFactory,
    InitiativeFactory,
    InvitationFactory,
    MembershipFactory,
    NotificationFactory,
    OfferMessageFactory,
    OrganisationFactory,
    PartnerOfferFactory,
    UserFactory,
)
from tests.moderation.conftest import submitted
from tests.role_grid import (
    LOGIN_PATH,
    MODERATORS,
    RESIDENTS,
    ROLES,
    SIGNED_IN,
    admin_paths,
    answer_class,
    location_path,
    make_person,
    project_routes,
    session_cookie,
    sign_in,
    state_changing_url_names,
)


@pytest.fixture(autouse=True)
def _production_rules(settings):
    settings.STAFF_MFA_REQUIRED = True


def expect(ok: list[str], *, visitor: str = "login", **special: str) -> dict[str, str]:
    """The outcome for every role: `ok` may, the visitor is sent to sign in, staff without the
    second factor are sent to set it up, and everyone else is refused; `special` overrides."""
    outcome = dict.fromkeys(ROLES, "refused") | {"visitor": visitor, "staff_no_2fa": "mfa"}
    return outcome | dict.fromkeys(ok, "ok") | special


@dataclass
class Attempt:
    """One request: the URL's arguments, the body, and a check that the write happened (None
    for a page that writes nothing)."""

    kwargs: dict
    data: dict
    done: Callable[[], bool] | None
    method: str = "post"


class Cell:
    """One role's person, and the things a row needs around them, made when first asked for."""

    def __init__(self, role: str, client, *, blocked_as: str):
        self.role = role
        self.client = client
        self.user = make_person(role, blocked_as=blocked_as)

    @property
    def signed_in(self) -> bool:
        return self.user.is_authenticated

    @cached_property
    def owner(self) -> User:
        """Whose "own" things the row is about: the person, or for a visitor someone else."""
        return self.user if self.signed_in else UserFactory()

    @cached_property
    def someone(self) -> User:
        return UserFactory()

    @cached_property
    def fokusomrade(self):
        """A focus area of the programme in force (the latest to have started)."""
        return FokusomradeFactory(viljeinriktning__programme__valid_from=timezone.localdate())

    @cached_property
    def organisation(self) -> Organisation:
        """The organisation of the row: org_member's and org_admin's own, one the blocked person
        administers, and for everyone else one they do not belong to."""
        if self.role in {"org_member", "org_admin"}:
            return self.user.memberships.get().organisation
        organisation = OrganisationFactory()
        MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
        if self.role == "blocked":
            MembershipFactory(organisation=organisation, user=self.user, role=Membership.Role.ADMIN)
        return organisation

    @cached_property
    def own_administration(self):
        """The responder's administration (ResponderFactory's)."""
        return ForvaltningFactory()

    @cached_property
    def other_administration(self):
        return ForvaltningFactory(
            slug="stadsbyggnadsforvaltningen",
            name_sv="Stadsbyggnadsförvaltningen",
            name_en="City Planning Administration",
        )


def _reloaded(item):
    return type(item).objects.get(pk=item.pk)


def _seeking(**fields) -> Initiative:
    return InitiativeFactory(seeking_partners=True, partner_needs=["venue"], **fields)


def _in_30_days() -> str:
    return (timezone.localdate() + timedelta(days=30)).isoformat()


# --- accounts ----------------------------------------------------------------------------------


def organisation_create(cell: Cell) -> Attempt:
    name = "Rutfältets odlare"
    data = {"kind": "forening", "name": name, "description": "Vi odlar.", "website": ""}
    return Attempt({}, data, lambda: Organisation.objects.filter(name=name).exists())


def organisation_edit(cell: Cell) -> Attempt:
    organisation = cell.organisation
    data = {"kind": organisation.kind, "name": "Nytt namn", "description": "Ny text."}
    return Attempt(
        {"slug": organisation.slug},
        data,
        lambda: _reloaded(organisation).name == "Nytt namn",
    )


def invitation_send(cell: Cell) -> Attempt:
    organisation = cell.organisation
    return Attempt(
        {"slug": organisation.slug},
        {"email": "ny.medlem@example.org", "role": "member"},
        lambda: Invitation.objects.filter(email="ny.medlem@example.org").exists(),
    )


def membership_set_role(cell: Cell) -> Attempt:
    target = MembershipFactory(organisation=cell.organisation)
    return Attempt(
        {"slug": cell.organisation.slug, "pk": target.pk},
        {"role": Membership.Role.ADMIN},
        lambda: _reloaded(target).role == Membership.Role.ADMIN,
    )


def membership_leave(cell: Cell) -> Attempt:
    """Leave the organisation: one's own membership, or for those without one, someone else's.
    The organisation has another administrator, so its last one is not the one leaving."""
    organisation = cell.organisation
    MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    membership = (
        organisation.memberships.filter(user=cell.user).first() if cell.signed_in else None
    ) or MembershipFactory(organisation=organisation)
    return Attempt(
        {"slug": organisation.slug, "pk": membership.pk},
        {"remove": "1"},
        lambda: not Membership.objects.filter(pk=membership.pk).exists(),
    )


def invitation_accept_own(cell: Cell) -> Attempt:
    invitation = InvitationFactory(email=cell.owner.email)
    return Attempt(
        {"token": invitation.token},
        {},
        lambda: Membership.objects.filter(
            user=cell.owner, organisation=invitation.organisation
        ).exists(),
    )


def invitation_accept_another(cell: Cell) -> Attempt:
    invitation = InvitationFactory()
    return Attempt(
        {"token": invitation.token}, {}, lambda: _reloaded(invitation).accepted_at is not None
    )


def profile_rename(cell: Cell) -> Attempt:
    return Attempt(
        {},
        {"display_name": "Ett nytt namn", "language": "sv"},
        lambda: User.objects.filter(display_name="Ett nytt namn").exists(),
    )


def account_delete(cell: Cell) -> Attempt:
    return Attempt({}, {"password": PASSWORD}, lambda: _reloaded(cell.owner).deleted_at is not None)


def identity_forget(cell: Cell) -> Attempt:
    """Removing one's own e-legitimation (the only kind there is: it acts on the signed-in
    person)."""
    IdentityVerification.objects.create(user=cell.owner, digest=f"{cell.owner.pk:064d}")
    User.objects.filter(pk=cell.owner.pk).update(is_verified_resident=True)
    return Attempt(
        {}, {}, lambda: not IdentityVerification.objects.filter(user=cell.owner).exists()
    )


def verify_organisation(cell: Cell) -> Attempt:
    organisation = cell.organisation
    Organisation.objects.filter(pk=organisation.pk).update(
        organisation_number="212000-1108", is_verified=False
    )
    return Attempt(
        {"pk": organisation.pk}, {"verifierad": "1"}, lambda: _reloaded(organisation).is_verified
    )


# --- ideas -------------------------------------------------------------------------------------


def _proposal(cell: Cell, title: str) -> dict:
    return {
        "title": title,
        "summary": "En lekplats för de minsta.",
        "body": "Barnen behöver en plats att leka på.",
        "fokusomrade": cell.fokusomrade.pk,
    }


def initiative_create(cell: Cell) -> Attempt:
    title = "Lekplats i Fredriksdal"
    return Attempt(
        {},
        _proposal(cell, title),
        lambda: Initiative.objects.filter(title=title, author=cell.owner).exists(),
    )


def initiative_edit(owner: str) -> Callable[[Cell], Attempt]:
    def build(cell: Cell) -> Attempt:
        author = cell.owner if owner == "own" else cell.someone
        draft = DraftFactory(author=author, fokusomrade=cell.fokusomrade)
        data = _proposal(cell, "Ny titel på utkastet") | {"version": draft.version}
        return Attempt(
            {"pk": draft.pk}, data, lambda: _reloaded(draft).title == "Ny titel på utkastet"
        )

    return build


def initiative_edit_published(owner: str) -> Callable[[Cell], Attempt]:
    """Correct the text of a published, supported initiative (its title stays)."""

    def build(cell: Cell) -> Attempt:
        author = cell.owner if owner == "own" else cell.someone
        initiative = InitiativeFactory(author=author, fokusomrade=cell.fokusomrade)
        Support.objects.create(initiative=initiative, user=UserFactory())
        body = "Barnen behöver en plats att leka på, nära skolan."
        data = _proposal(cell, initiative.title) | {"body": body, "version": initiative.version}
        return Attempt({"pk": initiative.pk}, data, lambda: _reloaded(initiative).body == body)

    return build


def initiative_submit(owner: str) -> Callable[[Cell], Attempt]:
    def build(cell: Cell) -> Attempt:
        draft = DraftFactory(author=cell.owner if owner == "own" else cell.someone)
        return Attempt(
            {"pk": draft.pk}, {}, lambda: _reloaded(draft).status != Initiative.Status.DRAFT
        )

    return build


def initiative_withdraw(owner: str) -> Callable[[Cell], Attempt]:
    def build(cell: Cell) -> Attempt:
        initiative = InitiativeFactory(author=cell.owner if owner == "own" else cell.someone)
        return Attempt(
            {"pk": initiative.pk},
            {},
            lambda: _reloaded(initiative).status == Initiative.Status.WITHDRAWN,
        )

    return build


def support(cell: Cell) -> Attempt:
    initiative = InitiativeFactory()
    return Attempt(
        {"pk": initiative.pk},
        {"stod": "1"},
        lambda: Support.objects.filter(initiative=initiative, user=cell.owner).exists(),
    )


def follow(cell: Cell) -> Attempt:
    initiative = InitiativeFactory()
    return Attempt(
        {"pk": initiative.pk},
        {"folj": "1"},
        lambda: Follow.objects.active().filter(initiative=initiative, user=cell.owner).exists(),
    )


def comment_add(cell: Cell) -> Attempt:
    initiative = InitiativeFactory()
    return Attempt(
        {"pk": initiative.pk},
        {"body": "Bra förslag!"},
        lambda: Comment.objects.filter(initiative=initiative, author=cell.owner).exists(),
    )


def comment_edit(owner: str) -> Callable[[Cell], Attempt]:
    def build(cell: Cell) -> Attempt:
        comment = CommentFactory(author=cell.owner if owner == "own" else cell.someone)
        return Attempt(
            {"pk": comment.pk},
            {"body": "Ändrad kommentar.", "edited_at_seen": ""},
            lambda: _reloaded(comment).body == "Ändrad kommentar.",
        )

    return build


def comment_remove(owner: str) -> Callable[[Cell], Attempt]:
    def build(cell: Cell) -> Attempt:
        comment = CommentFactory(author=cell.owner if owner == "own" else cell.someone)
        return Attempt({"pk": comment.pk}, {}, lambda: _reloaded(comment).is_removed)

    return build


# --- moderation and answers --------------------------------------------------------------------


def decide_approve(cell: Cell) -> Attempt:
    in_review = submitted()
    return Attempt(
        {},
        # The version the moderator read: a decision on a changed initiative is refused.
        {
            "action": "approve",
            "initiativ": in_review.pk,
            f"version-{in_review.pk}": in_review.version,
        },
        lambda: _reloaded(in_review).status == Initiative.Status.PUBLISHED,
    )


def decide_organisation(action: str, body: dict) -> Callable[[Cell], Attempt]:
    """One decision from the buttons beside a new organisation in the queue."""
    state = {"approve": Organisation.Review.APPROVED, "reject": Organisation.Review.REJECTED}[
        action
    ]

    def build(cell: Cell) -> Attempt:
        waiting = cell.organisation
        Organisation.objects.filter(pk=waiting.pk).update(review_state=Organisation.Review.PENDING)
        prefix = f"organisation-{waiting.pk}"
        return Attempt(
            {"pk": waiting.pk},
            {f"{prefix}-{name}": value for name, value in {"action": action, **body}.items()},
            lambda: _reloaded(waiting).review_state == state,
        )

    return build


def decide_initiative(action: str, body: dict) -> Callable[[Cell], Attempt]:
    """One decision from the buttons beside an initiative in the queue."""
    status = {
        "approve": Initiative.Status.PUBLISHED,
        "reject": Initiative.Status.REJECTED,
        "send_back": Initiative.Status.DRAFT,
    }[action]

    def build(cell: Cell) -> Attempt:
        in_review = submitted()
        prefix = f"initiativ-{in_review.pk}"
        fields = {"action": action, "version": in_review.version, **body}
        return Attempt(
            {"pk": in_review.pk},
            {f"{prefix}-{name}": value for name, value in fields.items()},
            lambda: _reloaded(in_review).status == status,
        )

    return build


def decide_hide(cell: Cell) -> Attempt:
    comment = CommentFactory()
    return Attempt(
        {},
        {"action": "hide", "kommentar": comment.pk, "text": "Personangrepp."},
        lambda: _reloaded(comment).hidden_at is not None,
    )


def edit_reviewed(cell: Cell) -> Attempt:
    """Mark an author's edit of a published initiative reviewed."""
    initiative = InitiativeFactory()
    version = InitiativeVersion.objects.create(
        initiative=initiative,
        number=1,
        title=initiative.title,
        summary=initiative.summary,
        body="Den tidigare texten.",
        fokusomrade=initiative.fokusomrade,
        changed=["body"],
        edited_by=initiative.author,
        needs_review=True,
    )
    return Attempt(
        {"pk": initiative.pk},
        {"upp_till": "1"},
        lambda: _reloaded(version).reviewed_at is not None,
    )


def block(cell: Cell) -> Attempt:
    target = UserFactory()
    return Attempt(
        {"user_pk": target.pk},
        {"days": "7", "reason": "Upprepad spam.", "bekrafta": "1"},
        lambda: Block.objects.active().filter(user=target).exists(),
    )


def unblock(cell: Cell) -> Attempt:
    given = BlockFactory()
    return Attempt(
        {"pk": given.pk}, {}, lambda: not Block.objects.active().filter(pk=given.pk).exists()
    )


def flag_initiative(cell: Cell) -> Attempt:
    initiative = InitiativeFactory()
    return Attempt(
        {"pk": initiative.pk},
        {"reason": "spam"},
        lambda: Flag.objects.filter(initiative=initiative, reporter=cell.owner).exists(),
    )


def flag_comment(cell: Cell) -> Attempt:
    comment = CommentFactory()
    return Attempt(
        {"pk": comment.pk},
        {"reason": "off_topic"},
        lambda: Flag.objects.filter(comment=comment, reporter=cell.owner).exists(),
    )


def assign(assigned_to: str | None, to: str) -> Callable[[Cell], Attempt]:
    """Assign an initiative (unassigned, or assigned to `assigned_to`) to the responder's own
    administration or to another one."""

    def build(cell: Cell) -> Attempt:
        administrations = {"own": cell.own_administration, "other": cell.other_administration}
        initiative = InitiativeFactory(
            forvaltning=administrations[assigned_to] if assigned_to else None
        )
        target = administrations[to]
        before = initiative.answer_due
        return Attempt(
            {"pk": initiative.pk},
            {"forvaltning": target.pk, "answer_due": _in_30_days()},
            lambda: (
                _reloaded(initiative).forvaltning_id == target.pk
                and _reloaded(initiative).answer_due != before
            ),
        )

    return build


def respond(assigned_to: str) -> Callable[[Cell], Attempt]:
    def build(cell: Cell) -> Attempt:
        administration = (
            cell.own_administration if assigned_to == "own" else cell.other_administration
        )
        initiative = InitiativeFactory(forvaltning=administration)
        return Attempt(
            {"pk": initiative.pk},
            {"body": "Förvaltningen gör det i vår.", "status": "will_be_done"},
            lambda: OfficialResponse.objects.filter(initiative=initiative).exists(),
        )

    return build


# --- notifications -----------------------------------------------------------------------------


def read_all(cell: Cell) -> Attempt:
    notification = NotificationFactory(recipient=cell.owner)
    return Attempt({}, {}, lambda: _reloaded(notification).read_at is not None)


def read(owner: str) -> Callable[[Cell], Attempt]:
    def build(cell: Cell) -> Attempt:
        notification = NotificationFactory(recipient=cell.owner if owner == "own" else cell.someone)
        return Attempt(
            {"pk": notification.pk}, {}, lambda: _reloaded(notification).read_at is not None
        )

    return build


def _emails_off(user: User) -> bool:
    preferences = NotificationSettings.objects.filter(user=user).first()
    return preferences is not None and preferences.own_content == preferences.followed == "none"


def notification_settings(cell: Cell) -> Attempt:
    return Attempt({}, {"own_content": "none", "followed": "none"}, lambda: _emails_off(cell.owner))


def unsubscribe(token: str) -> Callable[[Cell], Attempt]:
    """One-click unsubscribe from an email: the signed token is the authorisation, so a visitor
    holding the person's link may use it; a tampered token may not."""

    def build(cell: Cell) -> Attempt:
        signed = make_token(cell.owner.pk, "all")
        signed = signed if token == "own" else signed[:-2] + ("AA" if signed[-2:] != "AA" else "BB")
        return Attempt({"token": signed}, {}, lambda: _emails_off(cell.owner))

    return build


# --- partners ----------------------------------------------------------------------------------


def offer_make(for_organisation: bool) -> Callable[[Cell], Attempt]:
    def build(cell: Cell) -> Attempt:
        initiative = _seeking()
        organisation = cell.organisation if for_organisation else None
        data = {"organisation": str(organisation.pk) if organisation else "", "message": "Hej!"}
        offers = PartnerOffer.objects.filter(initiative=initiative)
        return Attempt(
            {"pk": initiative.pk},
            data,
            lambda: (
                offers.filter(organisation=organisation).exists()
                if organisation
                else offers.filter(offered_by=cell.owner).exists()
            ),
        )

    return build


def offer_answer(owner: str) -> Callable[[Cell], Attempt]:
    def build(cell: Cell) -> Attempt:
        initiative = _seeking(author=cell.owner if owner == "own" else cell.someone)
        offer = PartnerOfferFactory(initiative=initiative)
        return Attempt(
            {"pk": offer.pk},
            {"accept": "1", "reply": "Välkomna!"},
            lambda: _reloaded(offer).status == PartnerOffer.Status.ACCEPTED,
        )

    return build


def offer_withdraw(cell: Cell) -> Attempt:
    offer = PartnerOfferFactory(offered_by=cell.owner)
    return Attempt(
        {"pk": offer.pk}, {}, lambda: _reloaded(offer).status == PartnerOffer.Status.WITHDRAWN
    )


def partnership_end(cell: Cell) -> Attempt:
    offer = PartnerOfferFactory(
        initiative=_seeking(author=cell.owner), status=PartnerOffer.Status.ACCEPTED
    )
    return Attempt(
        {"pk": offer.pk}, {}, lambda: _reloaded(offer).status == PartnerOffer.Status.ENDED
    )


def message_send(owner: str) -> Callable[[Cell], Attempt]:
    def build(cell: Cell) -> Attempt:
        offer = PartnerOfferFactory(offered_by=cell.owner if owner == "own" else cell.someone)
        return Attempt(
            {"pk": offer.pk},
            {"body": "När passar det att ses?"},
            lambda: OfferMessage.objects.filter(offer=offer).exists(),
        )

    return build


def message_flag(owner: str) -> Callable[[Cell], Attempt]:
    """Flag what the other party of one's own thread wrote, or a message of others' thread."""

    def build(cell: Cell) -> Attempt:
        offer = PartnerOfferFactory(offered_by=cell.owner if owner == "own" else cell.someone)
        message = OfferMessageFactory(offer=offer, author=offer.initiative.author)
        return Attempt({"pk": message.pk}, {}, lambda: _reloaded(message).flagged_at is not None)

    return build


# --- outside the project's URLs, named by the rules ----------------------------------------------


def sign_out(cell: Cell) -> Attempt:
    return Attempt({}, {}, lambda: "_auth_user_id" not in cell.client.session)


def data_download(cell: Cell) -> Attempt:
    return Attempt({}, {}, None, method="get")


@dataclass(frozen=True)
class Row:
    url: str  # namespace:name
    case: str
    expected: dict[str, str]
    build: Callable[[Cell], Attempt] = field(compare=False)
    blocked_as: str = "resident"

    @property
    def id(self) -> str:
        return f"{self.url}[{self.case}]"


NOBODY: list[str] = []
STAFF_ASSIGNING = ["moderator", "responder", "administrator"]

ROWS = [
    # Organisations: residents create them; only their administrators manage them.
    Row("accounts:organisation_create", "new", expect(RESIDENTS), organisation_create),
    Row("accounts:organisation_edit", "its profile", expect(["org_admin"]), organisation_edit),
    Row("accounts:organisation_members", "invite", expect(["org_admin"]), invitation_send),
    Row(
        "accounts:membership_change",
        "a member's role",
        expect(["org_admin"]),
        membership_set_role,
    ),
    # Leaving is taking oneself back, like deleting one's account (which a blocked person may):
    # refusing it would leave them only that.
    Row(
        "accounts:membership_change",
        "leave",
        expect(["org_member", "org_admin", "blocked"]),
        membership_leave,
    ),
    # Only the verified address the invitation went to; a blocked person may not join.
    Row("accounts:invitation", "accept own", expect(RESIDENTS), invitation_accept_own),
    Row("accounts:invitation", "accept another's", expect(NOBODY), invitation_accept_another),
    # A blocked person may not rename themselves (a new name is a way round a block).
    Row("accounts:profile", "rename", expect(RESIDENTS), profile_rename),
    Row("accounts:account_delete", "own account", expect(SIGNED_IN), account_delete),
    # Taking back one's own verification is like deleting one's account: a blocked person may.
    Row("accounts:identity_forget", "own", expect(SIGNED_IN), identity_forget),
    # Initiatives: a blocked author may withdraw, not edit or submit.
    Row("ideas:create", "propose", expect(RESIDENTS), initiative_create),
    Row("ideas:edit", "own draft", expect(RESIDENTS), initiative_edit("own")),
    Row("ideas:edit", "another's draft", expect(NOBODY), initiative_edit("another")),
    Row("ideas:edit", "own published", expect(RESIDENTS), initiative_edit_published("own")),
    Row("ideas:edit", "another's published", expect(NOBODY), initiative_edit_published("other")),
    Row("ideas:submit", "own draft", expect(RESIDENTS), initiative_submit("own")),
    Row("ideas:submit", "another's draft", expect(NOBODY), initiative_submit("another")),
    Row("ideas:withdraw", "own published", expect(SIGNED_IN), initiative_withdraw("own")),
    Row("ideas:withdraw", "another's", expect(NOBODY), initiative_withdraw("another")),
    Row("ideas:support", "another's initiative", expect(RESIDENTS), support),
    # Following is reading (tests/ideas/test_permissions.py): blocked and unverified people too.
    Row("ideas:follow", "published", expect(SIGNED_IN), follow),
    Row("ideas:comment_add", "comment", expect(RESIDENTS), comment_add),
    Row("ideas:comment_edit", "own, just written", expect(RESIDENTS), comment_edit("own")),
    Row("ideas:comment_edit", "another's", expect(NOBODY), comment_edit("another")),
    Row("ideas:comment_remove", "own", expect(SIGNED_IN), comment_remove("own")),
    Row("ideas:comment_remove", "another's", expect(NOBODY), comment_remove("another")),
    # Only moderators moderate.
    Row("moderation:decide", "approve", expect(MODERATORS), decide_approve),
    Row("moderation:decide", "hide a comment", expect(MODERATORS), decide_hide),
    Row(
        "moderation:decide_organisation",
        "approve one",
        expect(MODERATORS),
        decide_organisation("approve", {}),
    ),
    Row(
        "moderation:decide_organisation",
        "reject one",
        expect(MODERATORS),
        decide_organisation("reject", {"text": "Finns inte i föreningsregistret."}),
    ),
    Row(
        "moderation:verify_organisation",
        "mark verified",
        expect(MODERATORS),
        verify_organisation,
    ),
    Row(
        "moderation:decide_initiative",
        "approve one",
        expect(MODERATORS),
        decide_initiative("approve", {}),
    ),
    Row(
        "moderation:decide_initiative",
        "reject one",
        expect(MODERATORS),
        decide_initiative("reject", {"reasons": "duplicate", "text": "Finns redan."}),
    ),
    Row(
        "moderation:decide_initiative",
        "send one back",
        expect(MODERATORS),
        decide_initiative("send_back", {"text": "Beskriv platsen."}),
    ),
    Row("moderation:edit_reviewed", "an edit", expect(MODERATORS), edit_reviewed),
    Row("moderation:block", "a resident", expect(MODERATORS), block),
    Row("moderation:unblock", "a block", expect(MODERATORS), unblock),
    Row("moderation:flag_initiative", "another's", expect(RESIDENTS), flag_initiative),
    Row("moderation:flag_comment", "another's", expect(RESIDENTS), flag_comment),
    # A responder assigns only unassigned initiatives, and only to their own administration;
    # moderators assign anything. A blocked responder assigns and answers nothing.
    Row(
        "moderation:assign",
        "unassigned, to own administration",
        expect(STAFF_ASSIGNING),
        assign(None, "own"),
        blocked_as="responder",
    ),
    Row(
        "moderation:assign",
        "unassigned, to another administration",
        expect(MODERATORS),
        assign(None, "other"),
        blocked_as="responder",
    ),
    Row(
        "moderation:assign",
        "assigned elsewhere, to own administration",
        expect(MODERATORS),
        assign("other", "own"),
        blocked_as="responder",
    ),
    # Only case officers of the responsible administration answer.
    Row(
        "moderation:respond",
        "assigned to own administration",
        expect(["responder"]),
        respond("own"),
        blocked_as="responder",
    ),
    Row(
        "moderation:respond",
        "assigned to another administration",
        expect(NOBODY),
        respond("other"),
        blocked_as="responder",
    ),
    # Notifications are one's own; a blocked person may still change their settings.
    Row("notifications:read_all", "own", expect(SIGNED_IN), read_all),
    Row("notifications:read", "own", expect(SIGNED_IN), read("own")),
    Row("notifications:read", "another's", expect(NOBODY), read("another")),
    Row("notifications:settings", "emails off", expect(SIGNED_IN), notification_settings),
    Row(
        "notifications:unsubscribe",
        "own link",
        expect(SIGNED_IN, visitor="ok"),
        unsubscribe("own"),
    ),
    Row(
        "notifications:unsubscribe",
        "tampered link",
        expect(NOBODY, visitor="refused"),
        unsubscribe("tampered"),
    ),
    # Partners: offering and messaging are writing, which a blocked person may not.
    Row("partners:offer_make", "alone", expect(RESIDENTS), offer_make(False)),
    Row(
        "partners:offer_make",
        "for own organisation",
        expect(["org_member", "org_admin"]),
        offer_make(True),
    ),
    Row("partners:offer_answer", "on own initiative", expect(RESIDENTS), offer_answer("own")),
    Row("partners:offer_answer", "on another's", expect(NOBODY), offer_answer("another")),
    Row("partners:offer_withdraw", "own offer", expect(RESIDENTS), offer_withdraw),
    Row("partners:end", "own initiative's partnership", expect(RESIDENTS), partnership_end),
    Row("partners:message_send", "own thread", expect(RESIDENTS), message_send("own")),
    Row("partners:message_send", "another thread", expect(NOBODY), message_send("another")),
    # Flagging is writing: a blocked person may not flag, here as on initiatives and comments.
    # Reporting what the other party wrote stays open to a party who is blocked or has not
    # verified an address since: a report is read by moderators only, and someone harassed in a
    # private thread must be able to say so.
    Row(
        "partners:message_flag",
        "own thread",
        expect([*RESIDENTS, "unverified", "blocked"]),
        message_flag("own"),
    ),
    Row("partners:message_flag", "another thread", expect(NOBODY), message_flag("another")),
]

# What the rules name that is not one of the project's state-changing URLs: signing out
# (allauth's; everyone may, staff without the second factor too) and downloading one's data
# (a GET; a blocked person may).
EXTRA_ROWS = [
    Row("account_logout", "sign out", expect(SIGNED_IN, visitor="ok", staff_no_2fa="ok"), sign_out),
    Row("accounts:my_data_download", "own data", expect(SIGNED_IN), data_download),
]


def test_every_state_changing_url_has_a_row():
    state_changing = state_changing_url_names()
    named = {row.url for row in ROWS}

    assert sorted(state_changing - named) == [], "state-changing URLs without a row"
    assert sorted(named - state_changing) == [], "rows of URLs that are gone or take no POST"


def test_the_url_conf_is_read_as_it_is():
    """The reading of the URL conf finds writes behind decorators and form helpers, and leaves
    out pages that only read."""
    state_changing = state_changing_url_names()
    names = {route.name for route in project_routes()}

    assert {"ideas:support", "moderation:flag_comment", "ideas:create"} <= state_changing
    assert {"notifications:unsubscribe", "accounts:invitation"} <= state_changing
    assert not {"ideas:list", "ideas:similar", "notifications:open"} & state_changing
    assert not {name for name in names if name.startswith(("admin:", "account_", "mfa_"))}


def test_extra_rows_name_urls_that_exist():
    for row in EXTRA_ROWS:
        reverse(row.url)


def _outcome(response, attempt: Attempt) -> tuple[str, bool | None]:
    """The outcome class, and whether the write happened (None when the row has no check)."""
    wrote = attempt.done() if attempt.done is not None else None
    answer = answer_class(response)
    if answer == "done":
        return ("refused" if wrote is False else "ok"), wrote
    return answer, wrote


def _cells(rows):
    return [pytest.param(row, role, id=f"{row.id}-{role}") for row in rows for role in ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), _cells(ROWS + EXTRA_ROWS))
def test_role_grid(client, row, role):
    cell = Cell(role, client, blocked_as=row.blocked_as)
    attempt = row.build(cell)
    sign_in(client, role, cell.user)

    response = getattr(client, attempt.method)(
        reverse(row.url, kwargs=attempt.kwargs), attempt.data
    )

    outcome, wrote = _outcome(response, attempt)
    where = f" → {response['Location']}" if response.has_header("Location") else ""
    assert outcome == row.expected[role], (
        f"{row.id} as {role}: expected {row.expected[role]}, got {outcome} "
        f"(HTTP {response.status_code}{where})"
    )
    if row.expected[role] != "ok":
        assert not wrote, f"{row.id} as {role}: refused, yet the write happened"


# --- the admin site ------------------------------------------------------------------------------

ADMIN_EXPECTED = expect(["administrator"], visitor="login")


def _admin_answer(client, method: str, path: str) -> str:
    """What the admin did with the request, following its redirects inside the admin: "ok"
    (served a page), "login" (sent to allauth's sign-in, directly or through /admin/login/),
    "password-login" (Django's own password form at /admin/login/), "mfa", "refused" (a 4xx, or
    sent away from the admin to a page that is not a sign-in), or "error"."""
    response = getattr(client, method)(path)
    for _hop in range(4):
        answer = answer_class(response)
        if answer in {"login", "mfa", "error", "refused"}:
            return answer
        if not 300 <= response.status_code < 400:
            return "password-login" if path.startswith("/admin/login/") else "ok"
        if not location_path(response).startswith("/admin/"):
            return "refused"
        path = response["Location"]
        response = client.get(path)
    return "refused"


def _admin_world():
    organisation = OrganisationFactory()
    return admin_paths(
        object_id=organisation.pk,
        user_id=UserFactory().pk,
        content_type_id=ContentType.objects.get_for_model(Organisation).pk,
    )


# The pages the administrator must be served; the rest of the admin may refuse them too (the
# moderation log is append-only: no adding, no deleting), but never send them to sign in.
ADMINISTRATOR_SERVED = re.compile(r"admin:(index|app_list|\w+_changelist)$")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_admin_site_is_for_the_administrator_only(client, role):
    """Every admin URL, with GET and (but for the administrator, whose POSTs would change
    things) POST."""
    user = make_person(role)
    sign_in(client, role, user)
    wrong = []

    for name, path in _admin_world():
        if role == "administrator" and name in {"admin:login", "admin:logout"}:
            continue  # their own tests below
        expected = {ADMIN_EXPECTED[role]}
        if role == "administrator" and not ADMINISTRATOR_SERVED.match(name):
            expected = {"ok", "refused"}
        for method in ["get"] if role == "administrator" else ["get", "post"]:
            answer = _admin_answer(client, method, path)
            if answer not in expected:
                wrong.append(f"{method.upper()} {path}: {answer}")

    assert not wrong, f"{role}: expected {ADMIN_EXPECTED[role]} from the admin, but\n" + (
        "\n".join(wrong)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_admin_login_page_sends_to_allauths_sign_in(client, role):
    """Nobody meets a password form at /admin/login/ (it would skip the second factor): the
    visitor goes to allauth's sign-in, staff without the second factor to its set-up."""
    user = make_person(role)
    sign_in(client, role, user)

    response = client.get("/admin/login/?next=/admin/")

    answer = answer_class(response)
    if role == "visitor":
        assert answer == "login", (response.status_code, response.get("Location"))
    elif role == "staff_no_2fa":
        assert answer == "mfa", (response.status_code, response.get("Location"))
    elif role == "administrator":
        assert answer == "done"
        assert 300 <= response.status_code < 400
    else:
        assert 'name="password"' not in response.content.decode(), (
            f"{role} is shown the admin's password form"
        )
        assert answer in {"refused", "login", "done"}
        assert response.status_code != 200


@pytest.mark.django_db
def test_the_admin_login_does_not_sign_in_with_a_password(client):
    """The administrator's email and password, posted to the admin's login: no session, and the
    way to allauth's sign-in (which asks for the second factor)."""
    administrator = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, "administrator", administrator)  # sets up their TOTP
    client.logout()

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": administrator.email, "password": PASSWORD, "next": "/admin/"},
    )

    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert location_path(response).startswith(LOGIN_PATH)


# --- websockets ----------------------------------------------------------------------------------

PUBLIC = expect(ROLES, visitor="ok")
# The personal socket needs a signed-in person; staff without the second factor hear nothing.
PERSONAL = expect(SIGNED_IN, visitor="refused", staff_no_2fa="refused")
MODERATION = expect(MODERATORS, visitor="refused", staff_no_2fa="refused")
# Handläggning: moderators and case officers.
DESK = expect([*MODERATORS, "responder"], visitor="refused", staff_no_2fa="refused")

SOCKET_ROWS = {
    "ws/initiativ/<int:pk>/": PUBLIC,
    "ws/initiativ/": PUBLIC,
    "ws/notiser/": PERSONAL,
    "ws/moderering/": MODERATION,
    "ws/handlaggning/": DESK,
}


def test_every_websocket_route_has_a_row():
    routes = {str(route.pattern) for route in websocket_urlpatterns}

    assert sorted(routes - set(SOCKET_ROWS)) == [], "websocket routes without a row"
    assert sorted(set(SOCKET_ROWS) - routes) == [], "rows of websocket routes that are gone"


def _socket_path(route: str) -> str:
    initiative = InitiativeFactory()
    return "/" + route.replace("<int:pk>", str(initiative.pk)) + "?lang=sv"


async def _opens(path: str, cookie: bytes | None) -> bool:
    socket = sockets.communicator(path, *([(b"cookie", cookie)] if cookie else []))
    return await _accepts(socket)


async def _opens_from(path: str, origin: bytes) -> bool:
    """Whether a visitor's socket to `path`, reached at http://localhost, opens from `origin`."""
    socket = sockets.communicator(path)
    socket.scope["headers"] = [sockets.HOST, (b"origin", origin)]
    return await _accepts(socket)


async def _accepts(socket) -> bool:
    accepted, _code = await socket.connect(timeout=3)
    if accepted:
        await socket.disconnect()
    return accepted


def _accepted(outcome: str) -> bool:
    return outcome == "ok"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("route", "role"),
    [pytest.param(route, role, id=f"{route}-{role}") for route in SOCKET_ROWS for role in ROLES],
)
def test_websocket_grid(route, role):
    user = make_person(role)
    cookie = session_cookie(role, user) if user.is_authenticated else None
    path = _socket_path(route)

    accepted = async_to_sync(_opens)(path, cookie)

    expected = _accepted(SOCKET_ROWS[route][role])
    assert accepted is expected, f"{route} as {role}: {'accepted' if accepted else 'refused'}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("origin", "accepted"),
    [
        (b"http://localhost", True),
        (b"https://localhost", False),
        (b"http://localhost:8001", False),
        (b"ws://localhost", False),
    ],
)
def test_a_socket_from_the_right_host_but_another_scheme_or_port_is_refused(origin, accepted):
    path = _socket_path("ws/initiativ/<int:pk>/")

    opened = async_to_sync(_opens_from)(path, origin)

    assert opened is accepted, origin
