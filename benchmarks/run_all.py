"""Run every benchmark with its small defaults, one after the other (`make bench`).

    .venv/bin/python benchmarks/run_all.py [--only NAME ...]

About 3-4 minutes on a 2-core machine (scale.py's small run on SQLite: about 45 s). Each script prints its own figures and ratios
against its floor; nothing here asserts on time. A script that fails is reported and the
others still run; the exit code is 1 if any failed. Bigger sizes: run the scripts one by
one with their flags (see benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# name -> arguments; "{tmp}" is a temp dir removed at the end.
BENCHMARKS: dict[str, list[str]] = {
    "report_queries": ["--cases", "200000", "--db", "{tmp}/report-queries.db"],
    "import_export": [],
    "writers": [],
    "tui_wire": [],
    # Issue 11's table at 1/100 of its sizes, SQLite only: PostgreSQL needs a database of
    # its own (`scale.py --scale small --db postgresql://.../NAME --fresh`).
    "scale": ["--scale", "small", "--db", "sqlite:///{tmp}/scale-small.sqlite", "--fresh"],
}


def run(name: str, args: list[str], tmp: str) -> tuple[int, float]:
    command = [sys.executable, str(HERE / f"{name}.py"), *(a.format(tmp=tmp) for a in args)]
    shown = " ".join(["benchmarks/" + f"{name}.py", *(a.format(tmp="<tmp>") for a in args)])
    print(f"\n{'=' * 78}\n{shown}\n{'=' * 78}", flush=True)
    started = time.perf_counter()
    code = subprocess.run(command, cwd=HERE.parent).returncode
    return code, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        nargs="+",
        choices=BENCHMARKS,
        metavar="NAME",
        help=f"run only these: {', '.join(BENCHMARKS)}",
    )
    args = parser.parse_args(argv)
    names = args.only or list(BENCHMARKS)
    results: list[tuple[str, int, float]] = []
    with tempfile.TemporaryDirectory(prefix="regionadmin-bench-") as tmp:
        for name in names:
            code, seconds = run(name, BENCHMARKS[name], tmp)
            results.append((name, code, seconds))
    print(f"\n{'=' * 78}")
    for name, code, seconds in results:
        status = "ok" if code == 0 else f"FAILED (exit {code})"
        print(f"{name:<16}{seconds:>7.1f} s  {status}")
    print(f"{'total':<16}{sum(s for _, _, s in results):>7.1f} s")
    return 1 if any(code for _, code, _ in results) else 0


if __name__ == "__main__":
    sys.exit(main())
