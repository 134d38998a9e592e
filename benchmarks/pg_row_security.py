"""What the wall costs the reports on PostgreSQL: the nine reports over a year, before and
after row-level security, in the same run on the same data.

- before: the superuser (no policies) with the case scope as it was before the wall (a
  join with the region's units): the program as it ran before;
- after, superuser: today's queries without policies;
- after, role: today's queries as a landstingsadministratör's own role (every policy).

    REGIONADMIN_BENCH_PG=postgresql://postgres@127.0.0.1:5432/test \\
        .venv/bin/python benchmarks/pg_row_security.py [--cases 300000] [--units 300]

Builds demo data in a schema of its own (dropped afterwards, with its roles), runs ANALYZE,
then times each report: median of --runs runs per side. Prints seconds and the ratio
after-as-role / before; no assertions (the goal, from the issue: within 10 %).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg  # noqa: E402

from models import db as dbmod  # noqa: E402
from models import pgsecurity  # noqa: E402

SCHEMA = f"bench_rls_{os.getpid()}"
ROLE = f"{SCHEMA}_kalle"


def _url(base: str, role: str | None = None) -> str:
    from urllib.parse import urlsplit, urlunsplit

    if role:
        parts = urlsplit(base)
        base = urlunsplit(parts._replace(netloc=f"{role}@{parts.netloc.rsplit('@', 1)[-1]}"))
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{SCHEMA}"


def _time(run, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300_000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="leave the schema and roles for EXPLAIN (drop them by hand)",
    )
    args = parser.parse_args(argv)
    base = os.environ.get("REGIONADMIN_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
    os.environ[pgsecurity.PREFIX_ENV] = SCHEMA
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {SCHEMA}")
    try:
        return _run(base, args)
    finally:
        if args.keep:
            print(f"schema {SCHEMA} and role {ROLE} kept")
            return 0  # noqa: B012
        if dbmod.database.obj is not None:
            dbmod.database.obj.close()
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {SCHEMA} CASCADE")
            for role in (ROLE, f"{SCHEMA}_owner", f"{SCHEMA}_admin", f"{SCHEMA}_keeper"):
                if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                    conn.execute(f'DROP OWNED BY "{role}"')
                    conn.execute(f'DROP ROLE "{role}"')


def _run(base: str, args: argparse.Namespace) -> int:
    from models.demo import generate_demo
    from models.entities import StaffAccount
    from models.operators import link_operator, resolve_operator
    from models.schema import init_schema
    from models.timeutil import stockholm_today
    from reports.base import ReportParams
    from reports.registry import REPORTS

    dbmod.open_database(_url(base))
    init_schema()
    started = time.perf_counter()
    generate_demo(
        seed=7, units=args.units, cases=args.cases, logins=args.cases, login_name="postgres"
    )
    print(f"demo: {args.cases} cases, {args.units} units in {time.perf_counter() - started:.1f} s")
    operator = StaffAccount.get(StaffAccount.login_name == "postgres")
    link_operator(ROLE, operator.person.personnummer, "01", system_owner="bench")
    dbmod.database.execute_sql("ANALYZE")
    last = stockholm_today() - timedelta(days=1)
    year = ReportParams(date_from=last - timedelta(days=364), date_to=last)

    def params(module) -> ReportParams:
        return year if "period" in module.PARAMETERS else ReportParams()

    def timings() -> dict[str, float]:
        op = resolve_operator(ROLE)
        return {
            slug: _time(lambda m=module: m.run(op, params(m)), args.runs)
            for slug, module in REPORTS.items()
        }

    import reports.common as common

    common.is_postgres = lambda: False  # the case scope before the wall: a unit join
    before = timings()
    common.is_postgres = dbmod.is_postgres
    as_superuser = timings()
    dbmod.open_database(_url(base, ROLE))
    as_role = timings()
    print(f"{'rapport (ett år)':28} {'före s':>8} {'efter su':>9} {'efter roll':>11} {'kvot':>6}")
    for slug in REPORTS:
        b, su, role = before[slug], as_superuser[slug], as_role[slug]
        print(f"{slug:28} {b:8.3f} {su:9.3f} {role:11.3f} {role / b:6.2f}")
    totals = [sum(t.values()) for t in (before, as_superuser, as_role)]
    print(
        f"{'alla nio':28} {totals[0]:8.3f} {totals[1]:9.3f} {totals[2]:11.3f} "
        f"{totals[2] / totals[0]:6.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
