"""What the SQLite database lacks beside PostgreSQL: case folding beyond ASCII; and a query
compiled once (CompiledOnce).

SQLite's LIKE and lower() fold only A–Z, so "ödåkra" would not find "Ödåkra". Each SQLite
connection gets a `casefold` function (Python's str.casefold); `Casefold` calls it in queries.
PostgreSQL needs neither: its full-text search folds case itself.
"""

from django.db import DEFAULT_DB_ALIAS
from django.db.backends.signals import connection_created
from django.db.models import CharField, Func
from django.db.models.query import RawQuerySet


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


class CompiledOnce:
    """A query Django compiles once per process and database, then runs for any value.

    Django compiles a queryset into SQL each time it runs one. For a wide query asked on every
    request (the signed-in person with four subqueries: accounts.backends) that costs more than
    running it. `build(value)` makes the queryset for one value. It is built for two sample values
    at the first call: the SQL must come out the same, and the parameters must differ exactly
    where the value goes, else it raises. So a query that put Python's clock or any other
    changing value into its parameters fails at once rather than run with a stale one.

    Rows come back as the model's instances through `raw()`, annotations as attributes with the
    database's own values (SQLite gives 0 and 1 for booleans).
    """

    SAMPLES = (-7001, -7002)

    def __init__(self, build):
        self.build = build
        self._compiled: dict[str, tuple] = {}

    def __call__(self, value, using: str = DEFAULT_DB_ALIAS) -> RawQuerySet:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        model, sql, params, places = compiled
        params = list(params)
        for place in places:
            params[place] = value
        return model._default_manager.db_manager(using).raw(sql, params)

    def _compile(self, using: str) -> tuple:
        first, second = (self.build(sample).using(using) for sample in self.SAMPLES)
        sql, params = first.query.get_compiler(using).as_sql()
        other_sql, other_params = second.query.get_compiler(using).as_sql()
        places = [place for place, value in enumerate(params) if value == self.SAMPLES[0]]
        expected = list(params)
        for place in places:
            expected[place] = self.SAMPLES[1]
        if not places or sql != other_sql or list(other_params) != expected:
            raise ValueError(f"The query does not differ by its value alone: {sql}")
        return first.model, sql, tuple(params), places
