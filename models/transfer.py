"""Interchange files: import and export of the six kinds in DESIGN.md "Interchange files".

Imports and exports are system-owner operations run with direct database access (like
`operator link`): they are not checked against a landstingsadministratör's region, and the
audit event names the OS user as "systemägare".

An import is one service call and one transaction. Rows are read one at a time with the csv
module, validated as they come and written in batches; the first bad row raises
ImportRowError and the transaction rolls back, so a bad file writes nothing. Batches are
written with the driver's executemany (about 3x faster than insert_many, LIBRARY-NOTES).
Natural keys make re-imports upserts; logins have none and are append-only events.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import compress, filterfalse, repeat
from operator import add, floordiv, is_, itemgetter
from pathlib import Path
from typing import IO, Any

from peewee import AutoField, fn

from . import audit, case_summary, pgsecurity, validation
from .db import database, is_postgres, refresh_statistics, transaction
from .entities import (
    CASE_TYPE_KINDS,
    CITIZEN,
    KIND_INTEGRATION,
    KIND_OWN,
    KIND_STANDARD,
    STAFF,
    BaseModel,
    Case,
    CaseType,
    CitizenAccount,
    HsaPerson,
    HsaUnit,
    Login,
    LoginDaily,
    Region,
    StaffAccount,
    Unit,
    UnitCaseType,
)
from .errors import ImportRowError, NotFound, ValidationError
from .files import output_file, unreadable
from .operators import os_user
from .text import clean, invisible_character
from .timeutil import (
    TimestampOutOfRange,
    event_window,
    event_window_text,
    iso_local,
    local_day,
    now_epoch,
    period_epochs,
    to_epoch,
)

BATCH = 5000
WHOLE_ROW = "(hela raden)"
HEADER = "(rubrikrad)"

COLUMNS: dict[str, tuple[str, ...]] = {
    "hsa-units": (
        "hsa_id",
        "name",
        "care_type",
        "region_code",
        "street",
        "postal_code",
        "city",
        "phone",
        "info",
    ),
    "hsa-persons": (
        "personnummer",
        "given_names",
        "preferred_name",
        "surname",
        "title",
        "email",
        "mobile",
        "region_code",
    ),
    "unit-casetypes": ("hsa_id", "case_type", "kind", "active"),
    "cases": (
        "case_id",
        "hsa_id",
        "case_type",
        "received_at",
        "assigned_at",
        "started_at",
        "answered_at",
        "closed_at",
        "assignee_personnummer",
    ),
    "accounts": ("account_id", "kind", "personnummer", "region_code", "created_at"),
    "logins": ("at", "kind", "method", "success", "region_code"),
}
KINDS = tuple(COLUMNS)

ProgressFn = Callable[[int], None]
Source = str | os.PathLike | IO[str] | IO[bytes]
Target = str | os.PathLike | IO[str]


@dataclass(frozen=True)
class ImportResult:
    kind: str
    rows: int
    created: int
    updated: int
    source: str


def _check_kind(kind: str) -> tuple[str, ...]:
    if kind not in COLUMNS:
        raise ValidationError(f"Okänd filtyp {kind}. Välj en av: {', '.join(KINDS)}.", field="kind")
    return COLUMNS[kind]


# ---------------------------------------------------------------------------- field rules


class _FieldError(Exception):
    """A bad value in one column; the reader adds the line number."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def _shown(value: object, limit: int = 40) -> str:
    """A value from the file as a message quotes it: cleaned (the message is printed on the
    administrator's terminal) and cut, so an escape sequence or a huge cell in the file
    cannot take over the screen."""
    text = clean(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quoted(value: object) -> str:
    return f"\u201d{_shown(value)}\u201d"


def _checked(rec: dict[str, str], column: str, rule: Callable[[str], Any]) -> Any:
    try:
        return rule(rec[column])
    except ValidationError as error:
        raise _FieldError(column, error.message) from None


def _text(rec: dict[str, str], column: str, label: str, required: bool = False) -> str:
    """A one-line text: no control characters, fits a CharField on both backends."""
    value = _checked(rec, column, lambda v: validation.plain_text(v, column, label, 255))
    if required and not value:
        raise _FieldError(column, f"{label} får inte vara tomt.")
    return value


def _free_text(rec: dict[str, str], column: str) -> str:
    """Directory free text (info) is stored as given and cleaned when shown (DESIGN.md).

    Only NUL is refused: PostgreSQL cannot store it in a text column.
    """
    value = rec[column].strip()
    if "\x00" in value:
        raise _FieldError(column, "Texten innehåller ett NUL-tecken.")
    if len(value) > 4000:
        raise _FieldError(column, "Texten får vara högst 4000 tecken.")
    return value


def _bool(rec: dict[str, str], column: str) -> bool:
    value = rec[column].strip().lower()
    if value not in ("true", "false"):
        raise _FieldError(column, f"Ska vara true eller false (var {_quoted(rec[column])}).")
    return value == "true"


def _choice(rec: dict[str, str], column: str, choices: Iterable[str]) -> str:
    value = rec[column].strip().lower()
    options = tuple(choices)
    if value not in options:
        raise _FieldError(
            column, f"Ska vara {' eller '.join(options)} (var {_quoted(rec[column])})."
        )
    return value


# "MM:SS" to seconds: the minutes, the colon between and the seconds in one look-up.
_MINUTE_SECOND = {f"{m:02d}:{s:02d}": m * 60 + s for m in range(60) for s in range(60)}
_HOUR_PART, _MINUTE_SECOND_PART, _OFFSET_PART = (
    itemgetter(slice(0, 14)),
    itemgetter(slice(14, 19)),
    itemgetter(slice(19, None)),
)


class _Timestamps:
    """ISO 8601; without an offset the time is Europe/Stockholm. Only events between
    2000-01-01 and the end of tomorrow are taken: a year 1 or 9999 would import and then
    break every export and report that shows it.

    A file of a million rows names a few thousand distinct hours: the epoch of each
    "YYYY-MM-DDTHH" (with its offset, if any) is parsed once and the minutes and seconds
    added, which is exact because an offset changes only on a whole hour. Anything else
    (fractions, other ISO forms, a bad value) takes the full parse, which words the error.
    """

    def __init__(self) -> None:
        self.first, self.end = event_window()
        self.window = event_window_text()
        # "YYYY-MM-DDTHH:" + the offset as written -> the epoch of that hour.
        self.hours: dict[str, int] = {}
        self.not_hours: set[str] = set()  # keys column() found no hour for

    def __call__(self, rec: dict[str, str], column: str, required: bool = False) -> int | None:
        value = rec[column].strip()
        epoch = self.cached(value)
        return epoch if epoch is not None else self._checked(value, column, required)

    def cached(self, value: str) -> int | None:
        """The common case in one call: a cached hour, two digits for the minutes and the
        seconds (so at least 19 characters), inside the window; else None (then the full
        path decides). A value with spaces around it is never a hit: cached keys come from
        stripped values."""
        # The key keeps the colon after the hour: every cached key has one there, so a hit
        # has it too.
        second = _MINUTE_SECOND.get(value[14:19])
        if second is not None:
            hour = self.hours.get(value[:14] + value[19:])
            if hour is not None and self.first <= hour + second < self.end:
                return hour + second
        return None

    def column(self, values: list[str]) -> list[int | None]:
        """cached() of each value, a whole column at once with the loops in C; the hour of
        a key not seen before is parsed here, once. None where cached() would say None."""
        seconds = list(map(_MINUTE_SECOND.get, map(_MINUTE_SECOND_PART, values)))
        keys = list(map(add, map(_HOUR_PART, values), map(_OFFSET_PART, values)))
        hours = list(map(self.hours.get, keys))
        if hours.count(None) > keys.count(""):  # an empty value's key is ""
            unknown = compress(keys, map(is_, hours, repeat(None)))
            for key in set(unknown).difference(self.not_hours):
                self._learn(key)
            hours = list(map(self.hours.get, keys))
        first, end = self.first, self.end
        if None in hours or None in seconds:
            epochs = [
                h + s if h is not None and s is not None else None
                for h, s in zip(hours, seconds, strict=True)
            ]
            return [e if e is not None and first <= e < end else None for e in epochs]
        found = list(map(add, hours, seconds))
        if found and (min(found) < first or max(found) >= end):
            return [e if first <= e < end else None for e in found]
        return found

    def _learn(self, key: str) -> None:
        """The hour of `key` (value[:14] + value[19:]), once: the date, the colon after the
        hour and the offset's sign checked, then parsed. A key with spaces around it comes
        from a value with spaces around it: never cached."""
        if (
            len(key) < 14
            or key[13] != ":"
            or key[4] != "-"
            or key[7] != "-"
            or key[14:15] not in ("", "+", "-", "Z")
            or key != key.strip()
        ):
            self._not_an_hour(key)
            return
        try:
            self.hours[key] = to_epoch(datetime.fromisoformat(key[:14] + "00:00" + key[14:]))
        except (ValueError, OverflowError, OSError):
            self._not_an_hour(key)

    def _not_an_hour(self, key: str) -> None:
        if len(self.not_hours) < 100_000:  # bounded: only a retry costs when it is full
            self.not_hours.add(key)

    def _checked(self, value: str, column: str, required: bool) -> int | None:
        if not value:
            if required:
                raise _FieldError(column, "Ange en tidpunkt.")
            return None
        epoch = self._quick(value)
        if epoch is None:
            epoch = self._parse(value, column)
        if not self.first <= epoch < self.end:
            raise _FieldError(
                column, f"Tidpunkten ska ligga mellan {self.window} (var {_quoted(value)})."
            )
        return epoch

    def _quick(self, value: str) -> int | None:
        """YYYY-MM-DD?HH:MM:SS, then nothing or an offset: from the hour's cache (learnt
        here by _learn's checks), or None, and the full parse words the error."""
        second = _MINUTE_SECOND.get(value[14:19])
        if second is None:
            return None
        key = value[:14] + value[19:]
        if key not in self.hours and key not in self.not_hours:
            self._learn(key)
        hour = self.hours.get(key)
        return None if hour is None else hour + second

    def _parse(self, value: str, column: str) -> int:
        try:
            return to_epoch(datetime.fromisoformat(value))
        except (ValueError, OverflowError, OSError):
            raise _FieldError(
                column,
                "Ska vara en tidpunkt enligt ISO 8601, till exempel "
                f"2026-01-31T14:05:00+01:00 (var {_quoted(value)}).",
            ) from None


def _hsa_id(rec: dict[str, str], column: str = "hsa_id") -> str:
    return _checked(rec, column, validation.hsa_id)


def _pnr(rec: dict[str, str], column: str, required: bool = True) -> str:
    if not required and not rec[column].strip():
        return ""
    return _checked(rec, column, validation.personnummer)


class _Regions:
    def __init__(self) -> None:
        self.codes = {r.code for r in Region.select(Region.code)}

    def get(self, rec: dict[str, str], column: str, required: bool) -> str | None:
        value = rec[column].strip()
        if not value:
            if required:
                raise _FieldError(column, "Ange en regionkod (01–25).")
            return None
        if value in "0123456789" and len(value) == 1:  # a spreadsheet dropped the zero
            value = "0" + value
        if value not in self.codes:
            raise _FieldError(column, f"Regionkoden {_shown(value)} finns inte (01–25).")
        return value


def _connected_units() -> dict[str, int]:
    return {hsa.upper(): uid for uid, hsa in Unit.select(Unit.id, Unit.hsa_id).tuples()}


def _unit_id(units: dict[str, int], rec: dict[str, str]) -> int:
    key = _hsa_id(rec)
    if key not in units:
        raise _FieldError("hsa_id", f"Det finns ingen ansluten mottagning med HSA-id {key}.")
    return units[key]


# ---------------------------------------------------------------------------- bulk writes


def bulk_write(
    model: type[BaseModel],
    fields: tuple[str, ...],
    rows: Iterable[tuple],
    key: tuple[str, ...] = (),
    update: tuple[str, ...] = (),
) -> None:
    """INSERT rows with executemany; with `key`, an upsert that overwrites `update`.

    Values are passed as the driver takes them (ints, bools, str, None): the caller has
    already validated and converted them. Peewee's defaults live in Python, not in the
    schema, so any other field with a default is filled here: a field added to a model
    later does not break the raw INSERT.
    """
    meta = model._meta
    names, extra = _with_defaults(model, fields)

    def col(name: str) -> str:
        return '"' + meta.fields[name].column_name + '"'

    sql = (
        f'INSERT INTO "{meta.table_name}" ({", ".join(col(f) for f in names)}) '
        f"VALUES ({', '.join([database.param] * len(names))})"
    )
    if key:
        sets = ", ".join(f"{col(f)} = excluded.{col(f)}" for f in update)
        sql += f" ON CONFLICT ({', '.join(col(k) for k in key)}) DO UPDATE SET {sets}"
    batch = [(*row, *extra) for row in rows] if extra else list(rows)
    if not batch:
        return
    if not key and is_postgres():
        # Plain inserts on PostgreSQL: COPY, several times faster than executemany.
        copy_rows(meta.table_name, [col(f) for f in names], batch, fallback=sql)
        return
    database.cursor().executemany(sql, batch)


def _with_defaults(model: type[BaseModel], fields: tuple[str, ...]) -> tuple[tuple, tuple]:
    """(field names to write, values to add to each row): `fields` and the defaults of
    the model's other fields that have one."""
    defaults = [
        f
        for f in model._meta.sorted_fields
        if f.name not in fields and f.default is not None and not isinstance(f, AutoField)
    ]
    extra = tuple(f.db_value(f.default() if callable(f.default) else f.default) for f in defaults)
    return (*fields, *(f.name for f in defaults)), extra


@contextmanager
def bulk_stream(
    model: type[BaseModel], fields: tuple[str, ...]
) -> Iterator[Callable[[list[tuple]], None]]:
    """Plain inserts of many batches into one table (a load, the demo): yields write(rows).

    On PostgreSQL, when no row-level security applies to the role (the superuser), every
    batch goes into one binary COPY that lasts the whole block, so the server stores a
    batch while the caller makes the next (a COPY per batch left one of the two idle while
    the other worked); nothing else may use the connection inside the block. Otherwise
    each batch is a bulk_write() (COPY FROM refuses a table under row-level security).
    """
    table = model._meta.table_name
    if not is_postgres() or _row_security_active(table):
        yield lambda rows: bulk_write(model, fields, rows)
        return
    names, extra = _with_defaults(model, fields)
    columns = [model._meta.fields[name].column_name for name in names]
    types = dict(
        database.execute_sql(
            "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attnum > 0 AND NOT attisdropped",
            (f'"{table}"',),
        ).fetchall()
    )
    quoted = ", ".join(f'"{c}"' for c in columns)
    with database.cursor().copy(f'COPY "{table}" ({quoted}) FROM STDIN (FORMAT BINARY)') as copy:
        copy.set_types([types[c] for c in columns])
        write_row = copy.write_row

        def write(rows: list[tuple]) -> None:
            for row in rows:
                write_row((*row, *extra) if extra else row)

        yield write


class _Appender:
    """The plain inserts of an import, batch by batch: into one COPY for all of them when
    the import took the empty table for a bulk load (bulk_stream: the server stores a batch
    while the next is read and checked), else a bulk_write per batch. close() ends the COPY
    before anything else uses the connection; an error inside the importer's `streams`
    fails it."""

    def __init__(self, streams: ExitStack, model: type[BaseModel], fields: tuple[str, ...]) -> None:
        self.streams, self.model, self.fields = streams, model, fields
        self.stream = False  # set when the table was taken for a bulk load
        self.own: ExitStack | None = None
        self.append: Callable[[list[tuple]], None] | None = None

    def write(self, rows: Iterable[tuple]) -> None:
        if not self.stream:
            bulk_write(self.model, self.fields, rows)
            return
        if self.append is None:
            self.own = ExitStack()
            self.streams.push(self.own)
            self.append = self.own.enter_context(bulk_stream(self.model, self.fields))
        self.append(list(rows))

    def close(self) -> None:
        if self.own is not None:
            self.append, own, self.own = None, self.own, None
            own.close()


def copy_rows(
    table: str, columns: list[str], rows: list[tuple], fallback: str, merge: str = ""
) -> None:
    """PostgreSQL: write `rows` with COPY; `merge` is an ON CONFLICT clause, if any.

    Straight into the table when it is a plain insert and no row-level security applies
    to the role (the superuser). Otherwise through a temporary staging table of the
    session and one INSERT ... SELECT: COPY FROM refuses a table under row-level
    security (the system-owner group's role), and a COPY cannot merge. A role without
    the TEMPORARY privilege on the database gets executemany of `fallback` instead.
    """
    names = ", ".join(columns)
    cursor = database.cursor()
    if not merge and not _row_security_active(table):
        with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        return
    if not may_use_temporary_tables():
        cursor.executemany(fallback, rows)
        return
    # Named by the columns too: two callers of one table never share a stage.
    stage = f"pg_temp.ra_stage_{table}_{hashlib.sha1(names.encode()).hexdigest()[:8]}"
    with database.atomic():  # ON COMMIT DROP: a caller outside a transaction keeps it too
        database.execute_sql(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} ON COMMIT DROP AS "
            f'SELECT {names} FROM "{table}" WITH NO DATA'
        )
        with cursor.copy(f"COPY {stage} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        database.execute_sql(f'INSERT INTO "{table}" ({names}) SELECT {names} FROM {stage} {merge}')
        database.execute_sql(f"TRUNCATE {stage}")


def may_use_temporary_tables() -> bool:
    """PUBLIC has TEMPORARY on a database by default; a site may have revoked it."""
    if not is_postgres():
        return True
    return bool(
        database.execute_sql(
            "SELECT has_database_privilege(current_database(), 'TEMPORARY')"
        ).fetchone()[0]
    )


def _row_security_active(table: str) -> bool:
    return bool(
        database.execute_sql("SELECT row_security_active(%s)", (f'"{table}"',)).fetchone()[0]
    )


RollupKey = tuple[date, str | None, str, str]


def add_to_login_rollup(counts: dict[RollupKey, list[int]]) -> None:
    """Add (succeeded, failed) per (day, region, kind, method) to LoginDaily.

    Adds rather than overwrites, so the roll-up stays the sum of the raw rows. A null
    region never conflicts in a unique index (NULLs are distinct), so those rows are
    updated by hand.
    """
    # executemany: peewee's insert_many spent half of a logins import building its SQL.
    meta = LoginDaily._meta
    key = ", ".join(f'"{meta.fields[f].column_name}"' for f in ("day", "region", "kind", "method"))
    sums = ", ".join(
        f'"{c}" = "{meta.table_name}"."{c}" + excluded."{c}"' for c in ("succeeded", "failed")
    )
    sql = (
        f'INSERT INTO "{meta.table_name}" ({key}, "succeeded", "failed") '
        f"VALUES ({', '.join([database.param] * 6)}) ON CONFLICT ({key}) DO UPDATE SET {sums}"
    )
    # SQLite stores a date as its ISO text (what peewee writes); psycopg takes the date.
    as_day = (lambda d: d) if is_postgres() else date.isoformat
    with_region = [
        (as_day(d), r, k, m, s, f) for (d, r, k, m), (s, f) in counts.items() if r is not None
    ]
    if with_region and is_postgres():
        # Thousands of days x regions: COPY and one merge, not an upsert per row.
        columns = [*key.split(", "), '"succeeded"', '"failed"']
        merge = f"ON CONFLICT ({key}) DO UPDATE SET {sums}"
        copy_rows(meta.table_name, columns, with_region, fallback=sql, merge=merge)
    elif with_region:
        database.cursor().executemany(sql, with_region)
    unknown = {(d, k, m): sf for (d, r, k, m), sf in counts.items() if r is None}
    if unknown:
        _add_without_region(unknown, as_day)


def _add_without_region(
    counts: dict[tuple[date, str, str], list[int]], as_day: Callable[[date], Any]
) -> None:
    """The rows of the unknown region: the ones there are found with one query and added
    to, the rest inserted (a statement per row was most of a small import's time)."""
    days = [day for day, _, _ in counts]
    found = (
        LoginDaily.select(LoginDaily.id, LoginDaily.day, LoginDaily.kind, LoginDaily.method)
        .where(LoginDaily.region.is_null() & LoginDaily.day.between(min(days), max(days)))
        .tuples()
    )
    existing = {
        (day if isinstance(day, date) else date.fromisoformat(day), kind, method): row_id
        for row_id, day, kind, method in found
    }
    table = LoginDaily._meta.table_name
    add = [(s, f, existing[key]) for key, (s, f) in counts.items() if key in existing]
    if add:
        param = database.param
        database.cursor().executemany(
            f'UPDATE "{table}" SET "succeeded" = "succeeded" + {param}, '
            f'"failed" = "failed" + {param} WHERE "id" = {param}',
            add,
        )
    new = [
        (as_day(d), k, m, s, f) for (d, k, m), (s, f) in counts.items() if (d, k, m) not in existing
    ]
    if new:
        bulk_write(LoginDaily, ("day", "kind", "method", "succeeded", "failed"), new)


class _DayOf:
    """The Stockholm day of an epoch, remembering the last day's bounds: a file of logins
    comes day by day, and the time-zone arithmetic was a fifth of an import."""

    def __init__(self) -> None:
        self.start, self.end, self.day = 1, 0, date.min

    def __call__(self, at: int) -> date:
        if not self.start <= at < self.end:
            self.day = local_day(at)
            self.start, self.end = period_epochs(self.day, self.day)
        return self.day


def rebuild_login_rollup() -> int:
    """Recompute LoginDaily from the raw Login rows, one Stockholm day at a time.

    Days are measured in Python (SQLite knows no time zones); each day is one range query
    on the `at` index. Returns the number of roll-up rows.
    """
    with transaction():
        LoginDaily.delete().execute()
        first, last = Login.select(fn.MIN(Login.at), fn.MAX(Login.at)).tuples().get()
        if first is None:
            return 0
        day, end_day, rows = local_day(first), local_day(last), 0
        while day <= end_day:
            start, end = period_epochs(day, day)
            counts: dict[RollupKey, list[int]] = {}
            query = (
                Login.select(
                    Login.region, Login.kind, Login.method, Login.success, fn.COUNT(Login.id)
                )
                .where((Login.at >= start) & (Login.at < end))
                .group_by(Login.region, Login.kind, Login.method, Login.success)
                .tuples()
            )
            for region, kind, method, success, n in query:
                counts.setdefault((day, region, kind, method), [0, 0])[0 if success else 1] += n
            add_to_login_rollup(counts)
            rows += len(counts)
            day += timedelta(days=1)
    return rows


# ---------------------------------------------------------------------------- importers


class _Importer:
    complete = False  # hsa-units only: the file is the whole catalogue of its regions
    """One kind: validates a record into `pending`, writes a batch on flush()."""

    def __init__(self) -> None:
        self.pending: dict[Any, tuple] = {}
        self.header: list[str] = []
        self.streams = ExitStack()  # the COPYs of a first load (_Appender)

    def use_header(self, header: list[str]) -> None:
        """The file's columns in its order (any order is allowed)."""
        self.header = header

    def add_row(self, row: list[str]) -> None:
        """One row, its cells in the header's order. Kinds with millions of rows take the
        common case straight from the cells and hand anything else to add()."""
        self.add(dict(zip(self.header, row, strict=True)))

    def add_rows(self, lines: list[int], rows: list[list[str]]) -> None:
        """Up to a batch of rows (cells) and their lines, in the file's order: add_row()
        each."""
        for line, row in zip(lines, rows, strict=True):
            try:
                self.add_row(row)
            except _FieldError as error:
                raise ImportRowError(line, error.column, error.message) from None

    def add(self, rec: dict[str, str]) -> None:
        raise NotImplementedError

    def flush(self) -> None:
        self.pending.clear()

    def finish(self) -> None:
        """After the last flush, still inside the transaction."""

    def count(self) -> int:
        raise NotImplementedError


class _HsaUnits(_Importer):
    """An entry listed is in HSA (one marked gone is back). With `complete` the file is the
    catalogue of each region it lists: an entry of such a region that the file leaves out
    is marked gone from HSA (Avvikelser mot HSA)."""

    FIELDS = (
        "hsa_id",
        "name",
        "care_type",
        "region",
        "street",
        "postal_code",
        "city",
        "phone",
        "info",
        "missing_since",
    )

    def __init__(self) -> None:
        super().__init__()
        self.regions = _Regions()
        self.seen: set[str] = set()
        self.seen_regions: set[str] = set()

    def add(self, rec: dict[str, str]) -> None:
        key = _hsa_id(rec)
        region = self.regions.get(rec, "region_code", required=True)
        self.pending[key] = (
            key,
            _text(rec, "name", "Namnet", required=True),
            _text(rec, "care_type", "Vårdtypen"),
            region,
            _text(rec, "street", "Gatuadressen"),
            _text(rec, "postal_code", "Postnumret"),
            _text(rec, "city", "Orten"),
            _text(rec, "phone", "Telefonnumret"),
            _free_text(rec, "info"),
            None,
        )
        self.seen.add(key)
        self.seen_regions.add(region)

    def flush(self) -> None:
        bulk_write(
            HsaUnit, self.FIELDS, self.pending.values(), key=("hsa_id",), update=self.FIELDS[1:]
        )
        super().flush()

    def finish(self) -> None:
        if not self.complete:
            return
        now = now_epoch()
        gone = [
            hsa_id
            for (hsa_id,) in HsaUnit.select(HsaUnit.hsa_id)
            .where(HsaUnit.region.in_(sorted(self.seen_regions)) & HsaUnit.missing_since.is_null())
            .tuples()
            if hsa_id not in self.seen
        ]
        for start in range(0, len(gone), 500):
            HsaUnit.update(missing_since=now).where(
                HsaUnit.hsa_id.in_(gone[start : start + 500])
            ).execute()

    def count(self) -> int:
        return HsaUnit.select().count()


class _HsaPersons(_Importer):
    FIELDS = (
        "personnummer",
        "given_names",
        "preferred_name",
        "surname",
        "title",
        "email",
        "mobile",
        "region",
    )

    def __init__(self) -> None:
        super().__init__()
        self.regions = _Regions()

    def add(self, rec: dict[str, str]) -> None:
        key = _pnr(rec, "personnummer")
        email = rec["email"].strip() and _checked(rec, "email", validation.email)
        mobile = rec["mobile"].strip() and _checked(rec, "mobile", validation.mobile)
        self.pending[key] = (
            key,
            _text(rec, "given_names", "Förnamnen", required=True),
            _text(rec, "preferred_name", "Tilltalsnamnet"),
            _text(rec, "surname", "Efternamnet", required=True),
            _text(rec, "title", "Titeln"),
            email,
            mobile,
            self.regions.get(rec, "region_code", required=False),
        )

    def flush(self) -> None:
        bulk_write(
            HsaPerson,
            self.FIELDS,
            self.pending.values(),
            key=("personnummer",),
            update=self.FIELDS[1:],
        )
        super().flush()

    def count(self) -> int:
        return HsaPerson.select().count()


class _UnitCaseTypes(_Importer):
    """hsa_id must be a connected unit: a UnitCaseType belongs to a Unit, and connecting a
    directory entry is Aktivera's job, not an import's."""

    FIELDS = ("unit", "case_type", "active")

    def __init__(self) -> None:
        super().__init__()
        self.units = _connected_units()
        self.types = {
            (k, n): i
            for i, k, n in CaseType.select(CaseType.id, CaseType.kind, CaseType.name).tuples()
        }

    def _case_type(self, rec: dict[str, str]) -> int:
        name = _text(rec, "case_type", "Ärendetypen", required=True)
        kind = _choice(rec, "kind", CASE_TYPE_KINDS)
        if (kind, name) not in self.types:
            if kind == KIND_STANDARD:
                raise _FieldError(
                    "case_type", f"Ärendetypen {_quoted(name)} finns inte i den centrala banken."
                )
            # Own and integration types are created on first use, as the unit's admin would.
            self.types[(kind, name)] = CaseType.insert(kind=kind, name=name).execute()
        return self.types[(kind, name)]

    def add(self, rec: dict[str, str]) -> None:
        unit = _unit_id(self.units, rec)
        case_type = self._case_type(rec)
        self.pending[(unit, case_type)] = (unit, case_type, _bool(rec, "active"))

    def flush(self) -> None:
        bulk_write(
            UnitCaseType,
            self.FIELDS,
            self.pending.values(),
            key=("unit", "case_type"),
            update=("active",),
        )
        super().flush()

    def count(self) -> int:
        return UnitCaseType.select().count()


_KIND_PRIORITY = (KIND_STANDARD, KIND_OWN, KIND_INTEGRATION)


def _type_priority(row: tuple[int, str, str]) -> tuple[int, int]:
    kind = row[1]
    return (_KIND_PRIORITY.index(kind) if kind in _KIND_PRIORITY else 9), row[0]


class _Cases(_Importer):
    FIELDS = (
        "id",
        "unit",
        "case_type",
        "received_at",
        "assigned_at",
        "started_at",
        "answered_at",
        "closed_at",
        "assignee",
    )

    def __init__(self) -> None:
        super().__init__()
        self.units = _connected_units()
        # A name is looked up in the bank first, then among own and integration types.
        self.types: dict[str, int] = {}
        rows = CaseType.select(CaseType.id, CaseType.kind, CaseType.name).tuples()
        for ct_id, _kind, name in sorted(rows, key=_type_priority):
            self.types.setdefault(name, ct_id)
        # Every staff account once: a query per distinct assignee was a third of an import.
        self.staff = dict(
            StaffAccount.select(HsaPerson.personnummer, StaffAccount.id).join(HsaPerson).tuples()
        )
        # Keyed by the text as written: a million rows name a few thousand units and staff,
        # and validating an HSA-id or a personnummer costs more than the rest of the row.
        self.unit_by_text: dict[str, int] = {}
        self.assignee_by_text: dict[str, int | None] = {"": None}
        self.timestamp = _Timestamps()
        self.writer = _CaseWriter(self.streams)
        self.index: tuple[int, ...] = ()

    def use_header(self, header: list[str]) -> None:
        super().use_header(header)
        self.index = tuple(header.index(c) for c in COLUMNS["cases"])

    def add_rows(self, lines: list[int], rows: list[list[str]]) -> None:
        """A batch whose every row add_row() would take straight from its cells is taken a
        column at a time, the loops in C (the call per row was half of an import's
        Python); any other batch goes row by row, which checks and words the errors."""
        id_i, unit_i, type_i, *time_i, assignee_i = self.index
        texts = list(map(itemgetter(id_i), rows))
        unit_texts = list(map(itemgetter(unit_i), rows))
        assignee_texts = list(map(itemgetter(assignee_i), rows))
        self._learn_names(unit_texts, assignee_texts)
        if not (
            rows
            and "".join(texts).isascii()
            and all(map(str.isdigit, texts))
            and max(map(len, texts)) < 19
            and all(map(self.assignee_by_text.__contains__, assignee_texts))
        ):
            super().add_rows(lines, rows)
            return
        ids = list(map(int, texts))
        units = list(map(self.unit_by_text.get, unit_texts))
        types = list(map(self.types.get, map(itemgetter(type_i), rows)))
        times = self._column_times(rows, time_i)
        if min(ids) <= 0 or None in units or None in types or times is None:
            super().add_rows(lines, rows)
            return
        assignees = map(self.assignee_by_text.__getitem__, assignee_texts)
        self.pending.update(
            zip(ids, zip(ids, units, types, *times, assignees, strict=True), strict=True)
        )

    def _learn_names(self, unit_texts: list[str], assignee_texts: list[str]) -> None:
        """Units and assignees not met before, each checked once here (a file's first
        batch); a bad one is left to the row that names it first."""
        for text in set(unit_texts).difference(self.unit_by_text):
            try:
                self._unit({"hsa_id": text})
            except _FieldError:
                pass
        for text in set(assignee_texts).difference(self.assignee_by_text):
            try:
                self._assignee({"assignee_personnummer": text})
            except _FieldError:
                pass

    def _column_times(
        self, rows: list[list[str]], columns: list[int]
    ) -> list[list[int | None]] | None:
        """The epochs of the time columns, or None unless each cell is empty or a cached
        time (as add_row() takes them), every received_at is given and no case is closed
        before it was received."""
        times = []
        for index in columns:
            values = list(map(itemgetter(index), rows))
            epochs = self.timestamp.column(values)
            if epochs.count(None) != values.count(""):
                return None
            times.append(epochs)
        received, closed = times[0], times[-1]
        if None in received or any(
            c is not None and c < r for c, r in zip(closed, received, strict=True)
        ):
            return None
        return times

    def add_row(self, row: list[str]) -> None:
        """A row whose every cell is known as written (an id of digits, a unit, case type
        and assignee already checked, times of cached hours, closed after received) goes
        straight in; anything else takes add(), which checks in column order and words the
        error. The dict per row and the call per timestamp were a third of an import."""
        id_i, unit_i, type_i, *time_i, assignee_i = self.index
        text = row[id_i]
        case_id = int(text) if len(text) < 19 and text.isascii() and text.isdigit() else 0
        unit = self.unit_by_text.get(row[unit_i])
        case_type = self.types.get(row[type_i])
        assignee_text = row[assignee_i]
        cached = self.timestamp.cached
        times: list[int | None] = []
        for i in time_i:
            value = row[i]
            epoch = cached(value) if value else None
            if value and epoch is None:
                break
            times.append(epoch)
        received, closed = (times[0], times[4]) if len(times) == 5 else (None, None)
        if (
            received is None
            or (closed is not None and closed < received)
            or not 0 < case_id < 2**63
            or unit is None
            or case_type is None
            or assignee_text not in self.assignee_by_text
        ):
            self.add(dict(zip(self.header, row, strict=True)))
            return
        self.pending[case_id] = (
            case_id,
            unit,
            case_type,
            *times,
            self.assignee_by_text[assignee_text],
        )

    def _case_id(self, rec: dict[str, str]) -> int:
        value = rec["case_id"].strip()
        # A number of thousands of digits is not converted (Python refuses it with an error).
        short = len(value.lstrip("0")) <= 19
        if not value.isascii() or not value.isdigit() or not short or not 0 < int(value) < 2**63:
            raise _FieldError("case_id", f"Ska vara ett positivt heltal (var {_quoted(value)}).")
        return int(value)

    def _assignee(self, rec: dict[str, str]) -> int | None:
        text = rec["assignee_personnummer"]
        pnr = _pnr(rec, "assignee_personnummer", required=False)
        account = None
        if pnr:
            account = self.staff.get(pnr)
            if account is None:
                raise _FieldError(
                    "assignee_personnummer",
                    f"{validation.format_personnummer(pnr)} har inget vårdaktörskonto.",
                )
        self.assignee_by_text[text] = account
        return account

    def _unit(self, rec: dict[str, str]) -> int:
        unit = self.unit_by_text[rec["hsa_id"]] = _unit_id(self.units, rec)
        return unit

    def _case_type(self, rec: dict[str, str]) -> int:
        name = _text(rec, "case_type", "Ärendetypen", required=True)
        if name not in self.types:
            raise _FieldError(
                "case_type",
                f"Ärendetypen {_quoted(name)} finns varken i banken eller som egen ärendetyp.",
            )
        return self.types[name]

    def add(self, rec: dict[str, str]) -> None:
        # The checks in the order of the columns: a row with two faults names the first.
        text = rec["case_id"]
        case_id = int(text) if len(text) < 19 and text.isascii() and text.isdigit() else 0
        if not 0 < case_id < 2**63:
            case_id = self._case_id(rec)  # spaces around it, or the error
        unit = self.unit_by_text.get(rec["hsa_id"]) or self._unit(rec)
        # A known name as written needs no further check.
        case_type = self.types.get(rec["case_type"]) or self._case_type(rec)
        timestamp = self.timestamp
        received = timestamp(rec, "received_at", required=True)
        assigned = timestamp(rec, "assigned_at")
        started = timestamp(rec, "started_at")
        answered = timestamp(rec, "answered_at")
        closed = timestamp(rec, "closed_at")
        if closed is not None and closed < received:
            raise _FieldError(
                "closed_at", "Ärendet kan inte avslutas före det inkom (received_at)."
            )
        text = rec["assignee_personnummer"]
        assignee = (
            self.assignee_by_text[text] if text in self.assignee_by_text else self._assignee(rec)
        )
        self.pending[case_id] = (
            case_id,
            unit,
            case_type,
            received,
            assigned,
            started,
            answered,
            closed,
            assignee,
        )

    def flush(self) -> None:
        self.writer.write(list(self.pending.values()))
        super().flush()

    def finish(self) -> None:
        self.writer.finish()

    def count(self) -> int:
        return Case.select().count()


Restore = Callable[[], None]


def begin_empty_load(table: str) -> Restore | None:
    """Before a load into `table` ("case" or "login") while it is empty (a first import,
    the demo): take away what a row-by-row load pays for and building it once afterwards
    does not. Returns what puts it back, to call in the same transaction before anything
    reads the table; None, with nothing changed, when the table is not empty or the
    backend keeps it.

    PostgreSQL: the foreign keys and secondary indexes, through the keeper's functions
    (models/pgsecurity.py, ra_bulk_begin_<table>), for the system-owner group and the
    superuser: the table stays locked until the commit, the foreign keys come back
    validated in one pass each, and a transaction that does not put them back cannot
    commit. COPY of cases ran at 17k rows/s with the three foreign keys, 39k with the six
    indexes and 240k without either. SQLite: the case table's secondary indexes
    (its foreign keys are not enforced); a failed load gets them back with the rollback.
    """
    if is_postgres():
        quoted = '"' + table + '"'
        if database.execute_sql(f"SELECT EXISTS (SELECT 1 FROM {quoted})").fetchone()[0]:
            return None
        if not pgsecurity.bulk_begin(table):
            return None
        return lambda: pgsecurity.bulk_finish(table)
    if table != "case" or Case.select().exists():
        return None
    dropped = drop_case_indexes()
    return lambda: create_indexes(dropped)


def drop_case_indexes() -> list[tuple[str, str]]:
    """SQLite: drop the case table's secondary (non-unique) indexes for a load into the
    empty table; returns (name, CREATE statement) of each, for create_indexes().

    Six indexes kept up row by row made a first load several times slower than building
    them once after it. All inside the load's transaction: a failed load gets them back
    with the rollback.
    """
    found = database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'case' "
        "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name"
    ).fetchall()
    for name, _statement in found:
        database.execute_sql(f'DROP INDEX "{name}"')
    return [(name, statement) for name, statement in found]


def create_indexes(dropped: list[tuple[str, str]]) -> None:
    """Build again what drop_case_indexes() dropped, in the same transaction."""
    for _name, statement in dropped:
        database.execute_sql(statement)


class _CaseWriter:
    """Writes the cases import's batches (each one without repeated ids).

    A batch whose ids all lie above every id the table had when the import began and
    every id written since (a first load into an empty table, or new cases appended in
    id order, as exports and the demo write them) cannot meet an existing case: plain
    INSERT (COPY on PostgreSQL, see copy_rows), no upsert. Any other batch is merged: on
    PostgreSQL COPY into a temporary staging table and one INSERT ... SELECT ... ON
    CONFLICT, on SQLite executemany with ON CONFLICT. On PostgreSQL the region (the key of
    row-level security)
    is filled here from the unit, so the per-row trigger that would look it up stays idle.
    """

    def __init__(self, streams: ExitStack) -> None:
        self.high = Case.select(fn.MAX(Case.id)).scalar() or 0
        # Cases stored before the import: only these are taken out of and put back into the
        # summaries batch by batch; everything above is counted once at the end (finish).
        self.start = self.high
        # Stored cases this import has taken out of the summaries: each leaves once, in its
        # stored version, before its first overwrite, and all come back once at the end
        # in their final versions (one grouped pass instead of one per batch).
        self.taken_out: set[int] = set()
        # The temporary table holding those stored versions until finish() takes them out
        # of the summaries in one pass (None: none yet, or per batch without TEMPORARY).
        self.versions: str | None = None
        self.fields = _Cases.FIELDS
        self.regions: dict[int, str | None] | None = None
        if is_postgres():
            self.fields = (*self.fields, "region")
            self.regions = dict(Unit.select(Unit.id, Unit.region).tuples())
        # A first load: without the indexes (and on PostgreSQL the foreign keys) until
        # finish(); begin_empty_load checks the table is empty after locking it.
        self.restore = begin_empty_load("case") if self.high == 0 else None
        self.appender = _Appender(streams, Case, self.fields)
        self.appender.stream = self.restore is not None

    def finish(self) -> None:
        """Put back what a first load took away (before anything reads), then count the
        cases this import appended in the year reports' summaries, in one pass."""
        self.appender.close()
        if self.restore is not None:
            self.restore()
            self.restore = None
        if self.versions is not None:
            # Out in their stored versions, back in their final ones: a pass each.
            case_summary.remove_versions(self.versions)
            case_summary.add(f"SELECT id FROM {self.versions}")
            database.execute_sql(f"DROP TABLE {self.versions}")
            self.versions = None
            self.taken_out = set()
        if self.taken_out:
            case_summary.add(sorted(self.taken_out))
            self.taken_out = set()
        if self.high > self.start:
            case_summary.add_above(self.start)

    def write(self, rows: list[tuple]) -> None:
        if not rows:
            return
        if self.regions is not None:
            regions = self.regions
            rows = [(*row, regions[row[1]]) for row in rows]
        top = max(row[0] for row in rows)
        if min(row[0] for row in rows) > self.high:
            self.appender.write(rows)
            self.high = top
            return
        self.appender.close()  # the merge below reads and writes with other statements
        rows = self._changed(rows)
        taken_out = self.taken_out
        stored = [row[0] for row in rows if row[0] <= self.start and row[0] not in taken_out]
        if stored:
            self._keep_versions(stored)  # their stored versions leave the summaries
            taken_out.update(stored)
        if rows and self.regions is not None:
            self._merge(rows)
        elif rows:
            bulk_write(Case, self.fields, rows, key=("id",), update=self.fields[1:])
        self.high = max(self.high, top)

    def _keep_versions(self, ids: list[int]) -> None:
        """Copy the stored versions of `ids` aside before the batch overwrites them; finish()
        takes them all out of the summaries at once. Per batch, the same summary rows were
        upserted again each time: a re-import changing 100,000 cases spent 15 of its 23 s
        on PostgreSQL there. A PostgreSQL role without TEMPORARY takes them out now."""
        pg = is_postgres()
        if self.versions is None:
            if not may_use_temporary_tables():
                case_summary.remove(ids)
                return
            name = "pg_temp.ra_case_versions" if pg else "temp.ra_case_versions"
            database.execute_sql(f"DROP TABLE IF EXISTS {name}")
            if pg:
                database.execute_sql(
                    f'CREATE TEMPORARY TABLE {name} ON COMMIT DROP AS SELECT * FROM "case" '
                    "WITH NO DATA"
                )
            else:
                database.execute_sql(f'CREATE TABLE {name} AS SELECT * FROM "case" WHERE 0')
            self.versions = name
        where, params = case_summary.id_condition("id", ids)
        database.execute_sql(
            f'INSERT INTO {self.versions} SELECT * FROM "case" WHERE {where}', params
        )

    def _changed(self, rows: list[tuple]) -> list[tuple]:
        """The rows the write would change: a case stored exactly so is left alone, and
        neither leaves the summaries nor costs its upsert (an export imported again,
        where only the open cases have moved on, is mostly such rows)."""
        ids = [row[0] for row in rows if row[0] <= self.high]
        if not ids:
            return rows
        columns = ", ".join('"' + Case._meta.fields[f].column_name + '"' for f in self.fields)
        where, params = case_summary.id_condition("id", ids)
        cursor = database.execute_sql(f'SELECT {columns} FROM "case" WHERE {where}', params)
        stored = {row[0]: tuple(row) for row in cursor.fetchall()}
        return [row for row in rows if stored.get(row[0]) != row]

    def _merge(self, rows: list[tuple]) -> None:
        """PostgreSQL: COPY into the staging table, one INSERT ... SELECT ... ON CONFLICT."""
        columns = ['"' + Case._meta.fields[f].column_name + '"' for f in self.fields]
        sets = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
        merge = f"ON CONFLICT (id) DO UPDATE SET {sets}"
        values = ", ".join([database.param] * len(columns))
        fallback = f'INSERT INTO "case" ({", ".join(columns)}) VALUES ({values}) {merge}'
        copy_rows("case", columns, rows, fallback, merge=merge)


class _Accounts(_Importer):
    """Citizen accounts in batches; staff accounts one at a time (few, and each needs its
    directory person and the one-account-per-person rule checked)."""

    FIELDS = ("account_id", "personnummer", "region", "created_at")

    def __init__(self) -> None:
        super().__init__()
        self.regions = _Regions()
        self.timestamp = _Timestamps()

    def add(self, rec: dict[str, str]) -> None:
        account_id = _text(rec, "account_id", "Kontots id", required=True)
        kind = _choice(rec, "kind", (CITIZEN, STAFF))
        pnr = _pnr(rec, "personnummer", required=kind == STAFF)
        region = self.regions.get(rec, "region_code", required=False)
        created = self.timestamp(rec, "created_at", required=True)
        if kind == CITIZEN:
            self.pending[account_id] = (account_id, pnr, region, created)
        else:
            self._staff(account_id, pnr, region, created)

    def _staff(self, account_id: str, pnr: str, region: str | None, created: int) -> None:
        person = HsaPerson.get_or_none(HsaPerson.personnummer == pnr)
        if person is None:
            raise _FieldError(
                "personnummer",
                f"{validation.format_personnummer(pnr)} finns inte i personalkatalogen (HSA).",
            )
        holder = StaffAccount.get_or_none(StaffAccount.person == person)
        if holder is not None and holder.account_id != account_id:
            raise _FieldError(
                "personnummer",
                f"{person.full_name} har redan vårdaktörskontot {holder.account_id}.",
            )
        account = holder or StaffAccount.get_or_none(StaffAccount.account_id == account_id)
        if account is None:
            StaffAccount.create(
                account_id=account_id, person=person, region=region, created_at=created
            )
        else:
            account.person, account.region, account.created_at = person, region, created
            account.save()

    def flush(self) -> None:
        bulk_write(
            CitizenAccount,
            self.FIELDS,
            self.pending.values(),
            key=("account_id",),
            update=self.FIELDS[1:],
        )
        super().flush()

    def count(self) -> int:
        return CitizenAccount.select().count() + StaffAccount.select().count()


class _Logins(_Importer):
    """Logins are events without a natural key: importing a file twice adds its rows twice,
    and the roll-up (kept in step in the same transaction) doubles with them."""

    # `at` last: a row is the checked values of its combination + (at,), built in C.
    FIELDS = ("kind", "method", "success", "region", "at")

    def __init__(self) -> None:
        super().__init__()
        self.regions = _Regions()
        self.timestamp = _Timestamps()
        self.day_of = _DayOf()
        # (kind, method, success, region_code) as written -> the checked values: a file
        # names a few dozen such combinations, so each is checked once, not once a row.
        self.checked: dict[tuple[str, str, str, str], tuple[str, str, bool, str | None]] = {}
        self.tally: Counter[tuple[date, tuple[str, str, bool, str | None]]] = Counter()
        # The UTC hour (epoch // 3600) -> its Stockholm day: a day begins on a whole hour.
        self.day_of_hour: dict[int, date] = {}
        # SQLite binds an int as it is and a bool through its adapter look-up (a fifth of
        # the INSERT); it stores 1 or 0 either way. PostgreSQL's boolean needs the bool.
        self.flag: Callable[[bool], bool | int] = bool if is_postgres() else int
        self.index: tuple[int, ...] = ()
        # A first load: the foreign key and the index on `at` are built after it.
        self.restore = begin_empty_load("login")
        self.appender = _Appender(self.streams, Login, self.FIELDS)
        self.appender.stream = self.restore is not None

    def use_header(self, header: list[str]) -> None:
        super().use_header(header)
        self.index = tuple(header.index(c) for c in COLUMNS["logins"])

    def add_row(self, row: list[str]) -> None:
        """A time of a cached hour and a combination already checked as written go
        straight in (the file's 200k rows name a few thousand hours and a few dozen
        combinations); anything else takes add(), which checks and words the error."""
        at_i, kind_i, method_i, success_i, region_i = self.index
        values = self.checked.get((row[kind_i], row[method_i], row[success_i], row[region_i]))
        at = self.timestamp.cached(row[at_i])
        if values is None or at is None:
            self.add(dict(zip(self.header, row, strict=True)))
            return
        self.pending[len(self.pending)] = (*values, at)
        self.tally[(self.day_of(at), values)] += 1

    def add_rows(self, lines: list[int], rows: list[list[str]]) -> None:
        """A batch of times of cached hours and combinations already checked is taken a
        column at a time, the loops in C (the call per row was most of the Python of a
        logins import); any other batch goes row by row (add_row)."""
        at_i, kind_i, method_i, success_i, region_i = self.index
        ats = self.timestamp.column(list(map(itemgetter(at_i), rows)))
        combos = list(map(itemgetter(kind_i, method_i, success_i, region_i), rows))
        values = list(map(self.checked.get, combos))
        if None in values:
            # New combinations (a file's first rows): the valid ones are checked here, once;
            # a bad one is left to the row that names it first.
            for combo in set(combos).difference(self.checked):
                try:
                    self._check(dict(zip(COLUMNS["logins"][1:], combo, strict=True)))
                except _FieldError:
                    pass
            values = list(map(self.checked.get, combos))
        if None in ats or None in values:
            super().add_rows(lines, rows)
            return
        keys = range(len(self.pending), len(self.pending) + len(ats))
        self.pending.update(zip(keys, map(add, values, zip(ats)), strict=True))
        hours = list(map(floordiv, ats, repeat(3600)))
        days = self.day_of_hour
        for hour in set(hours).difference(days):
            days[hour] = self.day_of(hour * 3600)
        self.tally.update(zip(map(days.__getitem__, hours), values, strict=True))

    def _check(self, rec: dict[str, str]) -> tuple[str, str, bool, str | None]:
        values = (
            _choice(rec, "kind", (CITIZEN, STAFF)),
            _text(rec, "method", "Inloggningsmetoden"),
            self.flag(_bool(rec, "success")),
            self.regions.get(rec, "region_code", required=False),
        )
        self.checked[(rec["kind"], rec["method"], rec["success"], rec["region_code"])] = values
        return values

    def add(self, rec: dict[str, str]) -> None:
        at = self.timestamp(rec, "at", required=True)
        values = self.checked.get(
            (rec["kind"], rec["method"], rec["success"], rec["region_code"])
        ) or self._check(rec)
        self.pending[len(self.pending)] = (*values, at)
        self.tally[(self.day_of(at), values)] += 1

    def flush(self) -> None:
        self.appender.write(self.pending.values())
        super().flush()

    def finish(self) -> None:
        self.appender.close()
        if self.restore is not None:
            self.restore()
            self.restore = None
        rollup: dict[RollupKey, list[int]] = {}
        for (day, (kind, method, success, region)), n in self.tally.items():
            rollup.setdefault((day, region, kind, method), [0, 0])[0 if success else 1] += n
        add_to_login_rollup(rollup)

    def count(self) -> int:
        return Login.select().count()


_IMPORTERS: dict[str, type[_Importer]] = {
    "hsa-units": _HsaUnits,
    "hsa-persons": _HsaPersons,
    "unit-casetypes": _UnitCaseTypes,
    "cases": _Cases,
    "accounts": _Accounts,
    "logins": _Logins,
}


# ---------------------------------------------------------------------------- reading


@contextmanager
def _open_source(source: Source) -> Iterator[tuple[IO[str], str]]:
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            stream = path.open(encoding="utf-8-sig", newline="")
        except FileNotFoundError:
            raise NotFound(f"Filen {clean(path)} finns inte.") from None
        except IsADirectoryError:
            raise ValidationError(f"{clean(path)} är en katalog, inte en fil.") from None
        except OSError as error:  # no permission, a file as a folder in the path, ...
            raise unreadable(path, error) from None
        with stream:
            yield stream, str(path)
        return
    name = str(getattr(source, "name", "-"))
    if isinstance(source, io.TextIOBase):
        yield source, name  # type: ignore[misc]
    else:
        yield io.TextIOWrapper(source, encoding="utf-8-sig", newline=""), name


@contextmanager
def csv_records(
    source: Source, kind: str, expected: tuple[str, ...]
) -> Iterator[Iterator[tuple[int, dict[str, str]]]]:
    """(line, record) of a CSV file with the columns `expected`, by the same rules as an
    import (UTF-8, `,` or `;`, a header row, every bad row `rad N, fält X: ...`)."""
    with _open_source(source) as (stream, _name):
        delimiter, header = _read_header(stream, kind, expected)
        yield _records(stream, delimiter, header)


def _read_header(
    stream: IO[str], kind: str, expected: tuple[str, ...] | None = None
) -> tuple[str, list[str]]:
    """Sniff the separator from the header line and check the column names."""
    try:
        line = stream.readline().lstrip("\ufeff")
    except UnicodeDecodeError:
        raise ImportRowError(1, HEADER, "Filen är inte kodad i UTF-8.") from None
    if not line.strip():
        raise ImportRowError(
            1, HEADER, "Filen är tom; första raden ska vara rubrikraden med kolumnernas namn."
        )
    delimiter = ";" if line.count(";") > line.count(",") else ","
    try:
        fields = next(csv.reader([line], delimiter=delimiter))
    except csv.Error as error:  # a field over the csv module's limit, a NUL byte ...
        raise ImportRowError(
            1, HEADER, f"Rubrikraden går inte att läsa som CSV ({_csv_reason(error)})."
        ) from None
    header = [h.strip().lower() for h in fields]
    expected = expected or COLUMNS[kind]
    listing = ", ".join(expected)
    for column in header:
        if column not in expected:
            raise ImportRowError(
                1, _shown(column) or HEADER, f"Okänd kolumn. Kolumnerna för {kind} är: {listing}."
            )
        if header.count(column) > 1:
            raise ImportRowError(1, column, "Kolumnen finns två gånger i rubrikraden.")
    for column in expected:
        if column not in header:
            raise ImportRowError(
                1, column, f"Kolumnen saknas i rubrikraden. Kolumnerna för {kind} är: {listing}."
            )
    return delimiter, header


def _records(
    stream: IO[str], delimiter: str, header: list[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number in the file, record) for each non-blank row; the header is line 1."""
    for line, row in _rows(stream, delimiter, header):
        yield line, dict(zip(header, row, strict=True))


def _rows(stream: IO[str], delimiter: str, header: list[str]) -> Iterator[tuple[int, list[str]]]:
    """(line number in the file, cells in the header's order) for each non-blank row that
    has as many cells as the header and no invisible character; the header is line 1."""
    for lines, rows in _row_batches(stream, delimiter, header, 1000):
        yield from zip(lines, rows, strict=True)


def _check_visible(line: int, header: list[str], row: list[str], checked: set[str]) -> None:
    """Search each non-ASCII cell for invisible characters once: the names of units, case
    types and methods repeat on every row, and the search cost more than the rest of it."""
    if checked.issuperset(filterfalse(str.isascii, row)):
        return  # every non-ASCII cell was searched before (a set test in C)
    for cell in row:
        if cell.isascii() or cell in checked:
            continue
        if invisible_character(cell):
            _refuse_invisible(line, header, row)
        if len(checked) < 100_000:
            checked.add(cell)


def _refuse_invisible(line: int, header: list[str], row: list[str]) -> None:
    """Every text field of every kind: no bidi, zero-width or other format characters
    (lookalike names, broken search), whatever the column's own rules would say."""
    for column, cell in zip(header, row, strict=True):
        found = invisible_character(cell)
        if found:
            raise ImportRowError(
                line,
                column,
                "Fältet får inte innehålla osynliga tecken "
                "eller tecken som styr textens riktning "
                f"(här {found}).",
            )


def _csv_reason(error: csv.Error) -> str:
    """The csv module's reason, in Swedish (never its English words)."""
    text = str(error)
    if text.startswith("field larger than field limit"):
        return f"ett fält är längre än {csv.field_size_limit():,} tecken".replace(",", "\u00a0")
    if "NUL" in text:
        return "raden innehåller ett NUL-tecken"
    if "expected after" in text:
        return (
            "ett citattecken avslutar fältet men följs inte av avgränsaren; ett "
            "citattecken inne i ett fält skrivs dubbelt"
        )
    if "unexpected end of data" in text:
        return "filen tar slut inne i ett fält med citattecken (det avslutande saknas)"
    if "new-line character" in text:
        return "en radbrytning står mitt i ett fält utan citattecken"
    return "raden följer inte CSV-formatet"


def _add_batches(
    importer: _Importer,
    batches: Iterator[tuple[list[int], list[list[str]]]],
    batch_size: int,
    progress: ProgressFn | None,
) -> int:
    """import_file's loop: each batch of rows to the importer (add_rows), a flush once
    `pending` holds a batch; returns the number of rows."""
    rows = 0
    for lines, cells in batches:
        importer.add_rows(lines, cells)
        rows += len(cells)
        if len(importer.pending) >= batch_size:
            importer.flush()
            if progress:
                progress(rows)
    return rows


def _row_batches(
    stream: IO[str], delimiter: str, header: list[str], size: int
) -> Iterator[tuple[list[int], list[list[str]]]]:
    """Up to `size` rows at a time, as (line numbers in the file, cells in the header's
    order): each non-blank row with as many cells as the header and no invisible
    character; the header is line 1. A batch rather than a generator step and a pair per
    row. A row it refuses ends it, after the rows before it are handed on: one of them
    may hold the file's first error."""
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    width = len(header)
    checked: set[str] = set()  # as in _rows
    lines: list[int] = []
    rows: list[list[str]] = []
    start = 0  # the lines the reader has read: the next row begins on start + 2
    failure: ImportRowError | None = None
    try:
        for row in reader:
            line, start = start + 2, reader.line_num
            joined = "".join(row)
            if not joined.strip():
                continue
            if len(row) != width:
                field = header[len(row)] if len(row) < width else WHOLE_ROW
                raise ImportRowError(
                    line, field, f"Raden har {len(row)} fält men rubrikraden har {width}."
                )
            if not joined.isascii():
                _check_visible(line, header, row, checked)
            lines.append(line)
            rows.append(row)
            if len(rows) == size:
                yield lines, rows
                lines, rows = [], []
    except csv.Error as error:
        reason = f"Raden går inte att läsa som CSV ({_csv_reason(error)})."
        failure = ImportRowError(start + 2, WHOLE_ROW, reason)
    except UnicodeDecodeError:
        failure = ImportRowError(start + 2, WHOLE_ROW, "Filen är inte kodad i UTF-8.")
    except ImportRowError as error:
        failure = error
    if rows:
        yield lines, rows
    if failure is not None:
        raise failure


def import_file(
    kind: str,
    source: Source,
    *,
    actor_name: str | None = None,
    progress: ProgressFn | None = None,
    batch_size: int = BATCH,
    complete: bool = False,
) -> ImportResult:
    """Import one interchange file: all or nothing, in one transaction, one audit event.

    `source` is a path or an open file; `progress` gets the number of rows done after
    each batch. Raises ImportRowError ("rad N, fält X: ...") on the first bad row.
    `complete` (hsa-units): the file is the whole catalogue of each region it lists, so an
    entry of such a region that it leaves out is gone from HSA (Avvikelser mot HSA).
    """
    _check_kind(kind)
    if complete and kind != "hsa-units":
        raise ValidationError("Hela katalogen (--complete) gäller bara hsa-units.", "complete")
    owner = actor_name or os_user()
    with _open_source(source) as (stream, name):
        delimiter, header = _read_header(stream, kind)
        with transaction():
            importer = _IMPORTERS[kind]()
            # A COPY still open on an error is failed before the rollback.
            with importer.streams:
                importer.complete = complete
                before = importer.count()
                rows = 0
                importer.use_header(header)
                batches = _row_batches(stream, delimiter, header, batch_size)
                rows = _add_batches(importer, batches, batch_size, progress)
                importer.flush()
                importer.finish()
                created = importer.count() - before
                result = ImportResult(
                    kind=kind, rows=rows, created=created, updated=rows - created, source=name
                )
                audit.record(
                    actor_id=None,
                    actor_name=f"systemägare {owner}",
                    region_code=None,
                    action="import",
                    target=kind,
                    after={
                        "kind": kind,
                        "file": name,
                        "rows": rows,
                        "created": created,
                        "updated": rows - created,
                    },
                )
    refresh_statistics()
    if progress:
        progress(rows)
    return result


# ---------------------------------------------------------------------------- exporting


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _chunks(
    model: type[BaseModel], fields: tuple, size: int = BATCH, where: Any = None
) -> Iterator[tuple]:
    """Rows of `fields` in primary-key order, a chunk at a time (bounded memory on both
    backends; psycopg would otherwise fetch a whole result to the client)."""
    pk = model._meta.primary_key
    last = None
    while True:
        query = model.select(pk, *fields).order_by(pk).limit(size)
        if where is not None:
            query = query.where(where)
        if last is not None:
            query = query.where(pk > last)
        rows = list(query.tuples())
        if not rows:
            return
        for row in rows:
            yield row[1:]
        last = rows[-1][0]


class _ExportTimes:
    """Times as an export writes them, inside the window an import takes (an export imports
    again unchanged). A value put in some other way (direct SQL) stops the export with one
    sentence naming the row and the field, never a traceback or a file that will not
    import."""

    def __init__(self) -> None:
        self.first, self.end = event_window()
        self.window = event_window_text()

    def __call__(self, epoch: int | None, what: str, key: object, column: str) -> str:
        """`epoch` as ISO 8601; `what` and `key` name the row ("Ärende", 17) if it is bad."""
        if epoch is None:
            return ""
        if self.first <= epoch < self.end:
            return iso_local(epoch)
        row = f"{what} {_shown(key)}"
        try:
            shown = iso_local(epoch)
        except TimestampOutOfRange:
            shown = f"{epoch} (sekunder sedan 1970-01-01)"
        raise TimestampOutOfRange(
            f"{row}, fält {column}: tidpunkten {shown} ligger inte "
            f"mellan {self.window}, så den kan inte exporteras; rätta "
            "värdet i databasen.",
            epoch,
        )


def _export_hsa_units() -> Iterator[tuple]:
    """The catalogue as HSA has it now: entries gone from HSA are not exported (the file
    imported again must not bring them back)."""
    f = HsaUnit
    yield from _chunks(
        f,
        (f.hsa_id, f.name, f.care_type, f.region, f.street, f.postal_code, f.city, f.phone, f.info),
        where=f.missing_since.is_null(),
    )


def _export_hsa_persons() -> Iterator[tuple]:
    f = HsaPerson
    for *row, region in _chunks(
        f,
        (
            f.personnummer,
            f.given_names,
            f.preferred_name,
            f.surname,
            f.title,
            f.email,
            f.mobile,
            f.region,
        ),
    ):
        yield (*row, region or "")


def _export_unit_casetypes() -> Iterator[tuple]:
    units = dict(Unit.select(Unit.id, Unit.hsa_id).tuples())
    types = {
        i: (n, k) for i, n, k in CaseType.select(CaseType.id, CaseType.name, CaseType.kind).tuples()
    }
    for unit, case_type, active in _chunks(
        UnitCaseType, (UnitCaseType.unit, UnitCaseType.case_type, UnitCaseType.active)
    ):
        name, kind = types[case_type]
        yield units[unit], name, kind, _flag(active)


def _export_cases() -> Iterator[tuple]:
    units = dict(Unit.select(Unit.id, Unit.hsa_id).tuples())
    types = dict(CaseType.select(CaseType.id, CaseType.name).tuples())
    staff = dict(
        StaffAccount.select(StaffAccount.id, HsaPerson.personnummer).join(HsaPerson).tuples()
    )
    f = Case
    times = _ExportTimes()
    names = COLUMNS["cases"][3:8]
    for row in _chunks(
        f,
        (
            f.id,
            f.unit,
            f.case_type,
            f.received_at,
            f.assigned_at,
            f.started_at,
            f.answered_at,
            f.closed_at,
            f.assignee,
        ),
    ):
        case_id, unit, case_type, *steps, assignee = row
        yield (
            case_id,
            units[unit],
            types[case_type],
            *(times(t, "Ärende", case_id, c) for t, c in zip(steps, names, strict=True)),
            staff.get(assignee, "") if assignee else "",
        )


def _export_accounts() -> Iterator[tuple]:
    c = CitizenAccount
    times = _ExportTimes()
    for account_id, pnr, region, created in _chunks(
        c, (c.account_id, c.personnummer, c.region, c.created_at)
    ):
        yield (
            account_id,
            CITIZEN,
            pnr,
            region or "",
            times(created, "Invånarkontot", account_id, "created_at"),
        )
    people = dict(HsaPerson.select(HsaPerson.id, HsaPerson.personnummer).tuples())
    s = StaffAccount
    for account_id, person, region, created in _chunks(
        s, (s.account_id, s.person, s.region, s.created_at)
    ):
        yield (
            account_id,
            STAFF,
            people[person],
            region or "",
            times(created, "Vårdaktörskontot", account_id, "created_at"),
        )


def _export_logins() -> Iterator[tuple]:
    f = Login
    times = _ExportTimes()
    for login_id, at, kind, method, success, region in _chunks(
        f, (f.id, f.at, f.kind, f.method, f.success, f.region)
    ):
        yield (times(at, "Inloggning", login_id, "at"), kind, method, _flag(success), region or "")


_EXPORTERS: dict[str, Callable[[], Iterator[tuple]]] = {
    "hsa-units": _export_hsa_units,
    "hsa-persons": _export_hsa_persons,
    "unit-casetypes": _export_unit_casetypes,
    "cases": _export_cases,
    "accounts": _export_accounts,
    "logins": _export_logins,
}


def _write(kind: str, stream: IO[str], progress: ProgressFn | None) -> int:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS[kind])
    # Exact, so the file imports again unchanged; only a terminal (standard out or a tty
    # device) gets the cells cleaned: a value must never drive the reader's terminal.
    terminal = _isatty(stream)
    rows = 0
    for row in _EXPORTERS[kind]():
        writer.writerow([clean(c, multiline=True) for c in row] if terminal else row)
        rows += 1
        if progress and rows % BATCH == 0:
            progress(rows)
    if progress:
        progress(rows)
    return rows


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False


def export_file(kind: str, target: Target, *, progress: ProgressFn | None = None) -> int:
    """Write one interchange file (UTF-8, comma, header row); returns the number of rows.

    Values are written exactly as stored (no spreadsheet-formula prefix, nothing cleaned),
    so an export imports again unchanged. A path goes through models.files.output_file: a
    regular file is written to a temporary file beside it (mode 0600) and renamed into
    place at the end, so a failed export never leaves half a file behind, a new file is
    readable by its owner only (the files name patients and staff, and jump hosts are
    shared) and a replaced file keeps its permissions; a character device or a FIFO is
    written straight into; a missing folder is NotFound.
    """
    _check_kind(kind)
    if not isinstance(target, str | os.PathLike):
        return _write(kind, target, progress)
    with (
        output_file(Path(target)) as temporary,
        temporary.open("w", encoding="utf-8", newline="") as stream,
    ):
        return _write(kind, stream, progress)
