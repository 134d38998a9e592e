"""Time in one place: stored as UTC epoch seconds, typed and shown as Europe/Stockholm.

A stored time that cannot be shown (a value put in with direct SQL, far outside the years
datetime knows) is TimestampOutOfRange, one Swedish sentence, from the converters the
readers use (exports, reports); the TUI's formatting helpers show "ogiltig tidpunkt"
instead of failing the page.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .errors import DomainError

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Imported events (cases, accounts, logins) lie in [2000-01-01 00:00, the end of tomorrow)
# Stockholm time: the e-services did not exist before, and nothing has happened after.
EARLIEST_EVENT_DAY = date(2000, 1, 1)
INVALID = "ogiltig tidpunkt"


class TimestampOutOfRange(DomainError):
    """A stored time outside what can be shown or exported: the database holds a bad value
    (exit code 6, a database problem). The message names the value; callers that know the
    row put its name in front (`for_row`)."""

    exit_code = 6

    def __init__(self, message: str, epoch: int | None = None) -> None:
        super().__init__(message)
        self.epoch = epoch

    def for_row(self, row: str) -> TimestampOutOfRange:
        return TimestampOutOfRange(f"{row}: {self.message}", self.epoch)


def now() -> datetime:
    """The one clock of the program: every "now" and "today" comes from here (a test that
    needs another moment patches this one function)."""
    return datetime.now(UTC)


def now_epoch() -> int:
    return int(now().timestamp())


def to_epoch(value: datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=STOCKHOLM)
    return int(value.timestamp())


def _local(epoch: int) -> datetime:
    """`epoch` as a Stockholm datetime, or TimestampOutOfRange."""
    try:
        moment = datetime.fromtimestamp(epoch, STOCKHOLM)
        # Years 1 and 9999 convert, and fail one step later (a writer's arithmetic).
        (moment + timedelta(days=2)).astimezone(UTC)
        (moment - timedelta(days=2)).astimezone(UTC)
    except (OverflowError, OSError, ValueError):
        raise TimestampOutOfRange(
            f"tidpunkten {epoch} (sekunder sedan 1970-01-01) i databasen ligger utanför "
            "de år som går att visa.",
            epoch,
        ) from None
    return moment


def from_epoch(value: int | None) -> datetime | None:
    if value is None:
        return None
    return _local(value)


def day_start_epoch(day: date) -> int:
    """Epoch of local midnight starting `day` (DST-correct: days have 23 to 25 hours)."""
    return int(datetime.combine(day, time(0), tzinfo=STOCKHOLM).timestamp())


def period_epochs(start: date, end: date) -> tuple[int, int]:
    """[start 00:00, end+1 00:00) in Stockholm time, as epoch seconds."""
    return day_start_epoch(start), day_start_epoch(end + timedelta(days=1))


def stockholm_today() -> date:
    return now().astimezone(STOCKHOLM).date()


def event_window(today: date | None = None) -> tuple[int, int]:
    """[2000-01-01 00:00, the day after tomorrow 00:00) Stockholm time, as epochs: where
    an imported or exported event may lie (today + 1 day, whole)."""
    last = (today or stockholm_today()) + timedelta(days=1)
    return period_epochs(EARLIEST_EVENT_DAY, last)


def event_window_text(today: date | None = None) -> str:
    last = (today or stockholm_today()) + timedelta(days=1)
    return f"{EARLIEST_EVENT_DAY.isoformat()} och {last.isoformat()}"


def local_day(epoch: int) -> date:
    return _local(epoch).date()


def format_ts(epoch: int | None) -> str:
    if epoch is None:
        return ""
    try:
        return _local(epoch).strftime("%Y-%m-%d %H:%M")
    except TimestampOutOfRange:
        return INVALID


def format_day(epoch: int | None) -> str:
    if epoch is None:
        return ""
    try:
        return _local(epoch).strftime("%Y-%m-%d")
    except TimestampOutOfRange:
        return INVALID


def iso_local(epoch: int | None) -> str:
    """ISO 8601 with the Stockholm offset, as written to interchange files."""
    if epoch is None:
        return ""
    return _local(epoch).isoformat()
