"""Time interchange imports and exports (cases, logins) against raw-driver floors.

    .venv/bin/python benchmarks/import_export.py [--cases 50000] [--logins 50000]
                                                 [--pg URL | --no-pg] [--no-sqlite]
                                                 [--seed 1177]

For each backend: a fresh store gets the demo directory (60 units, staff, case types;
no cases, no logins), a cases file of N rows and a logins file of M rows are written in a
temp dir (ISO 8601 times with the Stockholm offset, 70 % of the cases with an assignee,
as an export writes them), then

- import: models.transfer.import_file() on each file (one transaction, validation,
  upsert batches; logins also keep the daily roll-up), and the cases file once more
  (every row an update of a case stored exactly so: the import leaves such rows alone),
  then a file of the same case ids with other values (every row changes: the upsert and
  the summaries' upkeep);
- export: models.transfer.export_file() of both kinds;

and the floors, which do the same writes and reads with the bare driver:

- "executemany": the rows, already converted to the table's values before the clock
  starts, inserted with one executemany in one transaction into the same table shape
  (SQLite: a copy of the store taken before the import, same pragmas; PostgreSQL: the
  same table, emptied with TRUNCATE afterwards); on PostgreSQL also COPY ... FROM STDIN;
- "executemany upsert" (cases): the same with the INSERT ... ON CONFLICT (id) DO UPDATE
  the import runs (cases have a natural key, so a re-import updates): the cost of the
  statement itself, apart from the Python around it;
- "parse+executemany" (SQLite): csv.reader + datetime.fromisoformat + the look-ups +
  executemany: the least work an import of this file can do;
- export "SELECT+csv": one SELECT with the joins the file needs, csv.writer of the raw
  values (epoch integers, not ISO texts).

PostgreSQL runs when REGIONADMIN_BENCH_PG (default postgresql://postgres@127.0.0.1:5432/test)
answers, in a throwaway schema (search_path via options=-csearch_path%3D...) that is
dropped at the end. The PostgreSQL imports run as the superuser and then again as a login
role of the system-owner group, as in production (row-level security: COPY through a
temporary staging table). Both load the empty case and login tables in bulk (the
keeper's ra_bulk_begin_<table>/ra_bulk_finish_<table>, models/pgsecurity.py: no foreign
keys or secondary indexes during the load, built and validated once after it); the COPY
floors write into the tables as created. Prints seconds, rows/s and ratio = app seconds /
floor seconds; figures only, no assertions.

    .venv/bin/python benchmarks/import_export.py --demo 1000 2000000 20000000 \
        --demo-pg-logins 2000000

times `regionadmin demo` at that size on a fresh store of each backend instead
(`--no-sqlite`: PostgreSQL only).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models import db as dbmod  # noqa: E402
from models.demo import generate_demo  # noqa: E402
from models.entities import CaseType, HsaPerson, Region, StaffAccount, Unit  # noqa: E402
from models.schema import init_schema  # noqa: E402
from models.timeutil import day_start_epoch, iso_local  # noqa: E402
from models.transfer import COLUMNS, export_file, import_file  # noqa: E402

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
TODAY = date(2026, 9, 30)  # the demo's "today": the same directory on every run
HOUR = 3600
CASE_COLUMNS = (
    "id",
    "unit_id",
    "case_type_id",
    "received_at",
    "assigned_at",
    "started_at",
    "answered_at",
    "closed_at",
    "assignee_id",
)
LOGIN_COLUMNS = ("at", "kind", "method", "success", "region_id")
EXPORT_SQL = {
    "cases": "SELECT c.id, u.hsa_id, t.name, c.received_at, c.assigned_at, c.started_at, "
    'c.answered_at, c.closed_at, p.personnummer FROM "case" c '
    'JOIN "unit" u ON u.id = c.unit_id JOIN "case_type" t ON t.id = c.case_type_id '
    'LEFT JOIN "staff_account" s ON s.id = c.assignee_id '
    'LEFT JOIN "hsa_person" p ON p.id = s.person_id ORDER BY c.id',
    "logins": 'SELECT "at", kind, method, success, region_id FROM "login" ORDER BY id',
}


# --- the files ---------------------------------------------------------------------------


@dataclass
class References:
    """What the files may name, and the ids the floors convert the names to."""

    units: dict[str, int]
    types: dict[str, int]
    staff: dict[str, int]
    regions: list[str]


def references() -> References:
    types: dict[str, int] = {}
    for ct_id, name in CaseType.select(CaseType.id, CaseType.name).order_by(CaseType.id).tuples():
        types.setdefault(name, ct_id)
    staff = dict(
        StaffAccount.select(HsaPerson.personnummer, StaffAccount.id).join(HsaPerson).tuples()
    )
    return References(
        units=dict(Unit.select(Unit.hsa_id, Unit.id).tuples()),
        types=types,
        staff=staff,
        regions=[r for (r,) in Region.select(Region.code).tuples()],
    )


def write_cases(path: Path, count: int, refs: References, seed: int) -> None:
    rng = random.Random(seed)
    units, types, staff = sorted(refs.units), sorted(refs.types), sorted(refs.staff)
    first, last = day_start_epoch(date(2025, 4, 1)), day_start_epoch(TODAY)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(COLUMNS["cases"])
        for case_id in range(1, count + 1):
            received = rng.randint(first, last)
            # assigned, started, answered, closed: each step follows the one before, and
            # a case stops (stays open) at a missing step.
            steps: list[int | None] = []
            at: int | None = received
            for _ in range(4):
                at = at + rng.randint(60, 30 * HOUR) if at and rng.random() < 0.92 else None
                steps.append(at)
            assignee = rng.choice(staff) if steps[0] is not None and rng.random() < 0.78 else ""
            out.writerow(
                (
                    case_id,
                    rng.choice(units),
                    rng.choice(types),
                    iso_local(received),
                    *(iso_local(s) for s in steps),
                    assignee,
                )
            )


def write_logins(path: Path, count: int, refs: References, seed: int) -> None:
    rng = random.Random(seed + 1)
    first, last = day_start_epoch(date(2025, 4, 1)), day_start_epoch(TODAY)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(COLUMNS["logins"])
        for at in sorted(rng.randint(first, last) for _ in range(count)):
            citizen = rng.random() < 0.85
            success = rng.random() < 0.94
            region = "" if not success and rng.random() < 0.5 else rng.choice(refs.regions)
            out.writerow(
                (
                    iso_local(at),
                    "citizen" if citizen else "staff",
                    "BankID" if citizen else "E-tjänstekort",
                    "true" if success else "false",
                    region,
                )
            )


def _epoch(text: str) -> int | None:
    return int(datetime.fromisoformat(text).timestamp()) if text else None


def case_rows(path: Path, refs: References) -> list[tuple]:
    """The cases file as the table's values: the least an import must compute."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        return [
            (
                int(cid),
                refs.units[hsa],
                refs.types[name],
                _epoch(rec),
                _epoch(asg),
                _epoch(sta),
                _epoch(ans),
                _epoch(clo),
                refs.staff[pnr] if pnr else None,
            )
            for cid, hsa, name, rec, asg, sta, ans, clo, pnr in reader
        ]


def login_rows(path: Path, refs: References) -> list[tuple]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        return [
            (_epoch(at), kind, method, success == "true", region or None)
            for at, kind, method, success, region in reader
        ]


PARSERS: dict[str, Callable[[Path, References], list[tuple]]] = {
    "cases": case_rows,
    "logins": login_rows,
}
TABLES = {"cases": ("case", CASE_COLUMNS), "logins": ("login", LOGIN_COLUMNS)}


def insert_sql(kind: str, param: str, upsert: bool = False) -> str:
    """A plain INSERT; with `upsert` the statement the cases import runs (keyed on id)."""
    table, columns = TABLES[kind]
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join([param] * len(columns))})'
    if upsert:
        sets = ", ".join(f'"{c}" = excluded."{c}"' for c in columns[1:])
        sql += f' ON CONFLICT ("{columns[0]}") DO UPDATE SET {sets}'
    return sql


# --- timing and printing -----------------------------------------------------------------


@dataclass
class Figures:
    """One backend's measurements: app steps and floors, printed as one table."""

    title: str
    lines: list[tuple[str, int, float, dict[str, float]]] = field(default_factory=list)

    def add(self, label: str, rows: int, seconds: float, **floors: float) -> None:
        self.lines.append((label, rows, seconds, floors))

    def show(self) -> None:
        print(f"\n{self.title}")
        print(f"  {'step':<34}{'rows':>8}{'seconds':>9}{'rows/s':>10}  ratio to floor")
        for label, rows, seconds, floors in self.lines:
            ratios = ", ".join(f"{seconds / f:.1f}x {name}" for name, f in floors.items() if f)
            print(
                f"  {label:<34}{rows:>8,}{seconds:>9.3f}{rows / max(seconds, 1e-9):>10,.0f}  "
                f"{ratios}".rstrip()
            )


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def csv_export(path: Path, header: tuple[str, ...], rows: Iterator[tuple]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


# --- the store ---------------------------------------------------------------------------


def fill_directory() -> None:
    init_schema()
    generate_demo(seed=1, units=60, cases=0, logins=0, today=TODAY, login_name="bench")


@dataclass
class Files:
    cases: Path
    logins: Path
    counts: dict[str, int]
    changed: Path  # the same case ids with other values: a re-import that changes every row


def make_files(workdir: Path, cases: int, logins: int, seed: int) -> tuple[Files, References]:
    refs = references()
    files = Files(
        workdir / "cases.csv",
        workdir / "logins.csv",
        {"cases": cases, "logins": logins},
        workdir / "cases-changed.csv",
    )
    write_cases(files.cases, cases, refs, seed)
    write_cases(files.changed, cases, refs, seed + 7)
    write_logins(files.logins, logins, refs, seed)
    return files, refs


def app_steps(
    figures: Figures,
    files: Files,
    workdir: Path,
    import_floors: dict[str, dict[str, float]],
    export_floor: Callable[[str], float],
) -> None:
    """The floors first, then import cases, logins, cases again; export both."""
    for kind, floors in import_floors.items():
        for name, seconds in floors.items():
            figures.add(f"floor {kind}: {name}", files.counts[kind], seconds)
    for kind, path in (("cases", files.cases), ("logins", files.logins)):
        seconds, result = timed(lambda k=kind, p=path: import_file(k, p))
        figures.add(f"import {kind}", result.rows, seconds, **import_floors[kind])
    seconds, result = timed(lambda: import_file("cases", files.cases))
    figures.add("re-import cases (same file)", result.rows, seconds, **import_floors["cases"])
    seconds, result = timed(lambda: import_file("cases", files.changed))
    figures.add(
        "re-import cases (every row changed)", result.rows, seconds, **import_floors["cases"]
    )
    for kind in ("cases", "logins"):
        floor = export_floor(kind)  # reads what the import wrote
        figures.add(f"floor export {kind}: SELECT+csv", files.counts[kind], floor)
        seconds, rows = timed(lambda k=kind: export_file(k, workdir / f"export-{k}.csv"))
        figures.add(f"export {kind}", rows, seconds, **{"SELECT+csv": floor})


# --- SQLite ------------------------------------------------------------------------------


def sqlite_connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for name, value in dbmod.SQLITE_PRAGMAS.items():
        conn.execute(f"PRAGMA {name} = {value}")
    return conn


def sqlite_insert_floor(
    path: Path,
    kind: str,
    rows: list[tuple],
    upsert: bool = False,
) -> float:
    conn = sqlite_connect(path)
    try:
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(insert_sql(kind, "?", upsert), rows)
        conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()


def sqlite_parse_floor(path: Path, kind: str, file: Path, refs: References) -> float:
    conn = sqlite_connect(path)
    try:
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(insert_sql(kind, "?"), PARSERS[kind](file, refs))
        conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()


def sqlite_export_floor(path: Path, kind: str, target: Path) -> float:
    conn = sqlite3.connect(path)
    try:
        started = time.perf_counter()
        csv_export(target, COLUMNS[kind], conn.execute(EXPORT_SQL[kind]))
        return time.perf_counter() - started
    finally:
        conn.close()


def copy_sqlite(source: Path, target: Path) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def bench_sqlite(workdir: Path, cases: int, logins: int, seed: int) -> Figures:
    store = workdir / "store.db"
    dbmod.open_database(f"sqlite:///{store}")
    fill_directory()
    files, refs = make_files(workdir, cases, logins, seed)
    dbmod.database.close()
    floors: dict[str, dict[str, float]] = {}
    for kind, file in (("cases", files.cases), ("logins", files.logins)):
        # Copies of the store before any import: the floors write into the same table
        # shape, indexes and pragmas, starting empty as the import does.
        copies = [workdir / f"floor-{kind}-{n}.db" for n in range(3)]
        for copy in copies:
            copy_sqlite(store, copy)
        rows = PARSERS[kind](file, refs)
        floors[kind] = {"executemany": sqlite_insert_floor(copies[0], kind, rows)}
        if kind == "cases":
            floors[kind]["executemany upsert"] = sqlite_insert_floor(
                copies[1], kind, rows, upsert=True
            )
        floors[kind]["parse+executemany"] = sqlite_parse_floor(copies[2], kind, file, refs)
    dbmod.open_database(f"sqlite:///{store}")
    figures = Figures(f"SQLite {sqlite3.sqlite_version}: {cases:,} cases, {logins:,} logins")
    app_steps(
        figures,
        files,
        workdir,
        floors,
        lambda kind: sqlite_export_floor(store, kind, workdir / f"floor-export-{kind}.csv"),
    )
    dbmod.database.close()
    return figures


# --- PostgreSQL --------------------------------------------------------------------------


def pg_reachable(url: str) -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3):
            return None
    except Exception as error:  # noqa: BLE001 - any failure means "skip PostgreSQL"
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def schema_url(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


@contextmanager
def pg_schema(url: str) -> Iterator[str]:
    import psycopg

    schema = f"ra_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield schema
    finally:
        if dbmod.database.obj is not None:
            dbmod.database.obj.close()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def pg_insert_floors(url: str, kind: str, rows: list[tuple]) -> dict[str, float]:
    import psycopg

    table, columns = TABLES[kind]
    measured: dict[str, float] = {}
    with psycopg.connect(url) as conn:
        for name, upsert in (("executemany", False), ("executemany upsert", True)):
            if upsert and kind != "cases":
                continue
            started = time.perf_counter()
            with conn.cursor() as cur:
                cur.executemany(insert_sql(kind, "%s", upsert), rows)
            conn.commit()
            measured[name] = time.perf_counter() - started
            conn.execute(f'TRUNCATE "{table}" CASCADE')
            conn.commit()
        names = ", ".join(f'"{c}"' for c in columns)
        started = time.perf_counter()
        with conn.cursor() as cur, cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
        measured["COPY"] = time.perf_counter() - started
        conn.execute(f'TRUNCATE "{table}" CASCADE')
        conn.commit()
    return measured


def pg_export_floor(url: str, kind: str, target: Path) -> float:
    import psycopg

    with psycopg.connect(url) as conn:
        started = time.perf_counter()
        with conn.cursor() as cur:
            cur.execute(EXPORT_SQL[kind])
            csv_export(target, COLUMNS[kind], iter(cur))
        return time.perf_counter() - started


def bench_pg(base_url: str, workdir: Path, cases: int, logins: int, seed: int) -> Figures:
    import psycopg

    with pg_schema(base_url) as schema:
        url = schema_url(base_url, schema)
        dbmod.open_database(url)
        fill_directory()
        files, refs = make_files(workdir, cases, logins, seed)
        version = dbmod.database.execute_sql("SHOW server_version").fetchone()[0]
        dbmod.database.close()
        # The floors write into the store's own tables and empty them again (TRUNCATE),
        # so the import that follows starts from empty tables too.
        floors = {
            kind: pg_insert_floors(url, kind, PARSERS[kind](path, refs))
            for kind, path in (("cases", files.cases), ("logins", files.logins))
        }
        figures = Figures(
            f"PostgreSQL {version} (psycopg {psycopg.__version__}): "
            f"{cases:,} cases, {logins:,} logins"
        )
        dbmod.open_database(url)
        app_steps(
            figures,
            files,
            workdir,
            floors,
            lambda kind: pg_export_floor(url, kind, workdir / f"floor-export-{kind}.csv"),
        )
        dbmod.database.close()
        owner_role_steps(figures, url, files, floors)
    return figures


def role_url(url: str, role: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{role}@{parts.netloc.rsplit('@', 1)[-1]}"))


def owner_role_steps(
    figures: Figures, url: str, files: Files, floors: dict[str, dict[str, float]]
) -> None:
    """The imports again as a login role of the system-owner group, as in production:
    row-level security applies (COPY goes through a temporary staging table) and the
    role owns no table (a first load keeps the indexes: no drop and rebuild)."""
    import psycopg

    role = f"ra_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        group = conn.execute("SELECT value FROM site_option WHERE name = 'owner_group'").fetchone()
        conn.execute(f'CREATE ROLE "{role}" LOGIN')
        conn.execute(f'GRANT "{group[0]}" TO "{role}"')
        conn.execute('TRUNCATE "case", "login", "login_daily" CASCADE')
    try:
        dbmod.open_database(role_url(url, role))
        for label, kind, path in (
            ("import cases (owner role)", "cases", files.cases),
            ("import logins (owner role)", "logins", files.logins),
            ("re-import cases (owner role, same file)", "cases", files.cases),
            ("re-import cases (owner role, every row changed)", "cases", files.changed),
        ):
            seconds, result = timed(lambda k=kind, p=path: import_file(k, p))
            figures.add(label, result.rows, seconds, **floors[kind])
        dbmod.database.close()
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP OWNED BY "{role}"')
            conn.execute(f'DROP ROLE "{role}"')


# --- the demo ------------------------------------------------------------------------------


def bench_demo(backend: str, base_url: str, units: int, cases: int, logins: int) -> None:
    """`regionadmin demo` at the given size on a fresh store: seconds and rows per second
    (cases + logins + citizen accounts), as the system owner runs it (SQLite: the file's
    owner; PostgreSQL: the superuser in a throwaway schema)."""

    def run() -> None:
        init_schema()
        # The last progress report of each stage: when it ended (the cases' includes their
        # indexes and summaries, the logins' their index and roll-up).
        ended: dict[str, float] = {}
        started = time.perf_counter()
        seconds, result = timed(
            lambda: generate_demo(
                seed=1,
                units=units,
                cases=cases,
                logins=logins,
                today=TODAY,
                login_name="bench",
                progress=lambda stage, done, total: ended.__setitem__(stage, time.perf_counter()),
            )
        )
        rows = result.cases + result.logins + result.citizen_accounts
        print(
            f"\ndemo on {backend}: {units:,} units, {result.cases:,} cases, "
            f"{result.logins:,} logins, {result.citizen_accounts:,} citizen accounts: "
            f"{seconds:.1f} s ({rows / seconds:,.0f} rows/s); load average "
            f"{' '.join(f'{v:.1f}' for v in os.getloadavg())}"
        )
        last = started
        for stage, at in [*ended.items(), ("the rest (commit, ANALYZE)", started + seconds)]:
            print(f"  {stage:<28}{at - last:8.1f} s")
            last = at
        dbmod.database.close()

    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="regionadmin-demo-") as tmp:
            dbmod.open_database(f"sqlite:///{Path(tmp) / 'demo.db'}")
            run()
        return
    with pg_schema(base_url) as schema:
        dbmod.open_database(schema_url(base_url, schema))
        run()


# --- main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000, help="rows in the cases file")
    parser.add_argument("--logins", type=int, default=50_000, help="rows in the logins file")
    parser.add_argument(
        "--pg",
        default=os.environ.get("REGIONADMIN_BENCH_PG", PG_DEFAULT),
        metavar="URL",
        help=f"PostgreSQL to use (default: REGIONADMIN_BENCH_PG or {PG_DEFAULT})",
    )
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--seed", type=int, default=1177)
    parser.add_argument(
        "--demo",
        nargs=3,
        type=int,
        metavar=("UNITS", "CASES", "LOGINS"),
        help="time the demo at this size instead (e.g. 1000 2000000 20000000)",
    )
    parser.add_argument("--demo-pg-logins", type=int, metavar="N", help="logins on PostgreSQL")
    args = parser.parse_args(argv)
    if args.demo:
        units, cases, logins = args.demo
        if not args.no_sqlite:
            bench_demo("sqlite", "", units, cases, logins)
        if not args.no_pg and pg_reachable(args.pg) is None:
            bench_demo("postgres", args.pg, units, cases, args.demo_pg_logins or logins)
        return 0
    print(
        "ratio = seconds of the app step / seconds of the floor (lower is better; 1.0x "
        "means the app costs nothing above the bare driver)"
    )
    with tempfile.TemporaryDirectory(prefix="regionadmin-transfer-") as tmp:
        workdir = Path(tmp)
        (workdir / "sqlite").mkdir()
        if not args.no_sqlite:
            bench_sqlite(workdir / "sqlite", args.cases, args.logins, args.seed).show()
        if args.no_pg:
            return 0
        why = pg_reachable(args.pg)
        if why is not None:
            print(f"\nPostgreSQL skipped: {args.pg} did not answer ({why}).")
            return 0
        (workdir / "pg").mkdir()
        bench_pg(args.pg, workdir / "pg", args.cases, args.logins, args.seed).show()
    return 0


if __name__ == "__main__":
    sys.exit(main())
