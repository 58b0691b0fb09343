"""Mina sidor: each tab lists the person's own things, and only theirs, at flat query cost."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ideas import actions as idea_actions
from ideas.mine import Stage
from ideas.models import Initiative
from moderation import actions as moderation_actions
from moderation.models import AdmissibilityRule
from notifications.models import Follow, Notification
from partners import actions as partner_actions
from tests.factories import (
    CommentFactory,
    DraftFactory,
    FollowFactory,
    InitiativeFactory,
    MembershipFactory,
    ModeratorFactory,
    NotificationFactory,
    OfficialResponseFactory,
    PartnerOfferFactory,
    SupportFactory,
    UserFactory,
    initiative_fields,
)
from tests.queries import page_queries
from tests.sessions import sign_in

pytestmark = pytest.mark.django_db

TABS = [
    "/mina-sidor/",
    "/mina-sidor/stod/",
    "/mina-sidor/foljer/",
    "/mina-sidor/kommentarer/",
    "/mina-sidor/samarbeten/",
]


def _content(response) -> str:
    """The tab's own part of the page, the header and footer left out."""
    html = response.content.decode()
    start = html.index('id="mina-sidor-innehall"')
    return html[start : html.index('class="mypages__side"', start)]


def _signed_in(client, user=None):
    user = user or UserFactory()
    sign_in(client, user)
    return user


@pytest.mark.parametrize("url", TABS)
def test_anonymous_visitor_is_sent_to_sign_in_and_back(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/?next=")
    assert url in response["Location"].replace("%2F", "/")


@pytest.mark.parametrize("url", TABS)
def test_every_tab_serves_in_english_too(client, url):
    _signed_in(client)
    response = client.get(f"/en{url}")
    assert response.status_code == 200
    assert "My pages" in response.content.decode()


def test_a_saved_draft_is_listed_with_a_way_to_continue_it(client, programme):
    author = _signed_in(client)
    draft = idea_actions.initiative_save(
        user=author,
        fields=initiative_fields(title="Fler cykelställ vid Knutpunkten"),
        prioriteringar=[],
    )
    html = _content(client.get("/mina-sidor/"))
    assert "Fler cykelställ vid Knutpunkten" in html
    assert f"/initiativ/{draft.pk}/redigera/" in html
    assert 'id="steg-utkast"' in html
    assert 'id="steg-att-andra"' not in html


def _submitted(author, title: str) -> Initiative:
    draft = idea_actions.initiative_save(
        user=author, fields=initiative_fields(title=title), prioriteringar=[]
    )
    return idea_actions.initiative_submit(user=author, initiative=draft)


def test_each_stage_lists_its_initiatives_with_what_the_author_can_do(client, programme):
    author = _signed_in(client)
    moderator = ModeratorFactory()
    _submitted(author, "Granskas just nu")
    sent_back = _submitted(author, "Skickas tillbaka")
    moderation_actions.initiative_send_back(
        moderator=moderator, initiative=sent_back, text="Skriv vilken park det gäller."
    )
    rejected = _submitted(author, "Avslås")
    moderation_actions.initiative_reject(
        moderator=moderator,
        initiative=rejected,
        reasons=["outside_mandate"],
        text="Trafikverket ansvarar för vägen.",
    )
    published = InitiativeFactory(author=author, title="Publicerat förslag", support_count=7)
    answered = InitiativeFactory(author=author, title="Besvarat", status=Initiative.Status.DONE)
    OfficialResponseFactory(initiative=answered)

    response = client.get("/mina-sidor/")
    html = _content(response)

    sections = dict(re.findall(r'<h3 id="steg-([a-z-]+)">[^<]*\((\d+)\)</h3>', html))
    assert sections == {
        Stage.SENT_BACK.value: "1",
        Stage.IN_REVIEW.value: "1",
        Stage.REJECTED.value: "1",
        Stage.PUBLISHED.value: "1",
        Stage.ANSWERED.value: "1",
    }
    sent_back_part = html[html.index('id="steg-att-andra"') : html.index('id="steg-granskas"')]
    assert "Skriv vilken park det gäller." in sent_back_part
    assert f"/initiativ/{sent_back.pk}/redigera/" in sent_back_part
    rejected_part = html[html.index('id="steg-avslagna"') : html.index('id="steg-publicerade"')]
    assert "Trafikverket ansvarar för vägen." in rejected_part
    assert AdmissibilityRule.labels()["outside_mandate"][:40] in rejected_part
    published_part = html[html.index('id="steg-publicerade"') : html.index('id="steg-besvarade"')]
    assert published.title in published_part
    assert f'id="initiativ-{published.pk}-counts"' in published_part
    assert "kvar" in published_part
    assert answered.title in html[html.index('id="steg-besvarade"') :]


def test_counts_per_stage_match_the_initiatives(client, programme):
    author = _signed_in(client)
    DraftFactory.create_batch(3, author=author)
    InitiativeFactory.create_batch(2, author=author)
    InitiativeFactory(author=UserFactory())  # someone else's
    html = _content(client.get("/mina-sidor/"))
    counts = dict(re.findall(r'\?steg=([a-z-]+)"[^>]*>[^<]*<span class="badge">(\d+)', html))
    assert counts[Stage.DRAFT.value] == "3"
    assert counts[Stage.PUBLISHED.value] == "2"
    assert counts[Stage.IN_REVIEW.value] == "0"


def test_one_stage_is_paged_and_the_overview_links_to_all(client, programme):
    author = _signed_in(client)
    DraftFactory.create_batch(23, author=author)
    overview = _content(client.get("/mina-sidor/"))
    assert overview.count('class="my-item"') == 5
    assert "?steg=utkast" in overview
    first = _content(client.get("/mina-sidor/?steg=utkast"))
    assert first.count('class="my-item"') == 20
    second = _content(client.get("/mina-sidor/?steg=utkast&sida=2"))
    assert second.count('class="my-item"') == 3


def test_an_unknown_stage_shows_the_overview(client, programme):
    _signed_in(client)
    assert client.get("/mina-sidor/?steg=<script>").status_code == 200


def test_supports_are_listed_to_the_supporter_only(client):
    supporter = _signed_in(client)
    mine = SupportFactory(user=supporter).initiative
    someone_elses = SupportFactory().initiative
    html = _content(client.get("/mina-sidor/stod/"))
    assert mine.title in html
    assert someone_elses.title not in html


def test_supports_of_a_hidden_initiative_are_not_listed(client):
    supporter = _signed_in(client)
    hidden = SupportFactory(
        user=supporter, initiative=InitiativeFactory(hidden_at=timezone.now())
    ).initiative
    assert hidden.title not in _content(client.get("/mina-sidor/stod/"))


def test_follows_list_active_follows_and_unfollowing_there_ends_one(client):
    follower = _signed_in(client)
    followed = FollowFactory(user=follower).initiative
    stopped = FollowFactory(user=follower, active=False).initiative
    html = _content(client.get("/mina-sidor/foljer/"))
    assert followed.title in html
    assert stopped.title not in html
    assert f'action="/initiativ/{followed.pk}/folj/"' in html

    client.post(f"/initiativ/{followed.pk}/folj/", {"folj": "0"}, HTTP_HX_REQUEST="true")
    assert not Follow.objects.active().filter(user=follower, initiative=followed).exists()
    assert followed.title not in _content(client.get("/mina-sidor/foljer/"))


def test_a_comment_links_to_the_page_of_the_thread_that_shows_it(client):
    writer = _signed_in(client)
    initiative = InitiativeFactory()
    start = timezone.now() - timedelta(days=1)
    # 30 threads: the page shows 25, so the last threads are on page 2.
    tops = [
        CommentFactory(initiative=initiative, created_at=start + timedelta(minutes=i))
        for i in range(30)
    ]
    on_second_page = CommentFactory(
        initiative=initiative, author=writer, created_at=start + timedelta(minutes=40)
    )
    # An answer past the five a thread shows, in the first thread.
    for minute in range(6):
        when = start + timedelta(hours=1, minutes=minute)
        CommentFactory(initiative=initiative, parent=tops[0], created_at=when)
    late_answer = CommentFactory(
        initiative=initiative, parent=tops[0], author=writer, created_at=start + timedelta(hours=2)
    )
    html = _content(client.get("/mina-sidor/kommentarer/"))
    links = re.findall(r'<h3><a href="([^"]+)"', html)
    assert len(links) == 2
    for link, comment in [(links[0], late_answer), (links[1], on_second_page)]:
        assert link.endswith(f"#kommentar-{comment.pk}")
        page = client.get(link.split("#")[0].replace("&amp;", "&"))
        assert f'id="kommentar-{comment.pk}"' in page.content.decode()


def test_partnerships_show_organisations_and_unread_threads(client):
    member = _signed_in(client)
    membership = MembershipFactory(user=member)
    offer = PartnerOfferFactory(organisation=membership.organisation)
    other = PartnerOfferFactory()
    for _ in range(2):
        NotificationFactory(
            recipient=member,
            kind=Notification.Kind.PARTNER_MESSAGE,
            initiative=offer.initiative,
            extra={"offer": offer.pk},
        )
    html = _content(client.get("/mina-sidor/samarbeten/"))
    assert membership.organisation.name in html
    assert offer.initiative.title in html
    assert other.initiative.title not in html
    assert "2 olästa" in html

    assert client.get(f"/samarbeten/erbjudanden/{offer.pk}/").status_code == 200
    assert "olästa" not in _content(client.get("/mina-sidor/samarbeten/"))
    assert Notification.objects.unread().filter(recipient=member).count() == 0


def test_a_partner_message_shows_as_unread_for_the_other_party(client):
    author = _signed_in(client)
    offer = PartnerOfferFactory(initiative__author=author)
    partner_actions.message_send(user=offer.offered_by, offer=offer, body="Vi kan på tisdag.")
    assert "1 oläst" in _content(client.get("/mina-sidor/samarbeten/"))


def test_the_live_part_fetches_itself_alone(client):
    _signed_in(client)
    response = client.get(
        "/mina-sidor/stod/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="mina-sidor-innehall"
    )
    html = response.content.decode()
    assert html.lstrip().startswith("<section")
    assert "<header" not in html
    assert 'hx-trigger="personal:changed from:body, live:resync from:body"' in html


def test_the_cards_counts_listen_on_the_lists_socket(client):
    supporter = _signed_in(client)
    initiative = SupportFactory(user=supporter).initiative
    html = _content(client.get("/mina-sidor/stod/"))
    assert re.search(rf'ws-connect="/ws/initiativ/\?[^"]*visar={initiative.pk}\b', html)


def _history(person, size: int) -> None:
    """A person with `size` of everything Mina sidor lists."""
    for index in range(size):
        initiative = InitiativeFactory()
        SupportFactory(user=person, initiative=initiative)
        FollowFactory(user=person, initiative=initiative)
        CommentFactory(initiative=initiative, author=person)
        PartnerOfferFactory(initiative=initiative, offered_by=person)
        mine = (DraftFactory if index % 2 else InitiativeFactory)(author=person)
        NotificationFactory(recipient=person, initiative=mine)


@pytest.mark.parametrize("url", [*TABS, "/mina-sidor/?steg=utkast"])
def test_query_counts_stay_flat_as_a_history_grows(client, url):
    small, large = UserFactory(), UserFactory()
    _history(small, 5)
    _history(large, 200)
    sign_in(client, small)
    few = page_queries(client, url)
    client.logout()
    sign_in(client, large)
    many = page_queries(client, url)
    assert few == many
    assert many <= 14


DEMO_EMAILS = [
    "boende@example.org",
    "forening@example.org",
    "foretag@example.org",
    "moderator@example.org",
    "handlaggare@example.org",
]


@pytest.fixture
def demo(programme, settings):
    from django.core.management import call_command

    settings.DEMO_CONTENT_ALLOWED = True
    for command in ("load_demo", "load_demo_initiatives", "load_demo_partners"):
        call_command(command, verbosity=0)


@pytest.mark.parametrize("email", DEMO_EMAILS)
def test_each_demo_account_sees_its_own_things(client, demo, email):
    from accounts.models import User
    from ideas.models import Comment, Support

    person = User.objects.get(email=email)
    sign_in(client, person)
    if email in DEMO_EMAILS[:3]:  # the residents and associations propose, support and write
        assert Initiative.objects.filter(author=person).exists()

    html = _content(client.get("/mina-sidor/"))
    badges = re.findall(r'\?steg=[a-z-]+"[^>]*>[^<]*<span class="badge">(\d+)', html)
    assert sum(map(int, badges)) == Initiative.objects.filter(author=person).count()

    supported = Support.objects.filter(user=person, initiative__in=Initiative.objects.public())
    html = _content(client.get("/mina-sidor/stod/"))
    assert html.count('class="my-item"') == min(supported.count(), 20)
    for support in supported[:20]:
        assert support.initiative.title in html

    followed = Follow.objects.active().filter(
        user=person, initiative__in=Initiative.objects.visible_to(person)
    )
    assert _content(client.get("/mina-sidor/foljer/")).count('class="my-item"') == min(
        followed.count(), 20
    )
    written = Comment.objects.filter(author=person).count()
    html = _content(client.get("/mina-sidor/kommentarer/"))
    assert html.count('class="my-item"') == min(written, 20)
