"""models.auditlog.event_changes on both backends: a log event's before/after in Swedish."""

from __future__ import annotations

import pytest

from models import grants, units
from models.auditlog import event_changes, outcome_name
from models.entities import ADMIN, AuditEvent
from models.errors import NotFound
from tests.factories import PNR_BERTIL, build_world


def event(action: str) -> AuditEvent:
    return AuditEvent.get(AuditEvent.action == action)


def test_a_grant_reads_with_the_persons_name_and_the_role(backend):
    w = build_world()
    grants.grant_roles(w.op, w.active_hsa, PNR_BERTIL, [ADMIN])
    changes = event_changes(w.op, event("grant.add").id)
    assert changes.before == (
        ("Personnummer", "19800202-2344"),
        ("Namn", "Bertil Berg"),
        ("Behörigheter", "ingen"),
    )
    assert changes.after == (
        ("Personnummer", "19800202-2344"),
        ("Namn", "Bertil Berg"),
        ("Roll", "Administratör"),
    )
    assert outcome_name(event("grant.add").outcome) == "Genomförd"


def test_a_deactivation_names_the_accounts_and_the_region(backend):
    w = build_world()
    grants.grant_roles(w.op, w.active_hsa, PNR_BERTIL, [ADMIN])
    units.deactivate_unit(w.op, w.active_hsa, confirm=True)
    after = dict(event_changes(w.op, event("unit.deactivate").id).after)
    assert after["Aktiv"] == "Nej" and after["Region"] == "Region Stockholm"
    assert after["Administratör som behölls"] == "Cecilia Carlsson (19900303-3454)"
    assert after["Borttagna behörigheter"] == "Bertil Berg (19800202-2344): Administratör"
    assert after["Ärendetyper som inaktiverades"] == "0"
    assert after["Inaktiverad"][:2] == "20"  # a date and time, not epoch seconds


def test_text_that_is_not_json_and_unknown_keys_are_shown_as_they_are(backend):
    w = build_world()
    raw = AuditEvent.create(
        at=1,
        actor_name="x",
        region="01",
        action="import",
        before="inte json \x1b[31m",
        after='{"ny_nyckel": "v\\u0007"}',
    )
    changes = event_changes(w.op, raw.id)
    assert changes.before == (("Uppgifter", "inte json "),)
    assert changes.after == (("ny_nyckel", "v"),)


def test_another_regions_event_is_not_found(backend):
    w = build_world()
    other = AuditEvent.create(
        at=1, actor_name="x", region="12", action="unit.rename", after='{"name": "Malmö"}'
    )
    with pytest.raises(NotFound):
        event_changes(w.op, other.id)
