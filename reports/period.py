"""Time for the reports: the period P, the as-of moment, the ten days, hours with one decimal.

DESIGN.md: P = [from 00:00, to+1 00:00) Europe/Stockholm, "in P" means start <= t < end;
as_of = min(now, end of P) unless given. Timestamps are integer epoch seconds, so every
comparison here and in the SQL is an integer comparison.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from models import timeutil
from models.timeutil import STOCKHOLM

TEN_DAYS = 240 * 3600  # "10 dagar" in the manual: 240 hours, not ten calendar days
HOUR = Decimal("0.1")

# The clock the reports read; tests replace it so as_of defaults are deterministic.
clock: Callable[[], int] = timeutil.now_epoch


def now() -> int:
    return clock()


@dataclass(frozen=True)
class Window:
    """A resolved period: epochs of [start, end) and the dates the user typed."""

    date_from: date
    date_to: date
    start: int
    end: int

    def label(self) -> str:
        return f"{self.date_from.isoformat()} – {self.date_to.isoformat()}"


def window(date_from: date, date_to: date) -> Window:
    start, end = timeutil.period_epochs(date_from, date_to)
    return Window(date_from, date_to, start, end)


def as_of_epoch(value: datetime | date | None, end: int | None) -> int:
    """The moment a report describes.

    Given: a datetime (naive = Stockholm time) is taken as is; a bare date D means the end
    of that day (D+1 00:00), the same convention as the end of a period. Not given: the end
    of the period, or now for reports without one. Always capped at now: the state of the
    cases at a future moment is not known yet.
    """
    current = now()
    if value is None:
        moment = end if end is not None else current
    elif isinstance(value, datetime):
        moment = timeutil.to_epoch(value)
    else:
        moment = timeutil.day_start_epoch(value + timedelta(days=1))
    return min(moment, current)


def last_month(today: date | None = None) -> tuple[date, date]:
    """The previous calendar month in Stockholm: the default period of every report."""
    today = today or timeutil.stockholm_today()
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def end_of_day(day: date) -> datetime:
    """`--as-of D` as a datetime for ReportParams.as_of: D+1 00:00 Stockholm time."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=STOCKHOLM)


def as_of_label(epoch: int) -> str:
    return timeutil.format_ts(epoch)


def hours(value: object) -> float | None:
    """An SQL average already divided by 3600.0, rounded half up to one decimal.

    Decimal of str() first: SQLite returns a float whose shortest repr is the decimal value
    meant (540/3600.0 -> '0.15', which round() would make 0.1), PostgreSQL a numeric; both
    then round the same way. Returned as a float with one decimal, which the writers take
    as a number (Excel cell, CSV "0.2", PDF "0,2").
    """
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(HOUR, rounding=ROUND_HALF_UP))


def local_datetime(epoch: int | None) -> datetime | None:
    return timeutil.from_epoch(epoch)


def local_date(epoch: int | None) -> date | None:
    return None if epoch is None else timeutil.local_day(epoch)


def made_at() -> datetime:
    return datetime.fromtimestamp(now(), STOCKHOLM)


MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
DAILY_UP_TO = 31  # days: a longer period gets a bar per month


def buckets(date_from: date, date_to: date) -> list[tuple[str, date, date]]:
    """(label, first day, last day) of each bar of a chart over the period: a bar per day
    for up to a month, else a bar per calendar month (clipped to the period)."""
    days = (date_to - date_from).days + 1
    if days <= DAILY_UP_TO:
        return [
            (f"{d.day}/{d.month}", d, d)
            for d in (date_from + timedelta(days=i) for i in range(days))
        ]
    out: list[tuple[str, date, date]] = []
    first = date_from
    while first <= date_to:
        next_month = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
        last = min(date_to, next_month - timedelta(days=1))
        label = MONTHS[first.month - 1]
        if first == date_from or first.month == 1:
            label += f" {first.year % 100:02d}"
        out.append((label, first, last))
        first = next_month
    return out
