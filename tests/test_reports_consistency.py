"""Seeded random cases with many edge timings: the reports against per-case definitions,
and the relation between Obesvarade ärenden and Handläggningstider's Obesvarade.

The period is October 2026, which holds the 25-hour day; timings cluster on the period's
edges, on exactly 240 hours and on as_of +-1 second.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from models.timeutil import STOCKHOLM
from reports import arendestatus, handlaggningstider, obesvarade_arenden
from reports.base import ReportParams
from tests.test_reports_support import (
    HOUR,
    TEN_DAYS,
    C,
    build_region,
    fixed_clock,  # noqa: F401 - autouse fixture
    handl_unanswered,
    in_p,
    insert_cases,
    listed_unanswered,
    status_change_in,
    ts,
)

FIRST, LAST = date(2026, 10, 1), date(2026, 10, 31)
START, END = ts(2026, 10, 1), ts(2026, 11, 1)
AS_OF = END  # the end of the period (the clock stands at 2026-11-15)
TYPES = ("Beställa tid", "Rådgivning", "Kontakta mig", "Provsvar")


def _received(rng: random.Random) -> int:
    edges = [
        START,
        START - 1,
        START + 1,
        END - 1,
        END,
        AS_OF - TEN_DAYS,
        AS_OF - TEN_DAYS - 1,
        AS_OF - TEN_DAYS + 1,
        START - TEN_DAYS,
        START - TEN_DAYS - 1,
        START - TEN_DAYS + 1,
        ts(2026, 10, 25, 1, 59, 59),
        ts(2026, 10, 25, 3),
        ts(2026, 10, 25, 23, 30),
    ]
    if rng.random() < 0.4:
        return rng.choice(edges)
    return rng.randint(START - 40 * 24 * HOUR, END + 5 * 24 * HOUR)


def _after(rng: random.Random, moment: int | None) -> int | None:
    if moment is None or rng.random() < 0.3:
        return None
    delay = rng.choice(
        [0, 1, HOUR, TEN_DAYS - 1, TEN_DAYS, TEN_DAYS + 1, rng.randint(0, 30 * 24 * HOUR)]
    )
    return moment + delay


def _closed(rng: random.Random, received: int) -> int | None:
    choice = rng.random()
    if choice < 0.3:
        return None
    if choice < 0.6:
        return rng.choice(
            [
                AS_OF - 1,
                AS_OF,
                AS_OF + 1,
                received + TEN_DAYS,
                received + TEN_DAYS + 1,
                received + TEN_DAYS - 1,
                START,
                END,
            ]
        )
    return received + rng.randint(0, 40 * 24 * HOUR)


def generate(r, count: int = 600, seed: int = 20261025) -> list[C]:
    rng = random.Random(seed)
    units = [r.a.id, r.b.id, r.c.id, r.m.id]
    cases = []
    for ident in range(1, count + 1):
        received = _received(rng)
        assigned = _after(rng, received)
        started = _after(rng, assigned if rng.random() < 0.9 else received)
        answered = _after(rng, started)
        cases.append(
            C(
                ident,
                rng.choice(units),
                r.types[rng.choice(TYPES)],
                received,
                assigned_at=assigned,
                started_at=started,
                answered_at=answered,
                closed_at=_closed(rng, received),
            )
        )
    return cases


def mean_hours(values: list[int]) -> float | None:
    if not values:
        return None
    exact = Decimal(sum(values)) / Decimal(len(values) * 3600)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def expected_handl(cases: list[C]) -> tuple:
    s, e = START, END
    assigned = [c for c in cases if in_p(c.assigned_at, s, e)]
    started = [c for c in cases if in_p(c.started_at, s, e) and c.assigned_at is not None]
    closed = [c for c in cases if in_p(c.closed_at, s, e)]
    return (
        sum(in_p(c.received_at, s, e) for c in cases),
        len(closed),
        sum(handl_unanswered(c, s, e, AS_OF) for c in cases),
        mean_hours([c.assigned_at - c.received_at for c in assigned]),
        mean_hours([c.started_at - c.assigned_at for c in started]),
        mean_hours([c.closed_at - c.started_at for c in closed if c.started_at is not None]),
        mean_hours([c.closed_at - c.received_at for c in closed]),
    )


def expected_status(cases: list[C]) -> tuple:
    s, e = START, END
    incoming = sum(
        in_p(c.received_at, s, e) and not in_p(c.assigned_at, s, e) and not in_p(c.closed_at, s, e)
        for c in cases
    )
    assigned = sum(in_p(c.assigned_at, s, e) and not in_p(c.closed_at, s, e) for c in cases)
    closed = sum(in_p(c.closed_at, s, e) for c in cases)
    return (incoming, assigned, closed, incoming + assigned + closed)


def test_reports_match_the_per_case_definitions(backend):
    r = build_region()
    cases = generate(r)
    insert_cases(cases)
    ours = [c for c in cases if c.unit != r.m.id]  # region 12's cases never count
    hsa_of = {r.a.id: r.a.hsa_id, r.b.id: r.b.hsa_id, r.c.id: r.c.hsa_id}
    name_of_type = {ident: name for name, ident in r.types.items()}
    period_params = ReportParams(date_from=FIRST, date_to=LAST)

    # Obesvarade ärenden lists exactly the cases of the per-case predicate, oldest first.
    listing = obesvarade_arenden.run(r.op, ReportParams(as_of=LAST))
    listed = [c for c in ours if listed_unanswered(c, AS_OF)]
    assert Counter((row[1], row[2], int(row[3].timestamp())) for row in listing.rows) == Counter(
        (hsa_of[c.unit], name_of_type[c.case_type], c.received_at) for c in listed
    )
    received = [row[3] for row in listing.rows]
    assert received == sorted(received) and received[0].tzinfo == STOCKHOLM
    changed = [c for c in listed if status_change_in(c, START, END)]
    assert 20 < len(changed) < len(listed)  # the generator reaches both sides of the relation

    # Handläggningstider and Ärendestatus, per type, equal the per-case definitions.
    handl = {row[0]: row[1:] for row in handlaggningstider.run(r.op, period_params).rows}
    status = {row[0]: row[1:] for row in arendestatus.run(r.op, period_params).rows}
    for name in TYPES:
        of_type = [c for c in ours if c.case_type == r.types[name]]
        assert handl[name] == expected_handl(of_type), name
        assert status[name] == expected_status(of_type), name

    # The relation: a listed case that changed status in P is one of Handläggningstider's
    # Obesvarade -- per case exactly, and so per type in the counts.
    for c in changed:
        assert handl_unanswered(c, START, END, AS_OF), c
    # (`listed` is the report's own list: the Counter check above proved them equal.)
    for name in TYPES:
        listed_and_changed = sum(
            1 for c in listed if c.case_type == r.types[name] and status_change_in(c, START, END)
        )
        assert listed_and_changed <= handl[name][2], name
