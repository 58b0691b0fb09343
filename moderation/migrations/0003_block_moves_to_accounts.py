# Block moves to accounts, which reads it on every request. Only Django's idea of where the model
# lives changes: the table stays moderation_block (accounts.Block.Meta.db_table).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0002_append_only_log"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Block")],
            database_operations=[],
        ),
    ]
