"""regionadmin import KIND FILE / export KIND --output FILE: the interchange files."""

from __future__ import annotations

import argparse
import sys
import textwrap

from models.operators import current_login, require_system_owner
from models.text import clean
from models.transfer import COLUMNS, KINDS, export_file, import_file

from ._common import Progress, Utf8Out, number, require_schema

_OWNER_NOTE = (
    "Import och export är systemägarens verktyg: de körs med direkt åtkomst till databasen "
    "(som regionadmin operator link), utan kontroll mot en landstingsadministratörs region. "
    "Utförare i loggen är OS-användaren."
)


def _paragraphs(*texts: str) -> str:
    """Pre-wrapped for an 80-column terminal (the raw formatter keeps the column lists)."""
    return "\n\n".join(textwrap.fill(t, 79) for t in texts)


def _formats() -> str:
    lines = ["Filtyper och kolumner (CSV, UTF-8, rubrikrad, avgränsare , eller ;):"]
    lines += [
        textwrap.fill(
            f"{kind}: {', '.join(columns)}", 79, initial_indent="  ", subsequent_indent="      "
        )
        for kind, columns in COLUMNS.items()
    ]
    lines.append(
        textwrap.fill(
            "Tidpunkter enligt ISO 8601 (utan tidszon: svensk tid), "
            "sant/falskt som true/false, personnummer med 12 siffror.",
            79,
        )
    )
    return "\n".join(lines)


def register(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser(
        "import",
        help="systemägare: läs in en fil till databasen",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=_paragraphs(
            "Läser in en CSV-fil. Allt eller inget: en felaktig rad anges med radnummer och "
            "fält, och då sparas ingenting. Rader med samma nyckel (HSA-id, personnummer, "
            "ärende-id, konto-id) uppdateras; inloggningar läggs alltid till.",
            _OWNER_NOTE,
        ),
        epilog=_formats(),
    )
    imp.add_argument("kind", metavar="TYP", choices=KINDS, help=", ".join(KINDS))
    imp.add_argument("file", metavar="FIL", help="CSV-filen; - läser från standard in")
    imp.add_argument(
        "--complete",
        action="store_true",
        help="hsa-units: filen är hela HSA-katalogen för regionerna i den; en "
        "enhet som saknas i filen räknas som borttagen ur HSA (regionadmin "
        "hsa diff)",
    )
    imp.set_defaults(handler=run_import)

    exp = sub.add_parser(
        "export",
        help="systemägare: skriv ut data till en fil",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=_paragraphs(
            "Skriver en CSV-fil med samma kolumner som import läser, så att filen kan läsas "
            "in igen oförändrad.",
            "Värdena skrivs exakt som de är lagrade. Till skillnad från rapporternas CSV "
            "skyddas text som börjar med = + - @ inte mot kalkylprogrammens formler: öppna "
            "inte en export direkt i Excel, använd en rapport (regionadmin report) för det. "
            "Bara när utdata är en terminal rensas styrtecken bort.",
            _OWNER_NOTE,
        ),
        epilog=_formats(),
    )
    exp.add_argument("kind", metavar="TYP", choices=KINDS, help=", ".join(KINDS))
    exp.add_argument(
        "--output",
        "-o",
        required=True,
        metavar="FIL",
        help="filen som skrivs (mappen ska finnas); - skriver till standard ut",
    )
    exp.set_defaults(handler=run_export)


def run_import(args: argparse.Namespace) -> int:
    require_schema()
    require_system_owner("Import")
    progress = Progress()
    source = sys.stdin.buffer if args.file == "-" else args.file
    try:
        result = import_file(
            args.kind,
            source,
            actor_name=current_login(),
            progress=progress.rows,
            complete=args.complete,
        )
    finally:
        progress.close()
    print(
        f"Inläst: {number(result.rows)} rader ({result.kind}) från {clean(result.source)}, "
        f"varav {number(result.created)} nya och {number(result.updated)} uppdaterade."
    )
    return 0


def run_export(args: argparse.Namespace) -> int:
    require_schema()
    require_system_owner("Export")
    to_stdout = args.output == "-"
    progress = Progress()
    try:
        target = Utf8Out() if to_stdout else args.output
        rows = export_file(args.kind, target, progress=progress.rows)
        if to_stdout:
            target.flush()  # a closed pipe shows now, before "Exporterat" is claimed
    finally:
        progress.close()
    where = "standard ut" if to_stdout else clean(args.output)
    print(
        f"Exporterat: {number(rows)} rader ({args.kind}) till {where}.",
        file=sys.stderr if to_stdout else sys.stdout,
    )
    return 0
