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
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import date, datetime, timedelta
from importlib import import_module
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows",
        type=int,
        nargs="+",
        default=[5000, 50000],
        metavar="N",
        help="result sizes to write (default: 5000 50000)",
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
        for shape in shapes:
            for count in args.rows:
                bench(shape, count, args.formats, args.repeat, args.seed, workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
