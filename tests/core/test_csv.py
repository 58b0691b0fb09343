"""CSV cells that a spreadsheet would run as formulas come out as text."""

import csv
import io

import pytest

from core.csv import csv_response, csv_text, safe_cell


@pytest.mark.parametrize(
    "typed",
    ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_a_formula_comes_out_neutralised(typed):
    assert safe_cell(typed) == "'" + typed


@pytest.mark.parametrize("value", ["Parkbänk", "1 = 1", "a-b", "", "mejl@exempel.se"])
def test_plain_text_is_left_as_it_is(value):
    assert safe_cell(value) == value


def test_numbers_stay_numbers_and_none_is_empty():
    assert safe_cell(-3) == -3
    assert safe_cell(2.5) == 2.5
    assert safe_cell(None) == ""
    assert safe_cell(True) == "True"


def test_a_hyperlink_formula_reads_back_as_text():
    text = csv_text(["titel"], [['=HYPERLINK("http://x")']])

    rows = list(csv.reader(io.StringIO(text)))

    assert rows == [["titel"], ['\'=HYPERLINK("http://x")']]


def test_the_download_is_utf8_with_a_byte_order_mark_and_a_filename():
    response = csv_response("stöd.csv", ["stadsdel"], [["Söder"]])

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    assert "Söder" in response.content.decode("utf-8-sig")
    assert "attachment" in response["Content-Disposition"]
