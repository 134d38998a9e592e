"""regionadmin operator link|unlink: the system owner links a landstingsadministratör."""

from __future__ import annotations

import argparse

from models.operators import LOGIN_RULE, link_operator, unlink_operator
from models.text import clean
from models.validation import format_personnummer


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("operator", help="systemägare: koppla en landstingsadministratör")
    ops = parser.add_subparsers(dest="operator_command", metavar="ÅTGÄRD", required=True)
    link = ops.add_parser(
        "link",
        help="koppla en inloggning till en person som landstingsadministratör",
        description="Endast systemägaren ger behörigheten Landstingsadministratör. På "
        "PostgreSQL skapas också databasrollen LOGIN (utan lösenord: servern "
        "autentiserar) som medlem i administratörsgruppen; alla andra nekas av "
        "PostgreSQL självt.",
    )
    link.add_argument(
        "login",
        metavar="LOGIN",
        help=f"databasrollen (PostgreSQL) eller OS-användaren (SQLite): {LOGIN_RULE}",
    )
    link.add_argument("personnummer", metavar="PERSONNUMMER")
    link.add_argument("--region", required=True, metavar="KOD", help="länskod, t.ex. 01")
    link.set_defaults(handler=run_link)
    unlink = ops.add_parser(
        "unlink",
        help="ta bort behörigheten Landstingsadministratör från en inloggning",
        description="Kontot och dess historik finns kvar; inloggningen och behörigheten "
        "Landstingsadministratör tas bort, och på PostgreSQL lämnar rollen "
        "administratörsgruppen.",
    )
    unlink.add_argument("login", metavar="LOGIN")
    unlink.set_defaults(handler=run_unlink)


def run_link(args: argparse.Namespace) -> int:
    op = link_operator(args.login, args.personnummer, args.region)
    print(
        clean(
            f"{op.login_name} är landstingsadministratör i {op.region_name} "
            f"({op.name}, {format_personnummer(_pnr(args))})."
        )
    )
    return 0


def run_unlink(args: argparse.Namespace) -> int:
    name = unlink_operator(args.login)
    print(clean(f"{args.login.strip()} är inte längre landstingsadministratör ({name})."))
    return 0


def _pnr(args: argparse.Namespace) -> str:
    from models.validation import personnummer

    return personnummer(args.personnummer)
