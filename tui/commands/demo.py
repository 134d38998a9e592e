"""regionadmin demo: fill an empty database with a demo Region Stockholm."""

from __future__ import annotations

import argparse
from datetime import date

from models import validation
from models.errors import ValidationError
from models.operators import current_login, require_system_owner
from models.schema import init_schema, schema_version

from ._common import Progress, count_arg, number


def _day(text: str) -> date:
    try:
        return validation.iso_date(text, "today", "Datumet")
    except ValidationError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "demo",
        help="fyll en tom databas med demodata och koppla dig som landstingsadministratör",
        description="Skapar en demoregion (Region Stockholm) med HSA-katalog, personal, "
        "behörigheter, ärendetyper, ärenden, konton och inloggningar de senaste "
        "18 månaderna, och kopplar OS-användaren som landstingsadministratör i 01. "
        "Samma frö och samma dag ger samma data. Körs som systemägare (direkt "
        "åtkomst till databasen).",
    )
    parser.add_argument(
        "--seed", type=count_arg, default=1, metavar="N", help="slumpfrö (standard 1)"
    )
    parser.add_argument(
        "--units",
        type=count_arg,
        default=60,
        metavar="N",
        help="mottagningar i HSA-katalogen för region 01 (standard 60)",
    )
    parser.add_argument(
        "--cases", type=count_arg, default=5000, metavar="N", help="ärenden (standard 5 000)"
    )
    parser.add_argument(
        "--logins",
        type=count_arg,
        default=20000,
        metavar="N",
        help="inloggningar (standard 20 000)",
    )
    parser.add_argument(
        "--today",
        type=_day,
        metavar="ÅÅÅÅ-MM-DD",
        help="dagen som data räknas bakåt från (standard: i dag)",
    )
    parser.add_argument(
        "--if-empty", action="store_true", help="gör ingenting om databasen redan har mottagningar"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if schema_version() == 0:
        init_schema()
    require_system_owner("Demodata")
    from models.demo import generate_demo  # only here: the generator is big to import

    progress = Progress()
    try:
        result = generate_demo(
            seed=args.seed,
            units=args.units,
            cases=args.cases,
            logins=args.logins,
            today=args.today,
            if_empty=args.if_empty,
            login_name=current_login(),
            progress=progress.stage,
        )
    finally:
        progress.close()
    if result.skipped:
        print("Databasen har redan mottagningar; ingen demodata lades till.")
        return 0
    print(
        f"Demodata klar: {number(result.directory_units)} mottagningar i HSA-katalogen "
        f"({number(result.connected_units)} anslutna), {number(result.persons)} personer, "
        f"{number(result.cases)} ärenden, {number(result.citizen_accounts)} invånarkonton "
        f"och {number(result.logins)} inloggningar."
    )
    print(
        f"{result.operator_login} är landstingsadministratör i Region Stockholm. "
        "Starta med: regionadmin"
    )
    return 0
