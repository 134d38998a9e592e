"""regionadmin operator link: the system owner makes an OS user a landstingsadministratör."""

from __future__ import annotations

import argparse

from models.operators import link_operator
from models.validation import format_personnummer


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("operator", help="systemägare: koppla en landstingsadministratör")
    ops = parser.add_subparsers(dest="operator_command", metavar="ÅTGÄRD", required=True)
    link = ops.add_parser(
        "link", help="koppla en OS-användare till en person som landstingsadministratör",
        description="Endast systemansvarig (med direkt åtkomst till databasen) ger "
                    "behörigheten Landstingsadministratör.")
    link.add_argument("login", metavar="LOGIN", help="OS-användarnamnet på hoppservern")
    link.add_argument("personnummer", metavar="PERSONNUMMER")
    link.add_argument("--region", required=True, metavar="KOD", help="länskod, t.ex. 01")
    link.set_defaults(handler=run_link)


def run_link(args: argparse.Namespace) -> int:
    op = link_operator(args.login, args.personnummer, args.region)
    print(f"{args.login} är landstingsadministratör i {op.region_name} "
          f"({op.name}, {format_personnummer(_pnr(args))}).")
    return 0


def _pnr(args: argparse.Namespace) -> str:
    from models.validation import personnummer

    return personnummer(args.personnummer)
