"""Every write has a limit per person (core/ratelimit.py, RATE_LIMITS in settings): the one over
it is refused with a message in the person's language, nothing is written, and the form keeps
what they typed."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts import actions as accounts_actions
from accounts.identity import Identity
from accounts.models import Block, IdentityVerification, Invitation, Organisation
from accounts.roles import MODERATOR
from core.ratelimit import RateLimited, count
from ideas import actions as ideas_actions
from ideas.models import Comment, Initiative, InitiativeVersion, Support
from moderation import actions as moderation_actions
from moderation.models import Flag
from notifications.models import Follow
from partners import actions as partners_actions
from partners.models import OfferMessage, PartnerOffer
from tests.factories import (
    CommentFactory,
    FokusomradeFactory,
    InitiativeFactory,
    MembershipFactory,
    OfferMessageFactory,
    UserFactory,
    _staff,
    initiative_fields,
)

pytestmark = pytest.mark.django_db

ALLOWED = 2


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (ALLOWED, 600))


@dataclass
class Write:
    """One kind of write: `act(person, n)` does the n-th one; `rows()` counts what it wrote."""

    act: Any
    rows: Any


def _propose(person, n):
    fields = initiative_fields(title=f"Förslag {n}", fokusomrade=FokusomradeFactory())
    ideas_actions.initiative_save(user=person, fields=fields, prioriteringar=[])


def _edit_published(person, n):
    initiative = Initiative.objects.filter(author=person).first() or InitiativeFactory(
        author=person
    )
    fields = initiative_fields(
        title=initiative.title, fokusomrade=initiative.fokusomrade, body=f"Rättad text {n}"
    )
    ideas_actions.initiative_save(
        user=person, initiative=initiative, fields=fields, prioriteringar=[]
    )


def _comment(person, n, initiative=None):
    target = initiative or InitiativeFactory()
    ideas_actions.comment_add(user=person, initiative=target, body=f"Kommentar {n}")


def _edit_comment(person, n):
    comment = CommentFactory(author=person)
    ideas_actions.comment_edit(user=person, comment=comment, body=f"Ändrad {n}")


def _support(person, n):
    ideas_actions.support_set(user=person, initiative=InitiativeFactory(), supported=True)


def _follow(person, n):
    ideas_actions.follow_set(user=person, initiative=InitiativeFactory(), following=True)


def _block(person, n):
    moderator = _staff(person, MODERATOR)
    moderation_actions.user_block(moderator=moderator, user=UserFactory(), days=7, reason="Spam.")


def _flag(person, n):
    moderation_actions.flag_add(user=person, reason="spam", initiative=InitiativeFactory())


def _flag_message(person, n):
    message = OfferMessageFactory(offer__initiative__author=person)
    partners_actions.message_flag(user=person, message=message)


def _offer(person, n):
    initiative = InitiativeFactory(seeking_partners=True, partner_needs=["venue"])
    partners_actions.offer_make(user=person, initiative=initiative, message="Vi har en lokal.")


def _message(person, n):
    offer = PartnerOffer.objects.filter(offered_by=person).first() or PartnerOffer.objects.create(
        initiative=InitiativeFactory(seeking_partners=True, partner_needs=["venue"]),
        offered_by=person,
        message="Hej",
    )
    partners_actions.message_send(user=person, offer=offer, body=f"Meddelande {n}")


def _invite(person, n):
    membership = person.memberships.first() or MembershipFactory(user=person, role="admin")
    accounts_actions.invitation_send(
        user=person, organisation=membership.organisation, email=f"ny{n}@example.org", role="member"
    )


def _create_organisation(person, n):
    name = f"Förening {person.pk}-{n}"
    fields = {"kind": "forening", "name": name, "description": "", "website": ""}
    accounts_actions.organisation_create(user=person, fields=fields)


def _rename(person, n):
    accounts_actions.profile_update(user=person, display_name=f"Namn {n}", language="sv")


def _verify_identity(person, n):
    """Verifying with e-legitimation, as the callback does once the provider has answered."""
    accounts_actions.identity_verify(user=person, identity=Identity((f"{n:064x}",), "loa3"))


WRITES = {
    "proposal": Write(_propose, lambda: Initiative.objects.count()),
    "initiative_edit": Write(_edit_published, lambda: InitiativeVersion.objects.count()),
    "comment": Write(_comment, lambda: Comment.objects.count()),
    "comment_edit": Write(
        _edit_comment, lambda: Comment.objects.filter(body__startswith="Ä").count()
    ),
    "support": Write(_support, lambda: Support.objects.count()),
    "follow": Write(_follow, lambda: Follow.objects.count()),
    "flag": Write(_flag, lambda: Flag.objects.count()),
    "block": Write(_block, lambda: Block.objects.count()),
    "flag_message": Write(
        _flag_message, lambda: OfferMessage.objects.filter(flagged_at__isnull=False).count()
    ),
    "offer": Write(_offer, lambda: PartnerOffer.objects.count()),
    "message": Write(_message, lambda: OfferMessage.objects.count()),
    "invitation": Write(_invite, lambda: Invitation.objects.count()),
    "organisation": Write(_create_organisation, lambda: Organisation.objects.count()),
    "profile": Write(_rename, lambda: 0),
    "identity": Write(
        _verify_identity,
        lambda: list(IdentityVerification.objects.values_list("digest", flat=True)),
    ),
}


@pytest.mark.parametrize("name", list(WRITES))
def test_the_write_over_the_limit_is_refused_and_writes_nothing(name):
    person, write = UserFactory(), WRITES[name]
    for n in range(ALLOWED):
        write.act(person, n)
    before = write.rows()

    with pytest.raises(RateLimited) as refusal:
        write.act(person, ALLOWED)

    assert refusal.value.code == "rate_limited"
    assert write.rows() == before
    # Another person is not slowed down by the first one.
    write.act(UserFactory(), 0)


def test_every_limit_named_in_the_settings_is_counted_somewhere(settings):
    counted = {name for name in WRITES if name != "flag_message"}
    assert counted == set(settings.RATE_LIMITS)


@pytest.mark.parametrize(
    ("language", "words"), [("sv", "Vänta några minuter"), ("en", "Wait a few minutes")]
)
def test_the_refusal_speaks_the_persons_language(language, words):
    person = UserFactory()
    with translation.override(language):
        for _n in range(ALLOWED):
            count("comment", person.pk)
        with pytest.raises(ValidationError) as refusal:
            count("comment", person.pk)

    assert words in refusal.value.messages[0]


def test_a_refused_comment_keeps_what_was_typed(client):
    person, initiative = UserFactory(), InitiativeFactory()
    client.force_login(person)
    for n in range(ALLOWED):
        _comment(person, n, initiative)

    response = client.post(
        f"/initiativ/{initiative.pk}/kommentarer/", {"body": "Min långa tanke om bänkarna"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Min långa tanke om bänkarna" in page
    assert "Vänta några minuter" in page
    assert not Comment.objects.filter(body__startswith="Min långa").exists()


def test_a_refused_follow_keeps_the_button_as_it_was_and_says_why(client):
    person = UserFactory()
    client.force_login(person)
    for n in range(ALLOWED):
        _follow(person, n)
    initiative = InitiativeFactory()

    response = client.post(
        f"/initiativ/{initiative.pk}/folj/", {"folj": "1"}, headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page
    assert "Vänta lite och försök igen" in page
    assert 'name="folj" value="1"' in page  # still offers to follow
    assert not Follow.objects.filter(user=person, initiative=initiative).exists()
