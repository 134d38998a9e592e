"""CSV: for other programs, so the header texts and the data rows only (DESIGN.md).

Decisions where the design is silent:
- UTF-8 without a byte order mark (the design says UTF-8; a BOM breaks many scripts).
- Comma separator, RFC 4180 quoting and CRLF line ends (Python's csv default, RFC 4180).
- Numbers with '.' decimals, hours with one decimal; an empty cell for "no value".
- Dates as YYYY-MM-DD; date-times as ISO 8601 with the Stockholm offset
  (2026-03-29T02:30:00+02:00), as in the interchange files, so DST is never ambiguous.
- No title block, no Totalt row; text is written as is (cleaned of control characters),
  not prefixed against spreadsheet formulas: CSV is for programs, Excel users get xlsx.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any

from models.text import clean
from models.timeutil import STOCKHOLM, from_epoch
from reports.base import Column, ReportResult
from reports.writers import _Tracker, as_date, is_number


def write_csv(result: ReportResult, path: Path, tracker: _Tracker) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow([clean(c.header) for c in result.columns])
        for index, row in enumerate(result.rows):
            tracker.row(index)
            out.writerow([csv_value(value, column)
                          for value, column in zip(row, result.columns, strict=False)])
        tracker.finish()


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
        return day.isoformat() if day else clean(value)
    if column.kind == "datetime":
        return _iso_datetime(value)
    return clean(value)


def _iso_datetime(value: Any) -> str:
    if is_number(value):
        moment = from_epoch(int(value))
    elif isinstance(value, datetime):
        # A naive datetime from a report is Stockholm local time.
        moment = value if value.tzinfo else value.replace(tzinfo=STOCKHOLM)
        moment = moment.astimezone(STOCKHOLM)
    elif isinstance(value, date):
        return value.isoformat()
    else:
        return clean(value)
    return moment.replace(microsecond=0).isoformat()
