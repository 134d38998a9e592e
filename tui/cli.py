"""The command line: `regionadmin` alone starts the TUI; subcommands are the scriptable twin.

Each command group lives in tui/commands/<name>.py with `register(subparsers)`; a handler
gets the parsed arguments and returns an exit code. Domain errors become one Swedish line
on stderr and the error's exit code.
"""

from __future__ import annotations

import argparse
import sys
from importlib import import_module

COMMAND_MODULES = ("init", "demo", "transfer", "unit", "grant", "admins", "operator", "report")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="regionadmin",
        description="Landstingsadministratör för 1177 Vårdguidens e-tjänster. Utan kommando "
                    "startar terminalprogrammet.",
    )
    parser.add_argument("--db", metavar="URL",
                        help="databas: sqlite:///sökväg.db eller postgresql://användare@värd/db "
                             "(standard: REGIONADMIN_DB eller en fil i användarens datakatalog)")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO")
    for name in COMMAND_MODULES:
        try:
            module = import_module(f"tui.commands.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"tui.commands.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from models.db import open_database
    from models.errors import DomainError

    try:
        open_database(args.db)
        if args.command is None:
            return run_tui()
        return int(args.handler(args) or 0)
    except DomainError as error:
        print(str(error), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130
    except Exception as error:  # a database that cannot be reached, a full disk ...
        from peewee import OperationalError

        if isinstance(error, OperationalError):
            print(f"Databasen gick inte att nå: {error}".strip(), file=sys.stderr)
            return 6
        raise


def run_tui() -> int:
    from models.operators import resolve_operator
    from models.schema import schema_version

    if schema_version() == 0:
        print("Databasen är tom. Kör först: regionadmin init (och regionadmin demo för "
              "demodata).", file=sys.stderr)
        return 6
    operator = resolve_operator()
    from tui.app import RegionAdminApp

    RegionAdminApp(operator).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
