"""Every page, in Swedish and English, as the person who can see it, checked with axe-core."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Membership
from notifications.actions import do_notify
from notifications.models import Notification
from notifications.tokens import make_token
from programme.models import Fokusomrade
from tests.browser.conftest import assert_accessible, assert_no_console_problems, sign_in
from tests.factories import (
    PASSWORD,
    CommentFactory,
    DraftFactory,
    InitiativeFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

LANGUAGES = ["sv", "en"]
ANONYMOUS, RESIDENT, ORGANISATION_ADMIN, INVITED = "anonymous", "resident", "admin", "invited"
AUTHOR = "author"


@dataclass
class World:
    resident: object
    admin: object
    invited: object
    organisation: object
    invitation: object
    author: object
    initiative: object
    draft: object
    comment: object

    def user_for(self, role: str):
        return {
            RESIDENT: self.resident,
            ORGANISATION_ADMIN: self.admin,
            INVITED: self.invited,
            AUTHOR: self.author,
        }[role]


FOKUSOMRADE = "vi-ser-till-barn-och-ungas-perspektiv"


@pytest.fixture
def world(programme) -> World:
    organisation = OrganisationFactory(website="https://example.org")
    organisation.fokusomraden.set(Fokusomrade.objects.order_by("pk")[:3])
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    MembershipFactory(organisation=organisation)
    invited = UserFactory()
    invitation = InvitationFactory(organisation=organisation, email=invited.email, invited_by=admin)
    InvitationFactory(organisation=organisation, invited_by=admin)
    resident, author = UserFactory(), UserFactory()
    initiative, comment = _initiatives(resident, author, admin, organisation)
    draft = DraftFactory(author=author, fokusomrade=initiative.fokusomrade)
    _notifications(resident, initiative, comment)
    return World(
        resident, admin, invited, organisation, invitation, author, initiative, draft, comment
    )


def _initiatives(resident, author, admin, organisation):
    """Published initiatives in two focus areas; one with a discussion: a comment of the
    resident's with an answer, and a removed comment."""
    fokusomrade = Fokusomrade.objects.get(slug=FOKUSOMRADE)
    initiative = InitiativeFactory(
        title="Lekplats med skugga i Slottshagen",
        fokusomrade=fokusomrade,
        author=author,
        seeking_partners=True,
        support_count=12,
        comment_count=3,
    )
    initiative.prioriteringar.set(fokusomrade.prioriteringar.all()[:2])
    InitiativeFactory(fokusomrade=fokusomrade, author=admin, organisation=organisation)
    InitiativeFactory(fokusomrade=Fokusomrade.objects.exclude(pk=fokusomrade.pk).first())
    comment = CommentFactory(initiative=initiative, author=resident, body_html="<p>Ja, gärna!</p>")
    CommentFactory(initiative=initiative, parent=comment, author=admin)
    CommentFactory(
        initiative=initiative, author=admin, removed_at=timezone.now(), body="", body_html=""
    )
    return initiative, comment


def _notifications(resident, initiative, comment) -> None:
    """The resident has an unread answer to their comment and a read status change."""
    reply = comment.replies.first()
    do_notify(
        kind=Notification.Kind.REPLY_TO_MY_COMMENT,
        recipients=[resident],
        initiative=initiative,
        comment=reply,
        actor=reply.author,
        own_content=True,
    )
    (read,) = do_notify(
        kind=Notification.Kind.STATUS_CHANGED,
        recipients=[resident],
        initiative=initiative,
        own_content=False,
        extra={"status": "answered"},
    )
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())


def _submit(page: Page, fields: dict[str, str]) -> None:
    for name, value in fields.items():
        page.locator(f"main [name={name}]").fill(value)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def _wrong_password(page: Page, world: World) -> None:
    _submit(page, {"login": world.resident.email, "password": "not-the-password"})


def _invalid_signup(page: Page, world: World) -> None:
    _submit(
        page,
        {
            "email": "not-an-email",
            "display_name": "Testperson",
            "password1": "a-long-new-password-77",
            "password2": "a-different-password-77",
        },
    )


def _empty_organisation(page: Page, world: World) -> None:
    _submit(page, {"name": ""})


def _empty_initiative(page: Page, world: World) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=_SUBMIT_FOR_REVIEW[_language(page)]).click()


_SUBMIT_FOR_REVIEW = {
    "sv": "Spara och skicka in för granskning",
    "en": "Save and submit for review",
}


def _language(page: Page) -> str:
    return page.locator("html").get_attribute("lang")


def _filter_by_focus_area(page: Page, world: World) -> None:
    """The filters apply through htmx, which swaps the results and updates the address.

    The results hold the live socket; filtering while it is still connecting would close it
    mid-handshake, which the browser logs, so the filter waits for the socket as a person would.
    """
    expect(page.locator("#results[data-live-opened-before=true]")).to_have_count(1)
    page.locator("#f-fokusomrade").select_option(FOKUSOMRADE)
    page.wait_for_url(f"**fokusomrade={FOKUSOMRADE}**")


def _filter_organisations_by_kind(page: Page, world: World) -> None:
    """The organisation filters apply through htmx too, swapping the results in place."""
    kind = str(world.organisation.kind)
    page.locator("#f-typ").select_option(kind)
    page.wait_for_url(f"**typ={kind}**")


def _type_a_similar_title(page: Page, world: World) -> None:
    page.locator("#id_title").press_sequentially("Lekplats i skugga")


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    role: str = ANONYMOUS
    status: int = 200
    then: Callable[[Page, World], None] | None = None
    # What shows once `then` is done: by default the error messages of a refused form.
    then_shows: str = "main .errorlist"
    # allauth asks for the password again before security settings, even right after signing in.
    reauthenticate: bool = False


CASES = [
    Case("home", "/"),
    Case("programme", "/programmet/"),
    Case("viljeinriktning", "/programmet/allas-delaktighet/"),
    Case(
        "fokusomrade",
        "/programmet/allas-delaktighet/vi-ser-till-barn-och-ungas-perspektiv/",
    ),
    Case("viljeinriktning-without-fokusomraden", "/programmet/vardefulla-samband/"),
    Case("organisations", "/organisationer/"),
    Case(
        "organisations-filtered",
        "/organisationer/",
        then=_filter_organisations_by_kind,
        then_shows="#results .card",
    ),
    Case("organisation", "/organisationer/{organisation}/"),
    Case("organisation-as-admin", "/organisationer/{organisation}/", ORGANISATION_ADMIN),
    Case("organisation-create", "/organisationer/ny/", RESIDENT),
    Case("organisation-create-errors", "/organisationer/ny/", RESIDENT, 200, _empty_organisation),
    Case("organisation-edit", "/organisationer/{organisation}/redigera/", ORGANISATION_ADMIN),
    Case("organisation-members", "/organisationer/{organisation}/medlemmar/", ORGANISATION_ADMIN),
    Case("invitation", "/organisationer/inbjudan/{token}/"),
    Case("invitation-for-invited", "/organisationer/inbjudan/{token}/", INVITED),
    Case("profile", "/konto/profil/", RESIDENT),
    Case("my-data", "/konto/mina-uppgifter/", RESIDENT),
    Case("account-delete", "/konto/radera/", RESIDENT),
    Case("login", "/konto/login/"),
    Case("login-wrong-password", "/konto/login/", then=_wrong_password),
    Case("signup", "/konto/signup/"),
    Case("signup-invalid-email", "/konto/signup/", then=_invalid_signup),
    Case("password-reset", "/konto/password/reset/"),
    Case("verification-sent", "/konto/confirm-email/"),
    Case("email", "/konto/email/", RESIDENT),
    Case("password-change", "/konto/password/change/", RESIDENT),
    Case("two-factor", "/konto/2fa/", RESIDENT),
    Case("reauthenticate", "/konto/reauthenticate/", RESIDENT),
    Case("totp-activate", "/konto/2fa/totp/activate/", RESIDENT, reauthenticate=True),
    Case("initiatives", "/initiativ/"),
    Case(
        "initiatives-filtered",
        "/initiativ/",
        then=_filter_by_focus_area,
        then_shows="#results .initiative-card",
    ),
    Case("initiatives-none-match", "/initiativ/?q=rymdhiss"),
    Case("initiative", "/initiativ/{initiative}/"),
    Case("initiative-as-resident", "/initiativ/{initiative}/", RESIDENT),
    Case("initiative-reply", "/initiativ/{initiative}/?svara={comment}", RESIDENT),
    Case("initiative-draft-preview", "/initiativ/{draft}/", AUTHOR),
    Case("initiative-create", "/initiativ/nytt/", RESIDENT),
    Case("initiative-create-errors", "/initiativ/nytt/", RESIDENT, 200, _empty_initiative),
    Case(
        "initiative-create-similar",
        "/initiativ/nytt/",
        RESIDENT,
        then=_type_a_similar_title,
        then_shows="#similar .notice",
    ),
    Case("comment-edit", "/kommentarer/{comment}/redigera/", RESIDENT),
    Case("notifications", "/notiser/", RESIDENT),
    Case("notifications-empty", "/notiser/", AUTHOR),
    Case("notification-settings", "/notiser/installningar/", RESIDENT),
    Case("unsubscribe", "/notiser/avregistrera/{unsubscribe}/"),
    Case("unsubscribe-invalid", "/notiser/avregistrera/ogiltig/", status=400),
    Case("about", "/om/"),
    Case("personal-data", "/personuppgifter/"),
    Case("accessibility-statement", "/tillganglighet/"),
    Case("contact", "/kontakt/"),
    Case("not-found", "/finns-inte/", status=404),
]


def _open(page: Page, world: World, case: Case, language: str) -> None:
    prefix = "/en" if language == "en" else ""
    if case.role != ANONYMOUS:
        sign_in(page, world.user_for(case.role), language=language)
    path = prefix + case.path.format(
        organisation=world.organisation.slug,
        token=world.invitation.token,
        initiative=f"{world.initiative.pk}-{world.initiative.slug}",
        draft=f"{world.draft.pk}-{world.draft.slug}",
        comment=world.comment.pk,
        unsubscribe=make_token(world.resident.pk, "followed"),
    )
    if case.status != 200:
        page.console_problems.expect_failed_load(page.live_url + path)
    response = page.goto(path)
    if case.reauthenticate:
        assert "/konto/reauthenticate/" in page.url
        _submit(page, {"password": PASSWORD})
    else:
        assert response.status == case.status
    # A redirect (to sign in, say) would quietly check some other page.
    assert urlsplit(page.url).path == urlsplit(path).path
    if case.then:
        case.then(page, world)
        expect(page.locator(case.then_shows).first).to_be_visible()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_page_is_accessible(page, world, case, language):
    _open(page, world, case, language)

    assert page.locator("html").get_attribute("lang") == language
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    assert_no_console_problems(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_first_tab_reaches_a_visible_skip_link_that_moves_focus_to_main(page, programme, language):
    page.goto("/en/" if language == "en" else "/")

    page.keyboard.press("Tab")
    skip_link = page.locator(".skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    box = skip_link.bounding_box()
    assert box["y"] >= 0
    assert box["width"] > 1
    assert box["height"] > 1

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    assert_no_console_problems(page)


REFLOW_CASES = [
    case
    for case in CASES
    if case.name in {"home", "programme", "fokusomrade", "organisation-members"}
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", REFLOW_CASES, ids=lambda case: case.name)
def test_page_reflows_at_320_css_pixels_without_horizontal_scrolling(page, world, case, language):
    page.set_viewport_size({"width": 320, "height": 640})
    _open(page, world, case, language)

    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways at 320px: {widths}"
    assert_no_console_problems(page)


# Moderation and the city's answers ----------------------------------------------------------

MODERATOR, RESPONDER = "moderator", "responder"


@dataclass
class ModerationWorld:
    moderator: object
    responder: object
    resident: object
    troll: object
    published: object
    assigned: object
    answered: object

    def user_for(self, role: str):
        return {
            MODERATOR: self.moderator,
            RESPONDER: self.responder,
            RESIDENT: self.resident,
        }[role]


@pytest.fixture
def moderation_world(db) -> ModerationWorld:
    """A queue with initiatives in review and flagged content, a log with entries of every
    kind, a block in force, an overdue initiative assigned to the responder's administration,
    and an answered one."""
    from datetime import timedelta

    from ideas.actions import response_add
    from ideas.models import Initiative
    from moderation import actions as moderation_actions
    from moderation.models import Flag
    from tests.factories import ModeratorFactory, ResponderFactory

    moderator, responder, resident = ModeratorFactory(), ResponderFactory(), UserFactory()
    troll, other_troll = UserFactory(display_name="Troll Trollsson"), UserFactory()
    organisation = OrganisationFactory()
    for index, title in enumerate(["Sommarbio på Gröningen", "Boulebana i Slottshagen"]):
        DraftFactory(
            title=title,
            status=Initiative.Status.SUBMITTED,
            submitted_at=timezone.now(),
            organisation=organisation if index else None,
        )
    rejected = DraftFactory(status=Initiative.Status.SUBMITTED, submitted_at=timezone.now())
    moderation_actions.initiative_reject(
        moderator=moderator, initiative=rejected, reasons=["outside_mandate"], text="Regionen."
    )
    published = InitiativeFactory(title="Lekplats med skugga i Slottshagen")
    Flag.objects.create(reporter=UserFactory(), initiative=published, reason="spam")
    hidden = CommentFactory(initiative=published, body="Elakt", body_html="<p>Elakt</p>")
    for _ in range(3):
        moderation_actions.flag_add(user=UserFactory(), reason="offensive", comment=hidden)
    CommentFactory(initiative=published, author=other_troll)
    moderation_actions.user_block(moderator=moderator, user=troll, days=7, reason="Spam.")
    assigned = InitiativeFactory(
        title="Sommarbio i Fredriksdal",
        forvaltning=responder.forvaltning,
        answer_due=timezone.localdate() - timedelta(days=2),
    )
    answered = InitiativeFactory(title="Fler bänkar", forvaltning=responder.forvaltning)
    response_add(
        user=responder,
        initiative=answered,
        body="Vi ställer ut **tio bänkar** i maj.",
        status="will_be_done",
    )
    return ModerationWorld(
        moderator, responder, resident, other_troll, published, assigned, answered
    )


def _empty_flag(page: Page, world) -> None:
    page.get_by_role("radio").last.check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


MODERATION_CASES = [
    Case("moderation-queue", "/moderering/", MODERATOR),
    Case("moderation-log", "/moderering/logg/", MODERATOR),
    Case("moderation-log-filtered", "/moderering/logg/?person=a&fran=2026-01-01", MODERATOR),
    Case("moderation-blocks", "/moderering/avstangningar/", MODERATOR),
    Case("moderation-block-user", "/moderering/stang-av/{troll}/", MODERATOR),
    Case("moderation-overdue", "/moderering/forsenade-svar/", MODERATOR),
    Case("moderation-overdue-as-responder", "/moderering/forsenade-svar/", RESPONDER),
    Case("flag-initiative", "/initiativ/{published_pk}/anmal/", RESIDENT),
    Case("flag-initiative-errors", "/initiativ/{published_pk}/anmal/", RESIDENT, 200, _empty_flag),
    Case("assign", "/initiativ/{assigned_pk}/ansvar/", MODERATOR),
    Case("respond", "/initiativ/{assigned_pk}/svara/", RESPONDER),
    Case("initiative-as-moderator", "/initiativ/{published}/", MODERATOR),
    Case("initiative-as-responder", "/initiativ/{assigned}/", RESPONDER),
    Case("initiative-with-official-response", "/initiativ/{answered}/"),
]


def _open_moderation(page: Page, world: ModerationWorld, case: Case, language: str) -> None:
    prefix = "/en" if language == "en" else ""
    if case.role != ANONYMOUS:
        sign_in(page, world.user_for(case.role), language=language)
    path = prefix + case.path.format(
        moderator=world.moderator.pk,
        troll=world.troll.pk,
        published_pk=world.published.pk,
        assigned_pk=world.assigned.pk,
        published=f"{world.published.pk}-{world.published.slug}",
        assigned=f"{world.assigned.pk}-{world.assigned.slug}",
        answered=f"{world.answered.pk}-{world.answered.slug}",
    )
    response = page.goto(path)
    assert response.status == case.status
    assert urlsplit(page.url).path == urlsplit(path).path
    if case.then:
        case.then(page, world)
        expect(page.locator(case.then_shows).first).to_be_visible()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", MODERATION_CASES, ids=lambda case: case.name)
def test_moderation_page_is_accessible(page, moderation_world, case, language):
    _open_moderation(page, moderation_world, case, language)

    assert page.locator("html").get_attribute("lang") == language
    expect(page.locator("h1")).to_have_count(1)
    shows = {
        "moderation-queue": ".queue__item >> nth=3",
        "moderation-log": "main .moderation-log__entry >> nth=2",
        "moderation-blocks": "main .plain-list .card",
        "moderation-overdue": "main table tbody tr",
        "initiative-as-moderator": "main form.moderate-here",
        "initiative-as-responder": "main a[href$='/svara/']",
        "initiative-with-official-response": "main .official-response",
    }.get(case.name)
    if shows:
        expect(page.locator(shows)).to_be_visible()
    assert_accessible(page)
    assert_no_console_problems(page)
