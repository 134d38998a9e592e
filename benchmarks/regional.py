"""The year reports at regional scale, on SQLite or PostgreSQL: program vs floor vs goal.

    .venv/bin/python benchmarks/regional.py --db sqlite:////tmp/regional.sqlite
    .venv/bin/python benchmarks/regional.py --db postgresql://postgres@127.0.0.1/regional_bench

Fills the store with `regionadmin demo --units 1000 --cases 2000000` (logins: --logins,
default 200,000) unless it already holds that many cases (re-runs are cheap; an older
schema is upgraded by `regionadmin init`, which fills the summaries). Then, for each year
report over the last twelve whole months before --today, medians of --runs runs:

- program: `regionadmin report SLUG --from .. --to .. --format csv --output FILE`, a new
  process each time (start, checks, queries, CSV), as a user runs it (bytecode cached,
  after one warm-up run);
- run(): the report's run() in this process (its queries and the Python around them);
- raw floor: one hand-written query over the raw case rows computing the same figures,
  in the shape that is fastest on the backend (branches on SQLite, COUNT(*) FILTER in one
  scan on PostgreSQL): what any report reading raw rows would at least cost;
- goal: issue 11 (SQLite 0.5 s, PostgreSQL 0.3 s end to end).

Also the fixed cost of a CLI call (`regionadmin report inloggningar`, a tiny query) and
a period that is not whole months, 2025-12-15 – 2026-11-21 with the default --today (the
summaries, corrected by the raw rows of the days at its edges where a partial month,
counted whole or not at all, differs from the period). The CLI's floor is the start of the
same Python with nothing to do (`python -c pass`).
Figures only, no assertions; --json PATH also writes them as JSON (benchmarks/scale.py
reads it).
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models import db as dbmod  # noqa: E402
from models.operators import resolve_operator  # noqa: E402
from models.schema import CURRENT_VERSION, schema_version  # noqa: E402
from models.timeutil import period_epochs  # noqa: E402
from reports import registry  # noqa: E402
from reports.base import ReportParams  # noqa: E402

PROGRAM = [str(ROOT / ".venv" / "bin" / "regionadmin")]
YEAR_REPORTS = (
    "arenden-per-mottagning",
    "arenden-per-arendetyp",
    "arendestatus",
    "handlaggningstider",
    "arendetyper-per-mottagning",
)
GOAL = {"sqlite": 0.5, "postgres": 0.3}


def _in(column: str) -> str:
    return f"({column} >= %(s)s AND {column} < %(e)s)"


def _scope(pg: bool) -> str:
    if pg:
        return "region_id = '01'"
    return "unit_id + 0 IN (SELECT id FROM unit WHERE region_id = '01')"


def _counts(pg: bool, key: str, conditions: list[str], extra: str = "") -> str:
    """Per key, one count per condition: one scan with FILTER on PostgreSQL, one index
    range scan per condition added up on SQLite."""
    scope = _scope(pg)
    if pg:
        counts = ", ".join(f"COUNT(*) FILTER (WHERE {c})" for c in conditions)
        either = " OR ".join(f"({c})" for c in conditions)
        return f'SELECT {key}, {counts} FROM "case" WHERE {scope} AND ({either}) GROUP BY {key}'
    parts = []
    for index, condition in enumerate(conditions):
        values = ", ".join(
            f"{'COUNT(*)' if i == index else '0'} AS n{i}" for i in range(len(conditions))
        )
        parts.append(
            f'SELECT {key}, {values} FROM "case" WHERE {condition} AND {scope} GROUP BY {key}'
        )
    sums = ", ".join(f"SUM(n{i})" for i in range(len(conditions)))
    return f"SELECT {key}, {sums} FROM ({' UNION ALL '.join(parts)}) GROUP BY {key}"


def _not_in(column: str) -> str:
    return f"NOT COALESCE({_in(column)}, false)"


def floors(pg: bool) -> dict[str, str]:
    any_in = " OR ".join(
        _in(c) for c in ("received_at", "assigned_at", "started_at", "answered_at", "closed_at")
    )

    def mean(condition: str, value: str) -> str:
        return f"AVG(CASE WHEN {condition} THEN {value} END) / 3600.0"

    late = (
        "CASE WHEN received_at <= %(a)s - 864000 AND (closed_at IS NULL OR closed_at > "
        "received_at + 864000) THEN 1 ELSE 0 END"
    )
    handl = (
        f"SELECT case_type_id, SUM(CASE WHEN {_in('received_at')} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {_in('closed_at')} THEN 1 ELSE 0 END), SUM({late}), "
        f"{mean(_in('assigned_at'), 'assigned_at - received_at')}, "
        f"{mean(_in('started_at') + ' AND assigned_at IS NOT NULL', 'started_at - assigned_at')}, "
        f"{mean(_in('closed_at') + ' AND started_at IS NOT NULL', 'closed_at - started_at')}, "
        f"{mean(_in('closed_at'), 'closed_at - received_at')} "
        f'FROM "case" WHERE {_scope(pg)} AND ({any_in}) GROUP BY case_type_id'
    )
    return {
        "arenden-per-mottagning": _counts(
            pg, "unit_id", [_in("received_at"), _in("assigned_at"), _in("closed_at")]
        ),
        "arenden-per-arendetyp": _counts(
            pg, "case_type_id", [_in("received_at"), _in("closed_at")]
        ),
        "arendestatus": _counts(
            pg,
            "case_type_id",
            [
                f"{_in('received_at')} AND {_not_in('assigned_at')} AND {_not_in('closed_at')}",
                f"{_in('assigned_at')} AND {_not_in('closed_at')}",
                _in("closed_at"),
            ],
        ),
        "handlaggningstider": handl,
        "arendetyper-per-mottagning": (
            "SELECT u.id, COUNT(x.id) FROM unit u LEFT JOIN unit_case_type x ON x.unit_id = u.id "
            "WHERE u.region_id = '01' GROUP BY u.id"
        ),
    }


def median_of(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# As an installed program runs: with a bytecode cache (this VM sets
# PYTHONDONTWRITEBYTECODE, and every start would compile the modules again).
CLI_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
WORK = Path(tempfile.mkdtemp(prefix="regional-"))  # the bytecode and the report files
atexit.register(shutil.rmtree, WORK, True)
CLI_ENV["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache")


def _cli(url: str, *argv: str) -> None:
    subprocess.run([*PROGRAM, "--db", url, *argv], check=True, capture_output=True, env=CLI_ENV)


def _cases(url: str) -> int:
    dbmod.open_database(url)
    try:
        if schema_version() == 0:
            return 0
        cursor = dbmod.database.execute_sql('SELECT COUNT(*) FROM "case"')
        return int(cursor.fetchone()[0])
    finally:
        dbmod.database.close()


def fill(url: str, args: argparse.Namespace) -> None:
    have = _cases(url)
    if have >= args.cases:
        print(f"reusing the store: {have:,} cases")
    else:
        if have:
            sys.exit(f"the store holds {have:,} cases, fewer than {args.cases:,}: use an empty one")
        print(f"filling: demo --units {args.units} --cases {args.cases} --logins {args.logins}")
        started = time.perf_counter()
        _cli(
            url,
            "demo",
            "--units",
            str(args.units),
            "--cases",
            str(args.cases),
            "--logins",
            str(args.logins),
            "--today",
            args.today.isoformat(),
        )
        print(f"  demo took {time.perf_counter() - started:.0f} s")
    dbmod.open_database(url)
    if schema_version() < CURRENT_VERSION:
        dbmod.database.close()
        started = time.perf_counter()
        _cli(url, "init")
        print(f"init (schema upgrade, summaries filled) took {time.perf_counter() - started:.1f} s")
        dbmod.open_database(url)


def measure(url: str, window: tuple[date, date], runs: int, label: str) -> dict[str, object]:
    """Prints one table; returns its figures (seconds) per report slug, and the CLI's."""
    pg = dbmod.is_postgres()
    backend = "postgres" if pg else "sqlite"
    op = resolve_operator()
    start, end = period_epochs(*window)
    values = {"s": start, "e": end, "a": end}
    cursor_sql = floors(pg)
    out = WORK / "report.csv"
    print(f"\n{label}: {window[0]} – {window[1]} ({backend}, medians of {runs})")
    print(f"{'report':<28}{'program s':>10}{'run() s':>9}{'raw floor s':>12}{'goal s':>8}")
    figures: dict[str, object] = {"from": window[0].isoformat(), "to": window[1].isoformat()}
    reports: dict[str, dict[str, float]] = {}
    for slug in YEAR_REPORTS:
        module = registry.get(slug)
        params = (
            ReportParams(date_from=window[0], date_to=window[1])
            if "period" in module.PARAMETERS
            else ReportParams()
        )
        argv = ["report", slug, "--format", "csv", "--output", str(out)]
        if "period" in module.PARAMETERS:
            argv += ["--from", window[0].isoformat(), "--to", window[1].isoformat()]
        _cli(url, *argv)  # warm: the bytecode cache, the OS's file cache
        program = median_of(lambda a=argv: _cli(url, *a), runs)
        in_process = median_of(lambda m=module, p=params: m.run(op, p), runs)
        sql = cursor_sql[slug]
        if not pg:
            sql = sql.replace("%(s)s", ":s").replace("%(e)s", ":e").replace("%(a)s", ":a")
        floor = median_of(lambda q=sql: dbmod.database.execute_sql(q, values).fetchall(), runs)
        print(f"{slug:<28}{program:>10.3f}{in_process:>9.3f}{floor:>12.3f}{GOAL[backend]:>8.1f}")
        reports[slug] = {"program": program, "run": in_process, "floor": floor}
    tiny = median_of(
        lambda: _cli(url, "report", "inloggningar", "--format", "csv", "--output", str(out)), runs
    )
    python = median_of(
        lambda: subprocess.run([sys.executable, "-c", "pass"], check=True, env=CLI_ENV), runs
    )
    print(
        f"{'(CLI fixed cost: inloggningar)':<28}{tiny:>10.3f}{'':>9}{python:>12.3f}  python -c pass"
    )
    figures.update(reports=reports, cli_fixed_cost=tiny, python_start=python, backend=backend)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="sqlite:///PATH or postgresql://..")
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--cases", type=int, default=2_000_000)
    parser.add_argument("--logins", type=int, default=200_000)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 12, 1))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    args = parser.parse_args(argv)
    os.environ.pop("REGIONADMIN_DB", None)
    fill(args.db, args)
    last = args.today.replace(day=1) - timedelta(days=1)
    first = last.replace(year=last.year - 1) + timedelta(days=1)
    whole = measure(args.db, (first, last), args.runs, "one year, whole months")
    partial = measure(
        args.db,
        (first + timedelta(days=14), last - timedelta(days=9)),
        args.runs,
        "one year less 14 + 9 days (partial months at both edges)",
    )
    if args.json:
        goal = GOAL["postgres" if args.db.startswith("postgres") else "sqlite"]
        figures = {"whole": whole, "partial": partial, "goal": goal}
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
