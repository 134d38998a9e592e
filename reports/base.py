"""What every report returns and what every writer renders.

A report module (reports/<slug with underscores>.py) defines SLUG, TITLE, PARAMETERS,
FORMATS, HELP and `run(op, params) -> ReportResult`; the writers never know which report
they render, so a new report is one new file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, Protocol

# Cell values per kind, as the report queries return them: "text" str, "int" int,
# "hours" float already rounded to one decimal (half up) or None, "date" datetime.date,
# "datetime" aware datetime in Europe/Stockholm or None.
ColumnKind = Literal["text", "int", "hours", "date", "datetime"]
Parameter = Literal["care_type", "unit", "period", "as_of", "only_active"]
Format = Literal["pdf", "xlsx", "csv"]


@dataclass(frozen=True)
class Column:
    header: str  # the header text from DESIGN.md
    kind: ColumnKind = "text"
    total: bool = False  # summed in the Totalt row (PDF and Excel)
    width: int = 0  # a hint in characters; 0 = the writer decides


@dataclass(frozen=True)
class ReportParams:
    date_from: date | None = None
    date_to: date | None = None
    unit: str | None = None  # HSA-id; None = all units of the region
    care_type: str | None = None  # None = all care types
    only_active: bool = False
    as_of: datetime | None = None  # None = min(now, end of period)


@dataclass(frozen=True)
class Chart:
    """A bar per day or month of the period (drawn in the PDF under the table)."""

    title: str
    labels: list[str]
    values: list[int]


@dataclass
class ReportResult:
    slug: str
    title: str
    parameters: list[tuple[str, str]]  # (label, value) for the title block
    columns: list[Column]
    rows: list[tuple[Any, ...]]
    totals: tuple[Any, ...] | None  # the Totalt row, or None where columns do not add up
    made_by: str
    made_at: datetime
    landscape: bool = False
    notes: list[str] = field(default_factory=list)
    chart: Chart | None = None


class ReportModule(Protocol):
    """What a report module provides (checked at start by registry.check_report)."""

    SLUG: str
    TITLE: str
    ORDER: int
    PARAMETERS: tuple[str, ...]
    FORMATS: tuple[str, ...]
    HELP: str

    def run(self, op: Any, params: ReportParams) -> ReportResult: ...
