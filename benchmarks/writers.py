"""Time the report writers (PDF, Excel, CSV) on large results against bare floors.

    .venv/bin/python benchmarks/writers.py [--rows 5000 50000] [--formats pdf xlsx csv]
                                           [--shape list|table] [--repeat 1]

Builds a ReportResult of N rows in memory (no database) and writes it through
reports.writers.write(), the same call the CLI and the TUI make. Two shapes:

- list: the shape of "Obesvarade ärenden", the report that grows with the data: seven
  columns, texts (Swedish and Polish letters, some long enough to be cut in the PDF)
  and two Stockholm date-times, one of them often empty;
- table: a per-unit table with counts, hours and a Totalt row.

Floors, each writing the very same rows:
- csv: the csv module writing the raw values (str() of each), for every format;
- xlsx: also openpyxl in write-only mode, values appended as they are, no styles, no
  widths, no title block (date-times made naive before the clock starts: openpyxl
  refuses aware ones).

Prints seconds, rows/s, file size in MB and the ratio writer/floor; figures only, no
assertions. The best of --repeat runs counts.

First, the goals of the issue "reports at regional scale", each case in a process of its
own so that its peak memory (VmHWM, imports included) is its own:

- Excel, --xlsx-rows rows x 8 columns (Obesvarade ärenden plus a count), the rows made
  one by one as a cursor gives them: the program streaming them (a RowSource), the
  program with every row held in a list first (as every report did before), and the
  floor, openpyxl write-only appending the same rows as they come (no styles, widths or
  title block). Goal: <= 1.1x the floor's time and <= 64 MiB peak.
- PDF, --pdf-rows rows of the list shape: the program against a bare fpdf2 cell() loop
  with the same font (Lato), the same page and the same column widths. Goal: <= 1.3x.

--source DIR runs the program cases (not the floors) from another copy of the source,
e.g. the program before a change (`git archive <commit> | tar -x -C /tmp/before`).
--json PATH also writes the goals' figures as JSON (benchmarks/scale.py reads it).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from importlib import import_module
from pathlib import Path
from typing import Any

# --source: the program cases import another copy of the source (the floors do not care).
sys.path.insert(0, os.environ.get("WRITERS_SOURCE") or str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook  # noqa: E402

from models.timeutil import STOCKHOLM  # noqa: E402
from reports.base import Column, ReportResult  # noqa: E402
from reports.writers import FORMATS, write  # noqa: E402

GIVEN = ["Anna", "Örjan", "Åsa", "Łucja", "Göran", "Linnea", "Mikael", "Ebba", "Zoë", "Håkan"]
SURNAMES = ["Ekström", "Åberg", "Wiśniewski", "Kowalska", "Malmström", "Lindqvist", "Öberg"]
PLACES = ["Ängens", "Åsa", "Östermalms", "Bergshamra", "Citykliniken", "Södermalms"]
CARE = ["vårdcentral", "barnmottagning", "psykiatriska mottagning", "tandvård", "BVC"]
TYPES = [
    "Kontakta mig",
    "Förnya recept",
    "Av- eller omboka tid",
    "Beställ provsvar",
    "Rådgivning – barn och ungdom",
    "Intyg för körkort och taxiförarlegitimation",
]


# --- the results ------------------------------------------------------------------------


def list_result(count: int, seed: int) -> ReportResult:
    """The shape of Obesvarade ärenden: one row per case."""
    rng = random.Random(seed)
    columns = [
        Column("Mottagning", "text", width=26),
        Column("HSA-id", "text", width=22),
        Column("Ärendetyp", "text", width=22),
        Column("Inkommet", "datetime", width=16),
        Column("Fördelade", "datetime", width=16),
        Column("Namn", "text", width=22),
        Column("E-postärendemottagare", "text", width=28),
    ]
    units = [
        (
            f"{rng.choice(PLACES)} {rng.choice(CARE)} {i}",
            f"SE2321000016-{i:05d}",
            f"mottagning{i}@regionstockholm.se",
        )
        for i in range(1, 401)
    ]
    people = [f"{g} {s}" for g in GIVEN for s in SURNAMES]
    start = datetime(2025, 1, 1, tzinfo=STOCKHOLM)
    rows = []
    for _ in range(count):
        name, hsa_id, email = rng.choice(units)
        received = start + timedelta(seconds=rng.randrange(600 * 86400))
        assigned = (
            received + timedelta(seconds=rng.randrange(86400)) if rng.random() < 0.6 else None
        )
        rows.append(
            (
                name,
                hsa_id,
                rng.choice(TYPES),
                received,
                assigned,
                rng.choice(people) if assigned else "",
                email,
            )
        )
    return _result("obesvarade-arenden", "Obesvarade ärenden", columns, rows, None)


def table_result(count: int, seed: int) -> ReportResult:
    """A per-unit table: counts and hours, with a Totalt row."""
    rng = random.Random(seed)
    columns = [
        Column("Mottagning", "text", width=26),
        Column("HSA-id", "text", width=22),
        Column("Inkomna ärenden", "int", total=True),
        Column("Fördelade ärenden", "int", total=True),
        Column("Avslutade ärenden", "int", total=True),
        Column("Handläggningstid (timmar)", "hours"),
        Column("Ansluten", "date"),
    ]
    rows = []
    for i in range(1, count + 1):
        received = rng.randrange(5000)
        rows.append(
            (
                f"{rng.choice(PLACES)} {rng.choice(CARE)} {i}",
                f"SE2321000016-{i:06d}",
                received,
                rng.randrange(received + 1),
                rng.randrange(received + 1),
                round(rng.uniform(0.5, 240.0), 1) if rng.random() < 0.9 else None,
                date(2009, 5, 1) + timedelta(days=rng.randrange(6000)),
            )
        )
    totals = ("Totalt", "", *(sum(r[i] for r in rows) for i in (2, 3, 4)), None, None)
    return _result("arenden-per-mottagning", "Antal ärenden per mottagning", columns, rows, totals)


def _result(
    slug: str, title: str, columns: list[Column], rows: list[tuple], totals: tuple | None
) -> ReportResult:
    return ReportResult(
        slug=slug,
        title=title,
        parameters=[("Region", "Region Stockholm"), ("Period", "2025-01-01 – 2026-08-31")],
        columns=columns,
        rows=rows,
        totals=totals,
        made_by="Bänk Märksson",
        made_at=datetime(2026, 9, 1, 8, 30, tzinfo=STOCKHOLM),
        landscape=len(columns) > 6,
        notes=[f"Antal rader: {len(rows)}."],
    )


SHAPES: dict[str, Callable[[int, int], ReportResult]] = {"list": list_result, "table": table_result}


def stream_rows(count: int) -> Iterator[tuple[Any, ...]]:
    """`count` rows of the Excel goal's shape, made one at a time as a cursor gives them
    (cheap arithmetic, no random calls: the floor pays the same)."""
    units = [
        (f"{PLACES[i % 6]} {CARE[i % 5]} {i}", f"SE2321000016-{i:05d}", f"mottagning{i}@rs.se")
        for i in range(1, 398)
    ]
    people = [f"{g} {s}" for g in GIVEN for s in SURNAMES]
    start = datetime(2025, 1, 1, tzinfo=STOCKHOLM)
    for i in range(count):
        name, hsa_id, email = units[i * 7919 % len(units)]
        received = start + timedelta(seconds=i * 157 % (600 * 86400))
        assigned = received + timedelta(seconds=i * 31 % 86400) if i % 5 < 3 else None
        person = people[i % len(people)] if assigned else ""
        yield (name, hsa_id, TYPES[i % 6], received, assigned, person, email, i % 400)


STREAM_COLUMNS = [
    Column("Mottagning", "text"),
    Column("HSA-id", "text"),
    Column("Ärendetyp", "text"),
    Column("Inkommet", "datetime"),
    Column("Fördelade", "datetime"),
    Column("Namn", "text"),
    Column("E-postärendemottagare", "text"),
    Column("Dagar", "int"),
]


# --- the floors --------------------------------------------------------------------------


def floor_csv(result: ReportResult, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow([c.header for c in result.columns])
        out.writerows(result.rows)


def plain_rows(result: ReportResult) -> list[tuple[Any, ...]]:
    """Rows openpyxl accepts: aware date-times made naive (Stockholm wall time)."""

    def plain(value: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value

    return [tuple(plain(v) for v in row) for row in result.rows]


def floor_openpyxl(result: ReportResult, rows: list[tuple], path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Rapport")
    ws.append([c.header for c in result.columns])
    for row in rows:
        ws.append(row)
    wb.save(path)


def naive(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(STOCKHOLM).replace(tzinfo=None)
    return value


# --- the goals, one process per case ------------------------------------------------------


def child(case: str, rows: int, path: Path) -> dict[str, float]:
    """Run one goal case in this process; returns seconds and peak memory."""
    if case.startswith("xlsx-"):
        import_module("reports.writers.xlsx")
    else:
        import_module("reports.writers.pdf")
    before = peak_mib()
    started, cpu_started = time.perf_counter(), time.process_time()
    if case == "xlsx-floor":
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Rapport")
        ws.append([c.header for c in STREAM_COLUMNS])
        for row in stream_rows(rows):
            ws.append([naive(v) for v in row])
        wb.save(path)
    elif case in ("xlsx-stream", "xlsx-held"):
        from reports import base

        source: Any = stream_rows(rows)
        if case == "xlsx-held":
            source = list(source)
        elif hasattr(base, "RowSource"):
            source = base.RowSource(source)
        else:  # an older program: a generator is the nearest it has
            source = list(source)
        result = _result("obesvarade-arenden", "Obesvarade ärenden", STREAM_COLUMNS, [], None)
        result.rows = source
        result.notes = []
        write(result, "xlsx", path)
    elif case == "pdf-floor":
        floor_pdf(list_result(rows, 1177), path)
    elif case == "pdf-program":
        write(list_result(rows, 1177), "pdf", path)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = peak_mib()
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mib": peak,
        "start_mib": before,
        "mb": megabytes(path),
    }


def peak_mib() -> float:
    """This process's peak resident memory: VmHWM, which starts afresh at exec (ru_maxrss
    would carry the parent's peak over from the fork), else ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def floor_pdf(result: ReportResult, path: Path) -> None:
    """A bare fpdf2 cell() loop: the same font, page, margins and column widths, the values
    as str(), no header, fitting, shading or footer."""
    from fpdf import FPDF

    from reports.writers.pdf import BODY_SIZE, FAMILY, MARGIN, ROW_H, _add_fonts

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    _add_fonts(pdf)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=14)
    pdf.add_page()
    pdf.set_font(FAMILY, "", BODY_SIZE)
    width = pdf.epw / len(result.columns)
    for row in result.rows:
        for value in row:
            pdf.cell(width, ROW_H, "" if value is None else str(value))
        pdf.ln(ROW_H)
    pdf.output(str(path))


def run_child(case: str, rows: int, workdir: Path, source: Path | None) -> dict[str, float]:
    program = case not in ("xlsx-floor", "pdf-floor")
    env = dict(os.environ)
    if program and source is not None:
        env["WRITERS_SOURCE"] = str(source.resolve())
    path = workdir / f"goal-{case}-{rows}.{case.split('-')[0]}"
    command = [sys.executable, __file__, "--child", case, str(rows), str(path)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{case} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def goals(
    xlsx_rows: int, pdf_rows: int, repeat: int, workdir: Path, source: Path | None
) -> dict[str, dict[str, float]]:
    """The issue's goals; the ratio is on CPU seconds (the machine may be shared: wall
    seconds are printed too). Returns each case's figures by case name."""
    measured: dict[str, dict[str, float]] = {}

    def best(case: str, rows: int) -> dict[str, float]:
        runs = [run_child(case, rows, workdir, source) for _ in range(max(1, repeat))]
        measured[case] = min(runs, key=lambda r: r["cpu"]) | {"rows": rows}
        return measured[case]

    def show(label: str, got: dict[str, float], floor: dict[str, float]) -> None:
        print(
            f"  {label:<32}{got['seconds']:>8.2f}{got['cpu']:>8.2f}{got['cpu'] / floor['cpu']:>9.2f}"
            f"{got['peak_mib']:>10.1f}{got['start_mib']:>10.1f}{got['mb']:>7.2f}"
        )

    head = f"  {'case':<32}{'wall s':>8}{'cpu s':>8}{'x floor':>9}{'peak MiB':>10}{'at start':>10}{'MB':>7}"
    print("\nGoals (each case a process of its own; peak = VmHWM, imports included)")
    if xlsx_rows:
        floor = best("xlsx-floor", xlsx_rows)
        columns = len(STREAM_COLUMNS)
        print(f"\nExcel, {xlsx_rows:,} rows x {columns} columns, rows made as they are read")
        print(head)
        show("floor: openpyxl write-only", floor, floor)
        show("program, streamed (RowSource)", best("xlsx-stream", xlsx_rows), floor)
        show("program, every row held first", best("xlsx-held", xlsx_rows), floor)
        print("  goal: streamed <= 1.10x the floor (cpu) and <= 64 MiB peak")
    if pdf_rows:
        floor = best("pdf-floor", pdf_rows)
        print(f"\nPDF, {pdf_rows:,} rows x 7 columns")
        print(head)
        show("floor: bare cell() loop, Lato", floor, floor)
        show("program", best("pdf-program", pdf_rows), floor)
        print("  goal: program <= 1.30x the floor (cpu)")
    return measured


# --- timing ------------------------------------------------------------------------------


def best_of(fn: Callable[[], None], runs: int) -> float:
    best = float("inf")
    for _ in range(max(1, runs)):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def megabytes(path: Path) -> float:
    return path.stat().st_size / 1_000_000


def _ratio(seconds: float, floor: float | None) -> str:
    return f"{seconds / floor:>10.1f}" if floor else f"{'-':>10}"


def line(
    label: str,
    rows: int,
    seconds: float,
    path: Path,
    csv_floor: float | None,
    xlsx_floor: float | None = None,
) -> None:
    print(
        f"  {label:<22}{seconds:>9.3f}{rows / max(seconds, 1e-9):>10,.0f}{megabytes(path):>8.2f}"
        f"{_ratio(seconds, csv_floor)} {_ratio(seconds, xlsx_floor)}"
    )


def bench(
    shape: str, count: int, formats: list[str], repeat: int, seed: int, workdir: Path
) -> None:
    result = SHAPES[shape](count, seed)
    print(f"\n{shape}: {count:,} rows x {len(result.columns)} columns")
    print(f"  {'writer':<22}{'seconds':>9}{'rows/s':>10}{'MB':>8}{'x csv':>10}{'x openpyxl':>11}")
    csv_floor_path = workdir / f"floor-{shape}-{count}.csv"
    csv_floor = best_of(lambda: floor_csv(result, csv_floor_path), repeat)
    line("floor: csv module", count, csv_floor, csv_floor_path, None)
    xlsx_floor = None
    if "xlsx" in formats:
        rows = plain_rows(result)
        xlsx_floor_path = workdir / f"floor-{shape}-{count}.xlsx"
        xlsx_floor = best_of(lambda: floor_openpyxl(result, rows, xlsx_floor_path), repeat)
        line("floor: openpyxl plain", count, xlsx_floor, xlsx_floor_path, csv_floor)
    notes = []
    for fmt in formats:
        path = workdir / f"{shape}-{count}.{fmt}"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            seconds = best_of(lambda f=fmt, p=path: write(result, f, p), repeat)
        line(fmt, count, seconds, path, csv_floor, xlsx_floor if fmt == "xlsx" else None)
        notes += [f"note: {fmt} warned: {w.message}" for w in caught]
    for note in dict.fromkeys(notes):
        print(f"  {note}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        case, rows, path = argv[1], int(argv[2]), Path(argv[3])
        print(json.dumps(child(case, rows, path)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--xlsx-rows",
        type=int,
        default=50000,
        metavar="N",
        help="rows of the Excel goal (default 50000; the issue's figure is 200000; 0 skips)",
    )
    parser.add_argument(
        "--pdf-rows", type=int, default=10000, metavar="N", help="rows of the PDF goal (0 skips)"
    )
    parser.add_argument("--source", type=Path, help="run the program cases from this copy")
    parser.add_argument(
        "--rows",
        type=int,
        nargs="*",
        default=[5000],
        metavar="N",
        help="result sizes to write (default: 5000; 0 or none: --rows with no sizes)",
    )
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument(
        "--shape",
        choices=[*SHAPES, "both"],
        default="list",
        help="list (Obesvarade ärenden, default), table (counts with a Totalt row) or both",
    )
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs (default 1)")
    parser.add_argument("--seed", type=int, default=1177)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the goals here")
    args = parser.parse_args(argv)
    shapes = list(SHAPES) if args.shape == "both" else [args.shape]
    for fmt in FORMATS:
        # The writers import fpdf2 and openpyxl on first use; import them now, so the
        # first timed run measures writing, not importing.
        import_module(f"reports.writers.{fmt}")
    print(
        f"Python {sys.version.split()[0]}; x csv = seconds / the csv-module floor, "
        "x openpyxl = seconds / openpyxl write-only without styles"
    )
    with tempfile.TemporaryDirectory(prefix="regionadmin-writers-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        measured = goals(args.xlsx_rows, args.pdf_rows, args.repeat, workdir, args.source)
        if args.json:
            args.json.write_text(json.dumps(measured, indent=1))
        for shape in shapes:
            for count in args.rows:
                bench(shape, count, args.formats, args.repeat, args.seed, workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
