"""Shared by the report tests: a fixed clock, a small region with units and case types, case
builders in Stockholm local time, and per-case versions of the report predicates.

No tests here; the file is named like the report tests so it stays with them.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import date, datetime

import pytest

from models import case_summary
from models.db import database
from models.entities import (
    KIND_INTEGRATION,
    KIND_OWN,
    KIND_STANDARD,
    Case,
    CaseDayPattern,
    CasePattern,
    CaseType,
    CaseUnitDay,
    CaseUnitMonth,
    StaffAccount,
    Unit,
    UnitCaseType,
)
from models.operators import Operator
from models.timeutil import STOCKHOLM
from reports import period
from tests.factories import ORG_01, build_world, connected_unit, hsa

HOUR = 3600
TEN_DAYS = 240 * HOUR


def ts(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> int:
    """Epoch seconds of a Stockholm wall-clock time (unambiguous times only)."""
    return int(datetime(y, mo, d, h, mi, s, tzinfo=STOCKHOLM).timestamp())


def local(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, STOCKHOLM)


NOW = ts(2026, 11, 15, 12, 0)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    """Reports read `period.clock`; pin it so as_of defaults never depend on the day."""
    monkeypatch.setattr(period, "clock", lambda: NOW)
    return NOW


@dataclass
class Region01:
    op: Operator
    other_op: Operator
    a: Unit  # Husläkarmottagningen Ängen, active, Vårdcentral (from build_world)
    b: Unit  # Barnmottagningen Åsa, active, Barnmottagning
    c: Unit  # Citymottagningen, inactive, Vårdcentral
    d: Unit  # Dalens vårdcentral, inactive, Vårdcentral
    e: Unit  # Ärlinge vårdcentral, active, Vårdcentral, nothing registered
    m: Unit  # Vårdcentralen Malmö, region 12
    types: dict[str, int]  # case type name -> id
    cecilia_account: int


def standard_ids() -> dict[str, int]:
    return {ct.name: ct.id for ct in CaseType.select().where(CaseType.kind == KIND_STANDARD)}


def set_unit(unit: Unit, **fields) -> Unit:
    Unit.update(**fields).where(Unit.id == unit.id).execute()
    return Unit.get_by_id(unit.id)


def build_region() -> Region01:
    """Region 01 with five units, region 12 with one; case types registered on A and B."""
    world = build_world()
    a = set_unit(
        Unit.get(Unit.hsa_id == world.active_hsa),
        email="inkorg@angen.se",
        first_activated_at=ts(2020, 1, 1),
    )
    b = connected_unit(
        hsa(ORG_01, "B1"), "Barnmottagningen Åsa", care_type="Barnmottagning", email="barn@asa.se"
    )
    c = connected_unit(hsa(ORG_01, "C1"), "Citymottagningen", active=False)
    d = connected_unit(hsa(ORG_01, "D1"), "Dalens vårdcentral", active=False)
    e = connected_unit(hsa(ORG_01, "E1"), "Ärlinge vårdcentral")
    m = Unit.get(Unit.hsa_id == world.other_active_hsa)
    types = standard_ids()
    types["Provsvar"] = CaseType.create(kind=KIND_OWN, name="Provsvar").id
    types["Intern"] = CaseType.create(kind=KIND_OWN, name="Intern").id
    types["Journalkopia"] = CaseType.create(kind=KIND_INTEGRATION, name="Journalkopia").id
    register(a, types["Beställa tid"], True)
    register(a, types["Förnya recept"], False)
    register(a, types["Provsvar"], True)
    register(a, types["Intern"], False)
    register(b, types["Rådgivning"], True)
    register(b, types["Journalkopia"], True)
    register(c, types["Beställa tid"], False)
    register(m, types["Egenremiss"], True)
    cecilia = StaffAccount.get(StaffAccount.login_name == "cecilia").id
    return Region01(
        op=world.op,
        other_op=world.other_op,
        a=a,
        b=b,
        c=c,
        d=d,
        e=e,
        m=m,
        types=types,
        cecilia_account=cecilia,
    )


def register(unit: Unit, type_id: int, active: bool) -> None:
    UnitCaseType.create(unit=unit, case_type=type_id, active=active)


@dataclass
class C:
    """One case as the tests write it: epochs, None for a step not taken."""

    id: int
    unit: int
    case_type: int
    received_at: int
    assigned_at: int | None = None
    started_at: int | None = None
    answered_at: int | None = None
    closed_at: int | None = None
    assignee: int | None = None

    def timestamps(self) -> tuple[int | None, ...]:
        return (
            self.received_at,
            self.assigned_at,
            self.started_at,
            self.answered_at,
            self.closed_at,
        )


def insert_cases(cases: list[C]) -> None:
    rows = [
        dict(
            id=c.id,
            unit=c.unit,
            case_type=c.case_type,
            received_at=c.received_at,
            assigned_at=c.assigned_at,
            started_at=c.started_at,
            answered_at=c.answered_at,
            closed_at=c.closed_at,
            assignee=c.assignee,
        )
        for c in cases
    ]
    for start in range(0, len(rows), 500):
        Case.insert_many(rows[start : start + 500]).execute()
    case_summary.add([c.id for c in cases])  # what every writer of cases does


# --- per-case predicates: the DESIGN.md definitions written out once more ---------------


def in_p(t: int | None, start: int, end: int) -> bool:
    return t is not None and start <= t < end


def status_change_in(c: C, start: int, end: int) -> bool:
    return any(in_p(t, start, end) for t in c.timestamps())


def handl_unanswered(c: C, start: int, end: int, as_of: int) -> bool:
    """Handläggningstider, Obesvarade: a status change in P, ten days passed by as_of, and
    not closed within the ten days."""
    return (
        status_change_in(c, start, end)
        and c.received_at + TEN_DAYS <= as_of
        and (c.closed_at is None or c.closed_at > c.received_at + TEN_DAYS)
    )


def listed_unanswered(c: C, as_of: int) -> bool:
    """Obesvarade ärenden: received ten days or more before as_of, not closed at as_of."""
    return c.received_at <= as_of - TEN_DAYS and (c.closed_at is None or c.closed_at > as_of)


def params_period(first: date, last: date, **kw):
    from reports.base import ReportParams

    return ReportParams(date_from=first, date_to=last, **kw)


def test_reports_and_the_bank_share_one_case_type_order() -> None:
    """One sort key for case types (models.catalog.bank_order), one set of cell helpers for
    the CLI and the TUI (tui.widgets.cells): no copies that can drift apart."""
    import reports.common
    from tui.commands import _common
    from tui.widgets import cells

    # reports.common imports it where it sorts (a lazy import: not every report needs it).
    assert {"models.catalog", "bank_order"} <= set(reports.common.case_types_for.__code__.co_names)
    assert "def bank_order" not in inspect.getsource(reports.common)
    assert not hasattr(reports.common, "case_type_order")
    assert (_common.fit, _common.yes_no, _common.number) == (
        cells.fit,
        cells.yes_no,
        cells.count_text,
    )


SUMMARIES = (CasePattern, CaseUnitMonth, CaseDayPattern, CaseUnitDay)


def _summary_rows(model) -> list[tuple]:
    """A summary table's content, rows that count nothing left out."""
    patterns = (CasePattern, CaseDayPattern)
    sums = case_summary.PATTERN_SUMS if model in patterns else case_summary.UNIT_MONTH_SUMS
    rows = []
    for row in model.select().tuples():
        values = [int(v) for v in row[-len(sums) :]]
        if any(values):
            rows.append((*row[: -len(sums)], *values))
    return sorted(rows)


def summaries() -> tuple[list, ...]:
    """The four case summaries as stored (models/case_summary.py)."""
    return tuple(_summary_rows(model) for model in SUMMARIES)


def rebuilt_summaries() -> tuple[list, ...]:
    """The four case summaries as a rebuild from the cases would make them."""
    with database.atomic() as tx:
        case_summary.rebuild()
        state = summaries()
        tx.rollback()
    return state
