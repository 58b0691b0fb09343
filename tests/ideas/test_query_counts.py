"""SQL queries per page stay the same whatever the amount of data, and at most 10."""

import pytest

from tests.factories import (
    CommentFactory,
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    PrioriteringFactory,
    StadsdelFactory,
    SupportFactory,
    UserFactory,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

LIST_URLS = [
    "/initiativ/",
    "/initiativ/?sort=mest-stod",
    "/initiativ/?sort=trendar",
    "/initiativ/?sort=mest-diskuterade&typ=forening",
    "/initiativ/?q=bänkar",
]


_count = page_queries


def _initiatives(number: int, fokusomrade) -> None:
    organisation = OrganisationFactory()
    stadsdel = StadsdelFactory()
    for index in range(number):
        initiative = InitiativeFactory(
            fokusomrade=fokusomrade,
            stadsdel=stadsdel if index % 2 else None,
            organisation=organisation if index % 3 == 0 else None,
            recent_support_count=index % 4,  # most of them trending
        )
        initiative.prioriteringar.set(PrioriteringFactory.create_batch(2, fokusomrade=fokusomrade))
        CommentFactory(initiative=initiative)


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "resident"])
def test_the_list_runs_as_many_queries_for_50_initiatives_as_for_5(client, programme, signed_in):
    if signed_in:
        client.force_login(MembershipFactory().user)
    fokusomrade = programme.viljeinriktningar.first().fokusomraden.first()
    _initiatives(5, fokusomrade)
    small = {url: _count(client, url) for url in LIST_URLS}

    _initiatives(45, fokusomrade)
    large = {url: _count(client, url) for url in LIST_URLS}

    assert large == small
    assert max(large.values()) <= 10, large


def _thread(initiative, comments: int) -> None:
    for index in range(comments // 2):
        top = CommentFactory(initiative=initiative)
        CommentFactory(initiative=initiative, parent=top, is_staff_comment=index % 5 == 0)


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "resident"])
def test_the_detail_page_runs_as_many_queries_with_100_comments_as_with_none(client, signed_in):
    initiative = InitiativeFactory()
    initiative.prioriteringar.set(
        PrioriteringFactory.create_batch(3, fokusomrade=initiative.fokusomrade)
    )
    if signed_in:
        client.force_login(UserFactory())
    url = initiative.get_absolute_url()
    empty = _count(client, url)

    _thread(initiative, 100)
    full = _count(client, url)

    assert full == empty
    assert full <= 10


def test_the_live_parts_run_few_queries(client):
    initiative = InitiativeFactory()
    _thread(initiative, 40)

    assert _count(client, f"/initiativ/{initiative.pk}/live/stod/") <= 2
    assert _count(client, f"/initiativ/{initiative.pk}/live/kommentarer/") <= 3


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "resident"])
def test_with_e_legitimation_the_detail_page_counts_verified_supports_in_its_one_query(
    client, elegitimation, signed_in
):
    """The verified supports are a subquery of the initiative's own query: the page costs what
    it costs with e-legitimation off, with 3 supports or 60."""
    initiative = InitiativeFactory()
    if signed_in:
        client.force_login(UserFactory())
    url = initiative.get_absolute_url()
    SupportFactory.create_batch(3, initiative=initiative, user__is_verified_resident=True)
    few = _count(client, url)
    stod = f"/initiativ/{initiative.pk}/live/stod/"
    few_live = _count(client, stod)

    SupportFactory.create_batch(57, initiative=initiative, user__is_verified_resident=True)
    many = _count(client, url)

    assert many == few
    assert many <= 10
    assert _count(client, stod) == few_live <= 3  # the session and the person, signed in
    assert "60 av dem från invånare verifierade med e-legitimation." in (
        client.get(url).content.decode()
    )
