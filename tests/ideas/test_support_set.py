import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ideas.actions import support_set
from ideas.models import Initiative, InitiativeEvent, Support
from tests.factories import DraftFactory, InitiativeFactory, UnverifiedUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_support_is_counted(django_capture_on_commit_callbacks):
    initiative = InitiativeFactory()
    user = UserFactory()

    assert support_set(user=user, initiative=initiative, supported=True) is True

    initiative.refresh_from_db()
    assert initiative.support_count == 1
    assert Support.objects.filter(initiative=initiative, user=user).exists()


def test_a_second_support_from_the_same_person_changes_nothing():
    initiative = InitiativeFactory()
    user = UserFactory()

    support_set(user=user, initiative=initiative, supported=True)
    support_set(user=user, initiative=initiative, supported=True)

    initiative.refresh_from_db()
    assert initiative.support_count == 1
    assert Support.objects.count() == 1


def test_support_can_be_withdrawn_while_the_period_is_open():
    initiative = InitiativeFactory()
    user = UserFactory()
    support_set(user=user, initiative=initiative, supported=True)

    assert support_set(user=user, initiative=initiative, supported=False) is False

    initiative.refresh_from_db()
    assert initiative.support_count == 0
    assert not Support.objects.exists()


def test_withdrawing_twice_never_goes_below_zero():
    initiative = InitiativeFactory()
    user = UserFactory()

    support_set(user=user, initiative=initiative, supported=False)

    initiative.refresh_from_db()
    assert initiative.support_count == 0


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("own", "ditt eget initiativ"),
        ("closed", "har tagit slut"),
        ("draft", "inte publicerat"),
        ("unverified", "Bekräfta din e-postadress"),
    ],
)
def test_refused_supports_say_why(case, message):
    user = UnverifiedUserFactory() if case == "unverified" else UserFactory()
    initiative = {
        "own": lambda: InitiativeFactory(author=user),
        "closed": lambda: InitiativeFactory(support_ends_at=timezone.now() - timedelta(days=1)),
        "draft": lambda: DraftFactory(),
        "unverified": lambda: InitiativeFactory(),
    }[case]()

    with pytest.raises(PermissionDenied) as refusal:
        support_set(user=user, initiative=initiative, supported=True)

    assert message in str(refusal.value)
    assert not Support.objects.exists()


def test_the_database_refuses_a_second_support_row():
    initiative = InitiativeFactory()
    user = UserFactory()
    Support.objects.create(initiative=initiative, user=user)

    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(initiative=initiative, user=user)


def test_reaching_the_threshold_marks_ready_for_the_committee_once():
    initiative = InitiativeFactory(support_threshold=2, support_count=0)
    first, second, third = UserFactory.create_batch(3)

    support_set(user=first, initiative=initiative, supported=True)
    initiative.refresh_from_db()
    assert initiative.ready_at is None
    support_set(user=second, initiative=initiative, supported=True)
    initiative.refresh_from_db()
    ready_at = initiative.ready_at
    support_set(user=second, initiative=initiative, supported=False)
    support_set(user=third, initiative=initiative, supported=True)
    support_set(user=second, initiative=initiative, supported=True)

    initiative.refresh_from_db()
    assert ready_at is not None
    assert initiative.ready_at == ready_at
    assert initiative.events.filter(kind=InitiativeEvent.Kind.READY).count() == 1


@pytest.mark.django_db(transaction=True)
def test_ready_for_the_committee_exactly_once_under_concurrent_supports():
    """Many people support at the same moment; the threshold is crossed by exactly one."""
    supporters = 8
    initiative = InitiativeFactory(support_threshold=5)
    users = UserFactory.create_batch(supporters)
    start = threading.Barrier(supporters)
    errors: list[Exception] = []

    def support(user):
        try:
            start.wait()
            support_set(user=user, initiative=initiative, supported=True)
        except Exception as error:  # noqa: BLE001 — collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=support, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    initiative.refresh_from_db()
    assert errors == []
    assert initiative.support_count == supporters == Support.objects.count()
    assert initiative.ready_at is not None
    assert InitiativeEvent.objects.filter(kind=InitiativeEvent.Kind.READY).count() == 1


def test_support_counts_are_shown_but_never_who_supported(client):
    initiative = InitiativeFactory()
    supporter = UserFactory(display_name="Hemlig Stödjare")
    support_set(user=supporter, initiative=initiative, supported=True)

    for viewer in [None, UserFactory(), initiative.author]:
        if viewer:
            client.force_login(viewer)
        content = client.get(initiative.get_absolute_url()).content.decode()
        assert "1 stöd" in content
        assert "Hemlig Stödjare" not in content
        assert supporter.email not in content


def test_status_stays_published_after_reaching_the_threshold():
    initiative = InitiativeFactory(support_threshold=1)

    support_set(user=UserFactory(), initiative=initiative, supported=True)

    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.PUBLISHED
    assert initiative.is_ready_for_committee
