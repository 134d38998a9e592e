"""Excel: an openpyxl workbook whose one sheet is written row by row (constant memory).

Layout: title, one "label: value" line per parameter, "Skapad av NAME, YYYY-MM-DD HH:MM",
an empty row, the header row (frozen, with an autofilter), the data rows and a Totalt row
where the report's columns add up. Numbers are numbers, dates and times real Excel dates
(Excel has no time zones: Stockholm local time is written).

openpyxl makes the workbook (properties, styles, the zip) and the sheet's head and tail;
the rows are written here as the sheet's XML directly. openpyxl's own write-only rows cost
an object, a style lookup and several checks per cell, which made a 200,000-row report
take half again the time of openpyxl writing the same bare values; a cell here is one
string. The text of a cell is cleaned (models.text.clean) and escaped for XML, and a text
that starts like a formula (= + - @) is stored as text with quotePrefix, never evaluated.

openpyxl's write-only mode keeps a sheet's rows in a temporary file until it saves, by
default in the system's temp folder (/tmp), where a killed run would leave a copy of the
report. Here it is a private file named like our other temporaries, beside the target (or,
for a device or a FIFO, in the user's cache folder): models.files.scratch_file. The next
write into that folder removes it if the run was killed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from math import isfinite
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import tostring

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
    rows_and_sample,
    totals_row,
)

# Excel treats a typed cell that starts with one of these as a formula (or a DDE call).
FORMULA_STARTS = ("=", "+", "-", "@")
MIN_WIDTH, MAX_WIDTH = 6, 50
HEADER_KEEP = 14  # a header up to this long stays on one line
SHEET_TITLE_MAX = 31  # Excel's limit on a sheet name
ROWS_PER_WRITE = 500  # rows joined into one write of the sheet file

_BOLD = Font(bold=True)
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="bottom")
_TITLE = Font(bold=True, size=14)
_NUMBER_FORMATS = {"hours": "0.0", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}
# What XML 1.0 cannot carry at all; clean() has taken the control characters already.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

Cell = Callable[[str, Any], str]  # (reference, value) -> the <c> element, or ""


def write_xlsx(result: ReportResult, path: Path, tracker: _Tracker) -> None:
    wb = Workbook(write_only=True)
    wb.properties.title = clean(result.title)
    wb.properties.creator = clean(result.made_by)
    wb.properties.subject = "; ".join(parameter_lines(result))
    wb.properties.keywords = result.slug
    ws = wb.create_sheet(_sheet_title(result.title))
    styles = _Styles(ws)

    sample, rows = rows_and_sample(result)
    widths = _widths(result, sample)
    del sample  # a streamed result's first rows: written below, not kept
    block = _title_block(result, styles)
    header_row = len(block) + 1
    # These are written in the sheet's head: they must be set before any row.
    ws.freeze_panes = f"A{header_row + 1}"
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width

    sheet = _sheet(ws, path)
    try:
        _fill(sheet, result, rows, styles, block, tracker)
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


def _fill(
    sheet: _SheetWriter,
    result: ReportResult,
    rows: Iterable[Any],
    styles: _Styles,
    block: list[list[tuple[str, str]]],
    tracker: _Tracker,
) -> None:
    """The sheet from its head to its tail: title block, header, rows, Totalt, notes."""
    header_row = len(block) + 1
    sheet.write_top()
    sheet.raw("<sheetData>")
    for number, line in enumerate(block, start=1):
        sheet.raw(_plain_row(number, line, styles))
    header = [(clean(c.header), styles.header) for c in result.columns]
    sheet.raw(_plain_row(header_row, header, styles))
    last_row = _data(sheet, result, rows, styles, header_row, tracker)
    number = last_row
    # Totals and notes are read after the rows: a streamed report makes them there.
    totals = totals_row(result)
    if totals is not None:
        number += 1
        sheet.raw(_row_xml(number, totals, _cells(result.columns, styles, bold=True)))
    if result.notes:
        notes = [[], *([(clean(note), "")] for note in result.notes)]
        for number, line in enumerate(notes, start=number + 1):  # noqa: B020
            sheet.raw(_plain_row(number, line, styles))
    sheet.raw("</sheetData>")
    last_col = get_column_letter(max(len(result.columns), 1))
    sheet.ws.auto_filter.ref = f"A{header_row}:{last_col}{last_row}"
    sheet.write_tail()
    tracker.check()


def _data(
    sheet: _SheetWriter,
    result: ReportResult,
    rows: Iterable[Any],
    styles: _Styles,
    header_row: int,
    tracker: _Tracker,
) -> int:
    """Write the data rows; returns the number of the last row written (the header's
    when there are none)."""
    cells = _cells(result.columns, styles)
    number = header_row
    chunk: list[str] = []
    for index, row in enumerate(rows):
        tracker.row(index)
        number += 1
        chunk.append(_row_xml(number, row, cells))
        if len(chunk) >= ROWS_PER_WRITE:
            sheet.raw("".join(chunk))
            chunk.clear()
    sheet.raw("".join(chunk))
    return number


# --- the sheet file ----------------------------------------------------------------------


class _SheetWriter(WorksheetWriter):
    """openpyxl's sheet writer for the head and the tail of the sheet (views, columns,
    autofilter, margins), into our scratch file instead of its temp file, with the rows
    written in between as text. cleanup() removes the file whatever happened (openpyxl's
    own expects its list of temp files)."""

    def get_stream(self):  # type: ignore[override]
        self._file: IO[bytes] = open(self.out, "wb")  # noqa: SIM115 - closed in close()
        self._file.write(
            b'<?xml version="1.0" encoding="UTF-8"?>\n'
            + f'<worksheet xmlns="{SHEET_MAIN_NS}">'.encode()
        )
        self._tail_done = False
        while True:
            element = yield
            if element is not None and element is not True:
                self._file.write(tostring(element))

    def raw(self, text: str) -> None:
        self._file.write(text.encode("utf-8"))

    def write_rows(self) -> None:
        """Written by write_xlsx; openpyxl calls this when it saves."""

    def write_tail(self) -> None:
        if not self._tail_done:
            self._tail_done = True
            super().write_tail()

    def close(self) -> None:
        handle = getattr(self, "_file", None)
        if handle is not None and not handle.closed:
            handle.write(b"</worksheet>")
            handle.close()

    def cleanup(self) -> None:
        handle = getattr(self, "_file", None)
        if handle is not None:
            handle.close()
        Path(self.out).unlink(missing_ok=True)


def _sheet(ws, path: Path) -> _SheetWriter:
    """Give the sheet its writer before the first row, with a scratch file for `path`."""
    out = scratch_file(path, ".sheet")
    try:
        ws._writer = _SheetWriter(ws, out=str(out))
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return ws._writer


def _discard(ws) -> None:
    """Delete the abandoned sheet's scratch file (a failed or cancelled run)."""
    try:
        ws._writer.cleanup()
    except Exception:  # noqa: BLE001 - best effort; the real error is being raised
        pass


# --- cells -------------------------------------------------------------------------------


class _Styles:
    """The workbook's cell styles by what they are (openpyxl numbers them when a styled
    cell asks for its style id), and ready-made cells for the title block."""

    def __init__(self, ws) -> None:
        self._ws = ws
        self._ids: dict[tuple[Any, ...], str] = {}
        self.title = self.id(font=_TITLE)
        self.header = self.id(font=_BOLD, alignment=_HEADER_ALIGN)
        # The same styles for a text that looks like a formula (quotePrefix added).
        self.quoted = {
            "": self.id(quote=True),
            self.title: self.id(font=_TITLE, quote=True),
            self.header: self.id(font=_BOLD, alignment=_HEADER_ALIGN, quote=True),
        }

    def id(
        self,
        *,
        font: Font | None = None,
        number_format: str | None = None,
        alignment: Alignment | None = None,
        quote: bool = False,
    ) -> str:
        """The ` s="N"` attribute of a cell with this style ("" for the default style)."""
        key = (font, number_format, alignment, quote)
        if key not in self._ids:
            cell = WriteOnlyCell(self._ws)
            if font is not None:
                cell.font = font
            if number_format is not None:
                cell.number_format = number_format
            if alignment is not None:
                cell.alignment = alignment
            if quote:
                cell.quotePrefix = True  # stays text even after the user edits it in Excel
            self._ids[key] = f' s="{cell.style_id}"' if cell.has_style else ""
        return self._ids[key]


def _plain_row(number: int, cells: list[tuple[str, str]], styles: _Styles) -> str:
    """A row of texts with their styles (the title block, the header, the notes)."""
    if not cells:
        return f'<row r="{number}"/>'
    body = "".join(
        _text_cell(f"{get_column_letter(index)}{number}", text, style, styles.quoted[style])
        for index, (text, style) in enumerate(cells, start=1)
    )
    return f'<row r="{number}">{body}</row>'


def _row_xml(number: int, row: Iterable[Any], cells: list[tuple[str, Cell]]) -> str:
    text = str(number)
    body = "".join(
        [
            make(letter + text, value)
            for (letter, make), value in zip(cells, row, strict=False)
            if value is not None and value != ""
        ]
    )
    return f'<row r="{text}">{body}</row>'


def _cells(columns: list[Column], styles: _Styles, bold: bool = False) -> list[tuple[str, Cell]]:
    """Per column: its letter and the function that makes one of its cells."""
    return [
        (get_column_letter(index), _cell_maker(column, styles, bold))
        for index, column in enumerate(columns, start=1)
    ]


def _cell_maker(column: Column, styles: _Styles, bold: bool) -> Cell:
    """One value as Excel should store it, by the column's kind (as the CSV and the PDF
    read them: see reports.base.ColumnKind); a value of another type is still written."""
    font = _BOLD if bold else None
    plain = styles.id(font=font)
    quoted = styles.id(font=font, quote=True)
    formatted = {
        kind: styles.id(font=font, number_format=number_format)
        for kind, number_format in _NUMBER_FORMATS.items()
    }
    kind = column.kind

    def make(ref: str, value: Any) -> str:
        if isinstance(value, str):
            if kind in ("date", "datetime"):
                return _dated(ref, value, kind, formatted[kind], plain, quoted)
            return _text_cell(ref, clean(value), plain, quoted)
        if isinstance(value, bool):
            return _text_cell(ref, "Ja" if value else "Nej", plain, quoted)
        if kind == "int" and is_number(value):
            return f'<c r="{ref}"{plain} t="n"><v>{int(value)}</v></c>'
        if kind == "hours" and is_number(value) and isfinite(value):
            # Already rounded half up by reports.period.hours; round() here would round
            # again, half to even, and could disagree with the PDF and CSV.
            return f'<c r="{ref}"{formatted["hours"]} t="n"><v>{float(value)!r}</v></c>'
        if kind in ("date", "datetime"):
            return _dated(ref, value, kind, formatted[kind], plain, quoted)
        if is_number(value) and isfinite(value):  # NaN is no number to Excel: text below
            number = float(value) if isinstance(value, Decimal | float) else value
            return f'<c r="{ref}"{plain} t="n"><v>{number!r}</v></c>'
        return _text_cell(ref, clean(value), plain, quoted)

    return make


def _dated(ref: str, value: Any, kind: str, style: str, plain: str, quoted: str) -> str:
    moment: date | datetime | None = as_date(value) if kind == "date" else local_datetime(value)
    if moment is None:
        return _text_cell(ref, clean(value), plain, quoted)
    return f'<c r="{ref}"{style} t="n"><v>{to_excel(moment)!r}</v></c>'


def _text_cell(ref: str, text: str, style: str, quoted: str) -> str:
    """A string that Excel must never evaluate: formulas and DDE stay text."""
    if not text:
        return ""
    if text.startswith(FORMULA_STARTS):
        style = quoted
    return f'<c r="{ref}"{style} t="inlineStr"><is>{_t(text)}</is></c>'


def _t(text: str) -> str:
    """The <t> element of an inline string, escaped for XML."""
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if not text.isprintable():
        text = _NOT_XML.sub("", text)
    if text != text.strip():
        return f'<t xml:space="preserve">{text}</t>'
    return f"<t>{text}</t>"


# --- the layout --------------------------------------------------------------------------


def _sheet_title(title: str) -> str:
    # Excel forbids []:*?/\ in sheet names.
    text = "".join(ch for ch in clean(title) if ch not in "[]:*?/\\")
    return text[:SHEET_TITLE_MAX] or "Rapport"


def _title_block(result: ReportResult, styles: _Styles) -> list[list[tuple[str, str]]]:
    lines = [[(clean(result.title), styles.title)]]
    lines += [[(line, "")] for line in parameter_lines(result)]
    lines.append([(made_line(result), "")])
    lines.append([])
    return lines


def _widths(result: ReportResult, sample: list[Any]) -> list[float]:
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
    for row in sample:
        for index, (value, column) in enumerate(zip(row, result.columns, strict=False)):
            widths[index] = max(widths[index], len(display(value, column.kind)))
    return [min(MAX_WIDTH, max(MIN_WIDTH, width) + 2) for width in widths]
