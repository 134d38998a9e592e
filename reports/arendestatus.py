"""Ärendestatus: each case of the period counted once, by its last step inside the period."""

from __future__ import annotations

from models.operators import Operator

from . import common
from .base import Column, ReportParams, ReportResult

SLUG = "arendestatus"
TITLE = "Ärendestatus"
ORDER = 8
PARAMETERS = ("unit", "period")
FORMATS = ("pdf", "xlsx", "csv")
SHOW_ON_SCREEN = True  # Visa: read on screen where the user is
HELP = """\
Visar totala antalet pågående och avslutade ärenden inom vald tidsperiod, per \
ärendetyp, för en mottagning eller för alla mottagningar i regionen.

Inkomna: ärendet är skapat under vald period och eventuella övriga ändringar ligger \
utanför perioden (det är varken fördelat eller avslutat i perioden).
Fördelade: ärendet är fördelat (men inte avslutat) under vald period, oavsett när det \
inkom.
Avslutade: ärendet är avslutat under vald period, oavsett när det kom in.
Summa: summa av antalet ärenden i de tre föregående kolumnerna.

Varje ärende räknas högst en gång. Raderna är ärendetyperna som i Antal ärenden per \
ärendetyp. Perioden räknas från från-datum kl. 00.00 till och med hela till-datum \
(svensk tid). Totalt-raden summerar kolumnerna."""

COLUMNS = [
    Column("Ärendetyp", "text", width=30),
    Column("Inkomna", "int", total=True, width=9),
    Column("Fördelade", "int", total=True, width=9),
    Column("Avslutade", "int", total=True, width=9),
    Column("Summa", "int", total=True, width=9),
]


def measures(source: common.Source) -> list:
    """The three columns exclude each other, so each case is counted once."""
    received = source.in_p("received_at")
    assigned = source.in_p("assigned_at")
    closed = source.in_p("closed_at")
    return [
        source.count(received & ~assigned & ~closed),
        source.count(assigned & ~closed),
        source.count(closed),
    ]


def run(op: Operator, params: ReportParams) -> ReportResult:
    ctx = common.prepare(op, __name__, params)
    counts = {
        type_id: tuple(values)
        for type_id, values in common.per_case_type(
            ctx, measures, steps=("assigned_at", "closed_at")
        ).items()
        if any(values)
    }
    rows = []
    for type_id, label in common.case_types_for(ctx, set(counts)):
        incoming, assigned_, closed_ = counts.get(type_id, (0, 0, 0))
        rows.append((label, incoming, assigned_, closed_, incoming + assigned_ + closed_))
    return ctx.result(COLUMNS, rows)
