"""Obesvarade ärenden: cases older than ten days that are still open at the as-of moment."""

from __future__ import annotations

from collections.abc import Callable

import peewee as pw

from models.db import database
from models.entities import Case, CaseType, HsaPerson, StaffAccount, Unit
from models.operators import Operator
from models.text import clean
from models.timeutil import TimestampOutOfRange

from . import common, period
from .base import Column, ReportParams, ReportResult

SLUG = "obesvarade-arenden"
TITLE = "Obesvarade ärenden"
ORDER = 7
PARAMETERS = ("unit", "as_of")
FORMATS = ("pdf", "xlsx", "csv")
SHOW_ON_SCREEN = True  # Visa: read on screen where the user is
LANDSCAPE = True
HELP = """\
Visar ärenden som har inkommit men inte avslutats, givet att de är äldre än 10 dagar, \
för en mottagning eller för alla mottagningar i regionen. Obs! I den ursprungliga \
tjänsten var innehållet i den här rapporten inte tillförlitligt.

Mottagning: namn på mottagningen.
HSA-id: mottagningens HSA-id.
Ärendetyp: ärendets ärendetyp.
Inkommet: datum och tid då ärendet inkom.
Fördelade: datum och tid då ärendet fördelades (tomt om det inte är fördelat).
Namn: av mottagningen angiven kontaktperson, det vill säga den person som fått ärendet \
tilldelat sig.
E-postärendemottagare: av mottagningen angiven e-post.

OBS! Skillnaden mot Obesvarade i rapporten Handläggningstider: Obesvarade ärenden \
redovisar ärenden som fortfarande är öppna, medan Handläggningstider redovisar alla \
ärenden som tagit mer än 10 dagar även om de idag är avslutade.

Rapporten beskriver läget vid Per-tidpunkten (standard: nu; ett datum betyder slutet av \
den dagen). Med kommer ärenden som inkom minst 240 timmar före Per-tidpunkten och som \
inte var avslutade då. Ett ärende som fördelades efter Per-tidpunkten visas som \
ofördelat. Äldsta ärendet står först. Rapporten har ingen Totalt-rad; antalet ärenden \
står under tabellen."""

COLUMNS = [
    Column("Mottagning", "text", width=26),
    Column("HSA-id", "text", width=22),
    Column("Ärendetyp", "text", width=22),
    Column("Inkommet", "datetime", width=16),
    Column("Fördelade", "datetime", width=16),
    Column("Namn", "text", width=22),
    Column("E-postärendemottagare", "text", width=28),
]


def open_at(as_of: int) -> pw.Expression:
    """Received at least ten days before `as_of` and not closed at `as_of`."""
    return (Case.received_at <= as_of - period.TEN_DAYS) & (
        Case.closed_at.is_null() | (Case.closed_at > as_of)
    )


def run(op: Operator, params: ReportParams) -> ReportResult:
    ctx = common.prepare(op, __name__, params)
    assert ctx.as_of is not None
    where = open_at(ctx.as_of)
    where &= (Case.unit == ctx.unit.id) if ctx.unit is not None else (Unit.region == ctx.region)
    query = (
        Case.select(
            Unit.name,
            Unit.hsa_id,
            CaseType.name,
            Case.received_at,
            Case.assigned_at,
            StaffAccount.preferred_name,
            HsaPerson.preferred_name,
            HsaPerson.given_names,
            HsaPerson.surname,
            Unit.email,
            Case.id,
        )
        .join(Unit, on=(Case.unit == Unit.id))
        .switch(Case)
        .join(CaseType, on=(Case.case_type == CaseType.id))
        .switch(Case)
        .join(StaffAccount, pw.JOIN.LEFT_OUTER, on=(Case.assignee == StaffAccount.id))
        .join(HsaPerson, pw.JOIN.LEFT_OUTER, on=(StaffAccount.person == HsaPerson.id))
        .where(where)
        .order_by(Case.received_at, Case.id)
    )
    # Raw cursor rows: the columns are plain ints and strings, and peewee's per-row
    # conversion cost more than the query on 40,000 rows. Names repeat, so they are
    # cleaned once each.
    cleaned: dict[str | None, str] = {}

    def text(value: str | None) -> str:
        if value not in cleaned:
            cleaned[value] = clean(value)
        return cleaned[value]

    rows = [_row(ctx.as_of, text, *values) for values in database.execute(query)]
    return ctx.result(
        COLUMNS, rows, totals=False, notes=[f"Antal obesvarade ärenden: {len(rows)}."]
    )


def _row(
    as_of: int,
    text: Callable[[str | None], str],
    unit_name: str,
    hsa_id: str,
    type_name: str,
    received: int,
    assigned: int | None,
    own_name: str | None,
    preferred: str | None,
    given: str | None,
    surname: str | None,
    email: str,
    case_id: int | None = None,
) -> tuple:
    name = ""
    # As of `as_of` a case assigned later was not assigned yet: no time, no name.
    if assigned is not None and assigned > as_of:
        assigned = None
    elif surname is not None or given is not None:
        first = HsaPerson.first_name_of(own_name, preferred, given)
        name = text(f"{first} {surname or ''}".strip())
    try:
        received_at = period.local_datetime(received)
        assigned_at = period.local_datetime(assigned)
    except TimestampOutOfRange as error:  # a time put in with direct SQL: name the case
        raise error.for_row(f"Ärende {case_id}") from None
    return (
        text(unit_name),
        text(hsa_id),
        text(type_name),
        received_at,
        assigned_at,
        name,
        text(email),
    )
