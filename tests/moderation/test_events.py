"""Who hears about what: every person concerned, once, never the person who acted; and email is
enqueued only once the transaction commits."""

from collections import Counter

import pytest

from ideas import actions as ideas_actions
from moderation import actions
from notifications.actions import do_follow, do_unfollow
from notifications.models import Follow, Notification
from tests.factories import (
    CommentFactory,
    DraftFactory,
    InitiativeFactory,
    ModeratorFactory,
    ResponderFactory,
    UserFactory,
    initiative_fields,
)
from tests.moderation.conftest import submitted

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def _told(**filters) -> Counter:
    """(recipient, kind) → how many notifications."""
    rows = Notification.objects.filter(**filters).values_list("recipient_id", "kind")
    return Counter(rows)


def test_a_reply_notifies_the_author_the_answered_and_the_followers_once_each(committing):
    author, answered, follower, replier, stopped = (UserFactory() for _ in range(5))
    initiative = InitiativeFactory(author=author)
    do_follow(user=author, initiative=initiative)
    do_follow(user=follower, initiative=initiative)
    do_follow(user=stopped, initiative=initiative)
    do_unfollow(user=stopped, initiative=initiative)
    parent = ideas_actions.comment_add(user=answered, initiative=initiative, body="Bra idé.")

    with committing():
        reply = ideas_actions.comment_add(
            user=replier, initiative=initiative, body="Håller med.", parent=parent
        )

    assert _told(comment=reply) == {
        (author.pk, Kind.COMMENT_ON_MY_INITIATIVE): 1,
        (answered.pk, Kind.REPLY_TO_MY_COMMENT): 1,
        (follower.pk, Kind.COMMENT_ON_FOLLOWED): 1,
    }
    assert not Notification.objects.filter(recipient__in=[replier, stopped]).exists()


def test_the_author_answered_on_their_own_initiative_is_told_once():
    author, replier = UserFactory(), UserFactory()
    initiative = InitiativeFactory(author=author)
    parent = ideas_actions.comment_add(user=author, initiative=initiative, body="Tack!")

    reply = ideas_actions.comment_add(
        user=replier, initiative=initiative, body="Varsågod.", parent=parent
    )

    assert _told(comment=reply) == {(author.pk, Kind.COMMENT_ON_MY_INITIATIVE): 1}


def test_the_author_commenting_on_their_own_initiative_tells_only_the_followers(committing):
    author, follower = UserFactory(), UserFactory()
    initiative = InitiativeFactory(author=author)
    do_follow(user=follower, initiative=initiative)

    with committing():
        comment = ideas_actions.comment_add(user=author, initiative=initiative, body="Uppdatering.")

    assert _told(comment=comment) == {(follower.pk, Kind.COMMENT_ON_FOLLOWED): 1}


@pytest.mark.parametrize(
    ("decide", "code", "details"),
    [
        (
            lambda moderator, initiative: actions.initiative_approve(
                moderator=moderator, initiative=initiative, text="Välkommet!"
            ),
            "approve",
            "Välkommet!",
        ),
        (
            lambda moderator, initiative: actions.initiative_reject(
                moderator=moderator,
                initiative=initiative,
                reasons=["internal", "duplicate"],
                text="Se det tidigare förslaget.",
            ),
            "reject",
            "Det gäller stadens interna organisation eller dess personal. "
            "Ett liknande förslag har lämnats under de senaste sex månaderna. "
            "Se det tidigare förslaget.",
        ),
        (
            lambda moderator, initiative: actions.initiative_send_back(
                moderator=moderator, initiative=initiative, text="Skriv var bänkarna ska stå."
            ),
            "send_back",
            "Skriv var bänkarna ska stå.",
        ),
    ],
    ids=["approve", "reject", "send_back"],
)
def test_a_decision_tells_the_author_why_and_nobody_else(decide, code, details):
    moderator, other_moderator = ModeratorFactory(), ModeratorFactory()
    initiative = submitted()
    do_follow(user=moderator, initiative=initiative)
    Notification.objects.all().delete()

    decide(moderator, initiative)

    told = Notification.objects.get()
    assert told.recipient == initiative.author
    assert told.kind == Kind.MODERATION_DECISION
    assert told.actor == moderator
    assert told.extra["decision"] == code
    assert told.details() == details
    assert not Notification.objects.filter(recipient__in=[moderator, other_moderator]).exists()


def test_the_decision_sentences_are_swedish():
    initiative = submitted(title="Sommarbio")
    actions.initiative_approve(moderator=ModeratorFactory(), initiative=initiative)

    told = Notification.objects.get(recipient=initiative.author)

    assert told.sentence() == "Ditt initiativ ”Sommarbio” är godkänt och publicerat."


def test_an_official_response_tells_the_author_and_the_followers_not_the_case_officer(
    committing,
):
    responder = ResponderFactory()
    author, follower = UserFactory(), UserFactory()
    initiative = InitiativeFactory(author=author, forvaltning=responder.forvaltning)
    for person in (author, follower, responder):
        do_follow(user=person, initiative=initiative)

    with committing():
        ideas_actions.response_add(
            user=responder, initiative=initiative, body="Vi gör det.", status="will_be_done"
        )

    assert _told() == {
        (author.pk, Kind.OFFICIAL_RESPONSE): 1,
        (follower.pk, Kind.OFFICIAL_RESPONSE): 1,
    }
    assert Notification.objects.get(recipient=author).own_content is True
    assert Notification.objects.get(recipient=follower).own_content is False


def test_the_threshold_tells_the_author_the_followers_and_the_case_officers_once_each(
    committing,
):
    responder = ResponderFactory()
    author, follower, early_supporter, last_supporter = (UserFactory() for _ in range(4))
    initiative = InitiativeFactory(
        author=author, forvaltning=responder.forvaltning, support_threshold=2
    )
    do_follow(user=author, initiative=initiative)
    do_follow(user=follower, initiative=initiative)
    with committing():
        ideas_actions.support_set(user=early_supporter, initiative=initiative, supported=True)
    assert not Notification.objects.exists()

    with committing():
        ideas_actions.support_set(user=last_supporter, initiative=initiative, supported=True)

    told = _told(kind=Kind.THRESHOLD_REACHED)
    # Whether the person whose support crossed the threshold should hear of it too is left open.
    told.pop((last_supporter.pk, Kind.THRESHOLD_REACHED), None)
    assert told == {
        (author.pk, Kind.THRESHOLD_REACHED): 1,
        (follower.pk, Kind.THRESHOLD_REACHED): 1,
        (early_supporter.pk, Kind.THRESHOLD_REACHED): 1,
        (responder.pk, Kind.THRESHOLD_REACHED): 1,
    }
    # A later support does not announce the threshold again.
    before = Notification.objects.filter(kind=Kind.THRESHOLD_REACHED).count()
    with committing():
        ideas_actions.support_set(user=UserFactory(), initiative=initiative, supported=True)
    assert Notification.objects.filter(kind=Kind.THRESHOLD_REACHED).count() == before


def test_a_case_officer_who_follows_hears_of_the_threshold_once(committing):
    responder = ResponderFactory()
    initiative = InitiativeFactory(forvaltning=responder.forvaltning, support_threshold=1)
    do_follow(user=responder, initiative=initiative)

    with committing():
        ideas_actions.support_set(user=UserFactory(), initiative=initiative, supported=True)

    assert Notification.objects.filter(recipient=responder).count() == 1


def test_a_submission_alerts_every_moderator_but_the_one_who_submitted():
    moderators = [ModeratorFactory(), ModeratorFactory()]
    resident_draft = DraftFactory()
    own_draft = DraftFactory(author=moderators[0])

    ideas_actions.initiative_submit(user=resident_draft.author, initiative=resident_draft)
    ideas_actions.initiative_submit(user=moderators[0], initiative=own_draft)

    assert _told(initiative=resident_draft) == {
        (moderators[0].pk, Kind.MODERATION_ALERT): 1,
        (moderators[1].pk, Kind.MODERATION_ALERT): 1,
    }
    assert _told(initiative=own_draft) == {(moderators[1].pk, Kind.MODERATION_ALERT): 1}


def _following(user, initiative) -> bool | None:
    row = Follow.objects.filter(user=user, initiative=initiative).first()
    return None if row is None else row.active


def test_authors_supporters_and_commenters_follow_automatically():
    author, supporter, commenter = UserFactory(), UserFactory(), UserFactory()
    fields = initiative_fields(title="Fler bänkar")
    draft = ideas_actions.initiative_save(user=author, fields=fields, prioriteringar=[])
    published = InitiativeFactory()

    ideas_actions.support_set(user=supporter, initiative=published, supported=True)
    ideas_actions.comment_add(user=commenter, initiative=published, body="Ja!")

    assert _following(author, draft) is True
    assert _following(supporter, published) is True
    assert _following(commenter, published) is True


def test_an_explicit_unfollow_is_respected_by_later_automatic_follows():
    person, initiative = UserFactory(), InitiativeFactory()
    do_unfollow(user=person, initiative=initiative)

    ideas_actions.support_set(user=person, initiative=initiative, supported=True)
    ideas_actions.comment_add(user=person, initiative=initiative, body="Ja!")
    CommentFactory(initiative=initiative)
    ideas_actions.comment_add(user=UserFactory(), initiative=initiative, body="Jag också.")

    assert _following(person, initiative) is False
    assert not Notification.objects.filter(recipient=person).exists()


def test_email_goes_out_only_once_the_transaction_commits(
    mailoutbox, django_capture_on_commit_callbacks
):
    author = UserFactory()
    initiative = InitiativeFactory(author=author, title="Bänkar vid vattnet")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ideas_actions.comment_add(user=UserFactory(), initiative=initiative, body="Bra!")

    assert mailoutbox == []
    notification = Notification.objects.get(recipient=author)
    assert notification.email == Notification.Email.PENDING_IMMEDIATE
    assert callbacks

    for callback in callbacks:
        callback()

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [author.email]
    notification.refresh_from_db()
    assert notification.email == Notification.Email.SENT


def test_the_email_task_is_enqueued_on_commit_not_before(
    deferred_tasks, django_capture_on_commit_callbacks
):
    initiative = submitted()
    moderator = ModeratorFactory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.initiative_approve(moderator=moderator, initiative=initiative)
        assert deferred_tasks.results == []

    assert deferred_tasks.results == []
    for callback in callbacks:
        callback()

    (enqueued,) = deferred_tasks.results
    assert enqueued.task.name == "deliver_immediate"
    assert enqueued.kwargs == {"recipient_id": initiative.author_id, "initiative_id": initiative.pk}
