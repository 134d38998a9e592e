"""Handläggningstider: counts and mean step times per case type for the period."""

from __future__ import annotations

import peewee as pw

from models.entities import Case
from models.operators import Operator

from . import common, period
from .base import Column, ReportParams, ReportResult

SLUG = "handlaggningstider"
TITLE = "Handläggningstider"
ORDER = 5
PARAMETERS = ("unit", "period", "as_of")
FORMATS = ("pdf", "xlsx", "csv")
SHOW_ON_SCREEN = True  # Visa: read on screen where the user is
LANDSCAPE = True
HELP = """\
Visar handläggningstider per ärendetyp inom vald tidsperiod, för en mottagning eller för \
alla mottagningar i regionen.

Inkomna: antal inkomna ärenden inom vald period.
Avslutade: antal avslutade ärenden under vald period, oavsett när de kom in.
Obesvarade: antal ärenden som haft någon statusförändring under vald period (inklusive \
avslutade) och som inte avslutats inom 10 dagar från att de inkom: ärendet är inte \
besvarat inom 10 dagar, är besvarat men inte avslutat inom 10 dagar, eller är avslutat \
men efter mer än 10 dagar.
Inkom>Förd: genomsnittlig tid i timmar från att ärenden inkom till att de fördelades, för \
alla ärenden som fördelades i perioden.
Förd>Påbörj: genomsnittlig tid i timmar från att ärenden fördelades till att de \
påbörjades, för alla ärenden som påbörjades i perioden.
Påbörj>Avsl: genomsnittlig tid i timmar från att ärenden påbörjades till att de \
avslutades, för alla ärenden som avslutades i perioden.
Handl tid: genomsnittlig tid i timmar från att ärenden inkom till att de avslutades, för \
ärenden som avslutades i perioden.

OBS! Skillnaden mot rapporten Obesvarade ärenden: den redovisar ärenden som fortfarande \
är öppna, medan Handläggningstider redovisar alla ärenden som tagit mer än 10 dagar även \
om de idag är avslutade.

10 dagar är 240 timmar. Ett ärende räknas som obesvarat först när 240 timmar har gått \
(per rapportens Per-tidpunkt: periodens slut, eller nu om perioden inte är slut). Ett \
ärende som avslutas exakt 240 timmar efter att det kom in är i tid.
Statusförändring: ärendet inkom, fördelades, påbörjades, besvarades eller avslutades i \
perioden.
Medeltiderna visas i timmar med en decimal (avrundat uppåt vid jämnt mitt emellan) och \
är tomma när inget ärende räknas. Förd>Påbörj räknar bara ärenden som har fördelats, \
Påbörj>Avsl bara ärenden som har påbörjats.
Raderna är ärendetyperna som i Antal ärenden per ärendetyp. Totalt-raden summerar \
antalen; medeltider summeras inte."""

# The unit of the four mean times: beside the title on the Rapporter form, and a note under
# the table in the PDF and Excel files (the CSV carries data rows only).
UNIT_NOTE = "medeltider i timmar"
NOTES = [
    "Inkom>Förd, Förd>Påbörj, Påbörj>Avsl och Handl tid är medeltider i timmar, med en decimal."
]

COLUMNS = [
    Column("Ärendetyp", "text", width=28),
    Column("Inkomna", "int", total=True, width=8),
    Column("Avslutade", "int", total=True, width=9),
    Column("Obesvarade", "int", total=True, width=10),
    Column("Inkom>Förd", "hours", width=10),
    Column("Förd>Påbörj", "hours", width=11),
    Column("Påbörj>Avsl", "hours", width=11),
    Column("Handl tid", "hours", width=9),
]
TIMESTAMPS = ("received_at", "assigned_at", "started_at", "answered_at", "closed_at")


def any_in_period(ctx: common.Context) -> pw.Expression:
    """A status change in P: any of the case's timestamps falls in the period."""
    expression = ctx.in_period(Case.received_at)
    for name in TIMESTAMPS[1:]:
        expression |= ctx.in_period(getattr(Case, name))
    return expression


def unanswered(ctx: common.Context) -> pw.Expression:
    """DESIGN.md: ten days passed by as_of, and not closed within those ten days."""
    assert ctx.as_of is not None
    return (Case.received_at <= ctx.as_of - period.TEN_DAYS) & (
        Case.closed_at.is_null() | (Case.closed_at > Case.received_at + period.TEN_DAYS)
    )


def aggregate(ctx: common.Context) -> pw.Select:
    """One pass over the cases with a status change in P, grouped by case type."""
    received = ctx.in_period(Case.received_at)
    assigned = ctx.in_period(Case.assigned_at)
    started = ctx.in_period(Case.started_at) & Case.assigned_at.is_null(False)
    closed = ctx.in_period(Case.closed_at)
    return (
        Case.select(
            Case.case_type,
            common.count_if(received),
            common.count_if(closed),
            common.count_if(unanswered(ctx)),
            common.mean_hours_if(assigned, Case.assigned_at - Case.received_at),
            common.mean_hours_if(started, Case.started_at - Case.assigned_at),
            common.mean_hours_if(
                closed & Case.started_at.is_null(False), Case.closed_at - Case.started_at
            ),
            common.mean_hours_if(closed, Case.closed_at - Case.received_at),
        )
        .where(ctx.case_scope() & any_in_period(ctx))
        .group_by(Case.case_type)
    )


def run(op: Operator, params: ReportParams) -> ReportResult:
    ctx = common.prepare(op, __name__, params)
    values: dict[int, tuple] = {}
    for type_id, received, closed, late, *means in aggregate(ctx).tuples():
        hours = [period.hours(m) for m in means]
        # A type seen only through an answer in P has nothing to show: no row of its own.
        if received or closed or late or any(h is not None for h in hours):
            values[type_id] = (int(received), int(closed), int(late), *hours)
    empty = (0, 0, 0, None, None, None, None)
    rows = [
        (label, *values.get(type_id, empty))
        for type_id, label in common.case_types_for(ctx, set(values))
    ]
    return ctx.result(COLUMNS, rows, notes=NOTES)
