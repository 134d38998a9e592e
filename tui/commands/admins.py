"""regionadmin admins: Lista admin, the region's landstingsadministratörer."""

from __future__ import annotations

import argparse

from models.grants import list_region_admins
from models.text import clean

from ._common import current_operator, print_table


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "admins",
        help="lista regionens landstingsadministratörer",
        description="Lista admin: landstingsadministratörerna i din region "
        "i bokstavsordning, med personnummer och "
        "inloggningsmetod.",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    op = current_operator()
    rows = list_region_admins(op)
    print(f"Landstingsadministratörer i {clean(op.region_name)}")
    print_table(
        ("Namn", "Personnummer", "Inloggningsmetod"),
        [(r.name, r.personnummer, r.login_method) for r in rows],
    )
    return 0
