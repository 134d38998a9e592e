"""Summaries of the case table that the year reports read instead of a year of raw cases.

Four tables (models/entities.py), all derived from `case` only, kept set-based:

- case_unit_month: per unit and local month, the cases received, assigned and closed in
  it (Antal ärenden per mottagning, the charts);
- case_pattern: per region and case type, the cases grouped by their local day received,
  the local months of the four later steps and the "closed late" flag, with the sums of
  the step times (Antal ärenden per ärendetyp, Ärendestatus, Handläggningstider). Any
  question of the form "which of the case's timestamps fall in P" has one answer per row
  when P is made of whole months (and whole days for received), so these reports are exact
  from it;
- case_unit_day and case_day_pattern: the same at the day of every timestamp, for the
  partial months at a period's edges (case_day_pattern holds a case once under each month
  of its later steps, so the cases with a step in an edge month are that month's rows).

Days and months are Stockholm's (DST included): `local day` = days since 1970-01-01 of the
local date, `month` = yyyymm (0: the step has no timestamp). Every writer of cases keeps
them in its own transaction, set-based: remove(ids) before it overwrites existing cases
and add(ids) after it wrote them (a delta: GROUP BY over those cases only, added with
INSERT .. ON CONFLICT), or rebuild() after a bulk load into an empty table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta

import peewee as pw

from .db import database, is_postgres
from .entities import CaseDayPattern, CasePattern, CaseUnitDay, CaseUnitMonth
from .timeutil import STOCKHOLM

EPOCH_DAY = date(1970, 1, 1)
TEN_DAYS = 240 * 3600  # "10 dagar": the late flag of Handläggningstider's Obesvarade
STEPS = ("assigned_at", "started_at", "answered_at", "closed_at")
TIMESTAMPS = ("received_at", *STEPS)
# The day of a step that has no timestamp: before any day a timestamp can have (year 1).
NO_DAY = -1_000_000


# --- keys, in Python (the reports) ---------------------------------------------------------


def day_number(day: date) -> int:
    return (day - EPOCH_DAY).days


def month_key(day: date) -> int:
    return day.year * 100 + day.month


def month_start(key: int) -> date:
    return date(key // 100, key % 100, 1)


def next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def local_date(epoch: int) -> date:
    return datetime.fromtimestamp(epoch, STOCKHOLM).date()


# --- keys, in SQL ---------------------------------------------------------------------------


def _dst_case(column: str, first_year: int, last_year: int) -> str:
    """Stockholm's UTC offset at `column` as a CASE over the transitions of those years:
    SQLite has no time zones, and the offset is all a local date needs."""
    branches = []
    for year in range(first_year, last_year + 1):
        for month in (3, 10):
            # The EU rule: the last Sunday of March / October at 01:00 UTC.
            last = date(year, month, 31)
            last -= timedelta(days=(last.weekday() + 1) % 7)
            moment = int(datetime(last.year, month, last.day, 1, tzinfo=UTC).timestamp())
            before = STOCKHOLM.utcoffset(datetime.fromtimestamp(moment - 1, STOCKHOLM))
            assert before is not None
            branches.append(f"WHEN {column} < {moment} THEN {int(before.total_seconds())}")
    return f"(CASE {' '.join(branches)} ELSE 3600 END)"


class _Keys:
    """SQL for the local day of a timestamp column, and the month of a day, on this
    backend."""

    def __init__(
        self,
        where: str = "1 = 1",
        native: bool = False,
        params: tuple = (),
        source: str = '"case"',
    ) -> None:
        """Keys for the cases (alias c) of `where`. `native`: PostgreSQL's own time zone
        arithmetic, valid whatever the data (the unit trigger's body); else integer
        comparisons over the years those cases span, several times cheaper per row."""
        self.pg = is_postgres()
        self.native = native and self.pg
        self.years = (2000, 2000)
        if not self.native:
            # The cases about to be grouped, not the table: a bulk load builds the
            # timestamps' indexes only at its end, and a scan per batch would be quadratic.
            # "+ 0": PostgreSQL answered each MIN/MAX by walking the timestamp's index
            # from its end until a row of `where` came by (5 s for the last 100k of 2M).
            ends = ", ".join(f"MIN(c.{c} + 0), MAX(c.{c} + 0)" for c in TIMESTAMPS)
            sql = f"SELECT {ends} FROM {source} c WHERE {where}"
            row = database.execute_sql(sql, params).fetchone()
            values = [v for v in row or () if v is not None]
            if values:
                self.years = (local_date(min(values)).year, local_date(max(values)).year)

    def _local(self, column: str) -> str:
        return f"({column} + {_dst_case(column, *self.years)})"

    def day(self, column: str) -> str:
        if self.native:
            return (
                f"((to_timestamp({column}) AT TIME ZONE 'Europe/Stockholm')::date "
                "- DATE '1970-01-01')"
            )
        return f"({self._local(column)} / 86400)"

    def day_month(self, day: str) -> str:
        """The month (yyyymm) of the local day number `day`; 0 for NO_DAY. Computed on
        grouped rows rather than per case: a month follows from its day."""
        if self.native:
            local = f"(DATE '1970-01-01' + {day})"
            month = (
                f"CAST(date_part('year', {local}) AS integer) * 100 "
                f"+ CAST(date_part('month', {local}) AS integer)"
            )
            return f"(CASE WHEN {day} = {NO_DAY} THEN 0 ELSE {month} END)"
        first = date(self.years[0], 1, 1)
        starts = []
        while first.year <= self.years[1]:
            starts.append((day_number(first), month_key(first)))
            first = next_month(first)
        return f"(CASE WHEN {day} = {NO_DAY} THEN 0 ELSE {_search(day, starts)} END)"


def _search(column: str, starts: list[tuple[int, int]]) -> str:
    """The key of the last (start, key) at or before `column` (the starts cover every
    year the data spans, so nothing lies before the first)."""
    if len(starts) == 1:
        return str(starts[0][1])
    middle = len(starts) // 2
    return (
        f"CASE WHEN {column} < {starts[middle][0]} THEN {_search(column, starts[:middle])} "
        f"ELSE {_search(column, starts[middle:])} END"
    )


# --- writing the summaries -----------------------------------------------------------------


def _unique_key(model: type[pw.Model]) -> tuple[str, ...]:
    """The columns of `model`'s unique index (models/entities.py): what its upserts
    conflict on."""
    ((fields, _),) = [index for index in model._meta.indexes if index[1]]
    return tuple(model._meta.fields[name].column_name for name in fields)


PATTERN_KEY = _unique_key(CasePattern)
DAY_PATTERN_KEY = _unique_key(CaseDayPattern)
UNIT_MONTH_KEY = _unique_key(CaseUnitMonth)
UNIT_DAY_KEY = _unique_key(CaseUnitDay)
PATTERN_SUMS = (
    "cases",
    "received_to_assigned",
    "assigned_to_started",
    "started_to_closed",
    "received_to_closed",
)
UNIT_MONTH_SUMS = ("received", "assigned", "closed")


def _ids(values: Iterable[int]) -> str:
    """An SQL list of ids (ints only: they go into the text)."""
    return ", ".join(str(int(v)) for v in values) or "NULL"


def id_condition(column: str, ids: Iterable[int]) -> tuple[str, tuple]:
    """`column` among `ids`, as SQL and its parameters: one array parameter on PostgreSQL
    (planning 5,000 literals cost more than the query), a list of ints on SQLite."""
    if is_postgres():
        return f"{column} = ANY(%s)", ([int(i) for i in ids],)
    return f"{column} IN ({_ids(ids)})", ()


def case_select(keys: _Keys, where: str, source: str = '"case"') -> str:
    """A row per case (alias c) of `where` with everything the summaries key on, each
    key computed once. Columns: unit_id, case_type_id, rd, ad, sd, nd, cd (the local days
    received and of the steps, NO_DAY where missing), late, n (1), s1..s4 (the step
    times, 0 where missing). The months come later, from the grouped days."""
    late = (
        f"CASE WHEN c.closed_at IS NULL OR c.closed_at > c.received_at + {TEN_DAYS} "
        "THEN 1 ELSE 0 END"
    )
    steps = [
        "c.assigned_at - c.received_at",
        "c.started_at - c.assigned_at",
        "c.closed_at - c.started_at",
        "c.closed_at - c.received_at",
    ]
    columns = [
        "c.unit_id AS unit_id",
        "c.case_type_id AS case_type_id",
        f"{keys.day('c.received_at')} AS rd",
        *(
            f"COALESCE({keys.day('c.' + step)}, {NO_DAY}) AS {name}"
            for step, name in zip(STEPS, _DAY_NAMES, strict=True)
        ),
        f"{late} AS late",
        "1 AS n",
        *(f"COALESCE({v}, 0) AS s{i}" for i, v in enumerate(steps, 1)),
    ]
    return f"SELECT {', '.join(columns)} FROM {source} c WHERE {where}"


_STEP_NAMES = ("am", "sm", "nm", "cm")
_DAY_NAMES = ("ad", "sd", "nd", "cd")
_SUMS = ("n", "s1", "s2", "s3", "s4")
_DAYS_KEY = ("case_type_id", "rd", *_DAY_NAMES, "late")


def days_select(keys: _Keys, cases: str, region: str | None = None) -> str:
    """The cases `cases` (rows of case_select, a table name or a subquery) grouped by
    region (`region`, SQL: another one) and every day: what both pattern summaries are
    summed from. Columns: region_id, the _DAYS_KEY, am, sm, nm, cm (the steps' months),
    n, s1..s4."""
    group = ["u.region_id" if region is None else region, *(f"g.{k}" for k in _DAYS_KEY)]
    names = ("region_id", *_DAYS_KEY)
    columns = [f"{k} AS {n}" for k, n in zip(group, names, strict=True)]
    columns += [
        f"{keys.day_month('g.' + day)} AS {month}"
        for day, month in zip(_DAY_NAMES, _STEP_NAMES, strict=True)
    ]
    columns += [f"SUM(g.{v}) AS {v}" for v in _SUMS]
    return (
        f"SELECT {', '.join(columns)} FROM {cases} g JOIN unit u ON u.id = g.unit_id "
        f"GROUP BY {', '.join(group)}"
    )


def units_select(keys: _Keys, cases: str) -> str:
    """The cases `cases` counted per unit and day (and its month) received, assigned and
    closed: what both unit summaries are summed from. Columns: unit_id, day, month, r, a,
    c."""
    branches = " UNION ALL ".join(
        (
            f"SELECT unit_id, rd AS day, 1 AS r, 0 AS a, 0 AS c FROM {cases}",
            f"SELECT unit_id, ad, 0, 1, 0 FROM {cases} WHERE ad <> {NO_DAY}",
            f"SELECT unit_id, cd, 0, 0, 1 FROM {cases} WHERE cd <> {NO_DAY}",
        )
    )
    return (
        f"SELECT b.unit_id AS unit_id, b.day AS day, {keys.day_month('b.day')} AS month, "
        f"SUM(b.r) AS r, SUM(b.a) AS a, SUM(b.c) AS c FROM ({branches}) b "
        "GROUP BY b.unit_id, b.day"
    )


def _minus(sign: int) -> str:
    return "-" if sign < 0 else ""


def _pattern_from(days: str, sign: int) -> str:
    """case_pattern's rows from the rows of days_select `days`; `sign` -1 negates them
    (to take cases out)."""
    keys = ["region_id", "case_type_id", "rd", *_STEP_NAMES, "late"]
    sums = ", ".join(f"{_minus(sign)}SUM({v})" for v in _SUMS)
    return f"SELECT {', '.join(keys)}, {sums} FROM {days} d GROUP BY {', '.join(keys)}"


def _day_pattern_from(days: str, sign: int) -> str:
    """case_day_pattern's rows from the rows of days_select `days`: each under every
    distinct month of its later steps (a branch per step, taking the months no earlier
    step had). Unique keys without a GROUP BY: the rows of `days` differ in a day."""
    columns = ", ".join(("case_type_id", "rd", *_DAY_NAMES, "late"))
    sums = ", ".join(f"{_minus(sign)}{v}" for v in _SUMS)
    branches = []
    for index, name in enumerate(_STEP_NAMES):
        other = "".join(f" AND {name} <> {earlier}" for earlier in _STEP_NAMES[:index])
        branches.append(
            f"SELECT region_id, {name}, {columns}, {sums} FROM {days} d WHERE {name} <> 0{other}"
        )
    return " UNION ALL ".join(branches)


def _unit_month_from(units: str, sign: int) -> str:
    sums = ", ".join(f"{_minus(sign)}SUM(b.{v})" for v in ("r", "a", "c"))
    return (
        f"SELECT b.unit_id, u.region_id, b.month, {sums} FROM {units} b "
        "JOIN unit u ON u.id = b.unit_id GROUP BY b.unit_id, u.region_id, b.month"
    )


def _unit_day_from(units: str, sign: int) -> str:
    """Unique keys without a GROUP BY: units_select grouped by unit and day. (The WHERE:
    SQLite's advice for an upsert from a SELECT, whose ON CONFLICT could read as a join's.)"""
    sums = ", ".join(f"{_minus(sign)}b.{v}" for v in ("r", "a", "c"))
    return (
        f"SELECT b.unit_id, u.region_id, b.day, {sums} FROM {units} b "
        "JOIN unit u ON u.id = b.unit_id WHERE 1 = 1"
    )


def _code(region: str) -> str:
    if not (region.isascii() and region.isalnum()):
        raise ValueError(f"not a region code: {region!r}")
    return f"'{region}'"


UNIT_MONTH_COLUMNS = ("unit_id", "region_id", "month", *UNIT_MONTH_SUMS)
UNIT_DAY_COLUMNS = ("unit_id", "region_id", "day", *UNIT_MONTH_SUMS)


def _upsert_sql(table: str, columns: tuple[str, ...], key: tuple[str, ...], select: str) -> str:
    sums = [c for c in columns if c not in key and c != "region_id"]
    updates = ", ".join(f"{s} = {table}.{s} + excluded.{s}" for s in sums)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) {select} "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"
    )


def _pattern_upsert(select: str) -> str:
    return _upsert_sql("case_pattern", PATTERN_KEY + PATTERN_SUMS, PATTERN_KEY, select)


def _unit_month_upsert(select: str) -> str:
    return _upsert_sql("case_unit_month", UNIT_MONTH_COLUMNS, UNIT_MONTH_KEY, select)


def _unit_day_upsert(select: str) -> str:
    return _upsert_sql("case_unit_day", UNIT_DAY_COLUMNS, UNIT_DAY_KEY, select)


def _day_pattern_upsert(select: str) -> str:
    return _upsert_sql("case_day_pattern", DAY_PATTERN_KEY + PATTERN_SUMS, DAY_PATTERN_KEY, select)


# Each summary: its upsert from the rows of days_select (the patterns) or units_select
# (the units), given as a table or CTE name, and a sign.
_SUMMARIES: dict[str, Callable[[str, str, int], str]] = {
    "case_pattern": lambda days, units, sign: _pattern_upsert(_pattern_from(days, sign)),
    "case_unit_month": lambda days, units, sign: _unit_month_upsert(_unit_month_from(units, sign)),
    "case_unit_day": lambda days, units, sign: _unit_day_upsert(_unit_day_from(units, sign)),
    "case_day_pattern": lambda days, units, sign: _day_pattern_upsert(
        _day_pattern_from(days, sign)
    ),
}
TABLES = tuple(_SUMMARIES)


def _apply(
    where: str,
    sign: int,
    params: tuple = (),
    tables: tuple[str, ...] = TABLES,
    source: str = '"case"',
) -> None:
    """Add (sign 1) or take out (-1) the cases of `where` in the summaries `tables`: the
    cases' keys computed once, grouped once by day for the patterns and once by unit and
    day for the units, then one upsert per summary."""
    keys = _Keys(where, params=params, source=source)
    upserts = [_SUMMARIES[table] for table in tables]
    if keys.pg:
        # One statement: the grouped rows feed every upsert (data-modifying CTEs).
        ctes = "".join(
            f", w{i} AS ({upsert('d', 'un', sign)} RETURNING 1)"
            for i, upsert in enumerate(upserts[1:])
        )
        database.execute_sql(
            f"WITH g AS MATERIALIZED ({case_select(keys, where, source)}), "
            f"d AS MATERIALIZED ({days_select(keys, 'g')}), "
            f"un AS MATERIALIZED ({units_select(keys, 'g')})"
            f"{ctes} {upserts[0]('d', 'un', sign)}",
            params,
        )
        return
    # SQLite: the rows in temporary tables (a CTE would be computed once per use).
    temp = ("ra_case_delta", "ra_case_days", "ra_case_units")
    for name in temp:
        database.execute_sql(f"DROP TABLE IF EXISTS temp.{name}")
    database.execute_sql(
        f"CREATE TEMP TABLE ra_case_delta AS {case_select(keys, where, source)}", params
    )
    if {"case_pattern", "case_day_pattern"} & set(tables):
        database.execute_sql(
            f"CREATE TEMP TABLE ra_case_days AS {days_select(keys, 'temp.ra_case_delta')}"
        )
    if {"case_unit_month", "case_unit_day"} & set(tables):
        database.execute_sql(
            f"CREATE TEMP TABLE ra_case_units AS {units_select(keys, 'temp.ra_case_delta')}"
        )
    for upsert in upserts:
        database.execute_sql(upsert("temp.ra_case_days", "temp.ra_case_units", sign))
    for name in temp:
        database.execute_sql(f"DROP TABLE IF EXISTS temp.{name}")


def _by_ids(ids: list[int] | str, sign: int) -> None:
    if isinstance(ids, str):
        _apply(f"c.id IN ({ids})", sign)  # a subquery of ids, e.g. from a staging table
        return
    for start in range(0, len(ids), 20000):
        where, params = id_condition("c.id", ids[start : start + 20000])
        _apply(where, sign, params)


def remove(ids: list[int] | str) -> None:
    """Take the stored cases `ids` (a list, or an SQL subquery of ids) out of the
    summaries: call it before overwriting them, in the writer's transaction."""
    _by_ids(ids, -1)


def add(ids: list[int] | str) -> None:
    """Count the stored cases `ids` in the summaries: call it after writing them."""
    _by_ids(ids, 1)


def remove_versions(table: str) -> None:
    """Take out the cases held in `table`, a temporary table with the case table's columns
    (their versions before an import overwrote them): one grouped pass for a whole
    import instead of one per batch, which upserted the same summary rows again each
    time (on PostgreSQL ~20 µs a row)."""
    _apply("1 = 1", -1, source=table)


def add_above(last_id: int) -> None:
    """Count the stored cases whose id is above `last_id`: what a load appended, in one
    grouped pass instead of one per batch (call it after the load, in its transaction)."""
    _apply(f"c.id > {int(last_id)}", 1)


def prune() -> None:
    """Rows whose cases all moved elsewhere (zero everywhere) go; they count nothing."""
    for table in ("case_pattern", "case_day_pattern"):
        database.execute_sql(f"DELETE FROM {table} WHERE cases = 0")
    for table in ("case_unit_month", "case_unit_day"):
        database.execute_sql(
            f"DELETE FROM {table} WHERE received = 0 AND assigned = 0 AND closed = 0"
        )


def moved_statements(unit: str, old_region: str) -> list[str]:
    """SQL that moves the cases of `unit` (an SQL expression) out of `old_region`'s rows
    of case_pattern and case_day_pattern and into its unit's present region, and relabels
    its case_unit_month and case_unit_day rows. Also the body of PostgreSQL's unit trigger
    (models/pgsecurity.py)."""
    keys = _Keys(f"c.unit_id = {unit}", native=True)
    cases = f"({case_select(keys, f'c.unit_id = {unit}')})"
    old = f"({days_select(keys, cases, old_region)})"
    new = f"({days_select(keys, cases)})"
    region = f"(SELECT region_id FROM unit WHERE id = {unit})"
    return [
        _pattern_upsert(_pattern_from(old, -1)),
        _pattern_upsert(_pattern_from(new, 1)),
        _day_pattern_upsert(_day_pattern_from(old, -1)),
        _day_pattern_upsert(_day_pattern_from(new, 1)),
        f"UPDATE case_unit_month SET region_id = {region} WHERE unit_id = {unit}",
        f"UPDATE case_unit_day SET region_id = {region} WHERE unit_id = {unit}",
        "DELETE FROM case_pattern WHERE cases = 0",
        "DELETE FROM case_day_pattern WHERE cases = 0",
    ]


def unit_moved(unit_id: int, old_region: str) -> None:
    """A unit changed region (re-activated after HSA moved it): its cases count in the new
    region from now on. SQLite; on PostgreSQL the unit's trigger runs the same SQL."""
    if is_postgres():
        return
    for statement in moved_statements(str(int(unit_id)), _code(old_region)):
        database.execute_sql(statement)


def rebuild(tables: tuple[str, ...] = TABLES) -> None:
    """Everything again from the cases: `regionadmin init` on a store that had cases before
    the summaries (or before some of them: `tables`), and a bulk load into an empty case
    table (the demo)."""
    with database.atomic():
        for table in tables:
            database.execute_sql(f"DELETE FROM {table}")
        _apply("1 = 1", 1, tables=tables)
