"""CSV that a spreadsheet opens safely. A cell that begins with =, +, -, @, a tab or a carriage
return is a formula to Excel and LibreOffice (CSV injection: `=HYPERLINK("http://x")` becomes a
link that leaks data); such a cell is written with a leading apostrophe, which spreadsheets show
as text. Numbers are written as numbers: a negative number stays a number."""

import csv
import io
from collections.abc import Iterable
from numbers import Number

from django.http import HttpResponse
from django.utils.http import content_disposition_header

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value as a spreadsheet may read it: numbers as they are, None as empty, and text that
    a spreadsheet would run as a formula neutralised with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, Number) and not isinstance(value, bool):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Iterable[object], rows: Iterable[Iterable[object]]) -> str:
    """The table as CSV text, every cell through `safe_cell`."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def csv_response(
    filename: str, header: Iterable[object], rows: Iterable[Iterable[object]]
) -> HttpResponse:
    """A CSV download. UTF-8 with a byte-order mark, so that Excel reads å, ä and ö."""
    response = HttpResponse(
        "\ufeff" + csv_text(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
