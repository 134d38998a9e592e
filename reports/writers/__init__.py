"""Render a ReportResult to a file: PDF, Excel or CSV.

The writers never know which report they render. Every writer writes to a temporary file
beside the target and renames it into place at the end (models.files.output_file), so a
failed or cancelled run never leaves half a report behind and never destroys an older report
of the same name; a new report is readable by its owner only. A character device or a FIFO
(/dev/null, a named pipe) is written straight into, never replaced; CSV may also go to an
open text stream (standard out).

A result's rows are read once, in order: a streamed report (reports.base.RowSource) goes
from the query's cursor into the file without being held. Widths are measured on a bounded
sample (the first rows of a stream); the Totalt row and the notes are read after the rows.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import IO, Any

from models.errors import DomainError, ValidationError
from models.files import output_file
from models.formatting import count_text
from models.text import clean
from models.timeutil import STOCKHOLM, from_epoch, stockholm_today
from reports.base import Column, ReportParams, ReportResult, RowSource, stream_from

FORMATS = ("pdf", "xlsx", "csv")
FORMAT_LABELS = {"pdf": "PDF", "xlsx": "Excel", "csv": "CSV"}
# File name extensions that name a format; others (.txt, none at all) say nothing.
EXTENSIONS = {"pdf": "pdf", "xlsx": "xlsx", "xlsm": "xlsx", "xls": "xlsx", "csv": "csv"}
OUTPUT_DIR = "regionadmin-rapporter"  # under the user's home directory

Progress = Callable[[int, int], None]  # (rows written, rows in all)
CancelCheck = Callable[[], bool]

# How often (in rows) a writer reports progress and looks for a cancel request.
PROGRESS_EVERY = 250


class WriteCancelled(DomainError):
    """The user cancelled while the report was being produced; no file was written."""

    exit_code = 130

    def __init__(self) -> None:
        super().__init__("Avbrutet – ingen fil skrevs.")


def suggested_name(slug: str, fmt: str, day: date | None = None) -> str:
    """`<slug>-<YYYY-MM-DD>.<ext>`, the name the TUI proposes."""
    day = day or stockholm_today()
    return f"{slug}-{day.isoformat()}.{fmt}"


def default_path(slug: str, fmt: str, day: date | None = None) -> Path:
    return Path.home() / OUTPUT_DIR / suggested_name(slug, fmt, day)


def check_format(fmt: str, allowed: tuple[str, ...] = FORMATS) -> str:
    value = (fmt or "").strip().lower()
    if value == "excel":
        value = "xlsx"
    if value not in allowed:
        names = " eller ".join(
            [", ".join(allowed[:-1]), allowed[-1]] if len(allowed) > 1 else allowed
        )
        raise ValidationError(
            f"Formatet {clean(fmt) or '(inget)'} finns inte för rapporten; välj {names}.",
            field="format",
        )
    return value


def check_extension(fmt: str, path: str | Path) -> None:
    """A file name whose extension names another format than `fmt` is a mistake
    (`--format pdf --output x.xlsx`); no extension, or one that names no format, is fine.
    The CLI checks this; the TUI keeps the extension in step with the chosen format."""
    suffix = Path(path).suffix.lower().lstrip(".")
    named = EXTENSIONS.get(suffix)
    if named is not None and named != fmt:
        raise ValidationError(
            f"Filnamnet slutar på .{suffix} men formatet är "
            f"{FORMAT_LABELS[fmt]}; ändra filnamnet eller formatet.",
            field="output",
        )


def write(
    result: ReportResult,
    fmt: str,
    path: str | Path | IO[str],
    *,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    make_parents: bool = True,
) -> int:
    """Write `result` as `fmt` to `path`; returns the number of data rows written.

    `path` may also be an open text stream (standard out), for CSV only. A missing folder
    is made when `make_parents` (the TUI's report folder), else it is NotFound.
    Raises ValidationError (a Swedish sentence) when the file cannot be written, and
    WriteCancelled when `cancelled()` turns true; in both cases no file is left behind.
    """
    try:
        return _write(result, fmt, path, progress, cancelled, make_parents)
    finally:
        if isinstance(result.rows, RowSource):
            result.rows.close()  # a streamed query's cursor, however the write ended


def _write(
    result: ReportResult,
    fmt: str,
    path: str | Path | IO[str],
    progress: Progress | None,
    cancelled: CancelCheck | None,
    make_parents: bool,
) -> int:
    fmt = check_format(fmt)
    writer = _writer(fmt)
    if not isinstance(path, str | os.PathLike):
        if fmt != "csv":
            raise ValidationError(
                f"{FORMAT_LABELS[fmt]} kan inte skrivas till standard ut; "
                "ange en fil med --output.",
                field="output",
            )
        writer(result, path, _Tracker(result, progress, cancelled))  # type: ignore[arg-type]
        return result.row_count()
    target = Path(path).expanduser()
    if target.is_dir():
        raise ValidationError(f"{clean(target)} är en mapp; ange ett filnamn.", field="output")
    tracker = _Tracker(result, progress, cancelled)
    with output_file(target, make_parents=make_parents) as out:
        writer(result, out, tracker)
    return result.row_count()


def produce(
    op: Any,
    module: ModuleType,
    params: ReportParams,
    fmt: str,
    path: str | Path | IO[str],
    *,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    make_parents: bool = True,
) -> tuple[int, Path | IO[str]]:
    """Run the report's query, then write it: what the CLI and the TUI's Skapa do.

    The query itself cannot be interrupted; a cancel request made during it is honoured
    before the first row is written. A report that streams (reports.base.stream_from) is
    written row by row from its cursor, never held whole in memory. Returns the row count
    and where it went.
    """
    fmt = check_format(fmt, tuple(module.FORMATS))
    result = module.run(op, params, stream=True) if stream_from(module) else module.run(op, params)
    if cancelled is not None and cancelled():
        if isinstance(result.rows, RowSource):
            result.rows.close()
        raise WriteCancelled()
    target = Path(path).expanduser() if isinstance(path, str | os.PathLike) else path
    count = write(
        result, fmt, target, progress=progress, cancelled=cancelled, make_parents=make_parents
    )
    return count, target


def _writer(fmt: str) -> Callable[[ReportResult, Path, _Tracker], None]:
    # Imported on use: fpdf2 and openpyxl cost start-up time the CSV path does not need.
    if fmt == "pdf":
        from reports.writers.pdf import write_pdf

        return write_pdf
    if fmt == "xlsx":
        from reports.writers.xlsx import write_xlsx

        return write_xlsx
    from reports.writers.csv import write_csv

    return write_csv


class _Tracker:
    """Counts rows for the progress callback and raises WriteCancelled when asked to stop.

    The total is the result's row count; for a streamed result the report's own count,
    asked only when progress is shown (it may cost a query), and never below the rows
    already written (rows may arrive between the count and the read)."""

    def __init__(
        self, result: ReportResult, progress: Progress | None, cancelled: CancelCheck | None
    ) -> None:
        self._result = result
        self._progress = progress
        self._cancelled = cancelled
        self.total = (result.expected_rows() or 0) if progress is not None else 0

    def row(self, index: int) -> None:
        """Call with the 0-based index of the row about to be written."""
        if index % PROGRESS_EVERY:
            return
        self.check()
        if self._progress is not None:
            self._progress(index, max(self.total, index))

    def check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise WriteCancelled()

    def finish(self) -> None:
        self.check()
        if self._progress is not None:
            count = self._result.row_count()
            self._progress(count, count)


# --- values, shared by the writers and the on-screen table ---------------------------------


def is_number(value: Any) -> bool:
    """int, float or Decimal (report hours are Decimals), but not a bool."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def local_datetime(value: Any) -> datetime | None:
    """A datetime in Stockholm time, without tzinfo (what Excel and the reader expect)."""
    if value is None or value == "":
        return None
    if is_number(value):
        value = from_epoch(int(value))
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(STOCKHOLM)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return None


def as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime) or is_number(value):
        moment = local_datetime(value)
        return moment.date() if moment else None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def display(value: Any, kind: str) -> str:
    """A cell as a Swedish reader sees it (PDF, the on-screen table): decimal comma."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if kind == "int" and is_number(value):
        return count_text(int(value))  # "1 555", as on screen and on the command line
    if kind == "hours" and is_number(value):
        return f"{value:.1f}".replace(".", ",")
    if kind == "date":
        day = as_date(value)
        return day.isoformat() if day else clean(value)
    if kind == "datetime":
        moment = local_datetime(value)
        return moment.strftime("%Y-%m-%d %H:%M") if moment else clean(value)
    return clean(value)


def totals_row(result: ReportResult) -> list[Any] | None:
    """The Totalt row with its label: "Totalt" in the first column unless the report set one."""
    if result.totals is None:
        return None
    cells = list(result.totals) + [None] * (len(result.columns) - len(result.totals))
    cells = cells[: len(result.columns)]
    if cells and (cells[0] is None or cells[0] == ""):
        cells[0] = "Totalt"
    return cells


def width_sample(result: ReportResult, limit: int = 3000) -> list[Any]:
    """The rows to measure column widths on: all of them up to `limit`, else the first
    third of `limit` and an even spread of the rest (the last row included), plus the
    Totalt row. Measuring only the first rows would cut "Mottagning 1000" after "… 999"."""
    rows = result.rows
    if len(rows) <= limit:
        sample = list(rows)
    else:
        head = limit // 3
        step = max(1, (len(rows) - head) // (limit - head))
        sample = [*rows[:head], *rows[head::step], rows[-1]]
    totals = totals_row(result)
    if totals is not None:
        sample.append(tuple(totals))
    return sample


def rows_and_sample(result: ReportResult, limit: int = 3000) -> tuple[list[Any], Iterator[Any]]:
    """The rows to measure column widths on, and the rows to write (each once).

    A list: width_sample (spread over every row, plus the Totalt row). A streamed result:
    its first `limit` rows, the only ones known before writing starts (a bounded sample,
    so that memory does not grow with the report); the caller drops the sample before
    it writes."""
    if not result.streamed:
        return width_sample(result, limit), iter(result.rows)
    first, rows = result.head(limit)
    return list(first), rows


def made_line(result: ReportResult) -> str:
    moment = local_datetime(result.made_at)
    when = moment.strftime("%Y-%m-%d %H:%M") if moment else ""
    return f"Skapad av {clean(result.made_by)}, {when}"


def parameter_lines(result: ReportResult) -> list[str]:
    return [f"{clean(label)}: {clean(value)}" for label, value in result.parameters]


def is_numeric(column: Column) -> bool:
    return column.kind in ("int", "hours")
