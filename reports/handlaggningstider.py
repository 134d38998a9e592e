"""Handläggningstider: counts and mean step times per case type for the period."""

from __future__ import annotations

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


def measures_for(as_of: int) -> common.Measures:
    """Counts and sums of seconds: Inkomna, Avslutade, Obesvarade, then (count, seconds)
    for each of the four mean times."""

    def measures(source: common.Source) -> list:
        received = source.in_p("received_at")
        assigned = source.in_p("assigned_at")
        started = source.in_p("started_at") & source.has("assigned_at")
        closed = source.in_p("closed_at")
        closed_started = closed & source.has("started_at")
        # DESIGN.md: a status change in P, ten days passed by as_of, not closed within them.
        late = common.any_in_p(source) & source.received_by(as_of - period.TEN_DAYS) & source.late()
        return [
            source.count(received),
            source.count(closed),
            source.count(late),
            source.count(assigned),
            source.seconds(assigned, "received_to_assigned"),
            source.count(started),
            source.seconds(started, "assigned_to_started"),
            source.count(closed_started),
            source.seconds(closed_started, "started_to_closed"),
            source.count(closed),
            source.seconds(closed, "received_to_closed"),
        ]

    return measures


def run(op: Operator, params: ReportParams) -> ReportResult:
    ctx = common.prepare(op, __name__, params)
    assert ctx.as_of is not None
    moment = ctx.as_of - period.TEN_DAYS
    values: dict[int, tuple] = {}
    sums = common.per_case_type(ctx, measures_for(ctx.as_of), moment)
    for type_id, (received, closed, late, *pairs) in sums.items():
        hours = [common.mean_hours(pairs[i + 1], pairs[i]) for i in range(0, 8, 2)]
        # A type seen only through an answer in P has nothing to show: no row of its own.
        if received or closed or late or any(h is not None for h in hours):
            values[type_id] = (received, closed, late, *hours)
    empty = (0, 0, 0, None, None, None, None)
    rows = [
        (label, *values.get(type_id, empty))
        for type_id, label in common.case_types_for(ctx, set(values))
    ]
    return ctx.result(COLUMNS, rows, notes=NOTES)
