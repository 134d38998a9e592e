"""Obesvarade ärenden: cases older than ten days that are still open at the as-of moment."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import peewee as pw

from models.db import database, is_postgres
from models.entities import Case, CaseType, HsaPerson, StaffAccount, Unit
from models.operators import Operator
from models.text import clean
from models.timeutil import TimestampOutOfRange

from . import common, period
from .base import Column, ReportParams, ReportResult, RowSource

SLUG = "obesvarade-arenden"
TITLE = "Obesvarade ärenden"
ORDER = 7
PARAMETERS = ("unit", "as_of")
FORMATS = ("pdf", "xlsx", "csv")
SHOW_ON_SCREEN = True  # Visa: read on screen where the user is
LANDSCAPE = True
STREAMS = True  # one row per case: written straight from the cursor (run(stream=True))
FETCH_ROWS = 2000  # rows per FETCH from PostgreSQL's server-side cursor
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


def run(op: Operator, params: ReportParams, *, stream: bool = False) -> ReportResult:
    """Every row in a list; with `stream`, a RowSource that runs the query when the writer
    starts reading and gives the rows one by one (the count of the note comes after)."""
    ctx = common.prepare(op, __name__, params)
    assert ctx.as_of is not None
    if ctx.unit is not None:
        units, scope = Unit.id == ctx.unit.id, Case.unit == ctx.unit.id
    else:
        units = scope = Unit.region == ctx.region
    where = open_at(ctx.as_of) & scope
    source = RowSource(_rows(ctx.as_of, where, units), expected=lambda: _count(where))
    result = ctx.result(COLUMNS, source, totals=False)
    source.when_read(lambda read: result.notes.append(_note(read.count)))
    return result if stream else result.held()


def _note(count: int) -> str:
    return f"Antal obesvarade ärenden: {count}."


def _cases(where: pw.Expression) -> pw.Select:
    """The cases of the report: of the chosen unit, or of any unit of the region."""
    return Case.select().join(Unit, on=(Case.unit == Unit.id)).where(where)


def _count(where: pw.Expression) -> int:
    """The rows the query will give (for the progress line): the cases of the units in
    scope with a case type (the rows _rows drops are none in a sound store)."""
    query = _cases(where).join_from(Case, CaseType, on=(Case.case_type == CaseType.id))
    return query.select(pw.fn.COUNT(pw.SQL("*"))).scalar() or 0


def _query(where: pw.Expression) -> pw.Select:
    """Ids and times only, in the report's order. The database sorts every row of the
    result before the first (no index gives received_at, id); narrow rows keep that sort
    small (SQLite sorts in this process: with the names it held about 150 bytes a case).
    The texts come from the dictionaries of _rows."""
    return (
        _cases(where)
        .select(
            Case.unit,
            Case.case_type,
            Case.received_at,
            Case.assigned_at,
            Case.assignee,
            Case.id,
        )
        .order_by(Case.received_at, Case.id)
    )


def _rows(as_of: int, where: pw.Expression, units: pw.Expression) -> Iterator[tuple]:
    """The report's rows as the cursor gives them (the queries run on the first row).

    Units, case types and the assignees' names are read first into dictionaries, cleaned
    once each, as the joins of one query would give them (inner joins for the unit and
    the case type, outer for the assignee and the person)."""
    unit_texts = {
        unit_id: (clean(name), clean(hsa_id), clean(email))
        for unit_id, name, hsa_id, email in Unit.select(Unit.id, Unit.name, Unit.hsa_id, Unit.email)
        .where(units)
        .tuples()
    }
    type_names = {
        type_id: clean(name)
        for type_id, name in CaseType.select(CaseType.id, CaseType.name).tuples()
    }
    names = _assignee_names(_cases(where).select(Case.assignee))
    cursor = _cursor(_query(where))
    try:
        for unit_id, type_id, received, assigned, assignee, case_id in cursor:
            unit, type_name = unit_texts.get(unit_id), type_names.get(type_id)
            if unit is None or type_name is None:
                continue  # as an inner join would: no such unit or case type
            yield _row(as_of, unit, type_name, received, assigned, names.get(assignee, ""), case_id)
    finally:
        cursor.close()  # also when the writer stops early (RowSource.close)


def _assignee_names(assignees: pw.Select) -> dict[int, str]:
    """The name shown for each staff account among `assignees`: the first name as the
    person is called (HsaPerson.first_name_of) and the surname; "" without a person."""
    query = (
        StaffAccount.select(
            StaffAccount.id,
            StaffAccount.preferred_name,
            HsaPerson.preferred_name,
            HsaPerson.given_names,
            HsaPerson.surname,
        )
        .join(HsaPerson, pw.JOIN.LEFT_OUTER, on=(StaffAccount.person == HsaPerson.id))
        .where(StaffAccount.id.in_(assignees))
        .tuples()
    )
    names: dict[int, str] = {}
    for account_id, own_name, preferred, given, surname in query:
        if surname is None and given is None:
            names[account_id] = ""
            continue
        first = HsaPerson.first_name_of(own_name, preferred, given)
        names[account_id] = clean(f"{first} {surname or ''}".strip())
    return names


def _cursor(query: pw.Select) -> Iterator[tuple[Any, ...]]:
    """Raw cursor rows (the columns are plain ints and strings, and peewee's per-row
    conversion cost more than the query on 40,000 rows), never all in memory at once.

    SQLite's cursor steps through the result as it is read. psycopg would fetch the whole
    result into the client first; here it is a server-side cursor read FETCH_ROWS at a
    time, in a transaction of its own (a server-side cursor lives in one): each FETCH is a
    statement of its own, so a statement timeout never counts the time the writer takes.
    Stopping early (close()) closes the cursor and ends the transaction."""
    if not is_postgres():
        rows = database.execute(query)
        try:
            yield from rows
        finally:
            rows.close()
        return
    sql, params = database.get_sql_context().sql(query).query()
    with database.atomic():
        cursor = database.connection().cursor(name="obesvarade_arenden")
        cursor.itersize = FETCH_ROWS
        try:
            with pw.__exception_wrapper__:  # driver errors as peewee's, like database.execute
                cursor.execute(sql, params)
                yield from cursor
        finally:
            cursor.close()


def _row(
    as_of: int,
    unit: tuple[str, str, str],
    type_name: str,
    received: int,
    assigned: int | None,
    name: str,
    case_id: int,
) -> tuple:
    # As of `as_of` a case assigned later was not assigned yet: no time, no name.
    if assigned is not None and assigned > as_of:
        assigned = None
        name = ""
    try:
        received_at = period.local_datetime(received)
        assigned_at = period.local_datetime(assigned)
    except TimestampOutOfRange as error:  # a time put in with direct SQL: name the case
        raise error.for_row(f"Ärende {case_id}") from None
    unit_name, hsa_id, email = unit
    return (unit_name, hsa_id, type_name, received_at, assigned_at, name, email)
