"""Loggar: the region's audit events, newest first, filtered and paged in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import validation
from .entities import AuditEvent
from .operators import Operator, authorize
from .timeutil import period_epochs
from .units import Page


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


def list_events(op: Operator, *, actor: str = "", action: str = "", target: str = "",
                date_from: str | date | None = None, date_to: str | date | None = None,
                offset: int = 0, limit: int = 50) -> Page:
    region = authorize(op)
    where = AuditEvent.region == region
    if actor.strip():
        where &= AuditEvent.actor_name.contains(actor.strip())
    if action.strip():
        where &= AuditEvent.action.startswith(action.strip())
    if target.strip():
        where &= AuditEvent.target.contains(target.strip())
    if date_from or date_to:
        first, last = validation.date_range(date_from or date(2000, 1, 1),
                                            date_to or date(2999, 12, 31))
        start, end = period_epochs(first, last)
        where &= (AuditEvent.at >= start) & (AuditEvent.at < end)
    query = AuditEvent.select().where(where)
    total = query.count()
    rows = [AuditRow(id=e.id, at=e.at, actor_name=e.actor_name, action=e.action,
                     target=e.target, before=e.before, after=e.after, outcome=e.outcome,
                     db_role=e.db_role, os_user=e.os_user)
            for e in query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .offset(max(0, offset)).limit(limit)]
    return Page(rows=rows, total=total, offset=offset, limit=limit)
