"""Inloggningar: successful logins in the period, citizens and staff, from the daily roll-up."""

from __future__ import annotations

from datetime import date

from peewee import fn

from models.entities import CITIZEN, STAFF, LoginDaily
from models.operators import Operator

from . import common, period
from .base import Chart, Column, ReportParams, ReportResult

SLUG = "inloggningar"
TITLE = "Inloggningar"
ORDER = 6
PARAMETERS = ("period",)
FORMATS = ("pdf", "xlsx", "csv")
SHOW_ON_SCREEN = True
KINDS = ((CITIZEN, "Invånare"), (STAFF, "Vårdaktör"))
HELP = """\
Visar det totala antalet lyckade inloggningar i e-tjänsterna under vald tidsperiod, för \
invånare och för vårdaktörer.

Kontotyp: Invånare eller Vårdaktör.
Antal lyckade inloggningar: antal inloggningar under vald period.

Räknas gör lyckade inloggningar vars region är din region (för invånare: \
folkbokföringen vid inloggningen). Perioden är hela kalenderdagar, svensk tid, från \
och med från-datum till och med till-datum. Rapporten läser dagssummeringen av \
inloggningarna; den fylls i när inloggningar importeras.
Totalt-raden summerar kolumnen."""

COLUMNS = [
    Column("Kontotyp", "text", width=12),
    Column("Antal lyckade inloggningar", "int", total=True, width=26),
]


def run(op: Operator, params: ReportParams) -> ReportResult:
    ctx = common.prepare(op, __name__, params)
    # LoginDaily.day is a Stockholm calendar date, so the period is an exact day range.
    query = (
        LoginDaily.select(LoginDaily.kind, fn.SUM(LoginDaily.succeeded))
        .where(
            (LoginDaily.region == ctx.region)
            & (LoginDaily.day >= ctx.params.date_from)
            & (LoginDaily.day <= ctx.params.date_to)
        )
        .group_by(LoginDaily.kind)
        .tuples()
    )
    counts = {kind: int(n or 0) for kind, n in query}
    rows = [(label, counts.get(kind, 0)) for kind, label in KINDS]
    return ctx.result(COLUMNS, rows, chart=_chart(ctx))


def _chart(ctx: common.Context) -> Chart:
    """Successful logins per day or month of the period (the daily roll-up, summed)."""
    per_day = dict(
        LoginDaily.select(LoginDaily.day, fn.SUM(LoginDaily.succeeded))
        .where(
            (LoginDaily.region == ctx.region)
            & (LoginDaily.day >= ctx.params.date_from)
            & (LoginDaily.day <= ctx.params.date_to)
        )
        .group_by(LoginDaily.day)
        .tuples()
    )
    per_day = {
        (d if isinstance(d, date) else date.fromisoformat(str(d))): int(n or 0)
        for d, n in per_day.items()
    }
    bars = period.buckets(ctx.params.date_from, ctx.params.date_to)
    values = [sum(n for d, n in per_day.items() if first <= d <= last) for _, first, last in bars]
    return Chart("Lyckade inloggningar", [label for label, _, _ in bars], values)
