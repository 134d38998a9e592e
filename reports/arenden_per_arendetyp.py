"""Antal ärenden per ärendetyp: received and closed in the period, per case type."""

from __future__ import annotations

from models.operators import Operator

from . import common
from .base import Column, ReportParams, ReportResult

SLUG = "arenden-per-arendetyp"
TITLE = "Antal ärenden per ärendetyp"
ORDER = 3
PARAMETERS = ("unit", "period")
FORMATS = ("pdf", "xlsx", "csv")
SHOW_ON_SCREEN = True  # Visa: read on screen where the user is
HELP = """\
Visar antalet ärenden per ärendetyp inom vald tidsperiod, för en mottagning eller för \
alla mottagningar i regionen.

Ärendetyp: ärendetypens namn.
Inkomna: antal inkomna ärenden inom vald period.
Avslutade: antal avslutade ärenden under vald period, oavsett när de kom in.
OBS! Ett ärende kan förekomma i en eller båda kolumnerna.

Raderna är mottagningens ärendetyper (för alla mottagningar: ärendetyper som finns på \
någon mottagning i regionen), aktiva eller inte, och dessutom varje ärendetyp som har \
ärenden i perioden. Standardtyperna står först i den centrala bankens ordning, sedan \
egna och integrationsärendetyper i bokstavsordning.
Perioden räknas från från-datum kl. 00.00 till och med hela till-datum (svensk tid)."""

COLUMNS = [
    Column("Ärendetyp", "text", width=30),
    Column("Inkomna", "int", total=True, width=9),
    Column("Avslutade", "int", total=True, width=9),
]
NOTES = ["Ett ärende kan förekomma i en eller båda kolumnerna."]


def measures(source: common.Source) -> list:
    return [source.count(source.in_p("received_at")), source.count(source.in_p("closed_at"))]


def run(op: Operator, params: ReportParams) -> ReportResult:
    ctx = common.prepare(op, __name__, params)
    counts = {
        type_id: tuple(values)
        for type_id, values in common.per_case_type(ctx, measures, steps=("closed_at",)).items()
        if any(values)
    }
    rows = [
        (label, *counts.get(type_id, (0, 0)))
        for type_id, label in common.case_types_for(ctx, set(counts))
    ]
    chart = ctx.received_chart("Inkomna ärenden")
    return ctx.result(COLUMNS, rows, notes=NOTES, chart=chart)
