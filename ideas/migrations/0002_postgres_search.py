"""Search indexes that only PostgreSQL has: pg_trgm for similar titles, GIN for full text."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    "CREATE INDEX IF NOT EXISTS initiative_search_gin ON ideas_initiative USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS initiative_title_trgm ON ideas_initiative "
    "USING gin (title gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS initiative_search_gin", "DROP INDEX IF EXISTS initiative_title_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("ideas", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(_run(INDEXES), _run(DROP)),
    ]
