"""Summaries of the case table that the year reports read instead of a year of raw cases.

Two tables (models/entities.py), both derived from `case` only, kept set-based:

- case_unit_month: per unit and local month, the cases received, assigned and closed in
  it (Antal ärenden per mottagning, the charts);
- case_pattern: per region and case type, the cases grouped by their local day received,
  the local months of the four later steps and the "closed late" flag, with the sums of
  the step times (Antal ärenden per ärendetyp, Ärendestatus, Handläggningstider). Any
  question of the form "which of the case's timestamps fall in P" has one answer per row
  when P is made of whole months (and whole days for received), so these reports are exact
  from it; reports/common.py takes the cases that touch a partial month from the raw rows.

Days and months are Stockholm's (DST included): `local day` = days since 1970-01-01 of the
local date, `month` = yyyymm (0: the step has no timestamp). Every writer of cases keeps
them in its own transaction, set-based: remove(ids) before it overwrites existing cases
and add(ids) after it wrote them (a delta: GROUP BY over those cases only, added with
INSERT .. ON CONFLICT), or rebuild() after a bulk load into an empty table.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from .db import database, is_postgres
from .timeutil import STOCKHOLM, day_start_epoch

EPOCH_DAY = date(1970, 1, 1)
TEN_DAYS = 240 * 3600  # "10 dagar": the late flag of Handläggningstider's Obesvarade
STEPS = ("assigned_at", "started_at", "answered_at", "closed_at")
TIMESTAMPS = ("received_at", *STEPS)


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
    """SQL for the local day and month of a timestamp column on this backend."""

    def __init__(self, where: str = "1 = 1", native: bool = False, params: tuple = ()) -> None:
        """Keys for the cases (alias c) of `where`. `native`: PostgreSQL's own time zone
        arithmetic, valid whatever the data (the unit trigger's body); else integer
        comparisons over the years those cases span, several times cheaper per row."""
        self.pg = is_postgres()
        self.native = native and self.pg
        self.years = (2000, 2000)
        if not self.native:
            # The cases about to be grouped, not the table: a bulk load builds the
            # timestamps' indexes only at its end, and a scan per batch would be quadratic.
            ends = ", ".join(f"MIN(c.{c}), MAX(c.{c})" for c in TIMESTAMPS)
            sql = f'SELECT {ends} FROM "case" c WHERE {where}'
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

    def month(self, column: str) -> str:
        if self.native:
            local = f"(to_timestamp({column}) AT TIME ZONE 'Europe/Stockholm')"
            return (
                f"COALESCE(CAST(date_part('year', {local}) AS integer) * 100 "
                f"+ CAST(date_part('month', {local}) AS integer), 0)"
            )
        # A binary search over the months' first moments: strftime() took 5 s for the four
        # steps of 2M cases, this about a tenth of it.
        first = date(self.years[0], 1, 1)
        starts = []
        while first.year <= self.years[1]:
            starts.append((day_start_epoch(first), month_key(first)))
            first = next_month(first)
        return f"(CASE WHEN {column} IS NULL THEN 0 ELSE {_search(column, starts)} END)"


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

PATTERN_KEY = (
    "region_id",
    "case_type_id",
    "received_day",
    "assigned_month",
    "started_month",
    "answered_month",
    "closed_month",
    "late",
)
PATTERN_SUMS = (
    "cases",
    "received_to_assigned",
    "assigned_to_started",
    "started_to_closed",
    "received_to_closed",
)
UNIT_MONTH_KEY = ("unit_id", "month")
UNIT_MONTH_SUMS = ("received", "assigned", "closed")


def _ids(values: Iterable[int]) -> str:
    """An SQL list of ids (ints only: they go into the text)."""
    return ", ".join(str(int(v)) for v in values) or "NULL"


def grouped_select(keys: _Keys, where: str, group: bool = True) -> str:
    """The cases (alias c) of `where` with everything the two summaries key on, grouped
    by unit and those keys (`group`; else a row per case): both summaries are then summed
    from these rows, each case's keys computed once. Columns: unit_id, case_type_id, rd,
    am, sm, nm, cm, late, rm, n, s1..s4."""
    late = (
        f"CASE WHEN c.closed_at IS NULL OR c.closed_at > c.received_at + {TEN_DAYS} "
        "THEN 1 ELSE 0 END"
    )
    columns = [
        "c.unit_id AS unit_id",
        "c.case_type_id AS case_type_id",
        f"{keys.day('c.received_at')} AS rd",
        *(
            f"{keys.month('c.' + step)} AS {name}"
            for step, name in zip(STEPS, _STEP_NAMES, strict=True)
        ),
        f"{late} AS late",
        f"{keys.month('c.received_at')} AS rm",
    ]
    steps = [
        "c.assigned_at - c.received_at",
        "c.started_at - c.assigned_at",
        "c.closed_at - c.started_at",
        "c.closed_at - c.received_at",
    ]
    if not group:
        sums = ["1 AS n", *(f"COALESCE({v}, 0) AS s{i}" for i, v in enumerate(steps, 1))]
        return f'SELECT {", ".join(columns + sums)} FROM "case" c WHERE {where}'
    sums = ["COUNT(*) AS n", *(f"COALESCE(SUM({v}), 0) AS s{i}" for i, v in enumerate(steps, 1))]
    return (
        f'SELECT {", ".join(columns + sums)} FROM "case" c WHERE {where} '
        f"GROUP BY {', '.join(str(i) for i in range(1, len(columns) + 1))}"
    )


_STEP_NAMES = ("am", "sm", "nm", "cm")


def _pattern_from(grouped: str, sign: int, region: str | None = None) -> str:
    """case_pattern's rows from grouped rows `grouped` (a table or CTE name): per region;
    `sign` -1 negates them (to take cases out), `region` (SQL) names another region."""
    minus = "-" if sign < 0 else ""
    keys = ["u.region_id" if region is None else region, "g.case_type_id", "g.rd"]
    keys += [f"g.{name}" for name in _STEP_NAMES] + ["g.late"]
    sums = ", ".join(f"{minus}SUM(g.{v})" for v in ("n", "s1", "s2", "s3", "s4"))
    return (
        f"SELECT {', '.join(keys)}, {sums} FROM {grouped} g JOIN unit u ON u.id = g.unit_id "
        f"GROUP BY {', '.join(keys)}"
    )


def _unit_month_from(grouped: str, sign: int) -> str:
    minus = "-" if sign < 0 else ""
    branches = " UNION ALL ".join(
        (
            f"SELECT unit_id, rm AS month, n AS r, 0 AS a, 0 AS c FROM {grouped}",
            f"SELECT unit_id, am, 0, n, 0 FROM {grouped} WHERE am <> 0",
            f"SELECT unit_id, cm, 0, 0, n FROM {grouped} WHERE cm <> 0",
        )
    )
    return (
        f"SELECT b.unit_id, u.region_id, b.month, {minus}SUM(b.r), {minus}SUM(b.a), "
        f"{minus}SUM(b.c) FROM ({branches}) b JOIN unit u ON u.id = b.unit_id "
        "GROUP BY b.unit_id, u.region_id, b.month"
    )


def _code(region: str) -> str:
    if not (region.isascii() and region.isalnum()):
        raise ValueError(f"not a region code: {region!r}")
    return f"'{region}'"


UNIT_MONTH_COLUMNS = ("unit_id", "region_id", "month", *UNIT_MONTH_SUMS)


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


def _apply(where: str, sign: int, params: tuple = ()) -> None:
    """Add (sign 1) or take out (-1) the cases of `where` in both summaries: one grouped
    pass over those cases, then one upsert per summary."""
    keys = _Keys(where, params=params)
    grouped = grouped_select(keys, where)
    if keys.pg:
        # One statement: the grouped rows feed both upserts (a data-modifying CTE).
        database.execute_sql(
            f"WITH g AS MATERIALIZED ({grouped}), "
            f"p AS ({_pattern_upsert(_pattern_from('g', sign))} RETURNING 1) "
            f"{_unit_month_upsert(_unit_month_from('g', sign))}",
            params,
        )
        return
    # SQLite: the grouped rows in a temporary table (a CTE would be computed twice).
    database.execute_sql("DROP TABLE IF EXISTS temp.ra_case_delta")
    # A row per case (no GROUP BY here: the two summaries' own GROUP BY sort once each).
    database.execute_sql(
        f"CREATE TEMP TABLE ra_case_delta AS {grouped_select(keys, where, group=False)}",
        params,
    )
    database.execute_sql(_pattern_upsert(_pattern_from("temp.ra_case_delta", sign)))
    database.execute_sql(_unit_month_upsert(_unit_month_from("temp.ra_case_delta", sign)))
    database.execute_sql("DROP TABLE temp.ra_case_delta")


def _by_ids(ids: list[int] | str, sign: int) -> None:
    if isinstance(ids, str):
        _apply(f"c.id IN ({ids})", sign)  # a subquery of ids, e.g. from a staging table
        return
    for start in range(0, len(ids), 20000):
        chunk = [int(i) for i in ids[start : start + 20000]]
        if is_postgres():
            # One array parameter: planning 5,000 literals cost more than the grouping.
            _apply("c.id = ANY(%s)", sign, (chunk,))
        else:
            _apply(f"c.id IN ({_ids(chunk)})", sign)


def remove(ids: list[int] | str) -> None:
    """Take the stored cases `ids` (a list, or an SQL subquery of ids) out of the
    summaries: call it before overwriting them, in the writer's transaction."""
    _by_ids(ids, -1)


def add(ids: list[int] | str) -> None:
    """Count the stored cases `ids` in the summaries: call it after writing them."""
    _by_ids(ids, 1)


def add_above(last_id: int) -> None:
    """Count the stored cases whose id is above `last_id`: what a load appended, in one
    grouped pass instead of one per batch (call it after the load, in its transaction)."""
    _apply(f"c.id > {int(last_id)}", 1)


def prune() -> None:
    """Rows whose cases all moved elsewhere (zero everywhere) go; they count nothing."""
    database.execute_sql("DELETE FROM case_pattern WHERE cases = 0")
    database.execute_sql(
        "DELETE FROM case_unit_month WHERE received = 0 AND assigned = 0 AND closed = 0"
    )


def moved_statements(unit: str, old_region: str) -> list[str]:
    """SQL that moves the cases of `unit` (an SQL expression) out of `old_region`'s rows
    of case_pattern and into its unit's present region, and relabels its case_unit_month
    rows. Also the body of PostgreSQL's unit trigger (models/pgsecurity.py)."""
    keys = _Keys(f"c.unit_id = {unit}", native=True)
    grouped = f"({grouped_select(keys, f'c.unit_id = {unit}')})"
    return [
        _pattern_upsert(_pattern_from(grouped, -1, old_region)),
        _pattern_upsert(_pattern_from(grouped, 1)),
        "UPDATE case_unit_month SET region_id = (SELECT region_id FROM unit "
        f"WHERE id = {unit}) WHERE unit_id = {unit}",
        "DELETE FROM case_pattern WHERE cases = 0",
    ]


def unit_moved(unit_id: int, old_region: str) -> None:
    """A unit changed region (re-activated after HSA moved it): its cases count in the new
    region from now on. SQLite; on PostgreSQL the unit's trigger runs the same SQL."""
    if is_postgres():
        return
    for statement in moved_statements(str(int(unit_id)), _code(old_region)):
        database.execute_sql(statement)


def rebuild() -> None:
    """Everything again from the cases: `regionadmin init` on a store that had cases before
    the summaries, and a bulk load into an empty case table (the demo)."""
    with database.atomic():
        database.execute_sql("DELETE FROM case_pattern")
        database.execute_sql("DELETE FROM case_unit_month")
        _apply("1 = 1", 1)
