"""Time onboarding a region from files: N activations, then N grants (SQLite).

    .venv/bin/python benchmarks/onboarding.py [--units 1000]

A fresh SQLite store gets N HSA units of region 01 and one staff member; then
`regionadmin unit activate --from-file` and `grant add --from-file` run through the CLI's
main() as a script would. Prints seconds and rows/s against the goal (1,000 activations
with grants in under 10 s); no assertions.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    args = parser.parse_args(argv)
    from models import db as dbmod
    from models.schema import init_schema
    from tests.factories import ORG_01, PNR_BERTIL, build_world, directory_unit, hsa
    from tui import cli

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/onboarding.db"
        dbmod.open_database(url)
        init_schema()
        build_world()
        ids = [hsa(ORG_01, f"B{i:05d}") for i in range(args.units)]
        for i, hsa_id in enumerate(ids):
            directory_unit(hsa_id, f"Mottagning {i}")
        units = Path(tmp) / "enheter.csv"
        units.write_text(
            "hsa_id,name,other_service\n" + "".join(f"{h},,false\n" for h in ids), encoding="utf-8"
        )
        people = Path(tmp) / "behorigheter.csv"
        people.write_text(
            "hsa_id,personnummer,role\n"
            + "".join(f"{h},{PNR_BERTIL},admin+granskare\n" for h in ids),
            encoding="utf-8",
        )
        os.environ["REGIONADMIN_USER"] = "anna"
        out = open(os.devnull, "w")  # noqa: SIM115
        sys.stdout = out
        try:
            started = time.perf_counter()
            assert cli.main(["--db", url, "unit", "activate", "--from-file", str(units)]) == 0
            activated = time.perf_counter()
            assert cli.main(["--db", url, "grant", "add", "--from-file", str(people)]) == 0
            done = time.perf_counter()
        finally:
            sys.stdout = sys.__stdout__
            out.close()
    n = args.units
    print(
        f"aktiveringar  {n:6d}  {activated - started:6.2f} s  "
        f"{n / (activated - started):8.0f} rader/s"
    )
    print(f"behörigheter  {n:6d}  {done - activated:6.2f} s  {n / (done - activated):8.0f} rader/s")
    print(f"tillsammans   {n:6d}  {done - started:6.2f} s  (mål: 1 000 på under 10 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
