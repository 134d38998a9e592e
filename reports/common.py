"""What the nine report queries share: parameter checks, the report context, SQL helpers,
the case-type rows and the Totalt row.

Reports only read: every query goes through the models' Peewee classes (so it runs the same
on SQLite and PostgreSQL), aggregates in SQL and brings back result rows only.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import ModuleType
from typing import Any

import peewee as pw
from peewee import fn

from models import case_summary, timeutil, validation
from models.db import is_postgres
from models.entities import (
    KIND_INTEGRATION,
    KIND_OWN,
    CaseDayPattern,
    CasePattern,
    CaseType,
    CaseUnitDay,
    CaseUnitMonth,
    HsaUnit,
    Region,
    Unit,
    UnitCaseType,
)
from models.entities import Case as CaseRow
from models.errors import ValidationError
from models.operators import Operator, authorize
from models.text import clean, swedish_key

from . import period
from .base import Chart, Column, ReportParams, ReportResult

FIRST_YEAR = 2000  # the e-services started in the 2000s; also keeps date arithmetic in range
LAST_YEAR = 2099
ALL = "Alla"
KIND_SUFFIX = {KIND_OWN: " (egen)", KIND_INTEGRATION: " (integration)"}

ONE = pw.SQL("1")
ZERO = pw.SQL("0")
SECONDS_PER_HOUR = pw.SQL("3600.0")


# --- parameter checks -------------------------------------------------------------------


def _reject_unused(module: ModuleType, params: ReportParams) -> None:
    """A filter the report does not have is an error, never silently ignored."""
    accepted = set(module.PARAMETERS)
    title = module.TITLE
    if "period" not in accepted and (params.date_from or params.date_to):
        raise ValidationError(f"Rapporten {title} har ingen period.", field="from")
    if "unit" not in accepted and params.unit:
        raise ValidationError(f"Rapporten {title} har inget val av mottagning.", field="unit")
    if "care_type" not in accepted and params.care_type:
        raise ValidationError(f"Rapporten {title} har inget val av vårdtyp.", field="care_type")
    if "only_active" not in accepted and params.only_active:
        raise ValidationError(
            f"Rapporten {title} har inget val av endast aktiva mottagningar.", field="only_active"
        )
    if "as_of" not in accepted and params.as_of is not None:
        raise ValidationError(f"Rapporten {title} har inget per-datum.", field="as_of")


def _check_year(day: date, label: str, field: str) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(
            f"{label} måste ligga mellan {FIRST_YEAR}-01-01 och {LAST_YEAR}-12-31.", field=field
        )


def _checked_period(params: ReportParams) -> tuple[date, date]:
    if params.date_from is None or params.date_to is None:
        missing = "från-datum" if params.date_from is None else "till-datum"
        raise ValidationError(
            f"Ange {missing} för perioden.", field="from" if params.date_from is None else "to"
        )
    first, last = validation.date_range(params.date_from, params.date_to)
    _check_year(first, "Från-datum", "from")
    _check_year(last, "Till-datum", "to")
    return first, last


def _checked_as_of(value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, date):
        raise ValidationError("Per-datum ska vara ett datum (ÅÅÅÅ-MM-DD).", field="as_of")
    _check_year(value, "Per-datum", "as_of")


def check_params(
    module: ModuleType, params: ReportParams, op: Operator | None = None
) -> ReportParams:
    """Validate `params` for `module`; return them normalised (HSA-id upper case, care type
    spelt as stored, blanks as None). Without `op` only the form is checked; with `op` also
    that the unit belongs to the operator's region and that the care type exists there."""
    params = _checked_form(module, params)
    if op is not None:
        params, _unit = _checked_store(params, authorize(op))
    return params


def _checked_form(module: ModuleType, params: ReportParams) -> ReportParams:
    params = dataclasses.replace(
        params,
        unit=(params.unit or "").strip() or None,
        care_type=clean(params.care_type or "").strip() or None,
    )
    _reject_unused(module, params)
    if "period" in module.PARAMETERS:
        first, last = _checked_period(params)
        params = dataclasses.replace(params, date_from=first, date_to=last)
    _checked_as_of(params.as_of)
    if params.unit:
        params = dataclasses.replace(params, unit=validation.hsa_id(params.unit))
    return params


def _checked_store(params: ReportParams, region: str) -> tuple[ReportParams, Unit | None]:
    unit = _own_unit(region, params.unit) if params.unit else None
    if params.care_type:
        params = dataclasses.replace(params, care_type=_own_care_type(region, params.care_type))
    return params, unit


def _own_unit(region: str, hsa_id: str) -> Unit:
    """The same ownership check as every unit service (one rule, one set of sentences:
    another region's unit is PermissionDenied, exit 3; an unknown one NotFound, exit 4).
    Imported here: only a report for one unit needs it, ~10 ms of every report's start."""
    from models.units import get_own_unit

    return get_own_unit(region, hsa_id)


def _own_care_type(region: str, wanted: str) -> str:
    """The stored spelling of `wanted` among the region's care types (case-insensitive)."""
    names = {
        r.care_type for r in Unit.select(Unit.care_type).where(Unit.region == region).distinct()
    }
    names |= {
        r.care_type
        for r in HsaUnit.select(HsaUnit.care_type).where(HsaUnit.region == region).distinct()
    }
    for name in sorted(n for n in names if n):
        if name.casefold() == wanted.casefold():
            return name
    raise ValidationError(
        f"Vårdtypen {wanted} finns inte bland regionens mottagningar.", field="care_type"
    )


# --- the context of one run -------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """Everything a report query needs, resolved once: region, filters, period, as_of."""

    module: ModuleType
    op: Operator
    region: str
    region_name: str
    params: ReportParams
    unit: Unit | None
    window: period.Window | None
    as_of: int | None

    @property
    def start(self) -> int:
        assert self.window is not None
        return self.window.start

    @property
    def end(self) -> int:
        assert self.window is not None
        return self.window.end

    # SQL scopes ---------------------------------------------------------------------------
    def region_unit_ids(self, care_type: bool = False) -> pw.Select:
        where = Unit.region == self.region
        if care_type and self.params.care_type:
            where &= Unit.care_type == self.params.care_type
        return Unit.select(Unit.id).where(where)

    def case_scope(self) -> pw.Expression:
        """The cases the report covers: of the chosen unit, or of any unit of the region.

        `unit_id + 0` for the region: an expression rather than the column, so SQLite keeps
        the covering timestamp index of the period instead of walking every case of the
        region through the (unit_id, closed_at) index (1M cases, one month: 0.02 s against
        0.41 s; see benchmarks/report_queries.py). PostgreSQL picks the timestamp index
        either way; there the expression measured within noise (0.08 s against 0.06 s).
        """
        if self.unit is not None:
            return CaseRow.unit == self.unit.id
        if is_postgres():
            # The case's own region (kept equal to its unit's by triggers): the same
            # scalar test row-level security makes, instead of a join with the units.
            return CaseRow.region == self.region
        return (CaseRow.unit + ZERO).in_(self.region_unit_ids())

    def unit_case_type_scope(self) -> pw.Expression:
        if self.unit is not None:
            return UnitCaseType.unit == self.unit.id
        return UnitCaseType.unit.in_(self.region_unit_ids())

    def in_period(self, column: pw.Field) -> pw.Expression:
        return (column >= self.start) & (column < self.end)

    # The title block ----------------------------------------------------------------------
    def parameters(self) -> list[tuple[str, str]]:
        accepted = self.module.PARAMETERS
        rows: list[tuple[str, str]] = []
        if getattr(self.module, "REGIONAL", True):
            rows.append(("Region", clean(self.region_name)))
        if "care_type" in accepted:
            rows.append(("Vårdtyp", clean(self.params.care_type) if self.params.care_type else ALL))
        if "unit" in accepted:
            rows.append(
                (
                    "Mottagning",
                    ALL
                    if self.unit is None
                    else f"{clean(self.unit.name)} ({clean(self.unit.hsa_id)})",
                )
            )
        if self.window is not None:
            rows.append(("Period", self.window.label()))
        if "as_of" in accepted and self.as_of is not None:
            rows.append(("Per", period.as_of_label(self.as_of)))
        if "only_active" in accepted:
            rows.append(("Mottagningar", "Endast aktiva" if self.params.only_active else "Alla"))
        return rows

    def result(
        self,
        columns: list[Column],
        rows: list[tuple[Any, ...]],
        *,
        totals: bool = True,
        notes: list[str] | None = None,
        chart: Chart | None = None,
    ) -> ReportResult:
        return ReportResult(
            slug=self.module.SLUG,
            title=self.module.TITLE,
            parameters=self.parameters(),
            columns=columns,
            rows=rows,
            totals=totals_row(columns, rows) if totals else None,
            made_by=clean(self.op.name),
            made_at=period.made_at(),
            landscape=getattr(self.module, "LANDSCAPE", False),
            notes=list(notes or []),
            chart=chart,
        )

    def received_chart(self, title: str, care_type: bool = False) -> Chart:
        """Cases received per day or month of the period (the bars' exact Stockholm
        boundaries): whole months from case_unit_month, days and the partial months at
        the edges from case_pattern's days where no unit or care type narrows the cases,
        else from case_unit_day's."""
        assert self.window is not None
        bars = period.buckets(self.window.date_from, self.window.date_to)
        values = [0] * len(bars)
        months: dict[int, int] = {}
        days: dict[int, int] = {}
        for index, (_label, first, last) in enumerate(bars):
            if first.day == 1 and last == case_summary.next_month(first) - timedelta(days=1):
                months[case_summary.month_key(first)] = index
            else:  # a day, or the part of a month at the period's edge
                for offset in range((last - first).days + 1):
                    days[case_summary.day_number(first + timedelta(days=offset))] = index
        if months:
            for key, count in self._month_counts(sorted(months), care_type):
                values[months[key]] += int(count)
        if days:
            for day, count in self._day_counts(sorted(days), care_type):
                values[days[day]] += int(count)
        return Chart(title=title, labels=[label for label, _, _ in bars], values=values)

    def unit_rows(self, model: type[pw.Model], care_type: bool = True) -> pw.Expression:
        """The rows of a unit summary (case_unit_month, case_unit_day) the report covers:
        the chosen unit's, those of the region's units of the chosen care type, or the
        region's."""
        if self.unit is not None:
            return model.unit == self.unit.id
        if care_type and self.params.care_type:
            return model.unit.in_(self.region_unit_ids(care_type=True))
        return model.region == self.region

    def _month_counts(self, keys: list[int], care_type: bool) -> pw.Select:
        where = CaseUnitMonth.month.in_(keys) & self.unit_rows(CaseUnitMonth, care_type)
        return (
            CaseUnitMonth.select(CaseUnitMonth.month, fn.SUM(CaseUnitMonth.received))
            .where(where)
            .group_by(CaseUnitMonth.month)
            .tuples()
        )

    def _day_counts(self, days: list[int], care_type: bool) -> pw.Select:
        where = CaseUnitDay.day.between(days[0], days[-1]) & CaseUnitDay.day.in_(days)
        return (
            CaseUnitDay.select(CaseUnitDay.day, fn.SUM(CaseUnitDay.received))
            .where(where & self.unit_rows(CaseUnitDay, care_type))
            .group_by(CaseUnitDay.day)
            .tuples()
        )


def prepare(op: Operator, module: ModuleType | str, params: ReportParams) -> Context:
    """Authorise, validate and resolve: the first step of every report's run().

    `module` is the report module or its name (a report passes `__name__`)."""
    if isinstance(module, str):
        module = sys.modules[module]
    region = authorize(op)
    params, unit = _checked_store(_checked_form(module, params), region)
    window = None
    if "period" in module.PARAMETERS:
        assert params.date_from is not None and params.date_to is not None
        window = period.window(params.date_from, params.date_to)
    as_of = None
    if "as_of" in module.PARAMETERS:
        as_of = period.as_of_epoch(params.as_of, window.end if window else None)
    region_name = Region.get_by_id(region).name
    return Context(
        module=module,
        op=op,
        region=region,
        region_name=region_name,
        params=params,
        unit=unit,
        window=window,
        as_of=as_of,
    )


# --- SQL helpers ------------------------------------------------------------------------


def count_if(condition: pw.Expression) -> pw.Node:
    """SUM(CASE WHEN condition THEN 1 ELSE 0 END): a count, several per scan."""
    return fn.COALESCE(fn.SUM(pw.Case(None, ((condition, ONE),), ZERO)), ZERO)


def mean_hours(seconds: object, count: object) -> float | None:
    """The mean of `count` step times summing to `seconds`, in hours rounded half up to
    one decimal; None when no case counts. Exact (integer sums, Decimal division), so the
    summaries and the raw rows give the same figure on both backends."""
    if not count:
        return None
    value = Decimal(int(seconds or 0)) / (Decimal(int(count)) * 3600)
    return float(value.quantize(period.HOUR, rounding=ROUND_HALF_UP))


# --- summaries (models/case_summary.py) and the raw rows, one algebra for both ------------

STEPS = case_summary.STEPS
STEP_TIMES = {
    "received_to_assigned": ("assigned_at", "received_at"),
    "assigned_to_started": ("started_at", "assigned_at"),
    "started_to_closed": ("closed_at", "started_at"),
    "received_to_closed": ("closed_at", "received_at"),
}
_MONTH = {
    "assigned_at": CasePattern.assigned_month,
    "started_at": CasePattern.started_month,
    "answered_at": CasePattern.answered_month,
    "closed_at": CasePattern.closed_month,
}
NEVER = pw.SQL("(1 = 0)")


@dataclass(frozen=True)
class Split:
    """A period cut at month boundaries: the whole months inside it (first and last key,
    or None), and the months it covers only in part, as (key, month start, month end)."""

    whole: tuple[int, int] | None
    partial: tuple[tuple[int, int, int], ...]


def split(window: period.Window) -> Split:
    whole: list[int] = []
    partial: list[tuple[int, int, int]] = []
    month = window.date_from.replace(day=1)
    while month <= window.date_to:
        following = case_summary.next_month(month)
        key = case_summary.month_key(month)
        if month >= window.date_from and following - timedelta(days=1) <= window.date_to:
            whole.append(key)
        else:
            partial.append(
                (key, timeutil.day_start_epoch(month), timeutil.day_start_epoch(following))
            )
        month = following
    return Split((whole[0], whole[-1]) if whole else None, tuple(partial))


@dataclass(frozen=True)
class Rounded:
    """A period's partial months each counted as a whole month of it or as outside it,
    whichever differs from the period on fewer days: the summaries answer for the months
    `inside` (first and last key, or None; from `start` to `end`), and the day-level
    summaries of the days in `differ` (half-open epoch ranges) correct them."""

    inside: tuple[int, int] | None
    start: int
    end: int
    differ: tuple[tuple[int, int], ...]
    extended: tuple[tuple[int, int], ...]  # the differing days outside the period
    shrunk: tuple[tuple[int, int], ...]  # the differing days inside it


def rounded(window: period.Window) -> Rounded:
    cut = split(window)
    keys: list[tuple[int, int, int]] = []  # (key, start, end) of the months counted inside
    extended: list[tuple[int, int]] = []
    shrunk: list[tuple[int, int]] = []
    partial = {key: (start, end) for key, start, end in cut.partial}
    month = window.date_from.replace(day=1)
    while month <= window.date_to:
        key = case_summary.month_key(month)
        following = case_summary.next_month(month)
        start, end = timeutil.day_start_epoch(month), timeutil.day_start_epoch(following)
        if key not in partial:
            keys.append((key, start, end))
        else:
            inner = (max(start, window.start), min(end, window.end))
            outer = [(a, b) for a, b in ((start, window.start), (window.end, end)) if a < b]
            if sum(b - a for a, b in outer) <= inner[1] - inner[0]:
                keys.append((key, start, end))
                extended += outer
            else:
                shrunk.append(inner)
        month = following
    if not keys:
        return Rounded(None, 0, 0, tuple(shrunk), (), tuple(shrunk))
    return Rounded(
        (keys[0][0], keys[-1][0]),
        keys[0][1],
        keys[-1][2],
        tuple(extended + shrunk),
        tuple(extended),
        tuple(shrunk),
    )


class RawCases:
    """The conditions of the reports over raw case rows."""

    table = CaseRow
    key = CaseRow.case_type

    def __init__(
        self, start: int, end: int, steps: tuple[int, int] | None = None, by_day: bool = False
    ) -> None:
        """`steps`: other bounds for the later steps (None: the period's), and `by_day`:
        received_by counts whole days before the moment's day only. Both as the summaries
        see a period (reports read the raw rows with neither)."""
        self.start, self.end = start, end
        self.steps = (start, end) if steps is None else steps
        self.by_day = by_day

    def in_p(self, name: str) -> pw.Expression:
        """Two-valued (a NULL timestamp is not in P), so ~ is safe."""
        column = getattr(CaseRow, name)
        start, end = (self.start, self.end) if name == "received_at" else self.steps
        if start >= end:
            return NEVER
        return column.is_null(False) & (column >= start) & (column < end)

    def has(self, name: str) -> pw.Expression:
        return getattr(CaseRow, name).is_null(False)

    def late(self) -> pw.Expression:
        return CaseRow.closed_at.is_null() | (
            CaseRow.closed_at > CaseRow.received_at + period.TEN_DAYS
        )

    def received_by(self, moment: int) -> pw.Expression:
        if self.by_day:
            return CaseRow.received_at < timeutil.day_start_epoch(case_summary.local_date(moment))
        return CaseRow.received_at <= moment

    def count(self, condition: pw.Expression) -> pw.Node:
        return fn.SUM(pw.Case(None, ((condition, ONE),), ZERO))

    def seconds(self, condition: pw.Expression, step: str) -> pw.Node:
        later, earlier = STEP_TIMES[step]
        value = getattr(CaseRow, later) - getattr(CaseRow, earlier)
        return fn.SUM(pw.Case(None, ((condition, value),), ZERO))


class PatternRows:
    """The same conditions over case_pattern, with the later steps in P when their month
    is one of the `inside` months, and received_by true for the days before the moment's
    (the caller corrects the cases for which this differs from the period)."""

    table = CasePattern
    key = CasePattern.case_type

    def __init__(self, window: period.Window, inside: tuple[int, int] | None) -> None:
        self.first_day = case_summary.day_number(window.date_from)
        self.last_day = case_summary.day_number(window.date_to)
        self.whole = inside

    def in_p(self, name: str) -> pw.Expression:
        if name == "received_at":
            return CasePattern.received_day.between(self.first_day, self.last_day)
        if self.whole is None:
            return NEVER
        return _MONTH[name].between(*self.whole)  # 0 (no timestamp) is never inside

    def has(self, name: str) -> pw.Expression:
        return pw.SQL("(1 = 1)") if name == "received_at" else _MONTH[name] != 0

    def late(self) -> pw.Expression:
        return CasePattern.late == 1

    def received_by(self, moment: int) -> pw.Expression:
        day = case_summary.day_number(case_summary.local_date(moment))
        return CasePattern.received_day < day  # the day itself is corrected from raw rows

    def count(self, condition: pw.Expression) -> pw.Node:
        return fn.SUM(pw.Case(None, ((condition, CasePattern.cases),), ZERO))

    def seconds(self, condition: pw.Expression, step: str) -> pw.Node:
        return fn.SUM(pw.Case(None, ((condition, getattr(CasePattern, step)),), ZERO))


DAY_COLUMNS = {
    "assigned_at": CaseDayPattern.assigned_day,
    "started_at": CaseDayPattern.started_day,
    "answered_at": CaseDayPattern.answered_day,
    "closed_at": CaseDayPattern.closed_day,
}


class DayPatternRows:
    """The conditions over case_day_pattern's exact days: received in the days from
    `first` to `last`, the later steps in the days `steps` (inclusive; None: never), and
    received_by by whole days (exact for the cases not received on the moment's day)."""

    table = CaseDayPattern
    key = CaseDayPattern.case_type

    def __init__(self, first: int, last: int, steps: tuple[int, int] | None) -> None:
        self.first, self.last, self.steps = first, last, steps

    def in_p(self, name: str) -> pw.Expression:
        if name == "received_at":
            return CaseDayPattern.received_day.between(self.first, self.last)
        if self.steps is None:
            return NEVER
        return DAY_COLUMNS[name].between(*self.steps)  # NO_DAY is never inside

    def has(self, name: str) -> pw.Expression:
        if name == "received_at":
            return pw.SQL("(1 = 1)")
        return DAY_COLUMNS[name] != case_summary.NO_DAY

    def late(self) -> pw.Expression:
        return CaseDayPattern.late == 1

    def received_by(self, moment: int) -> pw.Expression:
        day = case_summary.day_number(case_summary.local_date(moment))
        return CaseDayPattern.received_day < day

    def count(self, condition: pw.Expression) -> pw.Node:
        return fn.SUM(pw.Case(None, ((condition, CaseDayPattern.cases),), ZERO))

    def seconds(self, condition: pw.Expression, step: str) -> pw.Node:
        return fn.SUM(pw.Case(None, ((condition, getattr(CaseDayPattern, step)),), ZERO))


Source = RawCases | PatternRows | DayPatternRows
Measures = Callable[[Source], list[pw.Node]]


def any_in_p(source: Source) -> pw.Expression:
    """A status change in P: any of the case's timestamps falls in the period."""
    return functools.reduce(operator.or_, (source.in_p(name) for name in case_summary.TIMESTAMPS))


def per_case_type(
    ctx: Context,
    measures: Measures,
    moment: int | None = None,
    steps: tuple[str, ...] = STEPS,
) -> dict[int, list[int]]:
    """Per case type, the integer `measures` (sums of counts and seconds, each conditioned
    on something in P) over the report's cases.

    One unit: its raw rows (the unit's index). All units: case_pattern with each partial
    month of P counted as inside P or outside it (`rounded`) and received_by by whole
    days, which answers exactly for every case without a step on a day where that differs
    from P (or received on the day of `moment`); for the cases with one, the difference
    (measures over P minus measures as the summary saw them) comes from case_day_pattern's
    exact days, and for those received on the moment's day from their raw rows (the
    moment's second decides). Sums over a partition of the cases, so they add up exactly.
    `steps`: the later timestamps the measures read.
    """
    raw = RawCases(ctx.start, ctx.end)
    if ctx.unit is not None:
        return _sums(raw, measures, ctx.case_scope())
    assert ctx.window is not None
    cut = rounded(ctx.window)
    totals = _sums(PatternRows(ctx.window, cut.inside), measures, CasePattern.region == ctx.region)
    day = None if moment is None else case_summary.day_number(case_summary.local_date(moment))
    if cut.differ:
        _correct(totals, measures, *_day_correction(ctx, cut, steps, day))
    if moment is not None:
        # The cases received on the moment's day: received_by needs their second.
        start = timeutil.day_start_epoch(case_summary.local_date(moment))
        end = timeutil.day_start_epoch(case_summary.local_date(moment) + timedelta(days=1))
        seen = RawCases(ctx.start, ctx.end, (cut.start, cut.end), by_day=True)
        scope = ctx.case_scope() & (CaseRow.received_at >= start) & (CaseRow.received_at < end)
        _correct(totals, measures, raw, seen, scope)
    return totals


def _day_correction(
    ctx: Context, cut: Rounded, steps: tuple[str, ...], moment_day: int | None
) -> tuple[Source, Source, pw.Expression]:
    """case_day_pattern's rows of the cases with one of `steps` on a day where the
    rounded period differs from P (each case once: under the first edge month where it
    has one), less those received on `moment_day` (read raw), as P and as the summary
    saw them."""
    assert ctx.window is not None
    by_month: dict[int, list[tuple[int, int]]] = {}
    for start, end in cut.differ:
        first = case_summary.local_date(start)
        last = case_summary.day_number(case_summary.local_date(end)) - 1
        by_month.setdefault(case_summary.month_key(first), []).append(
            (case_summary.day_number(first), last)
        )
    seen_days = None
    if cut.inside is not None:
        last_month = case_summary.next_month(case_summary.month_start(cut.inside[1]))
        seen_days = (
            case_summary.day_number(case_summary.month_start(cut.inside[0])),
            case_summary.day_number(last_month) - 1,
        )
    first_day = case_summary.day_number(ctx.window.date_from)
    last_day = case_summary.day_number(ctx.window.date_to)
    p = DayPatternRows(first_day, last_day, (first_day, last_day))
    seen = DayPatternRows(first_day, last_day, seen_days)

    def on(days: list[tuple[int, int]]) -> pw.Expression:
        return functools.reduce(
            operator.or_,
            (DAY_COLUMNS[name].between(a, b) for name in steps for a, b in days),
        )

    rows: list[pw.Expression] = []
    earlier: list[tuple[int, int]] = []
    for month in sorted(by_month):
        here = (CaseDayPattern.month == month) & on(by_month[month])
        rows.append(here & ~on(earlier) if earlier else here)
        earlier += by_month[month]
    where = (CaseDayPattern.region == ctx.region) & CaseDayPattern.month.in_(sorted(by_month))
    where &= functools.reduce(operator.or_, rows)
    if moment_day is not None:
        where &= CaseDayPattern.received_day != moment_day
    return p, seen, where


def _correct(
    totals: dict[int, list[int]],
    measures: Measures,
    actual: Source,
    seen: Source,
    where: pw.Expression,
) -> None:
    """Add to `totals` the measures of the rows `where` over `actual` (the period) less
    the same over `seen` (as the summary counted them)."""

    def difference(source: Source) -> list[pw.Node]:
        return measures(actual) + measures(seen)

    for type_id, values in _sums(actual, difference, where).items():
        half = len(values) // 2
        change = [a - b for a, b in zip(values[:half], values[half:], strict=True)]
        known = totals.setdefault(type_id, [0] * half)
        totals[type_id] = [a + b for a, b in zip(known, change, strict=True)]


def _sums(source: Source, measures: Measures, where: pw.Expression) -> dict[int, list[int]]:
    query = (
        source.table.select(source.key, *measures(source))
        .where(where)
        .group_by(source.key)
        .tuples()
    )
    return {row[0]: [int(v or 0) for v in row[1:]] for row in query}


def per_unit(ctx: Context) -> dict[int, list[int]]:
    """Antal ärenden per mottagning: per unit, received, assigned and closed in P. Whole
    months from case_unit_month, each partial month either as a whole month less the
    counts of its days outside P or as the counts of its days inside P (case_unit_day),
    whichever reads fewer days (the three columns are independent counts, so they add up)."""
    assert ctx.window is not None
    cut = rounded(ctx.window)
    totals: dict[int, list[int]] = {}
    if cut.inside is not None:
        where = CaseUnitMonth.month.between(*cut.inside) & ctx.unit_rows(CaseUnitMonth)
        query = (
            CaseUnitMonth.select(
                CaseUnitMonth.unit,
                fn.SUM(CaseUnitMonth.received),
                fn.SUM(CaseUnitMonth.assigned),
                fn.SUM(CaseUnitMonth.closed),
            )
            .where(where)
            .group_by(CaseUnitMonth.unit)
            .tuples()
        )
        totals = {unit: [int(r), int(a), int(c)] for unit, r, a, c in query}
    for edges, sign in ((cut.shrunk, 1), (cut.extended, -1)):
        if edges:
            _add_unit_counts(ctx, totals, edges, sign)
    return totals


def _add_unit_counts(
    ctx: Context, totals: dict[int, list[int]], edges: tuple[tuple[int, int], ...], sign: int
) -> None:
    """Add (sign 1) or take out (-1) case_unit_day's counts per unit of the whole local
    days of the epoch ranges `edges`."""
    days = functools.reduce(
        operator.or_,
        (
            CaseUnitDay.day.between(
                case_summary.day_number(case_summary.local_date(start)),
                case_summary.day_number(case_summary.local_date(end)) - 1,
            )
            for start, end in edges
        ),
    )
    where = ctx.unit_rows(CaseUnitDay)
    query = (
        CaseUnitDay.select(
            CaseUnitDay.unit,
            fn.SUM(CaseUnitDay.received),
            fn.SUM(CaseUnitDay.assigned),
            fn.SUM(CaseUnitDay.closed),
        )
        .where(where & days)
        .group_by(CaseUnitDay.unit)
        .tuples()
    )
    for unit, *values in query:
        known = totals.setdefault(unit, [0, 0, 0])
        totals[unit] = [a + sign * int(b) for a, b in zip(known, values, strict=True)]


# --- rows -------------------------------------------------------------------------------


def sort_units(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows that start with (name, hsa_id): Swedish alphabetical order, HSA-id breaks ties."""
    return sorted(rows, key=lambda r: (swedish_key(r[0]), r[1]))


def case_types_for(ctx: Context, with_counts: set[int]) -> list[tuple[int, str]]:
    """(id, label) of the rows of a per-case-type report, in display order.

    The rows: every case type registered on the unit (all units: on any unit of the
    region), active or not, plus any type with a count. A name that occurs twice (an own
    type named like a standard one) gets its kind in parentheses.
    """
    registered = {
        r.case_type_id
        for r in UnitCaseType.select(UnitCaseType.case_type)
        .where(ctx.unit_case_type_scope())
        .distinct()
    }
    ids = registered | with_counts
    if not ids:
        return []
    types = list(
        CaseType.select(CaseType.id, CaseType.kind, CaseType.name, CaseType.position).where(
            CaseType.id.in_(sorted(ids))
        )
    )
    from models.catalog import bank_order  # only the per-type lists; ~4 ms of a start

    types.sort(key=lambda t: bank_order(t.kind, t.position, t.name, t.id))
    seen: dict[str, int] = {}
    for t in types:
        seen[t.name] = seen.get(t.name, 0) + 1
    return [
        (t.id, clean(t.name) + (KIND_SUFFIX.get(t.kind, "") if seen[t.name] > 1 else ""))
        for t in types
    ]


def totals_row(columns: list[Column], rows: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    """'Totalt' in the first column, the sum under every column marked total, else None."""
    cells: list[Any] = []
    for index, column in enumerate(columns):
        if index == 0:
            cells.append("Totalt")
        elif column.total:
            cells.append(sum(row[index] or 0 for row in rows))
        else:
            cells.append(None)
    return tuple(cells)
