"""The one CSV writer: formula cells become text, numbers stay numbers, nothing else writes CSV."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

from workplace.csvexport import SafeWriter, csv_download, safe_cell

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "  =1", "\n@x", "-", "=", "+32 470 12"],
)
def test_a_cell_that_a_spreadsheet_would_evaluate_gets_a_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["-5", "+3", "-12,5", "-0.25", "1e5", "-2E-3", ".5", "42"])
def test_text_that_is_only_a_number_stays_a_number(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize("value", [-5, 3.5, Decimal("-1.25"), 0])
def test_a_number_is_written_as_a_number(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), (True, "True"), ("Gewoon tekst = ok", "Gewoon tekst = ok"), ("", "")],
)
def test_other_cells_are_written_as_they_are(value, expected):
    assert safe_cell(value) == expected


def test_the_writer_escapes_every_cell_and_quotes_the_delimiter():
    stream = io.StringIO()
    SafeWriter(stream).writerows([["=1;2", "-7", "ok"]])
    assert list(csv.reader(io.StringIO(stream.getvalue()), delimiter=";")) == [
        ["'=1;2", "-7", "ok"]
    ]


def test_a_download_is_a_utf8_attachment_that_is_not_cached():
    response, writer = csv_download("enquête antwoorden.csv")
    writer.writerow(["=x"])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    assert response.content.decode("utf-8").startswith("\ufeff'=x")


def test_no_module_writes_csv_without_the_safe_writer():
    """A new export must use workplace.csvexport; so must XLSX written with openpyxl."""
    writers = re.compile(r"csv\.(writer|DictWriter)\(|openpyxl\.Workbook\(|\.save_workbook\(")
    offenders = [
        str(path.relative_to(ROOT))
        for app in ("workplace", "kus", "search", "streams", "messaging", "surveys")
        for path in (ROOT / app).rglob("*.py")
        if path.name != "csvexport.py" and writers.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
