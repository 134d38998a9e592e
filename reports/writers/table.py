"""A report as aligned text for a terminal (`regionadmin report ... --format table`).

The same cells as the PDF and the on-screen table (writers.display), integers grouped the
Swedish way ("1 555"), numbers right-aligned, cut with "…" to the terminal's width.
"""

from __future__ import annotations

from collections.abc import Iterator

from models.formatting import count_text, fit
from reports.base import Column, ReportResult

from . import display, is_number, is_numeric, made_line, parameter_lines, totals_row

GAP = 2
MIN_TEXT = 6


def _cell(value: object, column: Column) -> str:
    if column.kind == "int" and is_number(value) and not isinstance(value, bool):
        return count_text(int(value))
    return display(value, column.kind)


def _widths(header: list[str], rows: list[list[str]], width: int, numeric: list[bool]) -> list[int]:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    room = width - GAP * (len(widths) - 1)
    while sum(widths) > room:
        # Cut the widest text column first; numbers are never cut.
        texts = [i for i, n in enumerate(numeric) if not n and widths[i] > MIN_TEXT]
        if not texts:
            break
        widest = max(texts, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def render(result: ReportResult, width: int = 80) -> Iterator[str]:
    """The lines of the table: title, parameters, who and when, header, rows, Totalt.

    Every row is held: the widths come from all of them (a terminal table is for reading;
    files are the place for a big report)."""
    result = result.held()
    columns = result.columns
    numeric = [is_numeric(c) for c in columns]
    header = [c.header for c in columns]
    rows = [[_cell(v, c) for v, c in zip(row, columns, strict=False)] for row in result.rows]
    totals = totals_row(result)
    if totals is not None:
        rows.append(
            [_cell(v, c) if v is not None else "" for v, c in zip(totals, columns, strict=False)]
        )
    widths = _widths(header, rows, width, numeric)

    def line(cells: list[str]) -> str:
        parts = [
            fit(text, w).rjust(w) if num else fit(text, w).ljust(w)
            for text, w, num in zip(cells, widths, numeric, strict=False)
        ]
        return (" " * GAP).join(parts).rstrip()

    yield fit(result.title, width)
    for text in parameter_lines(result):
        yield fit(text, width)
    yield fit(made_line(result), width)
    yield ""
    yield line(header)
    yield line(["-" * w for w in widths])
    data = rows[:-1] if totals is not None else rows
    for cells in data:
        yield line(cells)
    if totals is not None:
        yield line(["-" * w for w in widths])
        yield line(rows[-1])
    count = len(result.rows)
    yield ""
    yield "1 rad" if count == 1 else f"{count_text(count)} rader"
