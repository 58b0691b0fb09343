# Block comes from moderation (moderation/migrations/0003): the model's state only. Its table,
# moderation_block, was made by moderation's first migration and stays as it is.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_organisation_partner_profile"),
        ("moderation", "0003_block_moves_to_accounts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Block",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("reason", models.TextField(max_length=2000, verbose_name="reason")),
                        (
                            "starts_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="from"
                            ),
                        ),
                        ("ends_at", models.DateTimeField(verbose_name="until")),
                        (
                            "lifted_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="lifted"),
                        ),
                        (
                            "moderator",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="blocks_given",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="blocks",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "block",
                        "verbose_name_plural": "blocks",
                        "db_table": "moderation_block",
                        "ordering": ["-starts_at"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                                name="block_ends_after_start",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
