"""Organisations wait for a moderator's approval before the public sees them
(settings.ORGANISATIONS_NEED_APPROVAL). Those already registered are approved here, so that
nothing disappears from the directory."""

from django.db import migrations, models


def approve_existing(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    Organisation.objects.update(review_state="approved")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_invitation_sent_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="review_decided_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="review decided"),
        ),
        migrations.AddField(
            model_name="organisation",
            name="review_reason",
            field=models.TextField(
                blank=True,
                help_text="Why the organisation was not approved; its members see it.",
                max_length=2000,
                verbose_name="moderator's reason",
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="review_state",
            field=models.CharField(
                choices=[
                    ("pending", "Waiting for a moderator's approval"),
                    ("approved", "Approved by a moderator"),
                    ("rejected", "Not approved by a moderator"),
                ],
                default="pending",
                max_length=10,
                verbose_name="review",
            ),
        ),
        migrations.RunPython(approve_existing, migrations.RunPython.noop),
    ]
