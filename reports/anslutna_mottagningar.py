"""Anslutna mottagningar: the units whose first activation falls in the period."""

from __future__ import annotations

from models.entities import Unit
from models.operators import Operator
from models.text import clean

from . import common, period
from .base import Column, ReportParams, ReportResult

SLUG = "anslutna-mottagningar"
TITLE = "Anslutna mottagningar"
ORDER = 1
PARAMETERS = ("care_type", "period")
FORMATS = ("pdf", "xlsx", "csv")
SHOW_ON_SCREEN = True  # Visa: read on screen where the user is
HELP = """\
Visar vilka mottagningar i din region som anslöts till e-tjänsterna under perioden.

Mottagning: namn på mottagningen.
HSA-id: mottagningens HSA-id.
Vårdtyp: mottagningens vårdtyp.
Anslutningsdatum: dagen (svensk tid) då mottagningen aktiverades första gången. En \
mottagning som har inaktiverats och återaktiverats behåller sitt första anslutningsdatum.
Aktiv: Ja om mottagningen är aktiv när rapporten tas fram, annars Nej.

Vill du se samtliga mottagningar väljer du det tidigaste aktiveringsdatumet som \
från-datum och dagens datum som till-datum. Mottagningar anslutna före maj 2009 har \
ett anslutningsdatum under maj–juni 2009 (databasflytt).
Perioden räknas från från-datum kl. 00.00 till och med hela till-datum.
Raderna sorteras på mottagningens namn. Rapporten har ingen Totalt-rad; antalet \
mottagningar står under tabellen."""

COLUMNS = [
    Column("Mottagning", "text", width=30),
    Column("HSA-id", "text", width=24),
    Column("Vårdtyp", "text", width=18),
    Column("Anslutningsdatum", "date", width=12),
    Column("Aktiv", "text", width=5),
]


def run(op: Operator, params: ReportParams) -> ReportResult:
    ctx = common.prepare(op, __name__, params)
    where = (Unit.region == ctx.region) & ctx.in_period(Unit.first_activated_at)
    if ctx.params.care_type:
        where &= Unit.care_type == ctx.params.care_type
    query = (
        Unit.select(Unit.name, Unit.hsa_id, Unit.care_type, Unit.first_activated_at, Unit.active)
        .where(where)
        .tuples()
    )
    rows = common.sort_units(
        [
            (
                clean(name),
                clean(hsa_id),
                clean(care_type),
                period.local_date(first),
                "Ja" if active else "Nej",
            )
            for name, hsa_id, care_type, first, active in query
        ]
    )
    active = sum(1 for row in rows if row[4] == "Ja")
    notes = [f"Antal anslutna mottagningar: {len(rows)}, varav aktiva: {active}."]
    return ctx.result(COLUMNS, rows, totals=False, notes=notes)
