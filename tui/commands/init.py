"""regionadmin init: create or upgrade the schema (on PostgreSQL also roles and policies)."""

from __future__ import annotations

import argparse

from models.config import mask_password
from models.db import is_postgres, resolve_url
from models.schema import init_schema


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "init",
        help="skapa eller uppgradera databasens schema",
        description="Skapar tabellerna, eller uppgraderar ett äldre schema. Säkert att köra "
        "flera gånger. På PostgreSQL skapas också grupprollerna för systemägare "
        "och landstingsadministratörer, deras behörigheter och radsäkerheten; "
        "kör första gången som databasens superanvändare.",
    )
    parser.add_argument(
        "--group-prefix",
        metavar="PREFIX",
        default=None,
        help="PostgreSQL: grupprollernas namn blir PREFIX_owner och "
        "PREFIX_admin (standard: regionadmin)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    before, after = init_schema(args.group_prefix)
    where = mask_password(resolve_url(args.db))
    if before == 0:
        print(f"Databasen skapad (schemaversion {after}): {where}")
    elif before == after:
        print(f"Databasen är redan aktuell (schemaversion {after}): {where}")
    else:
        print(f"Databasen uppgraderad från version {before} till {after}: {where}")
    if is_postgres():
        from models.entities import SiteOption

        groups = {o.name: o.value for o in SiteOption.select()}
        print(
            f"Systemägare: medlemmar i rollen {groups.get('owner_group')}. "
            f"Landstingsadministratörer: medlemmar i {groups.get('admin_group')} "
            "(regionadmin operator link skapar dem)."
        )
    return 0
