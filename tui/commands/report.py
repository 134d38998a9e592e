"""regionadmin report: the Statistik reports as files, for scripts and scheduled jobs.

    regionadmin report --list            (or: regionadmin report list)
    regionadmin report SLUG [--from D] [--to D] [--unit HSA-ID] [--care-type T]
                            [--only-active] [--as-of D] --format pdf|xlsx|csv --output PATH

Options are read as plain strings and checked here and in the report registry, so every
mistake is one Swedish sentence on stderr (argparse's own messages are English).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from models.errors import ValidationError
from models.text import clean
from models.validation import iso_date
from reports.period import last_month


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "report",
        help="ta fram statistik som PDF, Excel eller CSV",
        description="Tar fram en rapport för din region (Användarkonton: alla regioner). "
        "Utan --from och --to gäller förra kalendermånaden. "
        "regionadmin report --list visar rapporterna.",
    )
    parser.add_argument(
        "slug",
        nargs="?",
        metavar="RAPPORT",
        help="rapportens namn, t.ex. anslutna-mottagningar (list: visa alla)",
    )
    parser.add_argument("--list", action="store_true", help="visa rapporterna och avsluta")
    parser.add_argument(
        "--from", dest="date_from", metavar="ÅÅÅÅ-MM-DD", help="periodens första dag"
    )
    parser.add_argument("--to", dest="date_to", metavar="ÅÅÅÅ-MM-DD", help="periodens sista dag")
    parser.add_argument("--unit", metavar="HSA-ID", help="en mottagning (standard: alla)")
    parser.add_argument(
        "--care-type", dest="care_type", metavar="VÅRDTYP", help="en vårdtyp (standard: alla)"
    )
    parser.add_argument(
        "--only-active", dest="only_active", action="store_true", help="endast aktiva mottagningar"
    )
    parser.add_argument(
        "--as-of",
        dest="as_of",
        metavar="ÅÅÅÅ-MM-DD",
        help="läget vid slutet av den dagen (standard: nu)",
    )
    parser.add_argument(
        "--format",
        dest="format",
        metavar="pdf|xlsx|csv|table",
        help="filformat (standard: efter filnamnets ändelse); table skriver "
        "en tabell i terminalen, i dess bredd, utan fil",
    )
    parser.add_argument(
        "--output",
        "-o",
        dest="output",
        metavar="FIL",
        help="filen att skriva (mappen ska finnas); - skriver CSV till standard ut",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from reports import registry

    if args.list or (args.slug or "").strip().lower() == "list":
        return _list(registry)
    if not args.slug:
        raise ValidationError(
            "Ange vilken rapport du vill ta fram; regionadmin report --list visar dem.",
            field="report",
        )
    module = registry.get(args.slug)
    if (args.format or "").strip().lower() == "table":
        return _table(module, args)
    if not args.output:
        raise ValidationError(
            "Ange filen rapporten ska skrivas till med --output FIL.", field="output"
        )
    to_stdout = args.output == "-"
    fmt = _format(args.format, args.output, module)
    if to_stdout and fmt != "csv":
        raise ValidationError(
            "Bara CSV kan skrivas till standard ut (--output -); ange en fil för PDF och Excel.",
            field="output",
        )
    params = build_params(module, args)

    from reports.writers import check_extension, produce
    from tui.commands._common import Progress, Utf8Out, current_operator

    if not to_stdout:
        check_extension(fmt, args.output)  # before the query: a mistake should not wait
    op = current_operator()
    params = registry.validate_params(module, params, op)
    progress = Progress()  # on stderr, and only when it is a terminal
    try:
        # A missing folder is an error here (a typo should not make folders); the TUI makes
        # its own report folder.
        target = Utf8Out() if to_stdout else args.output
        count, path = produce(
            op,
            module,
            params,
            fmt,
            target,
            progress=lambda done, total: progress.stage("Skriver", done, total),
            make_parents=False,
        )
        if to_stdout:
            target.flush()  # a closed pipe shows now, before "skrivna" is claimed
    finally:
        progress.close()
    if to_stdout:
        print(f"{_rows_written(count)} till standard ut", file=sys.stderr)
    else:
        print(f"{_rows_written(count)} till {clean(path)}")
    return 0


def _rows_written(count: int) -> str:
    """ "1 rad skriven", "1 555 rader skrivna": as the TUI says it."""
    from models.formatting import count_text

    return "1 rad skriven" if count == 1 else f"{count_text(count)} rader skrivna"


def _table(module, args: argparse.Namespace) -> int:
    """--format table: the report read where the user is, no file to fetch."""
    import shutil

    from reports import registry
    from reports.writers.table import render
    from tui.commands._common import current_operator

    if args.output not in (None, "-"):
        raise ValidationError(
            "--format table skrivs till terminalen; ta bort --output eller "
            "välj pdf, xlsx eller csv.",
            field="output",
        )
    op = current_operator()
    params = registry.validate_params(module, build_params(module, args), op)
    width = shutil.get_terminal_size((100, 24)).columns  # honours $COLUMNS
    for line in render(module.run(op, params), width=max(40, width)):
        print(line)
    return 0


def _list(registry) -> int:
    width = max((len(slug) for slug in registry.REPORTS), default=0)
    for slug, module in registry.REPORTS.items():
        formats = ", ".join(module.FORMATS)
        print(f"{slug:<{width}}  {clean(module.TITLE)} ({formats})")
    return 0


def _format(value: str | None, output: str, module) -> str:
    from reports.writers import FORMATS, check_format

    if value:
        return check_format(value, tuple(module.FORMATS))
    suffix = Path(output).suffix.lower().lstrip(".")
    if suffix in FORMATS:  # the file name says it; the report may still not offer it
        return check_format(suffix, tuple(module.FORMATS))
    raise ValidationError(
        "Ange filformat med --format " + "|".join(module.FORMATS) + ".", field="format"
    )


def build_params(module, args: argparse.Namespace):
    """ReportParams from the options; the registry checks what applies to the report."""
    from reports.base import ReportParams
    from reports.period import end_of_day

    date_from = _date(args.date_from, "from", "Från-datum")
    date_to = _date(args.date_to, "to", "Till-datum")
    if "period" in module.PARAMETERS and date_from is None and date_to is None:
        date_from, date_to = last_month()
    as_of_day = _date(args.as_of, "as_of", "Per-datum")
    return ReportParams(
        date_from=date_from,
        date_to=date_to,
        unit=args.unit or None,
        care_type=args.care_type or None,
        only_active=bool(args.only_active),
        as_of=end_of_day(as_of_day) if as_of_day else None,
    )


def _date(value: str | None, field: str, label: str) -> date | None:
    if value is None:
        return None
    return iso_date(value, field, label)
