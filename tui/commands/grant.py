"""regionadmin grant add|remove: Tilldela/ta bort Administratör and Granskare."""

from __future__ import annotations

import argparse

from models import grants
from models.entities import ADMIN, GRANSKARE, ROLE_NAMES
from models.errors import ValidationError
from models.text import clean
from models.validation import format_personnummer

from ._common import current_operator

ROLE_WORDS = {"admin": ADMIN, "administratör": ADMIN, "granskare": GRANSKARE}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "grant",
        help="tilldela/ta bort behörigheterna Administratör och Granskare",
        description="Som landstingsadministratör kan du bara dela ut "
        "rollerna Administratör och Granskare på en mottagning "
        "i din region. Granskare kräver Administratör.",
    )
    ops = parser.add_subparsers(dest="grant_command", metavar="ÅTGÄRD", required=True)
    add = ops.add_parser(
        "add",
        help="tilldela behörighet",
        description="Tilldela: hämtar personen ur personalkatalogen (HSA) och "
        "skapar ett vårdaktörskonto om det saknas. "
        "Exempel: --role admin, --role admin --role granskare "
        "eller --role admin+granskare.",
    )
    remove = ops.add_parser(
        "remove",
        help="ta bort behörighet",
        description="Ta bort: --role admin tar bort Administratör (och "
        "Granskare); --role granskare bara Granskare.",
    )
    for p, handler in ((add, run_add), (remove, run_remove)):
        p.add_argument("hsa_id", metavar="HSA-ID", nargs="?" if p is add else None)
        p.add_argument("personnummer", metavar="PERSONNUMMER", nargs="?" if p is add else None)
        p.add_argument(
            "--role",
            action="append",
            required=p is remove,
            metavar="ROLL",
            help="admin eller granskare (admin+granskare för båda)",
        )
        p.set_defaults(handler=handler)
    add.add_argument(
        "--from-file",
        metavar="FIL",
        help="tilldela många: CSV med kolumnerna hsa_id, personnummer, role "
        "(admin, granskare eller admin+granskare). Allt eller inget",
    )
    add.add_argument(
        "--dry-run",
        action="store_true",
        help="med --from-file: visa vad som skulle ändras, ändra ingenting",
    )


def parse_roles(values: list[str]) -> list[str]:
    roles: list[str] = []
    for value in values:
        for word in value.replace(",", "+").split("+"):
            role = ROLE_WORDS.get(word.strip().lower())
            if role is None:
                raise ValidationError(
                    f"Rollen \u201d{word.strip()}\u201d finns inte; välj admin eller granskare.",
                    "role",
                )
            if role not in roles:
                roles.append(role)
    return roles


def _names(roles: tuple[str, ...] | list[str]) -> str:
    return " + ".join(clean(ROLE_NAMES.get(r, r)) for r in roles) or "inga behörigheter"


def run_add(args: argparse.Namespace) -> int:
    if args.from_file or args.dry_run:
        from .unit import run_from_file

        if args.personnummer or args.role:
            raise ValidationError(
                "Med --from-file står personnummer och roll i filen.", "from_file"
            )
        return run_from_file(args, "grant")
    if not (args.hsa_id and args.personnummer and args.role):
        raise ValidationError(
            "Ange HSA-id, personnummer och --role, eller --from-file FIL.", "hsa_id"
        )
    roles = parse_roles(args.role)
    op = current_operator()
    info = grants.grant_roles(op, args.hsa_id, args.personnummer, roles)
    print(
        f"{clean(info.name)} ({clean(format_personnummer(info.personnummer))}) har nu "
        f"{_names(info.roles_on_unit)} på {clean(args.hsa_id.strip().upper())}."
    )
    return 0


def run_remove(args: argparse.Namespace) -> int:
    roles = parse_roles(args.role)
    op = current_operator()
    # Removing Administratör removes Granskare with it, so one call is enough.
    role = ADMIN if ADMIN in roles else GRANSKARE
    info = grants.revoke_role(op, args.hsa_id, args.personnummer, role)
    print(
        f"{ROLE_NAMES[role]} borttagen för {clean(info.name)} "
        f"({clean(format_personnummer(info.personnummer))}) på "
        f"{clean(args.hsa_id.strip().upper())}; "
        f"kvar: {_names(info.roles_on_unit)}."
    )
    return 0
