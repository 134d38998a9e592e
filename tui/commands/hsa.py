"""regionadmin hsa diff: Avvikelser mot HSA in the terminal."""

from __future__ import annotations

import argparse
import shutil

from ._common import current_operator


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("hsa", help="HSA-katalogen: avvikelser mot regionens mottagningar")
    ops = parser.add_subparsers(dest="hsa_command", metavar="ÅTGÄRD", required=True)
    diff = ops.add_parser(
        "diff",
        help="visa avvikelser mot HSA",
        description="Mottagningar som är aktiva men borttagna ur eller ändrade i HSA sedan "
        "aktiveringen, och regionens HSA-enheter som aldrig har aktiverats. "
        "Som fil: regionadmin report avvikelser-mot-hsa --format pdf|xlsx|csv.",
    )
    diff.set_defaults(handler=run_diff)


def run_diff(args: argparse.Namespace) -> int:
    from reports import avvikelser_mot_hsa
    from reports.base import ReportParams
    from reports.writers.table import render

    op = current_operator()
    width = shutil.get_terminal_size((100, 24)).columns
    for line in render(avvikelser_mot_hsa.run(op, ReportParams()), width=max(60, width)):
        print(line)
    return 0
