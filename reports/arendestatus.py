"""Ärendestatus: each case of the period counted once, by its last step inside the period."""

from __future__ import annotations

from models.entities import Case
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


def run(op: Operator, params: ReportParams) -> ReportResult:
    ctx = common.prepare(op, __name__, params)
    received = ctx.in_period(Case.received_at)
    assigned = ctx.in_period(Case.assigned_at)
    closed = ctx.in_period(Case.closed_at)
    # NULL-safe negations: a NULL timestamp is "not in P", so IS NULL OR outside.
    not_assigned = Case.assigned_at.is_null() | ~assigned
    not_closed = Case.closed_at.is_null() | ~closed
    # The three conditions exclude each other, so each case is counted once; each branch
    # reads the index of its own timestamp for the period only.
    query = common.branch_counts(
        Case.case_type,
        ctx.case_scope(),
        [
            ("incoming", received & not_assigned & not_closed),
            ("assigned", assigned & not_closed),
            ("closed", closed),
        ],
    ).tuples()
    counts = {type_id: (int(i), int(f), int(a)) for type_id, i, f, a in query}
    rows = []
    for type_id, label in common.case_types_for(ctx, set(counts)):
        incoming, assigned_, closed_ = counts.get(type_id, (0, 0, 0))
        rows.append((label, incoming, assigned_, closed_, incoming + assigned_ + closed_))
    return ctx.result(COLUMNS, rows)
