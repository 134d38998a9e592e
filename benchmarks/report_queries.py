"""Time the nine report queries on a large SQLite store against hand-written SQL floors.

    .venv/bin/python benchmarks/report_queries.py [--cases 1000000] [--db PATH] [--analyze]

Builds (or reuses, when --db names a file that already has the cases) a store with N cases
spread over 2024-01-01 .. 2026-11-01 on 2,000 units, 40 % of them in region 01 (the
operator's) and the rest in the other regions. Each report runs over one month and one
year; each also runs as a bare raw-SQL query computing the same aggregate (the floor),
and the ratio report/floor shows what the query builder, the checks and the Python around
the query cost. Best of three runs each; figures only, no assertions.

For "Antal ärenden per mottagning" it also compares the two shapes the design allowed:
one scan with conditional sums versus three index range scans added up.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models import case_summary  # noqa: E402
from models import db as dbmod  # noqa: E402
from models.entities import (  # noqa: E402
    LANDSTINGSADMIN,
    Grant,
    HsaPerson,
    Region,
    StaffAccount,
)
from models.operators import resolve_operator  # noqa: E402
from models.schema import init_schema  # noqa: E402
from models.timeutil import day_start_epoch, period_epochs  # noqa: E402
from reports import period, registry  # noqa: E402
from reports.base import ReportParams  # noqa: E402

UNITS = 2000
FIRST_DAY, LAST_DAY = date(2024, 1, 1), date(2026, 11, 1)
MONTH = (date(2026, 9, 1), date(2026, 9, 30))
YEAR = (date(2025, 10, 1), date(2026, 9, 30))
HOUR = 3600
TEN_DAYS = 240 * HOUR
LOGIN = "bench"
PNR = "197001011239"  # passes Luhn; the benchmark's landstingsadministratör


# --- building the store ------------------------------------------------------------------


def build(path: Path, cases: int, seed: int) -> None:
    dbmod.open_database(f"sqlite:///{path}")
    init_schema()
    rng = random.Random(seed)
    regions = [r.code for r in Region.select(Region.code).order_by(Region.code)]
    started = time.perf_counter()
    conn: sqlite3.Connection = dbmod.database.connection()
    with dbmod.database.atomic():
        person = HsaPerson.create(personnummer=PNR, given_names="Bänk", surname="Märk", region="01")
        account = StaffAccount.create(
            account_id="va-bench",
            person=person,
            login_name=LOGIN,
            region="01",
            created_at=0,
            terms_accepted_at=0,
        )
        Grant.create(account=account, region="01", role=LANDSTINGSADMIN, granted_at=0)
        _units(conn, rng, regions)
        _unit_case_types(conn, rng)
        _accounts(conn, rng, regions)
        _logins(conn, rng, regions)
        _cases(conn, rng, cases)
        case_summary.rebuild()  # written with sqlite3 directly: the summaries once, after
    print(f"built {cases:,} cases in {time.perf_counter() - started:.1f} s -> {path}")


def _units(conn, rng, regions) -> None:
    first, last = day_start_epoch(date(2009, 5, 1)), day_start_epoch(LAST_DAY)
    rows = []
    for i in range(1, UNITS + 1):
        region = "01" if i % 5 < 2 else rng.choice(regions[1:])
        care = rng.choice(["Vårdcentral", "Barnmottagning", "Psykiatri", "Tandvård"])
        name = f"{rng.choice(['Ängens', 'Åsa', 'Öster', 'Berga', 'City'])} {care.lower()} {i}"
        rows.append(
            (
                i,
                f"SE2321000016-B{i:05d}",
                name,
                care,
                region,
                rng.random() < 0.9,
                rng.randint(first, last),
                0,
                0,
                "",
                "",
                "",
                "",
                f"u{i}@exempel.se",
                "",
                name.lower(),
            )
        )
    conn.executemany(
        'INSERT INTO "unit" (id, hsa_id, name, care_type, region_id, active, '
        "first_activated_at, other_service, prioritized, street, postal_code, city, phone, "
        "email, info, search_text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )


def _unit_case_types(conn, rng) -> None:
    rows = [
        (unit, ct, rng.random() < 0.8)
        for unit in range(1, UNITS + 1)
        for ct in rng.sample(range(1, 13), rng.randint(2, 8))
    ]
    conn.executemany(
        'INSERT INTO "unit_case_type" (unit_id, case_type_id, active, '
        "terms_text) VALUES (?,?,?,'')",
        rows,
    )


def _accounts(conn, rng, regions) -> None:
    rows = [(f"inv-{i}", "", rng.choice(regions + [None]), 0) for i in range(200_000)]
    conn.executemany(
        'INSERT INTO "citizen_account" (account_id, personnummer, region_id, '
        "created_at) VALUES (?,?,?,?)",
        rows,
    )


def _logins(conn, rng, regions) -> None:
    rows = []
    day = FIRST_DAY
    while day < LAST_DAY:
        for region in regions:
            for kind, method in (
                ("citizen", "BankID"),
                ("citizen", "Freja"),
                ("staff", "E-tjänstekort"),
            ):
                rows.append(
                    (
                        day.isoformat(),
                        region,
                        kind,
                        method,
                        rng.randint(0, 5000),
                        rng.randint(0, 50),
                    )
                )
        day = date.fromordinal(day.toordinal() + 1)
    conn.executemany(
        'INSERT INTO "login_daily" (day, region_id, kind, method, succeeded, '
        "failed) VALUES (?,?,?,?,?,?)",
        rows,
    )


def _cases(conn, rng, count: int) -> None:
    first, last = day_start_epoch(FIRST_DAY), day_start_epoch(LAST_DAY)
    batch = []
    for ident in range(1, count + 1):
        received = rng.randint(first, last)
        assigned = received + rng.randint(0, 72 * HOUR) if rng.random() < 0.9 else None
        started = assigned + rng.randint(0, 48 * HOUR) if assigned and rng.random() < 0.85 else None
        answered = started + rng.randint(0, 96 * HOUR) if started and rng.random() < 0.9 else None
        closed = (
            (answered or received) + rng.randint(0, 20 * 24 * HOUR) if rng.random() < 0.9 else None
        )
        batch.append(
            (
                ident,
                rng.randint(1, UNITS),
                rng.randint(1, 12),
                received,
                assigned,
                started,
                answered,
                closed,
            )
        )
        if len(batch) == 50_000:
            _insert_cases(conn, batch)
            batch = []
    _insert_cases(conn, batch)


def _insert_cases(conn, rows) -> None:
    conn.executemany(
        'INSERT INTO "case" (id, unit_id, case_type_id, received_at, '
        "assigned_at, started_at, answered_at, closed_at) "
        "VALUES (?,?,?,?,?,?,?,?)",
        rows,
    )


def existing_cases(path: Path) -> int:
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(path) as conn:
            return conn.execute('SELECT COUNT(*) FROM "case"').fetchone()[0]
    except sqlite3.Error:
        return 0


# --- the floors: the same aggregates, written by hand ------------------------------------

REGION_UNITS = "SELECT id FROM unit WHERE region_id = '01'"
# `unit_id + 0`: keeps SQLite on the covering timestamp index (see reports/common.py).
SCOPE = f"unit_id + 0 IN ({REGION_UNITS})"


def _in(column: str) -> str:
    return f"({column} >= :s AND {column} < :e)"


def _not_in(column: str) -> str:
    return f"NOT COALESCE({_in(column)}, 0)"


def _branches(key: str, conditions: list[str]) -> str:
    """SELECT key, SUM(n0) n0, .. FROM (a grouped COUNT per condition UNION ALL ..)."""
    parts = []
    for index, condition in enumerate(conditions):
        counts = ", ".join(
            f"{'COUNT(*)' if i == index else '0'} AS n{i}" for i in range(len(conditions))
        )
        parts.append(
            f'SELECT {key}, {counts} FROM "case" WHERE {condition} AND {SCOPE} GROUP BY {key}'
        )
    sums = ", ".join(f"SUM(n{i}) AS n{i}" for i in range(len(conditions)))
    return f"SELECT {key}, {sums} FROM ({' UNION ALL '.join(parts)}) GROUP BY {key}"


PER_UNIT = _branches("unit_id", [_in("received_at"), _in("assigned_at"), _in("closed_at")])

FLOORS: dict[str, str] = {
    "anslutna-mottagningar": "SELECT name, hsa_id, care_type, first_activated_at, active FROM unit "
    "WHERE region_id = '01' AND first_activated_at >= :s AND first_activated_at < :e",
    "arenden-per-mottagning": "SELECT u.name, u.hsa_id, COALESCE(c.n0, 0), COALESCE(c.n1, 0), COALESCE(c.n2, 0) "
    f"FROM unit u LEFT JOIN ({PER_UNIT}) c "
    "ON c.unit_id = u.id WHERE u.region_id = '01' AND (u.active OR c.unit_id IS NOT NULL)",
    "arenden-per-arendetyp": _branches("case_type_id", [_in("received_at"), _in("closed_at")]),
    "anvandarkonton": "SELECT 'c', region_id, COUNT(*) FROM citizen_account GROUP BY region_id UNION ALL "
    "SELECT 's', region_id, COUNT(*) FROM staff_account GROUP BY region_id",
    "handlaggningstider": f"SELECT case_type_id, SUM({_in('received_at')}), SUM({_in('closed_at')}), "
    "SUM(received_at <= :a - 864000 AND (closed_at IS NULL OR closed_at > received_at "
    f"+ 864000)), AVG(CASE WHEN {_in('assigned_at')} THEN assigned_at - received_at END)"
    f"/3600.0, AVG(CASE WHEN {_in('started_at')} THEN started_at - assigned_at END)"
    f"/3600.0, AVG(CASE WHEN {_in('closed_at')} THEN closed_at - started_at END)/3600.0,"
    f" AVG(CASE WHEN {_in('closed_at')} THEN closed_at - received_at END)/3600.0 "
    f'FROM "case" WHERE {SCOPE} AND ({_in("received_at")} OR '
    f"{_in('assigned_at')} OR {_in('started_at')} OR {_in('answered_at')} OR "
    f"{_in('closed_at')}) GROUP BY case_type_id",
    "inloggningar": "SELECT kind, SUM(succeeded) FROM login_daily WHERE region_id = '01' "
    "AND day >= :df AND day <= :dt GROUP BY kind",
    "obesvarade-arenden": "SELECT u.name, u.hsa_id, t.name, c.received_at, c.assigned_at, p.surname, u.email "
    'FROM "case" c JOIN unit u ON u.id = c.unit_id JOIN case_type t ON t.id = '
    "c.case_type_id LEFT JOIN staff_account s ON s.id = c.assignee_id LEFT JOIN "
    "hsa_person p ON p.id = s.person_id WHERE u.region_id = '01' AND c.received_at <= "
    ":a - 864000 AND (c.closed_at IS NULL OR c.closed_at > :a) "
    "ORDER BY c.received_at, c.id",
    "arendestatus": _branches(
        "case_type_id",
        [
            f"{_in('received_at')} AND {_not_in('assigned_at')} AND {_not_in('closed_at')}",
            f"{_in('assigned_at')} AND {_not_in('closed_at')}",
            _in("closed_at"),
        ],
    ),
    "arendetyper-per-mottagning": "SELECT u.name, u.hsa_id, "
    + ", ".join(f"MAX(CASE WHEN x.case_type_id = {i} THEN 1 + x.active END)" for i in range(1, 13))
    + ", SUM(t.kind = 'own'), SUM(t.kind = 'integration') FROM unit u "
    "LEFT JOIN unit_case_type x ON x.unit_id = u.id LEFT JOIN case_type t "
    "ON t.id = x.case_type_id WHERE u.region_id = '01' GROUP BY u.id",
}

# The shapes weighed for "Antal ärenden per mottagning": one scan with conditional sums
# (as the planner picks it, and with the unit index ruled out), against the three scans.
ONE_SCAN = (
    f"SELECT unit_id, SUM({_in('received_at')}), SUM({_in('assigned_at')}), "
    f'SUM({_in("closed_at")}) FROM "case" WHERE unit_id IN ({REGION_UNITS}) AND '
    f"({_in('received_at')} OR {_in('assigned_at')} OR {_in('closed_at')}) GROUP BY unit_id"
)
SHAPES = {
    "one scan, conditional sums": ONE_SCAN,
    "one scan, unit index ruled out": ONE_SCAN.replace("WHERE unit_id IN", "WHERE unit_id + 0 IN"),
    "three index range scans": PER_UNIT,
}


# --- timing -------------------------------------------------------------------------------


def best_of(fn, runs: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def params_for(module, window: tuple[date, date]) -> ReportParams:
    accepted = module.PARAMETERS
    if "period" in accepted:
        return ReportParams(date_from=window[0], date_to=window[1])
    if "as_of" in accepted:
        return ReportParams(as_of=window[1])
    return ReportParams()


def floor_args(window: tuple[date, date]) -> dict:
    start, end = period_epochs(*window)
    return {
        "s": start,
        "e": end,
        "a": min(end, period.now()),
        "df": window[0].isoformat(),
        "dt": window[1].isoformat(),
    }


def run_all(label: str, window: tuple[date, date]) -> None:
    op = resolve_operator(LOGIN)
    conn = dbmod.database.connection()
    args = floor_args(window)
    print(f"\n{label} ({window[0]} – {window[1]})")
    print(f"{'report':<28}{'rows':>7}{'report s':>11}{'floor s':>10}{'ratio':>8}")
    for slug, module in registry.REPORTS.items():
        if slug not in FLOORS:  # a report without a hand-written floor here
            continue
        seconds, result = best_of(lambda m=module: m.run(op, params_for(m, window)))
        floor, _ = best_of(lambda s=slug: conn.execute(FLOORS[s], args).fetchall())
        print(
            f"{slug:<28}{len(result.rows):>7}{seconds:>11.3f}{floor:>10.3f}"
            f"{seconds / floor if floor else float('nan'):>8.2f}"
        )
    print("arenden-per-mottagning, shapes of the case query:")
    for name, sql in SHAPES.items():
        seconds, _ = best_of(lambda q=sql: conn.execute(q, args).fetchall())
        print(f"  {name:<34}{seconds:>8.3f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="reuse or create this SQLite file")
    parser.add_argument("--seed", type=int, default=1177)
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="run ANALYZE first (the application itself never does)",
    )
    args = parser.parse_args(argv)
    path = args.db or Path(tempfile.mkdtemp(prefix="regionadmin-bench-")) / "bench.db"
    if existing_cases(path) >= args.cases:
        print(f"reusing {path} ({existing_cases(path):,} cases)")
    else:
        if path.exists():
            path.unlink()
        build(path, args.cases, args.seed)
    with sqlite3.connect(path) as conn:
        # Statistics change the planner's choices; start from the state asked for.
        conn.execute("ANALYZE" if args.analyze else "DROP TABLE IF EXISTS sqlite_stat1")
    dbmod.open_database(f"sqlite:///{path}")
    init_schema()  # a store built by an older version gets its summaries here
    # The clock of the store: everything up to 2026-11-01 has happened.
    period.clock = lambda: day_start_epoch(LAST_DAY)
    print(f"SQLite {sqlite3.sqlite_version}, statistics: {'yes' if args.analyze else 'no'}")
    run_all("one month", MONTH)
    run_all("one year", YEAR)
    return 0


if __name__ == "__main__":
    sys.exit(main())
