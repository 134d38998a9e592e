"""regionadmin config: which database is in effect, where that came from, the files looked at.

Works without the database (cli.main does not open it: needs_db=False), and never shows a
password.
"""

from __future__ import annotations

import argparse

from models.config import config_files, mask_password, read_file, resolve_database
from models.errors import ValidationError
from models.text import clean


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "config",
        help="visa vilken databas som används och varifrån",
        description="Visar databasadressen som gäller (lösenord dolda), "
        "var den kommer ifrån (--db, REGIONADMIN_DB, "
        "användarens config.toml, systemets config.toml eller "
        "standardfilen) och vilka konfigurationsfiler som "
        "finns. Databasen öppnas inte.",
    )
    parser.set_defaults(handler=run, needs_db=False)


def run(args: argparse.Namespace) -> int:
    url, source = resolve_database(args.db)  # a broken file that counts: ValidationError
    print(f"Databas: {clean(mask_password(url))}")
    print(f"Källa: {clean(source)}")
    print("Konfigurationsfiler:")
    for kind, path in config_files():
        try:
            found = read_file(kind, path)
        except ValidationError as error:  # not used for the database, shown all the same
            print(f"  {clean(error)}")
            continue
        if not found.exists:
            status = "finns inte"
        elif found.database is None:
            status = "finns, utan database"
        else:
            status = f"finns, database = {mask_password(found.database)}"
        print(f"  {clean(found.label)}: {clean(status)}")
    return 0
