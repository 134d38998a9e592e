"""Avvikelser mot HSA: the region's connected units where HSA says otherwise, and the HSA
units of the region never activated (models/hsa_drift.py)."""

from __future__ import annotations

from models.hsa_drift import hsa_drift
from models.operators import Operator
from models.text import clean

from . import common
from .base import Column, ReportParams, ReportResult

SLUG = "avvikelser-mot-hsa"
TITLE = "Avvikelser mot HSA"
ORDER = 10
PARAMETERS: tuple[str, ...] = ()
FORMATS = ("pdf", "xlsx", "csv")
SHOW_ON_SCREEN = True
LANDSCAPE = True
HELP = """\
Visar var regionens anslutna mottagningar och HSA-katalogen inte stämmer överens, som \
de ser ut efter senaste import av HSA-katalogen.

Avvikelse: Borttagen ur HSA (mottagningen är aktiv men finns inte längre i HSA), Ändrad \
i HSA (HSA har ändrat namn, vårdtyp eller adress sedan aktiveringen) eller Aldrig \
aktiverad (en enhet i regionens HSA-katalog som inte är ansluten).
Namn i 1177: mottagningens namn i e-tjänsterna; det får skilja sig från HSA:s med avsikt.
Namn i HSA: enhetens namn i HSA-katalogen nu.
Ändring: vad HSA har ändrat, före → efter.

Åtgärd: inaktivera en mottagning som är borttagen ur HSA, aktivera en som aldrig har \
aktiverats (sidan Avvikelser mot HSA under Vårdmottagningar: i respektive a)."""

COLUMNS = [
    Column("Avvikelse", "text", width=17),
    Column("HSA-id", "text", width=19),
    Column("Namn i 1177", "text", width=28),
    Column("Namn i HSA", "text", width=28),
    Column("Ändring", "text", width=40),
]


def run(op: Operator, params: ReportParams) -> ReportResult:
    ctx = common.prepare(op, __name__, params)
    rows = [
        (d.kind, clean(d.hsa_id), clean(d.name_1177), clean(d.name_hsa), clean(d.what))
        for d in hsa_drift(op)
    ]
    return ctx.result(COLUMNS, rows, totals=False)
