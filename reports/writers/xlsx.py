"""Excel: a write-only openpyxl workbook (constant memory; lxml makes it faster).

Layout: title, one "label: value" line per parameter, "Skapad av NAME, YYYY-MM-DD HH:MM",
an empty row, the header row (frozen, with an autofilter), the data rows and a Totalt row
where the report's columns add up. Numbers are numbers, dates and times real Excel dates
(Excel has no time zones: Stockholm local time is written).

openpyxl's write-only mode keeps a sheet's rows in a temporary file until it saves, by
default in the system's temp folder (/tmp), where a killed run would leave a copy of the
report. Here it is a private file named like our other temporaries, beside the target (or,
for a device or a FIFO, in the user's cache folder): models.files.scratch_file. The next
write into that folder removes it if the run was killed.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter

from models.files import scratch_file
from models.text import clean
from reports.base import Column, ReportResult
from reports.writers import (
    _Tracker,
    as_date,
    display,
    is_number,
    local_datetime,
    made_line,
    parameter_lines,
    totals_row,
    width_sample,
)

# Excel treats a typed cell that starts with one of these as a formula (or a DDE call).
FORMULA_STARTS = ("=", "+", "-", "@")
MIN_WIDTH, MAX_WIDTH = 6, 50
HEADER_KEEP = 14  # a header up to this long stays on one line
SHEET_TITLE_MAX = 31  # Excel's limit on a sheet name

_BOLD = Font(bold=True)
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="bottom")
_TITLE = Font(bold=True, size=14)
_NUMBER_FORMATS = {"hours": "0.0", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}


def write_xlsx(result: ReportResult, path: Path, tracker: _Tracker) -> None:
    wb = Workbook(write_only=True)
    wb.properties.title = clean(result.title)
    wb.properties.creator = clean(result.made_by)
    wb.properties.subject = "; ".join(parameter_lines(result))
    wb.properties.keywords = result.slug
    ws = wb.create_sheet(_sheet_title(result.title))

    block = _title_block(ws, result)
    header_row = len(block) + 1
    last_row = header_row + len(result.rows)
    last_col = get_column_letter(max(len(result.columns), 1))
    # Write-only sheets write these in the sheet's head: they must be set before any row.
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{last_col}{last_row}"
    for index, width in enumerate(_widths(result), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width

    _scratch(ws, path)
    try:
        for line in block:
            ws.append(line)
        ws.append([_header_cell(ws, c) for c in result.columns])
        for index, row in enumerate(result.rows):
            tracker.row(index)
            ws.append(_row(ws, row, result.columns))
        totals = totals_row(result)
        if totals is not None:
            ws.append([_styled(ws, cell, font=_BOLD) for cell in _row(ws, totals, result.columns)])
        if result.notes:
            ws.append([])
            for note in result.notes:
                ws.append([_text(ws, clean(note))])
        tracker.check()
    except BaseException:
        _discard(ws)
        raise
    # An open file, not a name: openpyxl would open a name read-write ('w+b'), which on a
    # FIFO also makes this process a reader of its own output.
    try:
        with path.open("wb") as handle:
            wb.save(handle)
    finally:
        ws._writer.cleanup()  # also after a failed save (a good one has done it already)
    tracker.finish()


class _SheetWriter(WorksheetWriter):
    """openpyxl's sheet writer with our scratch file instead of its temp file; cleanup()
    removes it whatever happened (openpyxl's own expects its list of temp files)."""

    def cleanup(self) -> None:
        Path(self.out).unlink(missing_ok=True)


def _scratch(ws, path: Path) -> None:
    """Give the sheet its writer before the first row (the head, with the frozen panes and
    the column widths set above, is written now), with a scratch file for `path`."""
    out = scratch_file(path, ".sheet")
    try:
        ws._writer = _SheetWriter(ws, out=str(out))
        ws._writer.write_top()
    except BaseException:
        out.unlink(missing_ok=True)
        raise


def _discard(ws) -> None:
    """Close an abandoned sheet's stream and delete openpyxl's temporary copy of its rows
    (it would otherwise stay in the temp folder until the program ends)."""
    try:
        ws.close()
        ws._writer.cleanup()
    except Exception:  # noqa: BLE001 - best effort; the real error is being raised
        pass


def _sheet_title(title: str) -> str:
    # Excel forbids []:*?/\ in sheet names.
    text = "".join(ch for ch in clean(title) if ch not in "[]:*?/\\")
    return text[:SHEET_TITLE_MAX] or "Rapport"


def _title_block(ws, result: ReportResult) -> list[list[Any]]:
    lines: list[list[Any]] = [[_styled(ws, clean(result.title), font=_TITLE)]]
    lines += [[_text(ws, line)] for line in parameter_lines(result)]
    lines.append([_text(ws, made_line(result))])
    lines.append([])
    return lines


def _row(ws, row: tuple[Any, ...] | list[Any], columns: list[Column]) -> list[Any]:
    return [_cell(ws, value, column) for value, column in zip(row, columns, strict=False)]


def _cell(ws, value: Any, column: Column) -> Any:
    """One value as Excel should store it; plain values are cheapest in write-only mode."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    kind = column.kind
    if kind == "int" and is_number(value):
        return int(value)
    if kind == "hours" and is_number(value):
        # Already rounded half up by reports.period.hours; round() here would round again,
        # half to even, and could disagree with the PDF and CSV.
        return _styled(ws, float(value), number_format=_NUMBER_FORMATS["hours"])
    if kind == "date":
        day = as_date(value)
        if day is not None:
            return _styled(ws, day, number_format=_NUMBER_FORMATS["date"])
    if kind == "datetime":
        moment = local_datetime(value)
        if moment is not None:
            return _styled(ws, moment, number_format=_NUMBER_FORMATS["datetime"])
    if is_number(value):
        return float(value) if isinstance(value, Decimal) else value
    return _text(ws, clean(value))


def _text(ws, text: str) -> Any:
    """A string that Excel must never evaluate: formulas and DDE stay text."""
    if not text.startswith(FORMULA_STARTS):
        return text
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    # quotePrefix keeps the cell text even after the user edits it in Excel.
    cell.quotePrefix = True
    return cell


def _styled(
    ws,
    value: Any,
    *,
    font: Font | None = None,
    number_format: str | None = None,
) -> Cell:
    if isinstance(value, Cell):
        cell = value
    elif isinstance(value, str):
        text = _text(ws, value)
        cell = text if isinstance(text, Cell) else WriteOnlyCell(ws, value=text)
    else:
        cell = WriteOnlyCell(ws, value=value)
    if font is not None:
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _header_cell(ws, column: Column) -> Cell:
    cell = _styled(ws, clean(column.header), font=_BOLD)
    cell.alignment = _HEADER_ALIGN  # a long header wraps instead of widening its column
    return cell


def _widths(result: ReportResult) -> list[float]:
    """Column widths in characters from the header and a sample of the rows, capped.

    A long header counts with its longest word only (it wraps); the report's width
    hints are not used, the content decides.
    """
    widths = []
    for column in result.columns:
        header = clean(column.header)
        words = header.split() or [""]
        need = (
            len(header)
            if len(header) <= HEADER_KEEP
            else max(HEADER_KEEP, *(len(w) for w in words))
        )
        widths.append(need)
    for row in width_sample(result):
        for index, (value, column) in enumerate(zip(row, result.columns, strict=False)):
            widths[index] = max(widths[index], len(display(value, column.kind)))
    return [min(MAX_WIDTH, max(MIN_WIDTH, width) + 2) for width in widths]
