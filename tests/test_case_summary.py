"""The year reports' summaries (models/case_summary.py) against the raw definitions.

- Seeded random cases and random periods (single days, DST days, whole months, partial
  months at both edges, a year) and filters: every per-case report read through the
  summaries equals the DESIGN.md definitions computed case by case in Python.
- The summaries stay right through the real cases import (new and changed cases, a case
  moved to another unit and another day) and are filled by `init` on a store whose cases
  were written before the summaries existed; a unit that moves region takes them along.
- PostgreSQL: an administrator reads only the own region's summary rows and writes none.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from models import case_summary, transfer
from models.db import database, is_postgres
from models.entities import (
    Case,
    CaseDayPattern,
    CaseType,
    CaseUnitDay,
    CaseUnitMonth,
    SchemaVersion,
    Unit,
)
from models.schema import CURRENT_VERSION, init_schema
from models.timeutil import STOCKHOLM, period_epochs
from reports import (
    arenden_per_arendetyp,
    arenden_per_mottagning,
    arendestatus,
    handlaggningstider,
)
from reports import period as report_period
from reports.base import ReportParams
from tests.test_reports_support import (
    HOUR,
    SUMMARIES,
    TEN_DAYS,
    C,
    build_region,
    fixed_clock,  # noqa: F401 - autouse fixture
    in_p,
    insert_cases,
    rebuilt_summaries,
    status_change_in,
    summaries,
    ts,
)

TYPES = ("Beställa tid", "Rådgivning", "Provsvar", "Journalkopia")
# Moments the timings cluster on: month and DST edges (2026-03-29 has 23 hours,
# 2026-10-25 has 25), in 2026 and the neighbouring years.
EDGES = [
    ts(2025, 12, 31, 23, 59, 59),
    ts(2026, 1, 1),
    ts(2026, 2, 28, 23, 59, 59),
    ts(2026, 3, 1),
    ts(2026, 3, 29, 1, 59, 59),
    ts(2026, 3, 29, 3),
    ts(2026, 3, 31, 23, 30),
    ts(2026, 4, 1),
    ts(2026, 6, 30, 23, 59, 59),
    ts(2026, 7, 1),
    ts(2026, 10, 25, 1, 59, 59),
    ts(2026, 10, 25, 3),
    ts(2026, 10, 25, 23, 59, 59),
    ts(2026, 10, 31, 23, 59, 59),
    ts(2026, 11, 1),
    ts(2026, 11, 5, 12),  # as_of - 240 h: the clock's, and the two as_of the test gives
    ts(2026, 10, 15, 2, 30),
    ts(2026, 3, 30, 17),
]
IMPORT_LIMIT = ts(2026, 11, 30)
FIRST = ts(2025, 11, 1)
LAST = ts(2027, 1, 15)


def _moment(rng: random.Random) -> int:
    if rng.random() < 0.35:
        return rng.choice(EDGES) + rng.choice([0, 0, 1, -1])
    return rng.randint(FIRST, LAST)


def _later(rng: random.Random, moment: int | None) -> int | None:
    if moment is None or rng.random() < 0.2:
        return None
    delay = rng.choice(
        [0, 1, HOUR, TEN_DAYS - 1, TEN_DAYS, TEN_DAYS + 1, rng.randint(0, 45 * 24 * HOUR)]
    )
    if rng.random() < 0.05:  # out of order: the summaries must not assume the path
        delay = -rng.randint(0, 5 * 24 * HOUR)
    return moment + delay


def random_cases(r, count: int, seed: int, first_id: int = 1, limit: int | None = None) -> list[C]:
    """`limit`: no timestamp after it (the import refuses moments in the future)."""
    rng = random.Random(seed)
    units = [r.a.id, r.b.id, r.c.id, r.e.id, r.m.id]
    cases = []
    for ident in range(first_id, first_id + count):
        received = _moment(rng)
        assigned = _later(rng, received)
        started = _later(rng, assigned if rng.random() < 0.9 else received)
        answered = _later(rng, started)
        closed = _later(rng, answered or started or assigned or received)
        if rng.random() < 0.2:
            closed = received + rng.choice([TEN_DAYS - 1, TEN_DAYS, TEN_DAYS + 1])
        if closed is not None and closed < received:
            closed = received  # the import refuses a case closed before it came in
        if limit is not None:
            received = min(received, limit)
            assigned, started, answered, closed = (
                None if t is None or t > limit else t for t in (assigned, started, answered, closed)
            )
            if closed is not None and closed < received:
                closed = None
        cases.append(
            C(
                ident,
                rng.choice(units),
                r.types[rng.choice(TYPES)],
                received,
                assigned_at=assigned,
                started_at=started,
                answered_at=answered,
                closed_at=closed,
            )
        )
    return cases


def random_period(rng: random.Random) -> tuple[date, date]:
    kind = rng.random()
    if kind < 0.15:  # a single day, often a DST day or a month's last
        day = rng.choice(
            [date(2026, 3, 29), date(2026, 10, 25), date(2026, 3, 31), date(2026, 11, 1)]
        )
        return day, day
    if kind < 0.45:  # whole months
        first = date(2025, 11, 1) + timedelta(days=31 * rng.randint(0, 12))
        first = first.replace(day=1)
        months = rng.choice([1, 1, 2, 3, 12])
        last = first
        for _ in range(months):
            last = case_summary.next_month(last)
        return first, last - timedelta(days=1)
    first = date(2025, 11, 1) + timedelta(days=rng.randint(0, 400))
    length = rng.choice([0, 1, 5, 27, 31, 45, 70, 200, 365])
    return first, first + timedelta(days=length)


# --- the definitions, case by case ---------------------------------------------------------


def _mean(values: list[int]) -> float | None:
    if not values:
        return None
    exact = Decimal(sum(values)) / Decimal(len(values) * 3600)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def expected_per_type(cases, s, e, as_of) -> dict[int, dict[str, tuple]]:
    out: dict[int, dict[str, tuple]] = {}
    for type_id in {c.case_type for c in cases}:
        mine = [c for c in cases if c.case_type == type_id]
        received = sum(in_p(c.received_at, s, e) for c in mine)
        closed_cases = [c for c in mine if in_p(c.closed_at, s, e)]
        assigned = [c for c in mine if in_p(c.assigned_at, s, e)]
        started = [c for c in mine if in_p(c.started_at, s, e) and c.assigned_at is not None]
        closed_started = [c for c in closed_cases if c.started_at is not None]
        late = sum(
            status_change_in(c, s, e)
            and c.received_at <= as_of - TEN_DAYS
            and (c.closed_at is None or c.closed_at > c.received_at + TEN_DAYS)
            for c in mine
        )
        incoming = sum(
            in_p(c.received_at, s, e)
            and not in_p(c.assigned_at, s, e)
            and not in_p(c.closed_at, s, e)
            for c in mine
        )
        assigned_open = sum(in_p(c.assigned_at, s, e) and not in_p(c.closed_at, s, e) for c in mine)
        out[type_id] = {
            "per_type": (received, len(closed_cases)),
            "status": (incoming, assigned_open, len(closed_cases)),
            "handl": (
                received,
                len(closed_cases),
                late,
                _mean([c.assigned_at - c.received_at for c in assigned]),
                _mean([c.started_at - c.assigned_at for c in started]),
                _mean([c.closed_at - c.started_at for c in closed_started]),
                _mean([c.closed_at - c.received_at for c in closed_cases]),
            ),
        }
    return out


def _labels() -> dict[str, int]:
    return {t.name: t.id for t in CaseType.select()}


def _check_per_type_reports(r, cases, first, last, unit, as_of_dt) -> None:
    s, e = period_epochs(first, last)
    region = [c for c in cases if c.unit != r.m.id]
    if unit is not None:
        region = [c for c in region if c.unit == unit.id]
    params = ReportParams(date_from=first, date_to=last, unit=unit.hsa_id if unit else None)
    handl_params = ReportParams(
        date_from=first, date_to=last, unit=unit.hsa_id if unit else None, as_of=as_of_dt
    )
    handl = handlaggningstider.run(r.op, handl_params)
    as_of = _as_of(handl_params, e)
    expected = expected_per_type(region, s, e, as_of)
    ids = _labels()
    zero = {
        "per_type": (0, 0),
        "status": (0, 0, 0),
        "handl": (0, 0, 0, None, None, None, None),
    }
    label = f"{first}..{last} unit={unit.hsa_id if unit else None} as_of={as_of_dt}"
    per_type = arenden_per_arendetyp.run(r.op, params)
    for row in per_type.rows:
        want = expected.get(ids[row[0]], zero)["per_type"]
        assert tuple(row[1:]) == want, (label, row)
    bars = [period_epochs(a, b) for _label, a, b in report_period.buckets(first, last)]
    want_bars = [sum(in_p(c.received_at, a, b) for c in region) for a, b in bars]
    assert per_type.chart.values == want_bars, label
    for row in arendestatus.run(r.op, params).rows:
        want = expected.get(ids[row[0]], zero)["status"]
        assert tuple(row[1:4]) == want, (label, row)
        assert row[4] == sum(want)
    for row in handl.rows:
        want = expected.get(ids[row[0]], zero)["handl"]
        assert tuple(row[1:]) == want, (label, row)
    shown = {ids[row[0]] for row in handl.rows}
    for type_id, values in expected.items():
        if any(v for v in values["handl"]):
            assert type_id in shown, (label, type_id)


def _as_of(params: ReportParams, end: int) -> int:
    from reports import period

    return period.as_of_epoch(params.as_of, end)


def _check_per_unit(r, cases, first, last, care_type) -> None:
    s, e = period_epochs(first, last)
    units = {u.id: u for u in Unit.select().where(Unit.region == "01")}
    if care_type:
        units = {i: u for i, u in units.items() if u.care_type == care_type}
    counts = defaultdict(lambda: [0, 0, 0])
    for c in cases:
        if c.unit in units:
            for index, t in enumerate((c.received_at, c.assigned_at, c.closed_at)):
                counts[c.unit][index] += in_p(t, s, e)
    want = sorted((u.hsa_id, *counts[i]) for i, u in units.items() if u.active or any(counts[i]))
    result = arenden_per_mottagning.run(
        r.op, ReportParams(date_from=first, date_to=last, care_type=care_type)
    )
    got = sorted((row[1], *row[2:]) for row in result.rows)
    assert got == want, (first, last, care_type)
    received = sum(c.unit in units and in_p(c.received_at, s, e) for c in cases)
    assert sum(result.chart.values) == received
    bars = [period_epochs(a, b) for _label, a, b in report_period.buckets(first, last)]
    want_bars = [sum(c.unit in units and in_p(c.received_at, a, b) for c in cases) for a, b in bars]
    assert result.chart.values == want_bars, (first, last, care_type)


@pytest.fixture
def region(backend):
    return build_region()


def _day(epoch: int) -> int:
    return (datetime.fromtimestamp(epoch, STOCKHOLM).date() - date(1970, 1, 1)).days


def _month(epoch: int) -> int:
    local = datetime.fromtimestamp(epoch, STOCKHOLM)
    return local.year * 100 + local.month


def expected_day_tables(cases: list[C]) -> tuple[list, list]:
    """case_day_pattern and case_unit_day as their definitions say, case by case: Stockholm
    days, each case under every distinct month of its later steps."""
    regions = {u.id: u.region_id for u in Unit.select()}
    patterns: dict[tuple, list[int]] = defaultdict(lambda: [0] * 5)
    units: dict[tuple, list[int]] = defaultdict(lambda: [0] * 3)
    for c in cases:
        steps = (c.assigned_at, c.started_at, c.answered_at, c.closed_at)
        days = tuple(case_summary.NO_DAY if t is None else _day(t) for t in steps)
        late = int(c.closed_at is None or c.closed_at > c.received_at + TEN_DAYS)
        times = [
            (c.assigned_at, c.received_at),
            (c.started_at, c.assigned_at),
            (c.closed_at, c.started_at),
            (c.closed_at, c.received_at),
        ]
        sums = [1] + [b - a if a is not None and b is not None else 0 for b, a in times]
        for month in {_month(t) for t in steps if t is not None}:
            key = (regions[c.unit], month, c.case_type, _day(c.received_at), *days, late)
            patterns[key] = [a + b for a, b in zip(patterns[key], sums, strict=True)]
        for index, t in enumerate((c.received_at, c.assigned_at, c.closed_at)):
            if t is not None:
                units[(c.unit, regions[c.unit], _day(t))][index] += 1
    return (
        sorted((*k, *v) for k, v in patterns.items()),
        sorted((*k, *v) for k, v in units.items()),
    )


def test_summaries_equal_the_definitions_over_random_periods_and_filters(region):
    r = region
    cases = random_cases(r, 500, seed=1177)
    insert_cases(cases)
    assert summaries()[2:] == expected_day_tables(cases)
    rng = random.Random(29)
    for _ in range(24):
        first, last = random_period(rng)
        unit = rng.choice([None, None, r.a, r.b])
        as_of = rng.choice(
            [None, None, datetime(2026, 10, 25, 2, 30, tzinfo=STOCKHOLM), datetime(2026, 4, 9, 17)]
        )
        _check_per_type_reports(r, cases, first, last, unit, as_of)
        _check_per_unit(r, cases, first, last, rng.choice([None, "Vårdcentral"]))


def _iso(epoch: int | None) -> str:
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch, STOCKHOLM).isoformat()


def _csv(r, cases: list[C]) -> str:
    hsa = {u.id: u.hsa_id for u in Unit.select()}
    names = {v: k for k, v in r.types.items()}
    lines = [",".join(transfer.COLUMNS["cases"])]
    for c in cases:
        stamps = [_iso(t) for t in c.timestamps()]
        lines.append(",".join([str(c.id), hsa[c.unit], names[c.case_type], *stamps, ""]))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("batch_size", [5000, 37], ids=["one-batch", "small-batches"])
def test_the_cases_import_keeps_the_summaries(region, tmp_path: Path, batch_size: int):
    """Small batches: a case appended by one batch and changed by a later one of the same
    import is counted once, in its final state (appended cases are summed at the end)."""
    r = region
    first = random_cases(r, 300, seed=7, limit=IMPORT_LIMIT)
    path = tmp_path / "cases.csv"
    path.write_text(_csv(r, first), encoding="utf-8")
    transfer.import_file("cases", path, actor_name="t", batch_size=batch_size)
    assert summaries() == rebuilt_summaries() and summaries()[0]
    # Changed cases (other unit, other day, closed now) and new ones, in one file.
    rng = random.Random(3)
    changed = []
    for c in rng.sample(first, 80):
        moved = C(**vars(c))
        moved.unit = rng.choice([r.a.id, r.b.id, r.m.id])
        moved.received_at = c.received_at + rng.choice([-40, 1, 31]) * 24 * HOUR
        moved.received_at = min(moved.received_at, IMPORT_LIMIT)
        moved.closed_at = None if rng.random() < 0.3 else moved.received_at + TEN_DAYS + 1
        moved.closed_at = moved.closed_at if (moved.closed_at or 0) <= IMPORT_LIMIT else None
        changed.append(moved)
    fresh = random_cases(r, 100, seed=8, first_id=1000, limit=IMPORT_LIMIT)
    # A fresh case twice, changed the second time: appended, then merged in this import.
    again = C(**vars(fresh[0]))
    again.unit = r.b.id if fresh[0].unit != r.b.id else r.a.id
    rows = changed + fresh + [again]
    path.write_text(_csv(r, rows), encoding="utf-8")
    transfer.import_file("cases", path, actor_name="t", batch_size=batch_size)
    assert summaries() == rebuilt_summaries()
    by_id = {c.id: c for c in first}
    by_id.update({c.id: c for c in rows})
    _check_per_type_reports(
        r, list(by_id.values()), date(2026, 1, 1), date(2026, 12, 31), None, None
    )
    _check_per_unit(r, list(by_id.values()), date(2026, 3, 1), date(2026, 10, 31), None)


@pytest.mark.parametrize("version", [4, 5])
def test_init_fills_the_summaries_of_a_store_with_older_cases(region, version: int):
    """Version 4: cases, no summaries; version 5: the month summaries, no day ones."""
    r = region
    cases = random_cases(r, 200, seed=11)
    insert_cases(cases)
    expected = summaries()
    assert all(expected)
    dropped = SUMMARIES if version == 4 else (CaseDayPattern, CaseUnitDay)
    for model in dropped:
        database.execute_sql(f"DROP TABLE {model._meta.table_name}")
    # One row, as a store of that version has: an earlier test on this worker may have
    # left a row of its own (init adds one per migration).
    SchemaVersion.delete().execute()
    SchemaVersion.create(version=version, applied_at=0)
    assert CURRENT_VERSION == 6
    before, after = init_schema()
    assert (before, after) == (version, 6)
    assert summaries() == expected
    _check_per_type_reports(r, cases, date(2025, 12, 1), date(2026, 11, 30), None, None)


def test_a_unit_that_moves_region_takes_its_summaries_along(region):
    """Re-activated after HSA moved it: on SQLite the service, on PostgreSQL the unit's
    trigger moves the unit's cases to the new region's rows."""
    r = region
    insert_cases(random_cases(r, 150, seed=5))
    Unit.update(region="12").where(Unit.id == r.b.id).execute()
    if not is_postgres():
        case_summary.unit_moved(r.b.id, "01")
    assert summaries() == rebuilt_summaries()
    for model in (CaseUnitMonth, CaseUnitDay):
        assert model.select().where((model.unit == r.b.id) & (model.region != "12")).count() == 0


# --- PostgreSQL: row security ----------------------------------------------------------------


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_an_administrator_reads_only_the_own_regions_summaries_and_writes_none(backend):
    from tests.test_pg_security import ANNA, ORJAN, Wall, _connect, _superuser, _try

    Wall()
    # A later step, so each case has a row in case_day_pattern too.
    Case.update(closed_at=Case.received_at + 60).execute()
    case_summary.rebuild()  # the wall's cases were written directly
    for table in ("case_pattern", "case_unit_month", "case_day_pattern", "case_unit_day"):
        with _superuser() as conn:
            regions = {row[0] for row in conn.execute(f"SELECT region_id FROM {table}")}
        assert regions == {"01", "12"}
        for role, own in ((ANNA, "01"), (ORJAN, "12")):
            with _connect(role) as conn:
                seen = {row[0] for row in conn.execute(f"SELECT region_id FROM {table}")}
                assert seen == {own}
                assert _try(conn, f"DELETE FROM {table}") == "42501"
                assert _try(conn, f"UPDATE {table} SET region_id = '{own}'") == "42501"
                column = "cases" if table.endswith("pattern") else "received"
                assert _try(conn, f"UPDATE {table} SET {column} = 0") == "42501"


def test_the_demo_fills_the_summaries(backend):
    from models import demo

    demo.generate_demo(seed=3, units=60, cases=3000, logins=10, today=date(2026, 11, 20))
    state = summaries()
    assert state == rebuilt_summaries()
    assert sum(row[8] for row in state[0]) == 3000  # every case in case_pattern


# Partial months at a period's edges: each counted inside P (few days outside it) and
# outside P (few days inside it), in the DST months, within one month and across two.
EDGE_PERIODS = [
    (date(2026, 3, 2), date(2026, 10, 30)),
    (date(2026, 3, 29), date(2026, 10, 2)),
    (date(2026, 3, 30), date(2026, 10, 25)),
    (date(2025, 12, 15), date(2026, 11, 21)),
    (date(2026, 10, 2), date(2026, 10, 30)),
    (date(2026, 10, 25), date(2026, 10, 26)),
    (date(2026, 9, 20), date(2026, 10, 10)),
    (date(2026, 9, 10), date(2026, 10, 25)),
    (date(2026, 3, 16), date(2026, 3, 31)),
    (date(2026, 11, 2), date(2026, 11, 30)),
]


def _edge_period(rng: random.Random) -> tuple[date, date]:
    first = date(2025, 11, 1) + timedelta(days=31 * rng.randint(0, 12))
    first = first.replace(day=rng.choice([2, 3, 14, 16, 27, 28]))
    last = first + timedelta(days=rng.choice([0, 3, 20, 40, 100, 330]))
    return first, last


@pytest.mark.parametrize(
    "first,last", [*EDGE_PERIODS, *(_edge_period(random.Random(n)) for n in range(6))]
)
def test_a_rounded_period_differs_from_the_period_exactly_on_its_raw_days(first, last):
    from reports import common, period

    window = period.window(first, last)
    cut = common.rounded(window)
    assert set(cut.differ) == set(cut.extended) | set(cut.shrunk)
    day = first.replace(day=1)
    while day <= case_summary.next_month(last):
        for moment in (period_epochs(day, day)[0], period_epochs(day, day)[1] - 1):
            in_p = window.start <= moment < window.end
            counted = cut.inside is not None and cut.start <= moment < cut.end
            corrected = any(a <= moment < b for a, b in cut.differ)
            assert in_p == (counted != corrected), (first, last, day)
            assert not any(a <= moment < b for a, b in cut.extended) or not in_p
            assert not any(a <= moment < b for a, b in cut.shrunk) or in_p
        day += timedelta(days=1)
    partial = sum(b - a for a, b in cut.differ)
    assert partial <= 2 * 16 * 86400 + 2 * 3600  # never more than half of each edge month


def test_summaries_equal_the_definitions_over_partial_month_periods(region):
    r = region
    cases = random_cases(r, 500, seed=4242)
    insert_cases(cases)
    rng = random.Random(31)
    periods = EDGE_PERIODS + [_edge_period(rng) for _ in range(8)]
    for first, last in periods:
        as_of = rng.choice(
            [
                None,
                datetime(2026, 10, 25, 2, 30, tzinfo=STOCKHOLM),
                datetime(2026, 11, 1, 0, 0, tzinfo=STOCKHOLM),
                datetime(2026, 3, 31, 23, 59, tzinfo=STOCKHOLM),
            ]
        )
        _check_per_type_reports(r, cases, first, last, None, as_of)
        _check_per_unit(r, cases, first, last, rng.choice([None, None, "Vårdcentral"]))
