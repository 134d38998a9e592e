"""CSV: for other programs, so the header texts and the data rows only (DESIGN.md).

Decisions where the design is silent:
- UTF-8 without a byte order mark (the design says UTF-8; a BOM breaks many scripts).
- Comma separator, RFC 4180 quoting and CRLF line ends (Python's csv default, RFC 4180).
- Numbers with '.' decimals, hours with one decimal; an empty cell for "no value".
- Dates as YYYY-MM-DD; date-times as ISO 8601 with the Stockholm offset
  (2026-03-29T02:30:00+02:00), as in the interchange files, so DST is never ambiguous.
- No title block, no Totalt row; text is cleaned of control characters.
- Excel opens a .csv on double-click and evaluates cells that look like formulas
  (=HYPERLINK(...), =cmd|..., @SUM(...)). As OWASP advises ("CSV injection"), a text cell
  that starts with = + - @ TAB or CR (also after leading spaces) gets a ' in front, which
  spreadsheets show as text. Numbers are written as numbers, so -1.5 in an hours column is
  untouched. The interchange exports (models.transfer) are not reports: they stay exact.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from models.text import clean
from models.timeutil import STOCKHOLM, from_epoch
from reports.base import Column, ReportResult
from reports.writers import _Tracker, as_date, is_number

# What makes a spreadsheet treat a cell as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_WRITE = 500


def write_csv(result: ReportResult, path: Path | IO[str], tracker: _Tracker) -> None:
    """To a file path, or to an open text stream (standard out; left open)."""
    if not isinstance(path, Path):
        _write_rows(result, path, tracker)
        return
    with path.open("w", encoding="utf-8", newline="") as handle:
        _write_rows(result, handle, tracker)


def _write_rows(result: ReportResult, handle: IO[str], tracker: _Tracker) -> None:
    out = csv.writer(handle)
    out.writerow([text_cell(c.header) for c in result.columns])
    convert = [_converter(column) for column in result.columns]
    chunk: list[list[str]] = []
    for index, row in enumerate(result.rows):
        tracker.row(index)
        chunk.append([make(value) for make, value in zip(convert, row, strict=False)])
        if len(chunk) >= ROWS_PER_WRITE:
            out.writerows(chunk)
            chunk.clear()
    out.writerows(chunk)
    tracker.finish()


def _converter(column: Column):  # noqa: ANN202 - a function of one value
    """csv_value for one column, with the common case first: a text that needs nothing
    (a printable string that cannot start a formula) is written as it is."""
    if column.kind != "text":
        return lambda value: csv_value(value, column)

    def text(value: Any) -> str:
        if (
            value.__class__ is str
            and value.isprintable()
            and not value.lstrip(" ").startswith(FORMULA_STARTS)
        ):
            return value
        return csv_value(value, column)

    return text


def text_cell(value: Any) -> str:
    """A text cell, cleaned, that no spreadsheet will evaluate."""
    text = clean(value)
    if text.startswith(FORMULA_STARTS) or text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_value(value: Any, column: Column) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if column.kind == "hours" and is_number(value):
        return f"{value:.1f}"
    if column.kind == "int" and is_number(value):
        return str(int(value))
    if column.kind == "date":
        day = as_date(value)
        return day.isoformat() if day else text_cell(value)
    if column.kind == "datetime":
        return _iso_datetime(value)
    if is_number(value):
        return str(value)
    return text_cell(value)


def _iso_datetime(value: Any) -> str:
    if is_number(value):
        moment = from_epoch(int(value))
    elif isinstance(value, datetime):
        if value.tzinfo is STOCKHOLM and not value.microsecond:
            return value.isoformat()  # what the reports give: nothing to convert
        # A naive datetime from a report is Stockholm local time.
        moment = value if value.tzinfo else value.replace(tzinfo=STOCKHOLM)
        moment = moment.astimezone(STOCKHOLM)
    elif isinstance(value, date):
        return value.isoformat()
    else:
        return text_cell(value)
    return moment.replace(microsecond=0).isoformat()
