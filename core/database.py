"""What the SQLite database lacks beside PostgreSQL: case folding beyond ASCII.

SQLite's LIKE and lower() fold only A–Z, so "ödåkra" would not find "Ödåkra". Each SQLite
connection gets a `casefold` function (Python's str.casefold); `Casefold` calls it in queries.
PostgreSQL needs neither: its full-text search folds case itself.
"""

from django.db.backends.signals import connection_created
from django.db.models import CharField, Func


class Casefold(Func):
    """The text folded to one case, for comparing without regard to case (SQLite only)."""

    function = "casefold"
    arity = 1
    output_field = CharField()


def _casefold(value: str | None) -> str | None:
    return None if value is None else value.casefold()


def add_casefold(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        # Deterministic: the same text always folds the same, so SQLite may reuse a result.
        connection.connection.create_function("casefold", 1, _casefold, deterministic=True)


def connect_casefold() -> None:
    connection_created.connect(add_casefold, dispatch_uid="core.database.add_casefold")
