"""Time in one place: stored as UTC epoch seconds, typed and shown as Europe/Stockholm."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def now_epoch() -> int:
    return int(datetime.now(UTC).timestamp())


def to_epoch(value: datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=STOCKHOLM)
    return int(value.timestamp())


def from_epoch(value: int | None) -> datetime | None:
    if value is None:
        return None
    return datetime.fromtimestamp(value, STOCKHOLM)


def day_start_epoch(day: date) -> int:
    """Epoch of local midnight starting `day` (DST-correct: days have 23 to 25 hours)."""
    return int(datetime.combine(day, time(0), tzinfo=STOCKHOLM).timestamp())


def period_epochs(start: date, end: date) -> tuple[int, int]:
    """[start 00:00, end+1 00:00) in Stockholm time, as epoch seconds."""
    return day_start_epoch(start), day_start_epoch(end + timedelta(days=1))


def local_day(epoch: int) -> date:
    return datetime.fromtimestamp(epoch, STOCKHOLM).date()


def format_ts(epoch: int | None) -> str:
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch, STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def format_day(epoch: int | None) -> str:
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch, STOCKHOLM).strftime("%Y-%m-%d")


def iso_local(epoch: int | None) -> str:
    """ISO 8601 with the Stockholm offset, as written to interchange files."""
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch, STOCKHOLM).isoformat()
