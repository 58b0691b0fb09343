"""The moderation log is append-only in the database itself.

PostgreSQL (production) refuses UPDATE and DELETE of any row. SQLite (the embedded setup) refuses
UPDATE; it leaves DELETE to the code, because the test suite empties tables with DELETE between
tests. TRUNCATE stays possible for the table's owner, which the test suite needs on PostgreSQL;
the application never truncates, and its own code paths refuse deletes and updates regardless.
"""

from django.db import migrations

TABLE = "moderation_moderationdecision"

SQLITE = [
    f"CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS moderation_log_no_update",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION moderation_log_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'the moderation log is append-only';
    END;
    $$ LANGUAGE plpgsql""",
    f"CREATE TRIGGER moderation_log_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION moderation_log_append_only()",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS moderation_log_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS moderation_log_append_only()",
]


def _run(by_vendor):
    def run(apps, schema_editor):
        for statement in by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
