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
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import Any

import peewee as pw
from peewee import fn

from models import timeutil, validation
from models.catalog import bank_order
from models.db import is_postgres
from models.entities import (
    KIND_INTEGRATION,
    KIND_OWN,
    CaseType,
    HsaUnit,
    Region,
    Unit,
    UnitCaseType,
)
from models.entities import Case as CaseRow
from models.errors import ValidationError
from models.operators import Operator, authorize
from models.text import clean, swedish_key
from models.units import get_own_unit

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
    another region's unit is PermissionDenied, exit 3; an unknown one NotFound, exit 4)."""
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

    def case_scope(self, care_type: bool = False) -> pw.Expression:
        """The cases the report covers: of the chosen unit, or of any unit of the region.

        `unit_id + 0` for the region: an expression rather than the column, so SQLite keeps
        the covering timestamp index of the period instead of walking every case of the
        region through the (unit_id, closed_at) index (1M cases, one month: 0.02 s against
        0.41 s; see benchmarks/report_queries.py). PostgreSQL picks the timestamp index
        either way; there the expression measured within noise (0.08 s against 0.06 s).
        """
        if self.unit is not None:
            return CaseRow.unit == self.unit.id
        if is_postgres() and not (care_type and self.params.care_type):
            # The case's own region (kept equal to its unit's by triggers): the same
            # scalar test row-level security makes, instead of a join with the units.
            return CaseRow.region == self.region
        return (CaseRow.unit + ZERO).in_(self.region_unit_ids(care_type))

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

    def case_chart(self, column: pw.Field, title: str, scope: pw.Expression) -> Chart:
        """Cases per day or month of the period by `column`: one scan of the period's
        index range, each case put in its bar by the bars' exact Stockholm boundaries."""
        assert self.window is not None
        bars = period.buckets(self.window.date_from, self.window.date_to)
        ends = [timeutil.period_epochs(first, last)[1] for _, first, last in bars]
        bucket = pw.Case(None, [(column < end, index) for index, end in enumerate(ends)], len(ends))
        counts = dict(
            CaseRow.select(bucket, fn.COUNT(pw.SQL("*")))
            .where(scope & self.in_period(column))
            .group_by(pw.SQL("1"))
            .tuples()
        )
        return Chart(
            title=title,
            labels=[label for label, _, _ in bars],
            values=[int(counts.get(i, 0)) for i in range(len(bars))],
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


def branch_counts(
    key: pw.Field, scope: pw.Expression, branches: list[tuple[str, pw.Expression]]
) -> pw.Select:
    """Per `key`, one count per named condition, each from its own index range scan.

    SELECT key, SUM(a), SUM(b) .. FROM (SELECT key, COUNT(*) AS a, 0 AS b .. WHERE cond_a
    GROUP BY key UNION ALL ..) GROUP BY key. Each branch filters on one timestamp, so it
    reads that timestamp's covering index for the period only; the conditions must not
    overlap where a case may be counted once only. Result columns: key, then the names.
    """
    names = [name for name, _ in branches]
    if is_postgres():
        # PostgreSQL turns the three range scans into three parallel full scans; one scan
        # with COUNT(*) FILTER reads the table once (measured 968 ms against 251 ms).
        either = functools.reduce(operator.or_, (condition for _, condition in branches))
        return (
            CaseRow.select(
                key.alias("key"),
                *(
                    fn.COUNT(pw.SQL("*")).filter(condition).alias(name)
                    for name, condition in branches
                ),
            )
            .where(either & scope)
            .group_by(key)
        )
    parts = []
    for name, condition in branches:
        columns = [key.alias("key")]
        columns += [
            (fn.COUNT(pw.SQL("*")) if other == name else ZERO).alias(other) for other in names
        ]
        parts.append(CaseRow.select(*columns).where(condition & scope).group_by(key))
    union = parts[0]
    for part in parts[1:]:
        union = union + part  # UNION ALL
    rows = union.alias("branches")
    return (
        CaseRow.select(
            rows.c.key.alias("key"), *(fn.SUM(getattr(rows.c, name)).alias(name) for name in names)
        )
        .from_(rows)
        .group_by(rows.c.key)
    )


def mean_hours_if(condition: pw.Expression, seconds: pw.Node) -> pw.Node:
    """AVG(CASE WHEN condition THEN seconds END)/3600.0: NULL when no case counts."""
    return fn.AVG(pw.Case(None, ((condition, seconds),), None)) / SECONDS_PER_HOUR


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
