"""Numbers and text from query parameters and socket addresses: what is not a plain number is
ignored, and text loses what no database column takes."""

# Longer than any primary key: refused before int() builds a huge number.
MAX_DIGITS = 11


def number(value: str | None) -> int | None:
    """The whole number `value` spells, or None."""
    return int(value) if value and value.isdigit() and len(value) <= MAX_DIGITS else None


def numbers(value: str, limit: int) -> set[int]:
    """The numbers of a comma-separated list, at most `limit` items read."""
    return {n for item in value.split(",")[:limit] if (n := number(item)) is not None}


def text(value: str | None, max_length: int) -> str:
    """A parameter's text, trimmed and cut to `max_length`, without NUL characters: PostgreSQL
    refuses them in a query, so a hand-edited address would otherwise be a server error."""
    return (value or "").replace("\x00", "").strip()[:max_length]
