"""Nothing anyone sends to a form or a list's filters makes a server error, or comes back as
live HTML.

Every form page of the site, and the list filters and searches, get field values drawn by
hypothesis: HTML and script, very long strings, NUL and other control characters, right-to-left
text and emoji, numbers far outside any range, values that are none of the choices, and lists of
ids longer than SQLite takes in one query. Each is sent as a person who may use the form, and
each answer (and the page a redirect leads to) must be no 5xx, must not hold the payload marker
unescaped, and must not redirect to another host. The examples are derandomised, so CI repeats
them; the suite runs this on SQLite and on PostgreSQL.
"""

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import Membership, Organisation, PartnerNeed
from ideas.models import Initiative
from moderation.forms import DecisionForm
from moderation.models import AdmissibilityRule, Flag
from notifications.models import Frequency
from tests.factories import (
    CommentFactory,
    DraftFactory,
    FokusomradeFactory,
    ForvaltningFactory,
    InitiativeFactory,
    InvitationFactory,
    MembershipFactory,
    OfferMessageFactory,
    PartnerOfferFactory,
    PrioriteringFactory,
    StadsdelFactory,
    UserFactory,
)
from tests.moderation.conftest import submitted
from tests.role_grid import make_person, sign_in

# Every payload that could come back as HTML carries this tag; its raw form must never appear in
# an answer, its escaped form (&lt;x-fuzz-7f3a&gt;) may.
MARKER = "<x-fuzz-7f3a>"

EXAMPLES = 25

NASTY = [
    MARKER,
    f'"><script>alert(1)</script>{MARKER}',
    f"'><img src=x onerror=alert(1)>{MARKER}",
    f"[länk](javascript:alert(1)) {MARKER}",
    f"<a href='javascript:alert(1)'>{MARKER}</a>",
    f"{{{{ request }}}}{{% debug %}}{MARKER}",
    f"\x00{MARKER}\x00",
    "\x00",
    f"\u202e{MARKER}\u202d",  # right-to-left override
    f"שלום עולם {MARKER} مرحبا",
    "👩‍👩‍👧‍👦🏳️‍🌈" * 50,
    "\r\n\r\nSet-Cookie: fuzz=1",
    "' OR 1=1 --",
    "%s%n%x",
    "../../etc/passwd",
    "x" * 100_001,
    MARKER * 3000,
    "\u0000\u0001\u0008\u000b\u001f\u007f\u0085\u2028\u2029\ufeff\uffff",
    " ",
    "",
]
NUMBERS = [
    str(10**30),
    str(-(10**30)),
    str(2**63),
    str(2**64),
    "-1",
    "0",
    "1.5",
    "1e400",
    "NaN",
    "Infinity",
    "0x10",
    "٣",  # an Arabic-Indic digit: str.isdigit() says yes
    "99999999999",
    "1" * 40,
]
DATES = [
    "9999-12-31",
    "0001-01-01",
    "2024-02-30",
    "99999-01-01",
    "-1-01-01",
    "2024-13-01",
    "1970-01-01T00:00:00",
    "31/12/2025",
]
# More ids than SQLite takes in one query (32 766 variables), and just under Django's limit of
# 1 000 fields a request.
HUGE_IDS = [str(number) for number in range(1, 40_001)]
MANY_IDS = [str(number) for number in range(1, 900)]

_any_text = st.text(max_size=40)
payload = st.one_of(
    st.sampled_from(NASTY),
    st.builds(lambda before, after: before + MARKER + after, _any_text, _any_text),
    _any_text,
)
number = st.one_of(st.sampled_from(NUMBERS), st.integers().map(str), payload)


def text():
    return payload


def choice(*values):
    """One of the choices, or anything else."""
    return st.one_of(st.sampled_from([str(value) for value in values]), number, payload)


def many(*values):
    """A multi-select: a few choices or other values, or far too many ids."""
    return st.one_of(
        st.lists(choice(*values), max_size=4),
        st.sampled_from([MANY_IDS, HUGE_IDS]),
    )


def date():
    return st.one_of(st.sampled_from(DATES), st.dates().map(str), number, payload)


def flag():
    return st.one_of(st.sampled_from(["on", "1", "0", "", "false"]), payload)


def uuid():
    return st.one_of(st.uuids().map(str), payload)


IMAGES = [
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    b"GIF89a" + b"\xff" * 32,
    f"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script>{MARKER}</svg>".encode(),
    b"\xff\xd8\xff\xe0" + b"\x00" * 32,
]


def image():
    return st.builds(
        lambda content, name, kind: SimpleUploadedFile(name[:200] or "x", content, kind),
        st.one_of(st.sampled_from(IMAGES), st.binary(max_size=2048)),
        st.one_of(st.sampled_from(["bild.png", f"{MARKER}.jpg", "a.svg"]), payload),
        st.sampled_from(["image/png", "image/jpeg", "image/svg+xml", "text/html"]),
    )


class World:
    """What the forms act on, made when first asked for: people of each role, an initiative
    seeking partners assigned to the responder's administration, comments, an offer with its
    thread, an organisation with its administrator and a member."""

    def __init__(self):
        self.people = {}

    def person(self, role: str):
        if role not in self.people:
            self.people[role] = make_person(role)
        return self.people[role]

    @cached_property
    def fokusomrade(self):
        return FokusomradeFactory(viljeinriktning__programme__valid_from=timezone.localdate())

    @cached_property
    def prioritering(self):
        return PrioriteringFactory(fokusomrade=self.fokusomrade)

    @cached_property
    def stadsdel(self):
        return StadsdelFactory()

    @cached_property
    def organisation(self) -> Organisation:
        return self.person("org_admin").memberships.get().organisation

    @cached_property
    def member(self) -> Membership:
        return MembershipFactory(organisation=self.organisation)

    @cached_property
    def initiative(self) -> Initiative:
        return InitiativeFactory(
            fokusomrade=self.fokusomrade,
            seeking_partners=True,
            partner_needs=["venue"],
            forvaltning=ForvaltningFactory(),
            author=self.person("resident"),
        )

    @cached_property
    def comment(self):
        return CommentFactory(initiative=self.initiative)

    @cached_property
    def offer(self):
        return PartnerOfferFactory(initiative=self.initiative, offered_by=self.person("org_member"))

    @cached_property
    def message(self):
        return OfferMessageFactory(offer=self.offer)


@dataclass
class Target:
    path: str
    fields: dict
    role: str = "resident"
    method: str = "post"
    headers: dict = field(default_factory=dict)


def _proposal_fields(world: World) -> dict:
    organisation = world.person("org_member").memberships.get().organisation
    return {
        "title": text(),
        "summary": text(),
        "body": text(),
        "fokusomrade": choice(world.fokusomrade.pk),
        "prioriteringar": many(world.prioritering.pk),
        "stadsdel": choice(world.stadsdel.pk),
        "organisation": choice(organisation.pk),
        "partner_needs": many(*PartnerNeed.values),
        "seeking_partners": flag(),
        "partner_needs_text": text(),
        "image_alt": text(),
        "image": image(),
        "version": number,
        "client_token": uuid(),
        "submit": flag(),
    }


def _organisation_fields(world: World) -> dict:
    return {
        "kind": choice(*Organisation.Kind.values),
        "name": text(),
        "description": text(),
        "website": st.one_of(
            st.sampled_from(["https://example.org", "javascript:alert(1)"]), text()
        ),
        "fokusomraden": many(world.fokusomrade.pk),
        "prioriteringar": many(world.prioritering.pk),
        "whole_city": flag(),
        "stadsdelar": many(world.stadsdel.pk),
        "offers": many(*PartnerNeed.values),
        "offers_text": text(),
    }


def proposal(world: World) -> Target:
    return Target("/initiativ/nytt/", _proposal_fields(world), role="org_member")


def proposal_edit(world: World) -> Target:
    draft = DraftFactory(author=world.person("org_member"), fokusomrade=world.fokusomrade)
    return Target(f"/initiativ/{draft.pk}/redigera/", _proposal_fields(world), role="org_member")


def comment(world: World) -> Target:
    fields = {"body": text(), "parent": choice(world.comment.pk), "client_token": uuid()}
    return Target(f"/initiativ/{world.initiative.pk}/kommentarer/", fields)


def comment_edit(world: World) -> Target:
    own = CommentFactory(initiative=world.initiative, author=world.person("resident"))
    fields = {"body": text(), "edited_at_seen": date()}
    return Target(f"/kommentarer/{own.pk}/redigera/", fields)


def flag_initiative(world: World) -> Target:
    fields = {"reason": choice(*Flag.Reason.values), "text": text()}
    return Target(f"/initiativ/{world.initiative.pk}/anmal/", fields, role="org_member")


def flag_comment(world: World) -> Target:
    fields = {"reason": choice(*Flag.Reason.values), "text": text()}
    return Target(f"/kommentarer/{world.comment.pk}/anmal/", fields)


def offer(world: World) -> Target:
    organisation = world.person("org_admin").memberships.get().organisation
    fields = {"organisation": choice("", organisation.pk), "message": text()}
    return Target(f"/initiativ/{world.initiative.pk}/erbjud-hjalp/", fields, role="org_admin")


def offer_message(world: World) -> Target:
    return Target(
        f"/samarbeten/erbjudanden/{world.offer.pk}/meddelanden/",
        {"body": text()},
        role="org_member",
    )


def offer_answer(world: World) -> Target:
    fields = {"reply": text(), "accept": flag(), "tillbaka": choice("lista")}
    return Target(f"/samarbeten/erbjudanden/{world.offer.pk}/svar/", fields)


def organisation_create(world: World) -> Target:
    return Target("/organisationer/ny/", _organisation_fields(world))


def organisation_edit(world: World) -> Target:
    fields = _organisation_fields(world) | {"contact_person": choice(world.member.user_id)}
    return Target(f"/organisationer/{world.organisation.slug}/redigera/", fields, role="org_admin")


def invitation(world: World) -> Target:
    fields = {
        "email": st.one_of(st.emails(), text()),
        "role": choice(*Membership.Role.values),
    }
    return Target(f"/organisationer/{world.organisation.slug}/medlemmar/", fields, role="org_admin")


def membership(world: World) -> Target:
    fields = {"role": choice(*Membership.Role.values), "remove": flag()}
    path = f"/organisationer/{world.organisation.slug}/medlemmar/{world.member.pk}/"
    return Target(path, fields, role="org_admin")


def invitation_answer(world: World) -> Target:
    sent = InvitationFactory(email=world.person("resident").email)
    return Target(f"/organisationer/inbjudan/{sent.token}/", {"decline": flag()})


def profile(world: World) -> Target:
    return Target("/konto/profil/", {"display_name": text(), "language": choice("sv", "en")})


def account_delete(world: World) -> Target:
    return Target("/konto/radera/", {"password": text()})


def notification_settings(world: World) -> Target:
    fields = {"own_content": choice(*Frequency.values), "followed": choice(*Frequency.values)}
    return Target("/notiser/installningar/", fields)


def support(world: World) -> Target:
    other = InitiativeFactory()
    return Target(f"/initiativ/{other.pk}/stod/", {"stod": choice("0", "1")})


def decision(world: World) -> Target:
    in_review = submitted()
    fields = {
        "action": choice(*(value for value, _label in DecisionForm.ACTIONS)),
        "reasons": many(*[code for code, _text in AdmissibilityRule.choices()]),
        "text": text(),
        "initiativ": many(in_review.pk, world.initiative.pk),
        "kommentar": many(world.comment.pk),
        "meddelande": many(world.message.pk),
        f"version-{in_review.pk}": number,
        "tillbaka": st.one_of(
            st.sampled_from(["/initiativ/", "https://evil.example/", "//evil.example/", "\\\\x"]),
            text(),
        ),
    }
    return Target("/moderering/beslut/", fields, role="moderator")


def decision_one(world: World) -> Target:
    in_review = submitted()
    prefix = f"initiativ-{in_review.pk}"
    fields = {
        f"{prefix}-action": choice("approve", "reject", "send_back", "hide"),
        f"{prefix}-reasons": many(*[code for code, _text in AdmissibilityRule.choices()]),
        f"{prefix}-text": text(),
        f"{prefix}-version": number,
    }
    return Target(f"/moderering/beslut/initiativ/{in_review.pk}/", fields, role="moderator")


def block(world: World) -> Target:
    target = UserFactory()
    return Target(
        f"/moderering/stang-av/{target.pk}/",
        {"days": number, "reason": text(), "bekrafta": choice("1", ""), "andra": choice("1")},
        role="moderator",
    )


def respond(world: World) -> Target:
    fields = {"body": text(), "status": choice(*Initiative.RESPONSE_STATUSES)}
    return Target(f"/initiativ/{world.initiative.pk}/svara/", fields, role="responder")


def assign(world: World) -> Target:
    fields = {"forvaltning": choice(ForvaltningFactory().pk), "answer_due": date()}
    return Target(f"/initiativ/{world.initiative.pk}/ansvar/", fields, role="moderator")


def _get(path: str, fields: dict, role: str = "visitor") -> Target:
    return Target(path, fields, role=role, method="get")


def initiative_list(world: World) -> Target:
    world.initiative  # noqa: B018 — something to find
    fields = {
        "q": text(),
        "viljeinriktning": choice(world.fokusomrade.viljeinriktning.slug),
        "fokusomrade": choice(world.fokusomrade.slug),
        "prioritering": choice(world.prioritering.slug),
        "stadsdel": choice(world.stadsdel.slug),
        "status": choice("oppna", "besvarade", "genomforda"),
        "typ": choice("resident", "forening", "foretag"),
        "sort": choice("nyast", "mest-stod", "mest-diskuterade", "trendar"),
        "sida": number,
    }
    return _get("/initiativ/", fields)


def initiative_list_htmx(world: World) -> Target:
    target = initiative_list(world)
    target.headers = {"HX-Request": "true"}
    return target


def organisation_list(world: World) -> Target:
    world.organisation  # noqa: B018 — something to find
    fields = {
        "q": text(),
        "typ": choice(*Organisation.Kind.values),
        "fokusomrade": choice(world.fokusomrade.slug),
        "erbjuder": choice(*PartnerNeed.values),
        "stadsdel": choice(world.stadsdel.slug),
        "sida": number,
    }
    return _get("/organisationer/", fields)


def partner_initiatives(world: World) -> Target:
    world.initiative  # noqa: B018 — something to find
    fields = {
        "q": text(),
        "fokusomrade": choice(world.fokusomrade.slug),
        "behov": choice(*PartnerNeed.values),
        "stadsdel": choice(world.stadsdel.slug),
        "sida": number,
    }
    return _get("/samarbeten/initiativ/", fields)


def similar(world: World) -> Target:
    world.initiative  # noqa: B018 — something to find
    return _get("/initiativ/liknande/", {"title": text()})


def initiative_page(world: World) -> Target:
    fields = {"kommentarer": number, "alla-svar": choice(world.comment.pk), "svara": number}
    return _get(world.initiative.get_absolute_url(), fields, role="resident")


def live_comments(world: World) -> Target:
    fields = {"kommentarer": number, "alla-svar": choice(world.comment.pk)}
    return _get(f"/initiativ/{world.initiative.pk}/live/kommentarer/", fields)


def moderation_log(world: World) -> Target:
    fields = {"person": text(), "initiativ": text(), "fran": date(), "till": date(), "sida": number}
    return _get("/moderering/logg/", fields, role="moderator")


def notification_list(world: World) -> Target:
    return _get("/notiser/", {"sida": number})


FORMS = {
    "proposal": proposal,
    "proposal edit": proposal_edit,
    "comment": comment,
    "comment edit": comment_edit,
    "flag initiative": flag_initiative,
    "flag comment": flag_comment,
    "offer": offer,
    "offer message": offer_message,
    "offer answer": offer_answer,
    "organisation create": organisation_create,
    "organisation edit": organisation_edit,
    "invitation": invitation,
    "membership": membership,
    "invitation answer": invitation_answer,
    "profile": profile,
    "account delete": account_delete,
    "notification settings": notification_settings,
    "support": support,
    "moderation decision": decision,
    "moderation decision (one item)": decision_one,
    "block": block,
    "respond": respond,
    "assign": assign,
    "initiative list": initiative_list,
    "initiative list (htmx)": initiative_list_htmx,
    "organisation list": organisation_list,
    "partner initiatives": partner_initiatives,
    "search similar": similar,
    "initiative page": initiative_page,
    "live comments": live_comments,
    "moderation log": moderation_log,
    "notification list": notification_list,
}

FUZZ_SETTINGS = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def _check(response, target: Target) -> None:
    """No server error, no raw marker and no redirect off the site, in the answer and in the page
    its redirects (if any) lead to."""
    assert response.status_code < 500, f"{target.path}: HTTP {response.status_code}"
    for address, _status in response.redirect_chain:
        assert urlsplit(address).netloc in {"", "testserver"}, f"redirect off the site: {address}"
    if not response.streaming:
        body = response.content.decode("utf-8", errors="replace")
        assert MARKER not in body, f"{target.path} shows the payload unescaped"


def _send(client, target: Target, data: dict):
    if target.method == "get":
        return client.get(target.path, data, follow=True, headers=target.headers)
    return client.post(target.path, data, follow=True, headers=target.headers)


@pytest.mark.django_db
@pytest.mark.parametrize("build", FORMS.values(), ids=FORMS.keys())
def test_no_form_answers_with_a_server_error_or_a_raw_payload(client, settings, tmp_path, build):
    settings.STAFF_MFA_REQUIRED = True
    settings.MEDIA_ROOT = tmp_path  # an image that happens to be valid is stored here
    world = World()
    target = build(world)
    actor = world.person(target.role)
    sign_in(client, target.role, actor)  # once outside the examples: sets up staff TOTP

    @FUZZ_SETTINGS
    @given(data=st.fixed_dictionaries(target.fields))
    def fuzz(data):
        # Each example starts from the same database and a fresh session.
        savepoint = transaction.savepoint_create()
        try:
            client.cookies.clear()
            sign_in(client, target.role, actor)
            _check(_send(client, target, data), target)
        finally:
            transaction.savepoint_rollback(savepoint)

    fuzz()
