"""regionadmin unit activate|deactivate|rename|show|list: Vårdmottagningar from a shell."""

from __future__ import annotations

import argparse
import sys
import textwrap

from models import units
from models.catalog import KIND_NAMES
from models.entities import ROLE_NAMES
from models.errors import Conflict, ValidationError
from models.text import clean
from models.timeutil import format_day
from models.validation import format_personnummer

from ._common import Progress, ask, current_operator, number, print_table, yes_no

# Swedish column names for --sort, mapped to the service's sort keys.
SORTS = {
    "namn": "name",
    "hsa-id": "hsa_id",
    "vardtyp": "care_type",
    "ort": "city",
    "status": "active",
    "ansluten": "first_activated_at",
}
PAGE = 200


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "unit",
        help="vårdmottagningar: aktivera, inaktivera, ändra namn, visa, lista",
        description="Vårdmottagningar i din region. Du är den "
        "landstingsadministratör som OS-användaren är kopplad "
        "till.",
    )
    ops = parser.add_subparsers(dest="unit_command", metavar="ÅTGÄRD", required=True)

    p = ops.add_parser(
        "activate",
        help="aktivera (eller återaktivera) en mottagning",
        description="Aktivera: hämtar mottagningen ur HSA-katalogen och "
        "ansluter den. En inaktiv mottagning återaktiveras.",
    )
    p.add_argument("hsa_id", metavar="HSA-ID", nargs="?")
    p.add_argument(
        "--name", metavar="NAMN", help="nytt namn (ett sammanhängande ord får vara max 28 tecken)"
    )
    p.add_argument(
        "--other-service",
        action="store_true",
        help="visa som övrig tjänst (endast i undantagsfall)",
    )
    p.add_argument(
        "--from-file",
        metavar="FIL",
        help="aktivera många: CSV med kolumnerna hsa_id, name, other_service "
        "(name tomt = HSA:s namn). Allt eller inget: en felaktig rad anges "
        "som rad N, fält X och ingenting skrivs",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="med --from-file: visa vad som skulle ändras, ändra ingenting",
    )
    p.set_defaults(handler=run_activate)

    p = ops.add_parser(
        "deactivate",
        help="inaktivera en mottagning",
        description="Inaktivera: visar checklistan (aktiva ärendetyper, "
        "obesvarade ärenden, behörigheter utöver en administratör). "
        "Finns öppna punkter krävs --yes (eller ett ja i "
        "terminalen).",
    )
    p.add_argument("hsa_id", metavar="HSA-ID")
    p.add_argument("--yes", action="store_true", help="inaktivera trots öppna punkter")
    p.set_defaults(handler=run_deactivate)

    p = ops.add_parser(
        "rename",
        help="ändra namn på en ansluten mottagning",
        description="Ändra namn. Ett sammanhängande ord får vara max 28 tecken.",
    )
    p.add_argument("hsa_id", metavar="HSA-ID")
    p.add_argument("name", metavar="NYTT-NAMN")
    p.set_defaults(handler=run_rename)

    p = ops.add_parser(
        "show",
        help="visa mottagningsinformation",
        description="Visa mottagningsinformation: inställningar, ärendetyper "
        "med villkorstexter och behörigheter.",
    )
    p.add_argument("hsa_id", metavar="HSA-ID")
    p.set_defaults(handler=run_show)

    p = ops.add_parser(
        "list",
        help="lista och sök mottagningar",
        description="Listar regionens mottagningar. Ett sökord matchar del av "
        "HSA-id, namn, adress eller övrig information. I en "
        "terminal kortas kolumnerna till 80 tecken; annars skrivs "
        "hela värden, tabbseparerade.",
    )
    p.add_argument("term", metavar="SÖKORD", nargs="?", default="")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="aktiva och inaktiva (standard)")
    which.add_argument("--active", action="store_true", help="endast aktiva")
    p.add_argument(
        "--sort",
        choices=list(SORTS),
        default="namn",
        metavar="KOLUMN",
        help=f"sortera på {', '.join(SORTS)} (standard namn)",
    )
    p.add_argument("--desc", action="store_true", help="fallande ordning")
    p.set_defaults(handler=run_list)


def _print_entry(entry: units.DirectoryEntry) -> None:
    rows = [
        ("HSA-id", entry.hsa_id),
        ("Namn i HSA", entry.name),
        ("Vårdtyp", entry.care_type),
        ("Adress", f"{entry.street}, {entry.postal_code} {entry.city}".strip(" ,")),
        ("Telefon", entry.phone),
        ("Region", entry.region_name),
        ("Information", entry.info),
    ]
    if entry.current_name:
        rows.insert(2, ("Nuvarande namn", entry.current_name))
    for label, value in rows:
        print(f"{label + ':':<16}{clean(value)}")


def run_activate(args: argparse.Namespace) -> int:
    if args.from_file or args.dry_run:
        return run_from_file(args, "activate")
    if not args.hsa_id:
        raise ValidationError(
            "Ange HSA-id, eller --from-file FIL för många mottagningar.", "hsa_id"
        )
    op = current_operator()
    entry = units.lookup_for_activation(op, args.hsa_id)
    _print_entry(entry)
    unit = units.activate_unit(
        op, args.hsa_id, new_name=args.name, other_service=args.other_service
    )
    done = "återaktiverad" if entry.reactivation else "aktiverad"
    print(f"Mottagningen {clean(unit.name)} ({clean(unit.hsa_id)}) är {done}.")
    print(
        f"Tilldela behörigheter: regionadmin grant add {clean(unit.hsa_id)} PERSONNUMMER "
        "--role admin"
    )
    return 0


def run_from_file(args: argparse.Namespace, what: str) -> int:
    """unit activate / grant add --from-file: all or nothing, one line per change."""
    from models.onboarding import activate_from_file, grant_from_file

    if not args.from_file:
        raise ValidationError("--dry-run gäller bara tillsammans med --from-file FIL.", "from_file")
    if args.hsa_id:
        raise ValidationError("Ange antingen HSA-id eller --from-file, inte båda.", "hsa_id")
    op = current_operator()
    service = activate_from_file if what == "activate" else grant_from_file
    progress = Progress()
    try:
        result = service(op, args.from_file, dry_run=args.dry_run, progress=progress.rows)
    finally:
        progress.close()
    for change in result.changes:
        print(clean(f"rad {change.line}: {change.what}"))
    count = number(len(result.changes))
    if result.dry_run:
        print(f"Provkörning: {count} ändringar skulle göras; ingenting har ändrats.")
    else:
        print(f"Klart: {count} ändringar, var och en i loggen.")
    return 0


def _confirmed(args: argparse.Namespace) -> bool:
    if args.yes:
        return True
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return False
    answer = ask("Inaktivera ändå? [j/N] ").strip().lower()  # Ctrl-D: Cancelled, 130
    return answer in ("j", "ja", "y", "yes")


def run_deactivate(args: argparse.Namespace) -> int:
    op = current_operator()
    row, checklist = units.deactivation_checklist(op, args.hsa_id)
    print(f"Inaktivera {clean(row.name)} ({clean(row.hsa_id)})")
    for label, count in checklist.lines():
        print(f"  {label}: {number(count)}")
    if checklist.kept_admin:
        print(f"  Administratör som behålls: {clean(checklist.kept_admin)}")
    if not checklist.clear and not _confirmed(args):
        raise Conflict("Checklistan har öppna punkter; kör igen med --yes för att inaktivera ändå.")
    units.deactivate_unit(op, args.hsa_id, confirm=True)
    print(f"Mottagningen {clean(row.name)} ({clean(row.hsa_id)}) är inaktiverad.")
    return 0


def run_rename(args: argparse.Namespace) -> int:
    op = current_operator()
    unit = units.rename_unit(op, args.hsa_id, args.name)
    print(f"Mottagningen {clean(unit.hsa_id)} heter nu {clean(unit.name)}.")
    return 0


def _field(label: str, value: object) -> None:
    print(f"{label + ':':<24}{clean(value)}")


def _indented(text: str, prefix: str = "      ") -> None:
    """A multi-line text from the database, cleaned and wrapped to an 80-column terminal."""
    for line in clean(text, multiline=True).splitlines():
        wrapped = textwrap.wrap(line, width=79, initial_indent=prefix, subsequent_indent=prefix)
        print("\n".join(wrapped) if wrapped else "")


def run_show(args: argparse.Namespace) -> int:
    op = current_operator()
    d = units.unit_details(op, args.hsa_id)
    print(f"{clean(d.name)} ({clean(d.hsa_id)})")
    _field("Status", "Aktiv" if d.active else "Inaktiv")
    _field("Vårdtyp", d.care_type)
    _field("Region", d.region_name)
    _field("Anslutningsdatum", format_day(d.first_activated_at))
    if d.deactivated_at:
        _field("Inaktiverad", format_day(d.deactivated_at))
    _field("Visa som övrig tjänst", yes_no(d.other_service))
    _field("Prioriterad", yes_no(d.prioritized))
    _field("Adress", f"{d.street}, {d.postal_code} {d.city}".strip(" ,"))
    _field("Telefon", d.phone)
    _field("E-post", d.email)
    if d.weekly_cases:
        from models.sparkline import sparkline

        _field(
            "Ärenden per vecka",
            f"{sparkline(d.weekly_cases)} {number(sum(d.weekly_cases))} på 52 veckor",
        )
    if d.info:
        print("Övrig information:")
        _indented(d.info, "  ")
    print(f"\nÄrendetyper ({len(d.case_types)}):")
    for ct in d.case_types:
        state = "Aktiv" if ct.active else "Inaktiv"
        print(f"  {state:<8}{clean(ct.name)} ({clean(KIND_NAMES.get(ct.kind, ct.kind))})")
        if ct.terms_text:
            _indented(ct.terms_text)
    print(f"\nBehörigheter ({len(d.grants)}):")
    for g in d.grants:
        roles = " + ".join(ROLE_NAMES.get(r, r) for r in g.roles)
        print(f"  {clean(g.name)}, {clean(format_personnummer(g.personnummer))}: {clean(roles)}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    op = current_operator()
    tty = sys.stdout.isatty()
    headers = ("HSA-id", "Namn", "Vårdtyp", "Ort", "Status")
    offset, total = 0, None
    while total is None or offset < total:
        page = units.search_units(
            op,
            args.term,
            active_only=args.active,
            sort=SORTS[args.sort],
            descending=args.desc,
            offset=offset,
            limit=PAGE,
        )
        total = page.total
        if not total:
            term = clean(args.term.strip())
            print(
                f"Inga mottagningar matchar \u201d{term}\u201d."
                if term
                else "Inga mottagningar finns att visa."
            )
            return 0
        rows = [
            (r.hsa_id, r.name, r.care_type, r.city, "Aktiv" if r.active else "Inaktiv")
            for r in page.rows
        ]
        if tty:
            print_table(headers, rows, widths=(17, 26, 11, 10, 7), header=offset == 0)
        else:
            if offset == 0:
                print("\t".join(headers))
            for row in rows:
                print("\t".join(clean(c) for c in row))
        offset += len(page.rows)
        if not page.rows:
            break
    if tty:
        print(f"{number(total)} mottagningar")
    return 0
