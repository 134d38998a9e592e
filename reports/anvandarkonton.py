"""Användarkonton: registered citizen and staff accounts per region, now."""

from __future__ import annotations

from peewee import fn

from models.db import is_postgres
from models.entities import CitizenAccount, Region, StaffAccount
from models.operators import Operator
from models.pgsecurity import account_counts
from models.text import clean

from . import common
from .base import Column, ReportParams, ReportResult

SLUG = "anvandarkonton"
TITLE = "Användarkonton"
ORDER = 4
PARAMETERS: tuple[str, ...] = ()
FORMATS = ("pdf", "xlsx", "csv")
SHOW_ON_SCREEN = True
REGIONAL = False  # the one report that lists every region
UNKNOWN = "Okänd"
HELP = """\
Visar antalet registrerade användarkonton per region när rapporten tas fram.

Region: landsting eller region.
Invånarkonton: antal registrerade invånarkonton då rapporten begärs, sorterade på \
region utifrån folkbokföring vid senaste inloggning.
Vårdaktörskonton: antalet registrerade vårdaktörskonton då rapporten begärs, sorterade \
på kontots region.

Rapporten visar alla 21 regioner, i länskodsordning, även de som saknar konton. Raden \
Okänd räknar konton utan region, till exempel invånare som ännu inte har loggat in.
Totalt-raden summerar kolumnerna."""

COLUMNS = [
    Column("Region", "text", width=28),
    Column("Invånarkonton", "int", total=True, width=14),
    Column("Vårdaktörskonton", "int", total=True, width=16),
]


def _per_region(model) -> dict[str | None, int]:
    query = model.select(model.region, fn.COUNT(model.id)).group_by(model.region).tuples()
    return {region: int(n) for region, n in query}


def _counts() -> tuple[dict[str | None, int], dict[str | None, int]]:
    if is_postgres():
        # Row-level security hides other regions' accounts: the counts come from a
        # definer function that returns nothing but counts.
        counts: dict[str, dict[str | None, int]] = {"citizen": {}, "staff": {}}
        for kind, region, n in account_counts():
            counts[kind][region] = n
        return counts["citizen"], counts["staff"]
    return _per_region(CitizenAccount), _per_region(StaffAccount)


def run(op: Operator, params: ReportParams) -> ReportResult:
    ctx = common.prepare(op, __name__, params)
    citizens, staff = _counts()
    regions = list(Region.select(Region.code, Region.name).order_by(Region.code).tuples())
    rows = [(clean(name), citizens.get(code, 0), staff.get(code, 0)) for code, name in regions]
    rows.append((UNKNOWN, citizens.get(None, 0), staff.get(None, 0)))
    return ctx.result(COLUMNS, rows)
