"""SQL queries of the organisation and account pages stay the same whatever the amount of data,
and at most 10 (11 for a member's view of their organisation)."""

import pytest
from django.utils import timezone

from accounts.models import Membership, Organisation
from ideas.models import Support
from notifications.actions import do_follow, do_notify
from notifications.models import Notification
from partners.models import PartnerOffer
from tests.factories import (
    CommentFactory,
    FokusomradeFactory,
    InitiativeFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    PrioriteringFactory,
    StadsdelFactory,
    UserFactory,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10
# A member's view of their organisation adds the member list, their own membership and the
# matching engine's "initiatives you could help" (candidates and their priorities).
MAX_QUERIES_MEMBER_PROFILE = 11


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _settle(client, url: str) -> None:
    """The first request of a signed-in session writes it; later ones only read."""
    assert client.get(url).status_code == 200


# The organisation list


def _organisations(number: int, fokus, stadsdel, start: int) -> None:
    """Organisations with focus areas of interest, districts, offers, members and initiatives
    they proposed."""
    other = FokusomradeFactory()
    for index in range(start, start + number):
        organisation = OrganisationFactory(
            name=f"Organisation {index:02}",
            is_verified=index % 2 == 0,
            offers=["venue", "funding"],
            whole_city=index % 3 == 0,
        )
        organisation.fokusomraden.set([fokus, other])
        organisation.stadsdelar.set([stadsdel, StadsdelFactory()])
        MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
        MembershipFactory(organisation=organisation)
        InitiativeFactory(organisation=organisation, fokusomrade=fokus)


ORGANISATION_LIST_URLS = [
    "/organisationer/",
    "/organisationer/?sida=2",
    "/organisationer/?typ=forening&q=Organisation",
    # Every filter at once; the partner directory's organisation tab is this page.
    "/organisationer/?q=aktiviteter&typ=forening&fokusomrade={fokus}&erbjuder=venue"
    "&stadsdel={stadsdel}&sida=2",
    "/en/organisationer/?erbjuder=funding",
]


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "resident"])
def test_the_organisation_list_runs_as_many_queries_for_30_organisations_as_for_2(
    client, signed_in
):
    fokus, stadsdel = FokusomradeFactory(), StadsdelFactory()
    urls = [url.format(fokus=fokus.slug, stadsdel=stadsdel.slug) for url in ORGANISATION_LIST_URLS]
    if signed_in:
        client.force_login(UserFactory())
    _organisations(2, fokus, stadsdel, 0)
    _settle(client, urls[0])
    small = {url: page_queries(client, url) for url in urls}

    _organisations(28, fokus, stadsdel, 2)
    large = {url: page_queries(client, url) for url in urls}

    assert large == small
    assert max(large.values()) <= MAX_QUERIES, large
    assert "Organisation 23" in _html(client, "/organisationer/")  # the last of page one
    assert "Organisation 29" in _html(client, "/organisationer/?sida=2")
    assert "Organisation 29" in _html(client, urls[3])


# An organisation's profile


class Profile:
    """An organisation with an admin, and what its profile page lists, grown on demand."""

    def __init__(self):
        self.fokus = FokusomradeFactory()
        self.stadsdel = StadsdelFactory()
        self.organisation = OrganisationFactory(
            name="Dalhems grannar", offers=["venue", "volunteers"]
        )
        self.organisation.fokusomraden.set([self.fokus, FokusomradeFactory()])
        self.organisation.prioriteringar.set(PrioriteringFactory.create_batch(2))
        self.organisation.stadsdelar.set([self.stadsdel])
        self.admin = MembershipFactory(
            organisation=self.organisation,
            role=Membership.Role.ADMIN,
            user=UserFactory(display_name="Administratören"),
        ).user
        self.organisation.contact_person = self.admin
        self.organisation.save()
        self.members = 0
        self.proposed = 0
        self.partnering = 0
        self.seeking = 0

    def grow(self, number: int) -> None:
        """Members, initiatives the organisation proposed, initiatives it helps carry out (an
        accepted offer), and initiatives seeking partners it could help (its members'
        suggestions)."""
        for _index in range(number):
            self.members += 1
            MembershipFactory(
                organisation=self.organisation,
                user=UserFactory(display_name=f"Medlem {self.members:02}"),
            )
            self.proposed += 1
            InitiativeFactory(
                title=f"Föreslaget {self.proposed:02}",
                organisation=self.organisation,
                fokusomrade=self.fokus,
            )
            self.partnering += 1
            helped = InitiativeFactory(
                title=f"Samarbete {self.partnering:02}",
                fokusomrade=self.fokus,
                seeking_partners=True,
                partner_needs=["venue"],
            )
            PartnerOffer.objects.create(
                initiative=helped,
                offered_by=self.admin,
                organisation=self.organisation,
                message="Vi har en lokal.",
                status=PartnerOffer.Status.ACCEPTED,
                decided_at=timezone.now(),
            )
            self.seeking += 1
            InitiativeFactory(
                title=f"Söker hjälp {self.seeking:02}",
                fokusomrade=self.fokus,
                stadsdel=self.stadsdel,
                seeking_partners=True,
                partner_needs=["volunteers"],
            )


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_the_organisation_profile_runs_as_many_queries_for_20_members_and_40_initiatives_as_for_2(
    client, signed_in
):
    profile = Profile()
    url = profile.organisation.get_absolute_url()
    if signed_in:
        client.force_login(
            MembershipFactory(
                organisation=profile.organisation, user=UserFactory(display_name="Jag")
            ).user
        )
    profile.grow(2)
    _settle(client, url)
    small = page_queries(client, url)

    # 20 proposed and 20 helped: the page shows the newest 40 of the two together.
    profile.grow(18)
    large = page_queries(client, url)

    assert large == small
    assert large <= (MAX_QUERIES_MEMBER_PROFILE if signed_in else 6)
    page = _html(client, url)
    assert "Föreslaget 01" in page
    assert "Föreslaget 20" in page
    assert "Samarbete 01" in page
    assert "Samarbete 20" in page
    # Members see each other and the initiatives they could help; the public does not.
    assert ("Medlem 20" in page) is signed_in
    assert ("Söker hjälp 20" in page) is signed_in


# The members page


def test_the_members_page_runs_as_many_queries_for_30_members_and_invitations_as_for_2(client):
    profile = Profile()
    organisation = profile.organisation
    url = f"/organisationer/{organisation.slug}/medlemmar/"
    client.force_login(profile.admin)

    def grow(start: int, number: int) -> None:
        for index in range(start, start + number):
            MembershipFactory(
                organisation=organisation,
                user=UserFactory(display_name=f"Medlem {index:02}"),
                role=Membership.Role.ADMIN if index % 5 == 0 else Membership.Role.MEMBER,
            )
            InvitationFactory(
                organisation=organisation,
                invited_by=profile.admin,
                email=f"inbjuden{index:02}@example.org",
            )

    grow(1, 2)
    _settle(client, url)
    small = page_queries(client, url)

    grow(3, 28)
    large = page_queries(client, url)

    assert large == small
    assert large <= MAX_QUERIES
    page = _html(client, url)
    assert "Medlem 30" in page
    assert "inbjuden30@example.org" in page


# The signed-in person's own pages


class Person:
    """A resident, and all they have done on the site, grown on demand."""

    def __init__(self):
        self.user = UserFactory(display_name="Jag själv")
        self.fokus = FokusomradeFactory()
        self.count = 0

    def grow(self, number: int) -> None:
        """Initiatives and comments of their own, supports, memberships, follows and
        notifications."""
        for _index in range(number):
            self.count += 1
            own = InitiativeFactory(
                author=self.user, fokusomrade=self.fokus, title=f"Mitt förslag {self.count:02}"
            )
            other = InitiativeFactory(fokusomrade=self.fokus)
            comment = CommentFactory(initiative=other, author=self.user)
            Support.objects.create(initiative=other, user=self.user)
            do_follow(user=self.user, initiative=other)
            MembershipFactory(
                user=self.user,
                organisation=OrganisationFactory(name=f"Min förening {self.count:02}"),
                role=Membership.Role.ADMIN if self.count % 3 == 0 else Membership.Role.MEMBER,
            )
            reply = CommentFactory(initiative=other, parent=comment)
            do_notify(
                kind=Notification.Kind.REPLY_TO_MY_COMMENT,
                recipients=[self.user],
                initiative=other,
                comment=reply,
                actor=reply.author,
                own_content=True,
            )
            on_own = CommentFactory(initiative=own)
            do_notify(
                kind=Notification.Kind.COMMENT_ON_MY_INITIATIVE,
                recipients=[self.user],
                initiative=own,
                comment=on_own,
                actor=on_own.author,
                own_content=True,
            )


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        # The profile lists the person's organisations, the first and the last of them.
        ("/konto/profil/", ["Min förening 01", "Min förening 30"]),
        # These two list nothing that grows: a fixed part of each shows they rendered.
        ("/konto/mina-uppgifter/", ["/konto/mina-uppgifter/hamta/"]),
        ("/notiser/installningar/", ['name="own_content"']),
    ],
    ids=["profile", "my-data", "notification-settings"],
)
def test_the_personal_pages_run_as_many_queries_for_much_activity_as_for_little(client, url, shown):
    person = Person()
    client.force_login(person.user)
    person.grow(2)
    _settle(client, url)
    small = page_queries(client, url)

    person.grow(28)
    large = page_queries(client, url)

    assert Notification.objects.filter(recipient=person.user).count() == 60
    assert large == small
    assert large <= MAX_QUERIES
    page = _html(client, url)
    for text in shown:
        assert text in page


# The invitation page


def test_the_invitation_page_runs_few_queries_however_many_members_the_organisation_has(client):
    organisation = OrganisationFactory(name="Dalhems grannar")
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    invitation = InvitationFactory(organisation=organisation, invited_by=admin)
    client.force_login(UserFactory(email=invitation.email))
    url = invitation.get_absolute_url()
    MembershipFactory.create_batch(2, organisation=organisation)
    _settle(client, url)
    small = page_queries(client, url)

    MembershipFactory.create_batch(28, organisation=organisation)
    large = page_queries(client, url)

    assert Organisation.objects.get().memberships.count() == 31
    assert large == small
    assert large <= MAX_QUERIES
    page = _html(client, url)
    assert "Dalhems grannar" in page
    assert 'name="accept"' in page  # the invited person may accept: the page is not a refusal
