"""Antal ärenden per mottagning: received, assigned and closed in the period, per unit."""

from __future__ import annotations

from models.entities import Unit
from models.operators import Operator
from models.text import clean

from . import common
from .base import Column, ReportParams, ReportResult

SLUG = "arenden-per-mottagning"
TITLE = "Antal ärenden per mottagning"
ORDER = 2
PARAMETERS = ("care_type", "period")
FORMATS = ("pdf", "xlsx", "csv")
SHOW_ON_SCREEN = True  # Visa: read on screen where the user is
HELP = """\
Visar antal ärenden per mottagning inom vald tidsperiod.

Mottagning: namn på mottagningen.
HSA-id: mottagningens HSA-id.
Inkomna: antal inkomna ärenden under vald period.
Fördelade: antal fördelade ärenden under vald period, oavsett när de kom in.
Avslutade: antal avslutade ärenden under vald period, oavsett när de kom in.
OBS! Ett ärende kan förekomma i en eller flera kolumner.

Med kommer alla mottagningar som är aktiva nu, och inaktiverade mottagningar som har \
något ärende i någon av kolumnerna. Vårdtyp avgränsar mottagningarna.
Perioden räknas från från-datum kl. 00.00 till och med hela till-datum (svensk tid).
Raderna sorteras på mottagningens namn; Totalt-raden summerar kolumnerna."""

COLUMNS = [
    Column("Mottagning", "text", width=30),
    Column("HSA-id", "text", width=24),
    Column("Inkomna", "int", total=True, width=9),
    Column("Fördelade", "int", total=True, width=9),
    Column("Avslutade", "int", total=True, width=9),
]
NOTES = ["Ett ärende kan förekomma i en eller flera kolumner."]


def run(op: Operator, params: ReportParams) -> ReportResult:
    ctx = common.prepare(op, __name__, params)
    counts = common.per_unit(ctx)
    where = Unit.region == ctx.region
    if ctx.params.care_type:
        where &= Unit.care_type == ctx.params.care_type
    query = Unit.select(Unit.id, Unit.name, Unit.hsa_id, Unit.active).where(where).tuples()
    rows = []
    for unit_id, name, hsa_id, active in query:
        values = counts.get(unit_id, [0, 0, 0])
        # Inactive units only with a case in one of the columns.
        if active or any(values):
            rows.append((clean(name), clean(hsa_id), *values))
    chart = ctx.received_chart("Inkomna ärenden", care_type=True)
    return ctx.result(COLUMNS, common.sort_units(rows), notes=NOTES, chart=chart)
