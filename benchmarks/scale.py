"""Issue 11's table, re-measured in one run for one backend: program vs floor vs goal.

    .venv/bin/python benchmarks/scale.py --scale small --db sqlite:////tmp/scale-small.sqlite --fresh
    .venv/bin/python benchmarks/scale.py --scale regional --fresh \\
        --db sqlite:////tmp/scale-regional.sqlite --markdown /tmp/scale-sqlite.md
    .venv/bin/python benchmarks/scale.py --scale regional --fresh \\
        --db postgresql://postgres@127.0.0.1:5432/scale_bench --markdown /tmp/scale-pg.md

The backend is the one of --db. In order, each step a process of its own:

1. demo: `regionadmin demo` of the scale's size into an empty store (wall seconds). With
   --fresh the store is made anew first (SQLite: the file removed; PostgreSQL: the
   database of --db dropped and created). Without --fresh a store that already holds the
   scale's cases and logins is reused (the row says so); an empty one is filled; anything
   else is refused. PostgreSQL, right after a demo of this run: whether every table of
   10,000+ rows has statistics, and each heavy year report's first run (the issue's 30 s
   timeouts).
2. benchmarks/regional.py on that store: the four heavy year reports over a year of whole
   months and over one with partial months at both edges (program end to end vs the raw
   floor), and the fixed cost of one CLI call (vs `python -c pass`).
3. benchmarks/import_export.py with the scale's rows (a fresh small store of its own;
   PostgreSQL: a throwaway schema in the database of --db, after its SQLite part):
   import cases and logins vs the floors it measures (SQLite parse+executemany,
   PostgreSQL COPY).
4. SQLite only, backend-independent: benchmarks/writers.py (Excel streamed vs openpyxl
   write-only, on CPU seconds, and its peak; PDF vs a bare cell() loop) and
   benchmarks/tui_units.py (first paint at 80x24 vs a bare Textual app; a key in the
   unit search, wait included, vs the query alone).

Then one table, row | program | floor | ratio | goal | met, with the load average at the
start and the end; --markdown PATH writes the same as Markdown. ratio = program / floor
(for rows per second: floor's rate / program's rate, so above 1 is slower either way).
Figures only; nothing asserted. Exit 1 if a step failed (its rows say "failed").
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
PROGRAM = str(Path(PYTHON).with_name("regionadmin"))


@dataclass(frozen=True)
class Scale:
    units: int  # the demo's units
    cases: int  # the demo's cases
    logins: int  # the demo's logins
    imports: int  # rows of each import file (cases, logins)
    xlsx_rows: int
    pdf_rows: int
    tui_units: int
    runs: int  # medians of (reports, CLI, TUI sessions)


# fmt: off
SCALES: dict[str, Scale] = {
    #                   units  cases      logins      imports  Excel    PDF     TUI units  runs
    "regional": Scale(  1000,  2_000_000, 20_000_000, 100_000, 200_000, 10_000, 10_000,    3),
    "small":    Scale(   100,     20_000,    200_000,   1_000,   2_000,    100,    100,    1),
}
# fmt: on
TODAY = date(2026, 12, 1)  # the demo's last day; the year is the twelve months before it
HEAVY = {
    "arenden-per-mottagning": "per mottagning",
    "arenden-per-arendetyp": "per ärendetyp",
    "arendestatus": "ärendestatus",
    "handlaggningstider": "handläggningstider",
}
DEMO_GOAL = 180.0
CLI_GOAL = 0.2
CLI_ROW = "fixed cost of one CLI call (report inloggningar)"
IMPORT_GOALS = {  # (backend, kind) -> rows/s; None: the issue sets none
    ("sqlite", "cases"): 40_000,
    ("sqlite", "logins"): 120_000,
    ("postgres", "cases"): 100_000,
    ("postgres", "logins"): None,
}
IMPORT_FLOOR = {"sqlite": "parse+executemany", "postgres": "COPY"}
NEVER_DROP = {"postgres", "template0", "template1", "test"}
SHARED = "(any backend)"
# As an installed program runs: with a bytecode cache (this VM sets PYTHONDONTWRITEBYTECODE).
ENV = {
    k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "REGIONADMIN_DB")
}


# --- the table -----------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    program: str
    floor: str = "–"
    ratio: str = "–"
    goal: str = "–"
    met: str = "–"


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def seconds(self, name: str, program: float, floor: float | None, goal: float | None) -> None:
        self.rows.append(
            Row(
                name,
                _s(program),
                _s(floor) if floor is not None else "–",
                f"{program / floor:.2f}x" if floor else "–",
                f"≤ {_s(goal)}" if goal is not None else "–",
                _met(program <= goal) if goal is not None else "–",
            )
        )

    def rate(self, name: str, rows: int, program: float, floor: float, goal: int | None) -> None:
        rate = rows / program
        self.rows.append(
            Row(
                name,
                f"{rate:,.0f} rows/s ({_s(program)})",
                f"{rows / floor:,.0f} rows/s ({_s(floor)})" if floor else "–",
                f"{program / floor:.2f}x" if floor else "–",
                f"≥ {goal:,} rows/s" if goal else "–",
                _met(rate >= goal) if goal else "–",
            )
        )

    def fail(self, step: str, names: list[str]) -> None:
        self.failed.append(step)
        self.rows += [Row(name, "failed", met="no") for name in names]

    def text(self) -> str:
        head = ("row", "program", "floor", "ratio", "goal", "met")
        cells = [head, *((r.name, r.program, r.floor, r.ratio, r.goal, r.met) for r in self.rows)]
        widths = [max(len(c[i]) for c in cells) for i in range(len(head))]
        lines = ["  ".join(v.ljust(w) for v, w in zip(c, widths, strict=True)) for c in cells]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)

    def markdown(self) -> str:
        lines = ["| row | program | floor | ratio | goal | met |", "|---|---:|---:|---:|---|---|"]
        for r in self.rows:
            lines.append(f"| {r.name} | {r.program} | {r.floor} | {r.ratio} | {r.goal} | {r.met} |")
        return "\n".join(lines)


def _s(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s" if seconds < 60 else f"{seconds:.0f} s"


def _met(ok: bool) -> str:
    return "yes" if ok else "no"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --- running the scripts -----------------------------------------------------------------


def shown(command: list[str]) -> str:
    return shlex.join(c.replace(str(ROOT) + "/", "") for c in command)


def run(command: list[str], dry: bool) -> tuple[int, str]:
    """Run `command`, passing its output through as it comes; (exit code, output)."""
    print(f"\n$ {shown(command)}    # load {load()}", flush=True)
    if dry:
        return 0, ""
    proc = subprocess.Popen(
        command, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        print(f"  {line}", end="", flush=True)
        lines.append(line)
    return proc.wait(), "".join(lines)


def read_json(path: Path) -> dict:
    return json.loads(path.read_text())


# --- the store -----------------------------------------------------------------------------


def backend_of(url: str) -> str:
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        return "sqlite"
    if scheme in ("postgresql", "postgres"):
        return "postgres"
    raise SystemExit(f"--db: sqlite:///PATH or postgresql://..., not {url}")


def sqlite_path(url: str) -> Path:
    return Path(url[len("sqlite:///") :])


def pg_admin(url: str) -> tuple[str, str]:
    """(the maintenance database's URL on the same server, the name of --db's database)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit(
            "--db: name the database, e.g. postgresql://postgres@127.0.0.1/scale_bench"
        )
    return urlunsplit(parts._replace(path="/postgres", query="")), name


def make_fresh(url: str, backend: str) -> None:
    if backend == "sqlite":
        path = sqlite_path(url)
        for extra in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
        return
    import psycopg

    admin, name = pg_admin(url)
    if name in NEVER_DROP:
        raise SystemExit(f"--fresh would drop the database {name!r}: name one of your own")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def ensure_pg_database(url: str) -> None:
    import psycopg

    admin, name = pg_admin(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def store_counts(url: str, backend: str) -> dict[str, int]:
    """Rows of unit, case and login; {} when the store has no tables yet."""
    tables = ("unit", "case", "login")
    if backend == "sqlite":
        path = sqlite_path(url)
        if not path.exists():
            return {}
        conn = sqlite3.connect(path)
        try:
            have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not set(tables) <= have:
                return {}
            return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(url) as conn:
        found = conn.execute(
            "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s)",
            (list(tables),),
        ).fetchone()[0]
        if found < len(tables):
            return {}
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


# --- the steps -----------------------------------------------------------------------------


@dataclass
class Context:
    url: str
    backend: str
    scale: Scale
    scale_name: str
    today: date
    work: Path
    dry: bool
    table: Table

    def year(self) -> tuple[date, date]:
        last = self.today.replace(day=1) - timedelta(days=1)
        return last.replace(year=last.year - 1) + timedelta(days=1), last


def step_demo(ctx: Context, fresh: bool) -> None:
    """The demo into an empty store, or the store reused; on PostgreSQL, after a demo, the
    state right after the load."""
    sc = ctx.scale
    name = f"demo {sc.cases:,} cases + {sc.logins:,} logins ({sc.units:,} units)"
    if ctx.dry:
        print(f"\n(demo into {'a fresh' if fresh else 'the'} store {ctx.url})")
    elif fresh:
        make_fresh(ctx.url, ctx.backend)
    elif ctx.backend == "postgres":
        ensure_pg_database(ctx.url)
    counts = {} if ctx.dry else store_counts(ctx.url, ctx.backend)
    if counts.get("case", 0) >= sc.cases and counts.get("login", 0) >= sc.logins:
        print(f"\nreusing the store: {counts['case']:,} cases, {counts['login']:,} logins")
        ctx.table.rows.append(Row(name, "reused", goal=f"≤ {_s(DEMO_GOAL)}"))
        if ctx.backend == "postgres":
            ctx.table.rows.append(Row(AFTER_LOAD, "store reused: not measured"))
        return
    if any(counts.values()):
        raise SystemExit(
            f"{ctx.url} holds {counts}, not the scale's {sc.cases:,} cases and {sc.logins:,} "
            "logins: give --fresh (the demo needs an empty store)"
        )
    command = [PROGRAM, "--db", ctx.url, "demo", "--units", str(sc.units), "--cases"]
    command += [str(sc.cases), "--logins", str(sc.logins), "--today", ctx.today.isoformat()]
    started = time.perf_counter()
    code, _ = run(command, ctx.dry)
    seconds = time.perf_counter() - started
    if code:
        ctx.table.fail("demo", [name])
    elif not ctx.dry:
        ctx.table.seconds(name, seconds, None, DEMO_GOAL)
    if ctx.backend == "postgres" and not code:
        step_after_load(ctx)


AFTER_LOAD = "right after the bulk load: statistics, year reports' first run"
BULK = 10_000


def tables_without_statistics(url: str) -> list[str]:
    """The store's bulk-loaded tables (BULK rows or more) never analyzed (reltuples -1): a
    few small tables without statistics plan well enough, a loaded one did not."""
    import psycopg

    with psycopg.connect(url) as conn:
        never = conn.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples < 0 "
            "AND relnamespace = current_schema()::regnamespace ORDER BY relname"
        ).fetchall()
        count = 'SELECT COUNT(*) FROM (SELECT 1 FROM "{}" LIMIT %s) AS x'
        return [t for (t,) in never if conn.execute(count.format(t), (BULK,)).fetchone()[0] >= BULK]


def first_run(ctx: Context, slug: str) -> tuple[float, str]:
    """(seconds, '' or why it failed) of one report's first run."""
    first, last = ctx.year()
    command = [PROGRAM, "--db", ctx.url, "report", slug, "--format", "csv", "--output"]
    command.append(str(ctx.work / "first.csv"))
    if slug in HEAVY:
        command += ["--from", first.isoformat(), "--to", last.isoformat()]
    if slug in ("handlaggningstider", "obesvarade-arenden"):
        command += ["--as-of", last.isoformat()]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300
        )
        why = done.stderr.strip()[-300:] if done.returncode else ""
    except subprocess.TimeoutExpired:
        why = "no answer in 300 s"
    seconds = time.perf_counter() - started
    print(f"  first run {slug}: {seconds:.2f} s{f'  FAILED: {why}' if why else ''}", flush=True)
    return seconds, why


def step_after_load(ctx: Context) -> None:
    """PostgreSQL right after the load: every loaded table has statistics, and each heavy
    report's first run (the issue: three timed out at 30 s without ANALYZE)."""
    if ctx.dry:
        print("\n(tables without statistics; the first run of each heavy year report)")
        return
    missing = tables_without_statistics(ctx.url)
    print(
        f"\nright after the load, tables of {BULK:,}+ rows without statistics: {missing or 'none'}"
    )
    runs = [first_run(ctx, slug) for slug in [*HEAVY, "obesvarade-arenden"]]
    failed = [why for _, why in runs if why]
    program = f"no statistics: {', '.join(missing)}" if missing else "statistics on each table"
    program += f"; slowest first run {_s(max(s for s, _ in runs))}"
    if failed:
        program += f"; {len(failed)} failed"
    ctx.table.rows.append(
        Row(
            AFTER_LOAD, program, goal="statistics, no timeout", met=_met(not missing and not failed)
        )
    )


def step_reports(ctx: Context) -> None:
    sc = ctx.scale
    out = ctx.work / "regional.json"
    command = [PYTHON, str(HERE / "regional.py"), "--db", ctx.url, "--units", str(sc.units)]
    command += ["--cases", str(sc.cases), "--logins", str(sc.logins)]
    command += ["--today", ctx.today.isoformat(), "--runs", str(sc.runs), "--json", str(out)]
    code, _ = run(command, ctx.dry)
    labels = {"whole": "whole months", "partial": "partial months"}
    if ctx.dry:
        return
    if code or not out.exists():
        names = [f"year, {w}: {n}" for w in labels.values() for n in HEAVY.values()]
        ctx.table.fail("regional.py", [*names, CLI_ROW])
        return
    figures = read_json(out)
    goal = figures["goal"]  # regional.py's GOAL for this backend
    for window, label in labels.items():
        part = figures[window]
        for slug, short in HEAVY.items():
            got = part["reports"][slug]
            name = f"year, {label}: {short}"
            ctx.table.seconds(name, got["program"], got["floor"], goal)
            ctx.table.rows[-1].program += f" (run() {_s(got['run'])})"
    whole, partial = figures["whole"], figures["partial"]
    ctx.table.notes.append(
        f"Year reports: program = `regionadmin report SLUG --format csv` end to end (beside "
        f"it the report's run() in process), raw floor "
        f"= one hand-written query over the raw case rows (benchmarks/regional.py); whole "
        f"months {whole['from']} – {whole['to']}, partial months {partial['from']} – "
        f"{partial['to']}. CLI fixed cost: `report inloggningar` vs `python -c pass`."
    )
    ctx.table.seconds(
        CLI_ROW,
        whole["cli_fixed_cost"],
        whole["python_start"],
        CLI_GOAL,
    )


IMPORT_LINE = re.compile(
    r"^\s{2}(?P<label>\S.*?)\s+(?P<rows>\d[\d,]*)\s+(?P<seconds>\d+\.\d+)\s+[\d,]+(?:\s.*)?$"
)


def parse_imports(output: str, backend: str) -> dict[str, tuple[int, float]]:
    """import_export.py's printed table of one backend: label -> (rows, seconds)."""
    title = "PostgreSQL " if backend == "postgres" else "SQLite "
    found: dict[str, tuple[int, float]] = {}
    inside = False
    for line in output.splitlines():
        if line and not line.startswith(" "):
            inside = line.startswith(title)
            continue
        match = IMPORT_LINE.match(line) if inside else None
        if match:
            found[match["label"]] = (int(match["rows"].replace(",", "")), float(match["seconds"]))
    return found


def step_imports(ctx: Context) -> None:
    rows = ctx.scale.imports
    command = [PYTHON, str(HERE / "import_export.py"), "--cases", str(rows), "--logins", str(rows)]
    command += ["--no-pg"] if ctx.backend == "sqlite" else ["--pg", ctx.url, "--no-sqlite"]
    code, output = run(command, ctx.dry)
    if ctx.dry:
        return
    found = parse_imports(output, ctx.backend)
    floor_name = IMPORT_FLOOR[ctx.backend]
    labels = [("import cases", "cases"), ("import logins", "logins")]
    if ctx.backend == "postgres":
        labels.append(("import cases (owner role)", "cases"))
    for label, kind in labels:
        name = f"{label}, {rows:,} rows"
        got, floor = found.get(label), found.get(f"floor {kind}: {floor_name}")
        if code or got is None or floor is None:
            ctx.table.fail("import_export.py", [name])
            continue
        ctx.table.rate(name, got[0], got[1], floor[1], IMPORT_GOALS[(ctx.backend, kind)])
    ctx.table.notes.append(
        f"Imports: into a fresh small store (benchmarks/import_export.py); floor "
        f"{floor_name} of the same file"
        + (
            " (csv.reader, fromisoformat, look-ups, executemany)."
            if ctx.backend == "sqlite"
            else " (COPY FROM STDIN of the converted rows); owner role: a login role of the "
            "system-owner group, as in production (row-level security)."
        )
    )


def step_writers(ctx: Context) -> None:
    sc = ctx.scale
    out = ctx.work / "writers.json"
    command = [PYTHON, str(HERE / "writers.py"), "--xlsx-rows", str(sc.xlsx_rows)]
    command += ["--pdf-rows", str(sc.pdf_rows), "--rows", "--json", str(out)]
    code, _ = run(command, ctx.dry)
    xlsx = f"Excel {sc.xlsx_rows:,} × 8, CPU {SHARED}"
    peak = f"Excel {sc.xlsx_rows:,} × 8, peak memory {SHARED}"
    pdf = f"PDF {sc.pdf_rows:,} rows, CPU {SHARED}"
    if ctx.dry:
        return
    if code or not out.exists():
        ctx.table.fail("writers.py", [xlsx, peak, pdf])
        return
    got = read_json(out)
    ratio_row(ctx.table, xlsx, got["xlsx-stream"]["cpu"], got["xlsx-floor"]["cpu"], 1.1)
    program, floor = got["xlsx-stream"]["peak_mib"], got["xlsx-floor"]["peak_mib"]
    ctx.table.rows.append(
        Row(peak, f"{program:.0f} MiB", f"{floor:.0f} MiB", f"{program / floor:.2f}x",
            "≤ 64 MiB", _met(program <= 64))
    )  # fmt: skip
    ratio_row(ctx.table, pdf, got["pdf-program"]["cpu"], got["pdf-floor"]["cpu"], 1.3)
    ctx.table.notes.append(
        "Excel: the rows streamed to the writer vs openpyxl write-only appending the same rows; "
        "peak = VmHWM of each case's process, imports included. PDF: vs a bare fpdf2 cell() "
        "loop with the same font (benchmarks/writers.py). CPU seconds of each process."
    )


def ratio_row(table: Table, name: str, program: float, floor: float, goal: float) -> None:
    table.rows.append(
        Row(name, f"{program:.2f} s", f"{floor:.2f} s", f"{program / floor:.2f}x",
            f"≤ {goal}x", _met(program <= goal * floor))
    )  # fmt: skip


def step_tui(ctx: Context) -> None:
    sc = ctx.scale
    out = ctx.work / "tui.json"
    command = [PYTHON, str(HERE / "tui_units.py"), "--units", str(sc.tui_units)]
    command += ["--runs", str(sc.runs), "--json", str(out)]
    code, _ = run(command, ctx.dry)
    paint = f"TUI first paint 80x24, {sc.tui_units:,} units {SHARED}"
    key = f"unit search, a key to the list settled {SHARED}"
    if ctx.dry:
        return
    if code or not out.exists():
        ctx.table.fail("tui_units.py", [paint, key])
        return
    got = read_json(out)
    ctx.table.seconds(paint, got["paint"], got["paint_floor"], 0.7)
    ctx.table.seconds(key, got["key_median"], got["key_floor"], 0.150)
    ctx.table.rows[-1].program += f" (largest {_s(got['key_largest'])})"
    ctx.table.notes.append(
        "TUI (benchmarks/tui_units.py, in a pty): first paint vs a bare Textual app with a "
        "20-row DataTable; unit search in Visa mottagningsinformation: median over every key "
        "typed (its wait included) vs search_units alone."
    )


# --- main ----------------------------------------------------------------------------------

STEPS = ("demo", "reports", "imports", "writers", "tui")
SQLITE_ONLY = ("writers", "tui")  # backend-independent: measured once, in the SQLite run


def report(ctx: Context, started: str, wall: float) -> str:
    """The summary as Markdown (the console gets the same table as text)."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    sc = ctx.scale
    return "\n".join(
        [
            f"## scale.py --scale {ctx.scale_name}, {ctx.backend} ({now})",
            "",
            f"Store `{ctx.url}`; demo {sc.units:,} units, {sc.cases:,} cases, {sc.logins:,} "
            f"logins, --today {ctx.today}; imports {sc.imports:,} rows; medians of {sc.runs}. "
            f"{os.cpu_count()} cores. Load average (1, 5, 15 min) at start {started}, at end "
            f"{load()}; the run took {_s(wall)}.",
            "",
            ctx.table.markdown(),
            "",
            "ratio = program / floor (for rows per second the floor's rate / the program's, so "
            "above 1 is slower either way). Wall seconds, except Excel and PDF: CPU seconds of "
            'each case\'s process. "(any backend)": backend-independent, measured in the SQLite '
            "run only.",
            *(f"- {note}" for note in ctx.table.notes),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, required=True)
    parser.add_argument("--db", required=True, help="sqlite:///PATH or postgresql://.../NAME")
    parser.add_argument("--fresh", action="store_true", help="make the store anew first")
    parser.add_argument("--markdown", type=Path, metavar="PATH", help="write the table here")
    parser.add_argument("--today", type=date.fromisoformat, default=TODAY)
    parser.add_argument("--skip", nargs="+", choices=STEPS, default=[], metavar="STEP")
    parser.add_argument("--dry-run", action="store_true", help="print the commands only")
    args = parser.parse_args(argv)
    backend = backend_of(args.db)
    started, clock = load(), time.perf_counter()
    print(f"scale {args.scale} on {backend}: {SCALES[args.scale]}; load {started}")
    with tempfile.TemporaryDirectory(prefix="scale-") as tmp:
        ENV["PYTHONPYCACHEPREFIX"] = f"{tmp}/pycache"
        ctx = Context(
            args.db, backend, SCALES[args.scale], args.scale, args.today, Path(tmp),
            args.dry_run, Table(),
        )  # fmt: skip
        steps: dict[str, Callable[[Context], None]] = {
            "demo": lambda c: step_demo(c, args.fresh),
            "reports": step_reports,
            "imports": step_imports,
            "writers": step_writers,
            "tui": step_tui,
        }
        for name, step in steps.items():
            if name not in args.skip and (backend == "sqlite" or name not in SQLITE_ONLY):
                step(ctx)
        summary = report(ctx, started, time.perf_counter() - clock)
    title, _, rest = summary.partition("\n\n")
    print(f"\n{'=' * 78}\n{title[3:]}\n{rest.split(chr(10), 1)[0]}\n")
    print(ctx.table.text())
    print("\n" + summary.rsplit("\n\n", 1)[1])
    if ctx.table.failed:
        print(f"failed: {', '.join(ctx.table.failed)}")
    if args.markdown and not args.dry_run:
        args.markdown.write_text(summary + "\n")
        print(f"written: {args.markdown}")
    return 1 if ctx.table.failed else 0


if __name__ == "__main__":
    sys.exit(main())
