"""regionadmin config: which database is in effect, where that came from, the files looked at.

Works without the database (cli.main does not open it: needs_db=False), and never shows a
password.
"""

from __future__ import annotations

import argparse

from models.config import config_files, load_config, mask_password, read_file, resolve_database
from models.errors import ValidationError
from models.text import clean
from tui.keymap import BINDING_IDS, check_keymap


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "config",
        help="visa vilken databas som används och varifrån",
        description="Visar databasadressen som gäller (lösenord dolda), "
        "var den kommer ifrån (--db, REGIONADMIN_DB, "
        "användarens config.toml, systemets config.toml eller "
        "standardfilen) och vilka konfigurationsfiler som "
        "finns, och tangenterna som flyttats i [keymap]. Databasen öppnas inte.",
    )
    parser.add_argument(
        "--keys",
        action="store_true",
        help='lista tangent-id:n som kan flyttas i [keymap] (id = "tangent,tangent")',
    )
    parser.set_defaults(handler=run, needs_db=False)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "keys", False):
        return list_keys()
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
    print_keymap()
    return 0


def _keymap() -> tuple[dict[str, str], list[str]]:
    try:
        return check_keymap(load_config().keymap)
    except ValidationError:  # a broken file: said above, next to the file
        return {}, []


def print_keymap() -> None:
    """The moved keys and one sentence for each [keymap] entry that is left out."""
    moved, problems = _keymap()
    if moved:
        print("Flyttade tangenter ([keymap]):")
        for binding_id, keys in moved.items():
            print(f"  {binding_id} = {clean(keys)}")
    for problem in problems:
        print(clean(problem))


def list_keys() -> int:
    """`regionadmin config --keys`: every id with what it does (and where it is moved)."""
    moved, problems = _keymap()
    width = max(len(binding_id) for binding_id in BINDING_IDS)
    for binding_id, what in BINDING_IDS.items():
        where = f" (flyttad: {clean(moved[binding_id])})" if binding_id in moved else ""
        print(f"{binding_id.ljust(width)}  {what}{where}")
    for problem in problems:
        print(clean(problem))
    return 0
