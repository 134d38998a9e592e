"""Loggar: the region's audit events, newest first, filtered and paged in the database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from . import validation
from .audit import FIELD_NAMES, OUTCOME_NAMES
from .entities import ROLE_NAMES, AuditEvent, HsaPerson, Region, StaffAccount
from .errors import NotFound
from .formatting import count_text, yes_no
from .operators import Operator, authorize
from .text import clean
from .timeutil import format_ts, period_epochs
from .units import Page
from .validation import format_personnummer


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: int
    actor_name: str
    action: str
    target: str
    before: str | None
    after: str | None
    outcome: str
    db_role: str = ""  # PostgreSQL's session_user: who authenticated
    os_user: str = ""  # the OS user, where it differs from the identity acted as


def list_events(
    op: Operator,
    *,
    actor: str = "",
    action: str = "",
    target: str = "",
    date_from: str | date | None = None,
    date_to: str | date | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page:
    region = authorize(op)
    # The filters are search terms like any other: bounded and free of control and
    # invisible characters (a huge LIKE pattern is a database error, not a search).
    actor = validation.search_term(actor, "actor", "Utförd av")
    action = validation.search_term(action, "action", "Åtgärd")
    target = validation.search_term(target, "target", "Mottagning")
    where = AuditEvent.region == region
    if actor:
        where &= AuditEvent.actor_name.contains(actor)
    if action:
        where &= AuditEvent.action.startswith(action)
    if target:
        where &= AuditEvent.target.contains(target)
    if date_from or date_to:
        first, last = validation.date_range(
            date_from or date(2000, 1, 1), date_to or date(2999, 12, 31)
        )
        start, end = period_epochs(first, last)
        where &= (AuditEvent.at >= start) & (AuditEvent.at < end)
    query = AuditEvent.select().where(where)
    total = query.count()
    rows = [
        AuditRow(
            id=e.id,
            at=e.at,
            actor_name=e.actor_name,
            action=e.action,
            target=e.target,
            before=e.before,
            after=e.after,
            outcome=e.outcome,
            db_role=e.db_role,
            os_user=e.os_user,
        )
        for e in query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset(max(0, offset))
        .limit(limit)
    ]
    return Page(rows=rows, total=total, offset=offset, limit=limit)


# --- one event, readable -------------------------------------------------------------


@dataclass(frozen=True)
class EventChanges:
    """An event's data before and after, as (label, value) lines in Swedish."""

    before: tuple[tuple[str, str], ...]
    after: tuple[tuple[str, str], ...]


def outcome_name(outcome: str) -> str:
    return OUTCOME_NAMES.get(outcome, outcome)


def event_changes(op: Operator, event_id: int) -> EventChanges:
    """Loggar › a händelse: its before/after data with Swedish labels and values (a
    personnummer with its person's name, an account as the person, a region by name)."""
    region = authorize(op)
    event = AuditEvent.get_or_none((AuditEvent.id == event_id) & (AuditEvent.region == region))
    if event is None:
        raise NotFound("Händelsen finns inte i regionens logg.")
    names = _Names()
    return EventChanges(before=_readable(event.before, names), after=_readable(event.after, names))


class _Names:
    """Looks up what the log stores as numbers and codes, once each."""

    def __init__(self) -> None:
        self._regions: dict[str, str] | None = None
        self._people: dict[str, str] = {}
        self._accounts: dict[int, str] = {}

    def region(self, code: object) -> str:
        if self._regions is None:
            self._regions = dict(Region.select(Region.code, Region.name).tuples())
        return self._regions.get(str(code), str(code))

    def person(self, pnr: str) -> str:
        if pnr not in self._people:
            found = HsaPerson.get_or_none(HsaPerson.personnummer == pnr)
            self._people[pnr] = found.full_name if found is not None else ""
        return self._people[pnr]

    def account(self, account_id: object) -> str:
        if not isinstance(account_id, int) or isinstance(account_id, bool):
            return clean(account_id)
        if account_id not in self._accounts:
            # On PostgreSQL an account the region cannot see stays a number.
            found = (
                StaffAccount.select(*StaffAccount.public(), HsaPerson)
                .join(HsaPerson)
                .where(StaffAccount.id == account_id)
                .first()
            )
            self._accounts[account_id] = (
                f"{found.display_name} ({format_personnummer(found.person.personnummer)})"
                if found is not None
                else f"konto nr {account_id}"
            )
        return self._accounts[account_id]


def _readable(raw: str | None, names: _Names) -> tuple[tuple[str, str], ...]:
    if raw is None or raw == "":
        return ()
    try:
        data = json.loads(raw)
    except ValueError:
        return (("Uppgifter", clean(raw)),)
    if not isinstance(data, dict):
        return (("Uppgifter", _value("", data, names)),)
    order = {key: i for i, key in enumerate(FIELD_NAMES)}
    lines: list[tuple[str, str]] = []
    for key in sorted(data, key=lambda k: (order.get(k, len(order)), k)):
        value = data[key]
        lines.append((FIELD_NAMES.get(key, clean(key)), _value(key, value, names)))
        if key == "personnummer" and isinstance(value, str) and names.person(value):
            lines.append(("Namn", clean(names.person(value))))
    return tuple(lines)


def _value(key: str, value: Any, names: _Names) -> str:
    if value is None:
        return "(inget)"
    if isinstance(value, bool):
        return yes_no(value)
    if key == "personnummer" and isinstance(value, str):
        return format_personnummer(value)
    if key == "role":
        return ROLE_NAMES.get(str(value), clean(value))
    if key == "roles" and isinstance(value, list):
        return ", ".join(ROLE_NAMES.get(str(r), clean(r)) for r in value) or "ingen"
    if key == "region":
        return clean(names.region(value))
    if key in ("account", "kept_admin"):
        return clean(names.account(value))
    if key.endswith("_at") and isinstance(value, int):
        return format_ts(value)
    if key == "grants_removed" and isinstance(value, list):
        removed = [
            f"{names.account(g.get('account'))}: "
            f"{ROLE_NAMES.get(str(g.get('role')), clean(g.get('role')))}"
            for g in value
            if isinstance(g, dict)
        ]
        return clean("; ".join(removed)) or "inga"
    if isinstance(value, int):
        return count_text(value)
    if isinstance(value, list):
        return clean(", ".join(str(v) for v in value)) or "inga"
    if isinstance(value, dict):
        return clean(", ".join(f"{FIELD_NAMES.get(k, k)}: {v}" for k, v in value.items()))
    text = clean(value)
    return text if text else "(tomt)"
