"""What every report returns and what every writer renders.

A report module (reports/<slug with underscores>.py) defines SLUG, TITLE, PARAMETERS,
FORMATS, HELP and `run(op, params) -> ReportResult`; the writers never know which report
they render, so a new report is one new file.

A report that grows with the data also sets STREAMS = True and takes `stream=True` in run():
its result then carries a RowSource (read once, straight from the cursor into the file)
instead of a list; without it, run() returns every row in a list, as the others do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from typing import Any, Literal, Protocol

# Cell values per kind, as the report queries return them: "text" str, "int" int,
# "hours" float already rounded to one decimal (half up) or None, "date" datetime.date,
# "datetime" aware datetime in Europe/Stockholm or None.
ColumnKind = Literal["text", "int", "hours", "date", "datetime"]
Parameter = Literal["care_type", "unit", "period", "as_of", "only_active"]
Format = Literal["pdf", "xlsx", "csv"]


@dataclass(frozen=True)
class Column:
    header: str  # the header text from DESIGN.md
    kind: ColumnKind = "text"
    total: bool = False  # summed in the Totalt row (PDF and Excel)
    width: int = 0  # a hint in characters; 0 = the writer decides


@dataclass(frozen=True)
class ReportParams:
    date_from: date | None = None
    date_to: date | None = None
    unit: str | None = None  # HSA-id; None = all units of the region
    care_type: str | None = None  # None = all care types
    only_active: bool = False
    as_of: datetime | None = None  # None = min(now, end of period)


@dataclass(frozen=True)
class Chart:
    """A bar per day or month of the period (drawn in the PDF under the table)."""

    title: str
    labels: list[str]
    values: list[int]


class RowSource:
    """Rows read once, as the query returns them, so that a big report is never held in
    memory: the writers take each row from the cursor and write it.

    `expected` (optional) gives the number of rows before they are read (a COUNT query), for
    the progress line; it is asked only when someone shows progress, and always before the
    first row (a streaming cursor keeps its connection busy). `count` is the number of rows
    read so far, `sums` the running sums of the columns marked `total` (given `columns`).
    Callbacks added with `when_read` run once the last row has been read: a report sets its
    notes and its Totalt row there. Reading a second time is a RuntimeError, never a
    silently empty report.
    """

    def __init__(
        self,
        rows: Iterable[tuple[Any, ...]],
        *,
        columns: list[Column] | None = None,
        expected: Callable[[], int] | None = None,
    ) -> None:
        self._rows = rows
        self._expected = expected
        self._summed = [i for i, c in enumerate(columns or []) if c.total]
        self._when_read: list[Callable[[RowSource], None]] = []
        self.sums: dict[int, Any] = dict.fromkeys(self._summed, 0)
        self.count = 0
        self.started = False
        self.done = False

    def expected(self) -> int | None:
        return self._expected() if self._expected is not None else None

    def when_read(self, callback: Callable[[RowSource], None]) -> None:
        self._when_read.append(callback)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        if self.started:
            raise RuntimeError("a RowSource can be read once only")
        self.started = True
        return self._read()

    def close(self) -> None:
        """Stop reading (a cancelled or failed write): the query's cursor is closed now,
        not when the garbage collector finds it; a streaming PostgreSQL cursor keeps its
        connection busy until then. Safe to call more than once, and after the end."""
        self.started = True
        close = getattr(self._rows, "close", None)
        if close is not None:
            close()

    def _read(self) -> Iterator[tuple[Any, ...]]:
        summed, sums = self._summed, self.sums
        for row in self._rows:
            self.count += 1
            for index in summed:
                sums[index] += row[index] or 0
            yield row
        self.done = True
        for callback in self._when_read:
            callback(self)

    def totals(self, columns: list[Column]) -> tuple[Any, ...]:
        """The Totalt row of what was read, as reports.common.totals_row makes it."""
        return tuple(
            "Totalt" if i == 0 else (self.sums[i] if c.total else None)
            for i, c in enumerate(columns)
        )


@dataclass
class ReportResult:
    slug: str
    title: str
    parameters: list[tuple[str, str]]  # (label, value) for the title block
    columns: list[Column]
    # A list (every report that stays small), or a RowSource read once while the file is
    # written (a report that grows with the data: Obesvarade ärenden). With a RowSource,
    # `totals` and `notes` are final only after the rows have been read (its when_read).
    rows: list[tuple[Any, ...]] | RowSource
    totals: tuple[Any, ...] | None  # the Totalt row, or None where columns do not add up
    made_by: str
    made_at: datetime
    landscape: bool = False
    notes: list[str] = field(default_factory=list)
    chart: Chart | None = None

    @property
    def streamed(self) -> bool:
        return isinstance(self.rows, RowSource)

    def expected_rows(self) -> int | None:
        """The number of rows before they are read (None: not known without a query)."""
        return self.rows.expected() if isinstance(self.rows, RowSource) else len(self.rows)

    def row_count(self) -> int:
        """The rows read so far from a RowSource; all of them for a list."""
        return self.rows.count if isinstance(self.rows, RowSource) else len(self.rows)

    def held(self) -> ReportResult:
        """This result with every row in a list (what run() returns without stream=True):
        the Visa table, the terminal table and the tests read it as often as they like."""
        if isinstance(self.rows, RowSource):
            self.rows = list(self.rows)
        return self

    def head(self, limit: int) -> tuple[list[tuple[Any, ...]], Iterator[tuple[Any, ...]]]:
        """The first `limit` rows in a list, and an iterator over all rows from the first
        (the ones in the list again, then the rest): what a writer measures its column
        widths on before it writes a streamed result. Iterates a RowSource once."""
        rows = iter(self.rows)
        first = list(islice(rows, limit))
        return first, _chain(first, rows)


def _chain(
    first: list[tuple[Any, ...]], rest: Iterator[tuple[Any, ...]]
) -> Iterator[tuple[Any, ...]]:
    yield from first
    first.clear()  # the sample is written: it need not stay in memory with the rest
    yield from rest


class ReportModule(Protocol):
    """What a report module provides (checked at start by registry.check_report)."""

    SLUG: str
    TITLE: str
    ORDER: int
    PARAMETERS: tuple[str, ...]
    FORMATS: tuple[str, ...]
    HELP: str

    def run(self, op: Any, params: ReportParams) -> ReportResult: ...


def stream_from(module: Any) -> bool:
    """The module can give its rows as a RowSource (`run(op, params, stream=True)`)."""
    return getattr(module, "STREAMS", False) is True
