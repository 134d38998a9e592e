"""Big reports are written straight from the cursor (reports.base.RowSource): the files are
the same as from a result held in a list, and the writers never hold every row.

Memory is checked as counts (how many rows were read before the first was written), never
as bytes or times.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pypdf
import pytest

from models.timeutil import STOCKHOLM
from reports import common, obesvarade_arenden
from reports.base import Column, ReportParams, ReportResult, RowSource
from reports.writers import PROGRESS_EVERY, produce, write
from reports.writers import pdf as pdf_writer
from reports.writers import xlsx as xlsx_writer
from tests.test_reports_support import (
    C,
    build_region,
    fixed_clock,  # noqa: F401 - autouse fixture
    insert_cases,
    ts,
)

CASES = 1300  # more than PROGRESS_EVERY and than one fetch of the streaming cursor
AS_OF = ReportParams(as_of=date(2026, 3, 31))


@pytest.fixture
def region(backend, monkeypatch):
    """A region with CASES open cases old enough for Obesvarade ärenden, some assigned."""
    monkeypatch.setattr(obesvarade_arenden, "FETCH_ROWS", 100)  # several round trips
    r = build_region()
    t, rd = r.types["Beställa tid"], r.types["Rådgivning"]
    first = ts(2026, 1, 1, 8)
    cases = []
    for i in range(1, CASES + 1):
        received = first + i * 3001
        assigned = received + 3600 if i % 3 else None
        cases.append(
            C(
                i,
                (r.a.id, r.b.id, r.c.id)[i % 3],
                (t, rd)[i % 2],
                received,
                assigned_at=assigned,
                assignee=r.cecilia_account if assigned else None,
            )
        )
    insert_cases(cases)
    return r


def sheet_values(path: Path) -> list[tuple]:
    return list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def test_streamed_report_writes_the_same_files_as_the_held_one(region, tmp_path: Path):
    held = obesvarade_arenden.run(region.op, AS_OF)
    assert isinstance(held.rows, list) and len(held.rows) == CASES
    assert held.notes == [f"Antal obesvarade ärenden: {CASES}."]
    for fmt in ("csv", "xlsx", "pdf"):
        write(obesvarade_arenden.run(region.op, AS_OF), fmt, tmp_path / f"held.{fmt}")
        count, _ = produce(region.op, obesvarade_arenden, AS_OF, fmt, tmp_path / f"stream.{fmt}")
        assert count == CASES
    assert (tmp_path / "stream.csv").read_bytes() == (tmp_path / "held.csv").read_bytes()
    streamed = sheet_values(tmp_path / "stream.xlsx")
    assert streamed == sheet_values(tmp_path / "held.xlsx")
    assert streamed[-1] == (f"Antal obesvarade ärenden: {CASES}.", *[None] * 6)
    assert pdf_text(tmp_path / "stream.pdf") == pdf_text(tmp_path / "held.pdf")


def test_streamed_run_reads_the_cursor_once_and_counts_for_progress(region, tmp_path: Path):
    result = obesvarade_arenden.run(region.op, AS_OF, stream=True)
    assert isinstance(result.rows, RowSource) and result.notes == []
    seen: list[tuple[int, int]] = []
    count = write(result, "csv", tmp_path / "r.csv", progress=lambda d, t: seen.append((d, t)))
    assert count == CASES
    assert seen[0] == (0, CASES)  # the COUNT query, asked before the first row
    assert seen[-1] == (CASES, CASES)
    assert result.notes == [f"Antal obesvarade ärenden: {CASES}."]
    with pytest.raises(RuntimeError, match="once"):
        list(result.rows)


def test_streamed_report_stopped_early_leaves_the_connection_usable(region, tmp_path: Path):
    """A cancel in the middle of the rows: no file, and the next query on the same
    connection works (PostgreSQL: the streaming query is cancelled, not left running)."""
    from reports.writers import WriteCancelled

    calls = iter(range(10**6))
    with pytest.raises(WriteCancelled):
        produce(
            region.op,
            obesvarade_arenden,
            AS_OF,
            "csv",
            tmp_path / "r.csv",
            cancelled=lambda: next(calls) > 2,
        )
    assert not (tmp_path / "r.csv").exists()
    assert len(obesvarade_arenden.run(region.op, AS_OF).rows) == CASES


# --- the writers on a source that must not be held ------------------------------------------

COLUMNS = [
    Column("Mottagning"),
    Column("Inkommet", "datetime"),
    Column("Antal", "int", total=True),
    Column("Timmar", "hours"),
]
START = datetime(2026, 1, 1, 8, 0, tzinfo=STOCKHOLM)


def generated(count: int):
    for i in range(count):
        name = "=SUM(A1)" if i == 5 else f"Mottagning {i % 37}"
        yield (name, START + timedelta(minutes=i), i % 7, (i % 50) / 10)


def streamed_result(source: RowSource, notes: list[str] | None = None) -> ReportResult:
    return ReportResult(
        slug="test",
        title="Test",
        parameters=[("Region", "Region Stockholm")],
        columns=COLUMNS,
        rows=source,
        totals=None,
        made_by="Anna Andersson",
        made_at=START,
        notes=notes or [],
    )


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_writers_write_before_the_source_is_read_to_its_end(
    tmp_path: Path, monkeypatch, fmt: str
) -> None:
    """The first data row reaches the file while most rows are still unread: the writer
    keeps a bounded sample (for the column widths), never the whole result."""
    total = 12000
    source = RowSource(generated(total))
    read_at_first_row: list[int] = []
    if fmt == "xlsx":
        original = xlsx_writer._SheetWriter.raw

        def raw(self, text: str) -> None:
            if not read_at_first_row and '<row r="6">' in text:  # the first data row
                read_at_first_row.append(source.count)
            original(self, text)

        monkeypatch.setattr(xlsx_writer._SheetWriter, "raw", raw)
    else:
        original = pdf_writer._BodyRows.row

        def row(self, values, *, shaded: bool) -> None:
            if not read_at_first_row:
                read_at_first_row.append(source.count)
            original(self, values, shaded=shaded)

        monkeypatch.setattr(pdf_writer._BodyRows, "row", row)
    assert write(streamed_result(source), fmt, tmp_path / f"r.{fmt}") == total
    assert source.done and source.count == total
    assert read_at_first_row and read_at_first_row[0] <= 3000 + xlsx_writer.ROWS_PER_WRITE
    assert read_at_first_row[0] < total // 3


def test_totals_are_summed_while_streaming(tmp_path: Path) -> None:
    rows = list(generated(700))
    source = RowSource(iter(rows), columns=COLUMNS)
    result = streamed_result(source)
    source.when_read(lambda read: setattr(result, "totals", read.totals(COLUMNS)))
    source.when_read(lambda read: result.notes.append(f"Antal: {read.count}."))
    write(result, "xlsx", tmp_path / "r.xlsx")
    expected = common.totals_row(COLUMNS, rows)
    assert result.totals == expected == ("Totalt", None, sum(r[2] for r in rows), None)
    values = sheet_values(tmp_path / "r.xlsx")
    assert values[-3][:3] == ("Totalt", None, expected[2])
    assert values[-1][0] == "Antal: 700."
    # The formula-like name stays text, as in a held result.
    assert values[5 + 5][0] == "=SUM(A1)"


def test_held_and_streamed_sources_give_the_same_cells(tmp_path: Path) -> None:
    held = streamed_result(RowSource(generated(400))).held()
    assert isinstance(held.rows, list) and len(held.rows) == 400
    write(held, "xlsx", tmp_path / "held.xlsx")
    write(held, "csv", tmp_path / "held.csv")
    for fmt in ("xlsx", "csv"):
        write(streamed_result(RowSource(generated(400))), fmt, tmp_path / f"stream.{fmt}")
    assert sheet_values(tmp_path / "stream.xlsx") == sheet_values(tmp_path / "held.xlsx")
    assert (tmp_path / "stream.csv").read_bytes() == (tmp_path / "held.csv").read_bytes()


def test_the_row_count_query_runs_only_for_progress(tmp_path: Path) -> None:
    def no_count() -> int:
        raise AssertionError("counted without a progress line")

    source = RowSource(generated(300), expected=no_count)
    assert write(streamed_result(source), "csv", tmp_path / "r.csv") == 300
    seen: list[tuple[int, int]] = []
    source = RowSource(generated(2 * PROGRESS_EVERY + 1), expected=lambda: 10)
    write(streamed_result(source), "csv", tmp_path / "p.csv", progress=lambda *a: seen.append(a))
    # More rows than counted (cases arrived in between): the total is never below the rows.
    assert seen == [(0, 10), (PROGRESS_EVERY, PROGRESS_EVERY), (500, 500), (501, 501)]


def test_empty_streamed_result(tmp_path: Path) -> None:
    for fmt in ("pdf", "xlsx", "csv"):
        assert write(streamed_result(RowSource(iter([]))), fmt, tmp_path / f"r.{fmt}") == 0
    assert "Inga rader för valt urval." in pdf_text(tmp_path / "r.pdf")[0]
    assert sheet_values(tmp_path / "r.xlsx")[-1][0] == "Mottagning"


def test_pdf_rows_drawn_as_cell_draws_them(tmp_path: Path, monkeypatch) -> None:
    """The data rows written straight into the page give the same text at the same places
    as fpdf2's cell() (the fallback), shading, cutting with "…" and right-aligned numbers
    included."""
    rows = [
        (f"Vårdcentralen Łódź – en mycket lång mottagning nummer {i}" * (i % 2 + 1), *r[1:])
        for i, r in enumerate(generated(150))
    ]
    write(streamed_result(RowSource(iter(rows))).held(), "pdf", tmp_path / "fast.pdf")
    original = pdf_writer._BodyRows.__init__

    def through_cell(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        self.plain = False

    monkeypatch.setattr(pdf_writer._BodyRows, "__init__", through_cell)
    write(streamed_result(RowSource(iter(rows))).held(), "pdf", tmp_path / "cell.pdf")
    fast = pypdf.PdfReader(tmp_path / "fast.pdf").pages
    cell = pypdf.PdfReader(tmp_path / "cell.pdf").pages
    assert len(fast) == len(cell) > 1
    for mine, theirs in zip(fast, cell, strict=True):
        assert mine.extract_text(extraction_mode="layout") == theirs.extract_text(
            extraction_mode="layout"
        )
    assert "…" in fast[0].extract_text()
