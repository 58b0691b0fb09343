"""The residents a benchmark signs up to write with, and how their traces are removed, so that a
generated data set stays as generated. Django must be set up before these are called."""

import uuid


def resident():
    """A new resident with a verified email address, who may comment."""
    from allauth.account.models import EmailAddress

    from accounts.models import User

    email = f"bench-{uuid.uuid4().hex[:12]}@example.org"
    person = User.objects.create_user(email=email, password=None, display_name="Bench Resident")
    EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
    return person


def forget(people, initiative_pk: int, comment_count: int) -> None:
    """Delete the residents with their comments, the notifications about them and the tasks
    queued since they joined, and give the initiative back its comment count."""
    from django.contrib.sessions.models import Session
    from django_tasks_db.models import DBTaskResult

    from ideas.models import Comment, Initiative
    from notifications.models import Notification

    for person in people:
        Notification.objects.filter(comment__author=person).delete()
        Comment.objects.filter(author=person).delete()
        DBTaskResult.objects.filter(enqueued_at__gte=person.date_joined).delete()
        person.delete()
    Initiative.objects.filter(pk=initiative_pk).update(comment_count=comment_count)
    vacuum(Notification, Comment, DBTaskResult, Initiative, Session)


def vacuum(*models) -> None:
    """VACUUM (ANALYZE) the tables a benchmark deleted from, as autovacuum would in production.
    The clusters of this machine and of CI run with autovacuum off: without this, the next
    benchmark reads past every row deleted (the 300,000 notifications of bench.follower_push made
    each signed-in page of the next bench.load wait about a second)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {tables}")
