"""regionadmin init: create or upgrade the schema."""

from __future__ import annotations

import argparse

from models.db import resolve_url
from models.schema import init_schema


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("init", help="skapa eller uppgradera databasens schema",
                            description="Skapar tabellerna, eller uppgraderar ett äldre schema. "
                                        "Säkert att köra flera gånger.")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    before, after = init_schema()
    where = resolve_url(args.db)
    if before == 0:
        print(f"Databasen skapad (schemaversion {after}): {where}")
    elif before == after:
        print(f"Databasen är redan aktuell (schemaversion {after}): {where}")
    else:
        print(f"Databasen uppgraderad från version {before} till {after}: {where}")
    return 0
