import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ideas.actions import StaleEdit, initiative_save, initiative_submit, initiative_withdraw
from ideas.models import Initiative
from notifications.actions import do_follow, do_unfollow
from notifications.models import Notification
from tests.factories import (
    DraftFactory,
    FokusomradeFactory,
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    PrioriteringFactory,
    UnverifiedUserFactory,
    UserFactory,
    initiative_fields,
)

pytestmark = pytest.mark.django_db


def _fields(fokusomrade, **overrides) -> dict:
    return initiative_fields(fokusomrade=fokusomrade, **overrides)


def test_resident_saves_a_draft_with_sanitised_markdown():
    user = UserFactory()
    fokusomrade = FokusomradeFactory()
    prioritering = PrioriteringFactory(fokusomrade=fokusomrade)

    initiative = initiative_save(
        user=user, fields=_fields(fokusomrade), prioriteringar=[prioritering]
    )

    assert initiative.status == Initiative.Status.DRAFT
    assert initiative.author == user
    assert initiative.slug == "lekplats-i-fredriksdal"
    # The body's first heading ("## Varför") sits right under the page's h1, without a gap.
    assert "<h2>Varför</h2>" in initiative.body_html
    assert list(initiative.prioriteringar.all()) == [prioritering]
    assert initiative.events.get().status == Initiative.Status.DRAFT


def test_the_same_form_sent_twice_creates_one_initiative():
    user = UserFactory()
    fokusomrade = FokusomradeFactory()
    token = uuid.uuid4()

    first = initiative_save(
        user=user, fields=_fields(fokusomrade), prioriteringar=[], client_token=token
    )
    second = initiative_save(
        user=user, fields=_fields(fokusomrade), prioriteringar=[], client_token=token
    )

    assert first.pk == second.pk
    assert Initiative.objects.count() == 1


def test_an_edit_from_a_stale_form_is_refused_and_changes_nothing():
    draft = DraftFactory(title="Original")
    fields = _fields(draft.fokusomrade)
    initiative_save(
        user=draft.author,
        initiative=draft,
        fields={**fields, "title": "Ny"},
        prioriteringar=[],
        version=draft.version,
    )

    with pytest.raises(StaleEdit):
        initiative_save(
            user=draft.author,
            initiative=draft,
            fields={**fields, "title": "Gammal flik"},
            prioriteringar=[],
            version=draft.version,
        )

    draft.refresh_from_db()
    assert draft.title == "Ny"
    assert draft.version == 2


def test_priorities_must_belong_to_the_chosen_focus_area():
    other = PrioriteringFactory()

    with pytest.raises(ValidationError):
        initiative_save(
            user=UserFactory(), fields=_fields(FokusomradeFactory()), prioriteringar=[other]
        )


def test_writing_on_behalf_of_an_organisation_needs_membership():
    organisation = OrganisationFactory()
    member = MembershipFactory(organisation=organisation).user
    fokusomrade = FokusomradeFactory()

    initiative = initiative_save(
        user=member, fields=_fields(fokusomrade), prioriteringar=[], organisation=organisation
    )
    assert initiative.organisation == organisation
    with pytest.raises(PermissionDenied):
        initiative_save(
            user=UserFactory(),
            fields=_fields(fokusomrade),
            prioriteringar=[],
            organisation=organisation,
        )


def test_unverified_people_cannot_propose():
    with pytest.raises(PermissionDenied):
        initiative_save(
            user=UnverifiedUserFactory(), fields=_fields(FokusomradeFactory()), prioriteringar=[]
        )


def test_submit_puts_a_draft_in_review_and_a_double_submit_changes_nothing():
    draft = DraftFactory()

    initiative_submit(user=draft.author, initiative=draft)
    again = initiative_submit(user=draft.author, initiative=draft)

    draft.refresh_from_db()
    assert draft.status == again.status == Initiative.Status.SUBMITTED
    assert draft.submitted_at is not None
    assert draft.events.filter(status=Initiative.Status.SUBMITTED).count() == 1


def test_with_publish_without_review_a_submitted_initiative_opens_for_support(settings):
    settings.PUBLISH_WITHOUT_REVIEW = True
    settings.SUPPORT_PERIOD_DAYS = 30
    settings.SUPPORT_THRESHOLD = 7
    draft = DraftFactory()

    initiative = initiative_submit(user=draft.author, initiative=draft)

    assert initiative.status == Initiative.Status.PUBLISHED
    assert initiative.support_threshold == 7
    assert (initiative.support_ends_at - initiative.published_at).days == 30


def test_submitted_initiatives_wait_for_review_by_default():
    draft = DraftFactory()

    initiative = initiative_submit(user=draft.author, initiative=draft)

    assert initiative.status == Initiative.Status.SUBMITTED
    assert initiative.published_at is None


def test_only_the_author_submits_or_withdraws():
    draft = DraftFactory()
    stranger = UserFactory()

    with pytest.raises(PermissionDenied):
        initiative_submit(user=stranger, initiative=draft)
    with pytest.raises(PermissionDenied):
        initiative_withdraw(user=stranger, initiative=draft)


def test_the_author_withdraws_an_initiative_in_review():
    draft = DraftFactory(status=Initiative.Status.SUBMITTED)

    initiative_withdraw(user=draft.author, initiative=draft)

    draft.refresh_from_db()
    assert draft.status == Initiative.Status.WITHDRAWN
    assert not Initiative.objects.public().exists()


def test_withdrawing_a_public_initiative_tells_its_followers_and_not_the_author(committing):
    initiative = InitiativeFactory()
    follower, stopped = UserFactory(), UserFactory()
    do_follow(user=initiative.author, initiative=initiative)
    do_follow(user=follower, initiative=initiative)
    do_follow(user=stopped, initiative=initiative)
    do_unfollow(user=stopped, initiative=initiative)

    with committing():
        initiative_withdraw(user=initiative.author, initiative=initiative)

    told = Notification.objects.get()
    assert (told.recipient, told.kind) == (follower, Notification.Kind.STATUS_CHANGED)
    assert told.extra == {"status": Initiative.Status.WITHDRAWN}
    assert told.sentence().endswith("är nu: Tillbakadraget.")


def test_withdrawing_a_draft_tells_no_one(committing):
    draft = DraftFactory()
    do_follow(user=UserFactory(), initiative=draft)

    with committing():
        initiative_withdraw(user=draft.author, initiative=draft)

    assert not Notification.objects.exists()
