"""Flags: once per person, content hidden at the threshold, moderators alerted, flags dismissed."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from ideas.models import Initiative
from moderation import actions
from moderation.models import Flag, ModerationDecision
from notifications.models import Notification
from tests.factories import CommentFactory, InitiativeFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

HIDDEN_PLACEHOLDER = "Kommentaren är dold medan en moderator granskar den."
Kind = Notification.Kind


def _flag_by_many(number: int, **target) -> list[Flag]:
    return [
        actions.flag_add(user=UserFactory(), reason=Flag.Reason.OFFENSIVE, **target)
        for _ in range(number)
    ]


def test_a_second_flag_from_the_same_person_returns_the_first():
    initiative, person = InitiativeFactory(), UserFactory()

    first = actions.flag_add(user=person, reason=Flag.Reason.SPAM, initiative=initiative)
    second = actions.flag_add(user=person, reason=Flag.Reason.OFF_TOPIC, initiative=initiative)

    assert second.pk == first.pk
    assert Flag.objects.get().reason == Flag.Reason.SPAM


@pytest.mark.parametrize("target", ["initiative", "comment"])
def test_the_database_allows_one_flag_per_person_and_item(target):
    item = InitiativeFactory() if target == "initiative" else CommentFactory()
    person = UserFactory()
    Flag.objects.create(reporter=person, reason=Flag.Reason.SPAM, **{target: item})

    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(reporter=person, reason=Flag.Reason.SPAM, **{target: item})


def test_a_flag_is_about_exactly_one_item():
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(
            reporter=UserFactory(),
            reason=Flag.Reason.SPAM,
            initiative=InitiativeFactory(),
            comment=CommentFactory(),
        )


def test_a_comment_is_hidden_at_the_third_open_flag():
    assert settings.FLAG_HIDE_THRESHOLD == 3
    comment = CommentFactory(body_html="<p>Elakt och personligt.</p>")

    _flag_by_many(2, comment=comment)
    comment.refresh_from_db()
    assert comment.hidden_at is None
    assert not ModerationDecision.objects.exists()

    _flag_by_many(1, comment=comment)

    comment.refresh_from_db()
    assert comment.hidden_at is not None
    (decision,) = ModerationDecision.objects.all()
    assert decision.action == ModerationDecision.Action.AUTO_HIDE
    assert decision.moderator is None
    assert decision.comment == comment
    assert decision.state_before == {"hidden": False, "removed": False}
    assert decision.state_after == {"hidden": True, "removed": False}
    # Hidden pending review: the flags stay open for a moderator to decide on.
    assert Flag.objects.open().count() == 3


def test_a_hidden_comment_shows_a_placeholder_to_the_public_and_the_text_to_moderators():
    comment = CommentFactory(body_html="<p>Elakt och personligt.</p>")
    _flag_by_many(3, comment=comment)
    url = comment.initiative.get_absolute_url()
    moderator = Client()
    moderator.force_login(ModeratorFactory())
    resident = Client()
    resident.force_login(UserFactory())

    for public in (Client(), resident):
        page = public.get(url).content.decode()
        assert HIDDEN_PLACEHOLDER in page
        assert "Elakt och personligt." not in page
    page = moderator.get(url).content.decode()
    assert "Elakt och personligt." in page
    assert "Dold för allmänheten" in page
    assert HIDDEN_PLACEHOLDER not in page


def test_an_initiative_is_taken_off_the_public_site_at_the_third_flag():
    initiative = InitiativeFactory()

    _flag_by_many(3, initiative=initiative)

    initiative.refresh_from_db()
    assert initiative.hidden_at is not None
    assert initiative.status == Initiative.Status.PUBLISHED
    assert not Initiative.objects.public().filter(pk=initiative.pk).exists()
    assert Client().get(initiative.get_absolute_url()).status_code == 404
    decision = ModerationDecision.objects.get()
    assert (decision.action, decision.moderator) == ("auto_hide", None)


def test_a_resolved_flag_does_not_count_toward_the_threshold():
    comment = CommentFactory()
    _flag_by_many(2, comment=comment)
    actions.flags_dismiss(moderator=ModeratorFactory(), text="Ogrundat.", comment=comment)

    _flag_by_many(2, comment=comment)

    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_every_moderator_is_alerted_of_flagged_content():
    moderators = [ModeratorFactory(), ModeratorFactory()]
    comment = CommentFactory()
    flagger = UserFactory()

    actions.flag_add(user=flagger, reason=Flag.Reason.SPAM, comment=comment)

    alerts = Notification.objects.filter(kind=Kind.MODERATION_ALERT)
    assert sorted(alerts.values_list("recipient_id", flat=True)) == sorted(
        moderator.pk for moderator in moderators
    )
    assert {alert.initiative_id for alert in alerts} == {comment.initiative_id}
    assert not Notification.objects.filter(recipient=flagger).exists()


def test_a_moderator_who_flags_is_not_alerted_of_their_own_flag():
    moderator, other = ModeratorFactory(), ModeratorFactory()

    actions.flag_add(user=moderator, reason=Flag.Reason.SPAM, comment=CommentFactory())

    alerted = Notification.objects.filter(kind=Kind.MODERATION_ALERT)
    assert list(alerted.values_list("recipient_id", flat=True)) == [other.pk]


def test_the_author_of_auto_hidden_content_is_told():
    comment = CommentFactory()

    _flag_by_many(3, comment=comment)

    told = Notification.objects.get(recipient=comment.author)
    assert told.kind == Kind.MODERATION_DECISION
    assert told.extra["decision"] == "auto_hide"


def test_dismissing_the_flags_shows_the_content_again():
    comment = CommentFactory(body_html="<p>Helt okej egentligen.</p>")
    _flag_by_many(3, comment=comment)
    moderator = ModeratorFactory()

    decision = actions.flags_dismiss(moderator=moderator, text="Ogrundat.", comment=comment)

    comment.refresh_from_db()
    assert comment.hidden_at is None
    assert not Flag.objects.open().exists()
    assert decision.action == ModerationDecision.Action.DISMISS_FLAGS
    assert decision.moderator == moderator
    assert decision.state_before == {"hidden": True, "removed": False}
    assert decision.state_after == {"hidden": False, "removed": False}
    page = Client().get(comment.initiative.get_absolute_url()).content.decode()
    assert "Helt okej egentligen." in page
    assert HIDDEN_PLACEHOLDER not in page


def test_something_else_needs_a_description():
    initiative = InitiativeFactory()

    with pytest.raises(ValidationError):
        actions.flag_add(user=UserFactory(), reason=Flag.Reason.OTHER, initiative=initiative)
    with pytest.raises(ValidationError):
        actions.flag_add(user=UserFactory(), reason="ugly", initiative=initiative)

    flag = actions.flag_add(
        user=UserFactory(), reason=Flag.Reason.OTHER, text="Fel stadsdel.", initiative=initiative
    )
    assert flag.text == "Fel stadsdel."


def test_the_flag_form_asks_for_a_description_in_swedish(client):
    initiative = InitiativeFactory()
    client.force_login(UserFactory())

    response = client.post(f"/initiativ/{initiative.pk}/anmal/", {"reason": "other"})

    assert response.status_code == 200
    assert "Berätta vad som är fel." in response.content.decode()
    assert not Flag.objects.exists()


def test_flagging_a_comment_returns_to_the_comment_with_thanks(client):
    comment = CommentFactory()
    client.force_login(UserFactory())

    response = client.post(f"/kommentarer/{comment.pk}/anmal/", {"reason": "spam"})

    assert response["Location"] == f"{comment.initiative.get_absolute_url()}#{comment.dom_id}"
    assert Flag.objects.get().comment == comment
    thanks = client.get(response["Location"]).content.decode()
    assert "Tack. En moderator kommer att titta på det." in thanks


def test_only_content_with_open_flags_is_listed_as_flagged(moderator_client):
    flagged, unflagged, dismissed = InitiativeFactory(), InitiativeFactory(), InitiativeFactory()
    comment = CommentFactory(initiative=unflagged)
    _flag_by_many(1, initiative=flagged)
    _flag_by_many(1, initiative=dismissed)
    actions.flags_dismiss(moderator=ModeratorFactory(), text="", initiative=dismissed)

    page = moderator_client.get("/moderering/").content.decode()

    assert f'id="queue-flagged-initiative-{flagged.pk}"' in page
    assert f'id="queue-flagged-initiative-{unflagged.pk}"' not in page
    assert f'id="queue-flagged-initiative-{dismissed.pk}"' not in page
    assert f'id="queue-flagged-comment-{comment.pk}"' not in page
