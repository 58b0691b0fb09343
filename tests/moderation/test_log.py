"""The moderation log: append-only in the code, the database and the admin; filtered; and read
in the same few queries however long it is."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from moderation import actions
from moderation.models import AppendOnlyError, ModerationDecision
from tests.factories import CommentFactory, InitiativeFactory, ModeratorFactory, UserFactory
from tests.moderation.conftest import submitted
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

Action = ModerationDecision.Action
TABLE = ModerationDecision._meta.db_table


@pytest.fixture
def decision() -> ModerationDecision:
    initiative = submitted()
    actions.initiative_reject(
        moderator=ModeratorFactory(), initiative=initiative, reasons=["duplicate"], text="Finns."
    )
    return ModerationDecision.objects.get()


def _unchanged(decision: ModerationDecision) -> None:
    stored = ModerationDecision.objects.get(pk=decision.pk)
    assert (stored.action, stored.text, stored.reasons) == ("reject", "Finns.", ["duplicate"])


def test_saving_an_entry_again_is_refused(decision):
    decision.text = "Ändrat i efterhand."

    with pytest.raises(AppendOnlyError):
        decision.save()

    _unchanged(decision)


def test_deleting_an_entry_is_refused(decision):
    with pytest.raises(AppendOnlyError):
        decision.delete()

    _unchanged(decision)


@pytest.mark.parametrize(
    "change",
    [
        lambda: ModerationDecision.objects.update(text="Ändrat."),
        lambda: ModerationDecision.objects.filter(action="reject").update(text="Ändrat."),
        lambda: ModerationDecision.objects.delete(),
        lambda: ModerationDecision.objects.all().delete(),
        lambda: ModerationDecision.objects.bulk_update(
            [ModerationDecision(pk=ModerationDecision.objects.get().pk, text="Ändrat.")], ["text"]
        ),
    ],
    ids=["update", "filtered-update", "delete", "all-delete", "bulk-update"],
)
def test_querysets_refuse_to_change_the_log(decision, change):
    # bulk_update's own atomic block has no savepoint: a refusal breaks the caller's transaction.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        change()

    _unchanged(decision)


def test_the_database_refuses_a_raw_update(decision):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute(f"UPDATE {TABLE} SET text = %s", ["Ändrat."])

    _unchanged(decision)


def test_the_database_refuses_a_raw_delete(decision):
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite leaves DELETE to the code, because the test suite empties tables with DELETE "
            "between tests (moderation/migrations/0002_append_only_log.py)"
        )
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute(f"DELETE FROM {TABLE}")

    _unchanged(decision)


def test_what_the_log_is_about_cannot_be_deleted_from_under_it(decision):
    initiative = decision.initiative
    comment = CommentFactory(initiative=InitiativeFactory())
    actions.content_hide(moderator=ModeratorFactory(), text="Hot.", comment=comment)

    with pytest.raises(ProtectedError):
        initiative.delete()
    with pytest.raises(ProtectedError):
        comment.initiative.delete()
    with pytest.raises(ProtectedError):
        decision.moderator.delete()
    assert ModerationDecision.objects.count() == 2


# The admin --------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client):
    client.force_login(
        get_user_model().objects.create_superuser(
            email="admin@example.org", password="x", display_name="Admin"
        )
    )
    return client


def test_the_admin_shows_the_log_but_grants_no_add_change_or_delete(superuser_client, decision):
    model_admin = admin.site._registry[ModerationDecision]
    request = superuser_client.get("/admin/").wsgi_request

    response = superuser_client.get("/admin/moderation/moderationdecision/")

    assert response.status_code == 200
    assert (
        f"/admin/moderation/moderationdecision/{decision.pk}/change/" in response.content.decode()
    )
    assert request.user.is_superuser
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request, decision) is False
    assert model_admin.has_delete_permission(request, decision) is False
    assert model_admin.get_actions(request) == {}


def test_posting_to_the_admin_changes_nothing(superuser_client, decision):
    base = f"/admin/moderation/moderationdecision/{decision.pk}"

    changed = superuser_client.post(
        f"{base}/change/", {"action": "approve", "text": "Ändrat.", "reasons": "[]"}
    )
    deleted = superuser_client.post(f"{base}/delete/", {"post": "yes"})
    added = superuser_client.post(
        "/admin/moderation/moderationdecision/add/", {"action": "approve", "text": "Nytt."}
    )
    bulk_deleted = superuser_client.post(
        "/admin/moderation/moderationdecision/",
        {"action": "delete_selected", "_selected_action": [decision.pk], "post": "yes"},
    )

    assert changed.status_code == 403
    assert deleted.status_code == 403
    assert added.status_code == 403
    assert bulk_deleted.status_code in {200, 302}
    _unchanged(decision)
    assert ModerationDecision.objects.count() == 1


# Filters and queries ------------------------------------------------------------------------


def test_the_log_filters_by_person_initiative_and_date(moderator_client):
    anna, bo = ModeratorFactory(display_name="Anna"), ModeratorFactory(display_name="Bo")
    # The authors' names too: a generated one may hold "anna" or "bo" (Johanna, Bodil).
    first = submitted(title="Parkbänkar", author__display_name="Cecilia Ek")
    second = submitted(title="Sommarbio", author__display_name="Dag Lund")
    actions.initiative_approve(moderator=anna, initiative=first)
    actions.initiative_send_back(moderator=bo, initiative=second, text="Mer om platsen.")
    troll = UserFactory(display_name="Troll", email="troll@example.org")
    actions.user_block(moderator=bo, user=troll, days=7, reason="Spam.")

    def listed(query: str) -> list[str]:
        response = moderator_client.get(f"/moderering/logg/?{query}")
        assert response.status_code == 200
        return [decision.action for decision in response.context["page"].object_list]

    assert listed("") == [Action.BLOCK, Action.SEND_BACK, Action.APPROVE]
    assert listed("person=anna") == [Action.APPROVE]
    assert listed("person=Bo") == [Action.BLOCK, Action.SEND_BACK]
    assert listed("initiativ=sommar") == [Action.SEND_BACK]
    assert listed("person=troll@example") == [Action.BLOCK]
    assert listed(f"person={first.author.email}") == [Action.APPROVE]
    assert listed("person=Bo&initiativ=Parkbänkar") == []
    # Nonsense is ignored rather than an error.
    assert len(listed("fran=igår&till=x&sida=-1")) == 3
    page = moderator_client.get("/moderering/logg/").content.decode()
    assert "Mer om platsen." in page


def _decisions(number: int) -> None:
    """Entries about different people and items, so that any lookup per row shows."""
    for index in range(number):
        moderator = ModeratorFactory()
        if index % 3 == 0:
            item = {"initiative": InitiativeFactory()}
        elif index % 3 == 1:
            item = {"comment": CommentFactory()}
        else:
            item = {}
        subject = item.get("initiative") or item.get("comment")
        ModerationDecision.objects.create(
            moderator=moderator if index % 4 else None,
            action=Action.HIDE if item else Action.BLOCK,
            subject_user=subject.author if subject else UserFactory(),
            reasons=["duplicate"] if index % 2 else [],
            text=f"Beslut {index}",
            **item,
        )


def test_the_log_runs_as_many_queries_for_60_entries_as_for_5(moderator_client):
    _decisions(5)
    small = page_queries(moderator_client, "/moderering/logg/")

    _decisions(55)
    large = page_queries(moderator_client, "/moderering/logg/")

    assert large == small
    assert large <= 10
    assert page_queries(moderator_client, "/moderering/logg/?sida=2") == large
