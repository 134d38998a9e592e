"""Several administrators at once: unique grants, row locks on PostgreSQL, and a clash
reported as one Swedish sentence (Conflict) instead of a driver traceback."""

from __future__ import annotations

import peewee as pw
import pytest

from models import db, grants, units
from models.entities import (
    ADMIN,
    GRANSKARE,
    LANDSTINGSADMIN,
    AuditEvent,
    Grant,
    StaffAccount,
    Unit,
)
from models.errors import Conflict
from models.timeutil import now_epoch
from tests.factories import PNR_BERTIL, PNR_CECILIA, build_world

CLASH = "Någon annan ändrade samma sak samtidigt. Försök igen."


def test_a_grant_row_is_unique_per_unit_account_and_role(backend):
    w = build_world()
    unit = Unit.get(Unit.hsa_id == w.active_hsa)
    cecilia = StaffAccount.get(StaffAccount.login_name == "cecilia")
    with pytest.raises(pw.IntegrityError):
        with db.database.atomic():
            Grant.create(account=cecilia, unit=unit, role=ADMIN, granted_at=now_epoch())
    # Region-scoped grants have no unit: NULLs never clash, so an account may be
    # landstingsadministratör in two regions.
    anna = StaffAccount.get(StaffAccount.login_name == "anna")
    Grant.create(account=anna, region="12", role=LANDSTINGSADMIN, granted_at=now_epoch())
    assert (
        Grant.select().where((Grant.account == anna) & (Grant.role == LANDSTINGSADMIN)).count() == 2
    )


def test_a_unique_index_clash_in_a_transaction_is_a_conflict(backend):
    w = build_world()
    unit = Unit.get(Unit.hsa_id == w.active_hsa)
    bertil = StaffAccount.create(account_id="va-b", person=w.bertil, created_at=now_epoch())
    before = Grant.select().count()
    with pytest.raises(Conflict) as caught:
        with db.transaction():
            Grant.create(account=bertil, unit=unit, role=ADMIN, granted_at=now_epoch())
            Grant.create(account=bertil, unit=unit, role=ADMIN, granted_at=now_epoch())
    assert str(caught.value) == CLASH
    assert Grant.select().count() == before  # rolled back, and the connection still works


def test_a_concurrent_grant_becomes_a_conflict_and_writes_nothing(backend, monkeypatch):
    """Another administrator's identical grant lands between this service's check and its
    insert (forced here; on PostgreSQL the unit lock makes it rare, the index catches it)."""
    w = build_world()
    unit = Unit.get(Unit.hsa_id == w.active_hsa)
    cecilia = StaffAccount.get(StaffAccount.login_name == "cecilia")
    real_now = grants.now_epoch

    def racing_now() -> int:
        Grant.insert(account=cecilia, unit=unit, role=GRANSKARE, granted_at=0).execute()
        monkeypatch.setattr(grants, "now_epoch", real_now)
        return real_now()

    monkeypatch.setattr(grants, "now_epoch", racing_now)
    before = (Grant.select().count(), AuditEvent.select().count())
    with pytest.raises(Conflict, match="Någon annan ändrade samma sak samtidigt"):
        grants.grant_roles(w.op, w.active_hsa, PNR_CECILIA, [GRANSKARE])
    assert (Grant.select().count(), AuditEvent.select().count()) == before


def _other_connection() -> pw.PostgresqlDatabase:
    """A second session on the same PostgreSQL database and schema: another admin."""
    current = db.database.obj
    return pw.PostgresqlDatabase(current.database, **current.connect_params)


def _row_is_locked(unit_id: int) -> bool:
    other = _other_connection()
    try:
        other.execute_sql('SELECT id FROM "unit" WHERE id = %s FOR UPDATE NOWAIT', (unit_id,))
    except pw.OperationalError:
        return True
    finally:
        other.close()
    return False


def test_get_own_unit_locks_the_row_on_postgresql_only(backend):
    w = build_world()
    with db.transaction():
        unit = units.get_own_unit("01", w.active_hsa, lock=True)  # no error on SQLite
        if backend == "postgres":
            assert _row_is_locked(unit.id)
    if backend == "postgres":
        assert not _row_is_locked(unit.id)  # released at commit
        with db.transaction():
            units.get_own_unit("01", w.active_hsa)
            assert not _row_is_locked(unit.id)


# service -> (call, where to look for the lock: a step after the unit is read and before
# anything is written; an UPDATE of the unit row would lock it anyway).
SERVICES = {
    "grant_roles": (
        lambda w: grants.grant_roles(w.op, w.active_hsa, PNR_BERTIL, [ADMIN]),
        (grants, "_person"),
    ),
    "revoke_role": (
        lambda w: grants.revoke_role(w.op, w.active_hsa, PNR_CECILIA, ADMIN),
        (grants, "_person"),
    ),
    "rename_unit": (
        lambda w: units.rename_unit(w.op, w.active_hsa, "Ängen nya"),
        (Unit, "refresh_search_text"),
    ),
    "deactivate_unit": (
        lambda w: units.deactivate_unit(w.op, w.active_hsa, confirm=True),
        (units, "_checklist"),
    ),
    "reactivate": (
        lambda w: units.activate_unit(w.op, w.active_hsa),
        (Unit, "refresh_search_text"),
    ),
}


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_write_services_lock_the_unit_before_they_read_it(backend, service, monkeypatch):
    """On PostgreSQL a second administrator's write to the same unit waits for this one:
    the row is locked from the moment the service reads it. On SQLite (no row locks; its
    IMMEDIATE transaction serialises writers) the services run unchanged."""
    w = build_world()
    unit = Unit.get(Unit.hsa_id == w.active_hsa)
    if service == "reactivate":
        unit.active = False
        unit.save()
    call, (owner, name) = SERVICES[service]
    step = getattr(owner, name)
    seen: list[bool] = []

    def probed(*args, **kwargs):
        if backend == "postgres":
            seen.append(_row_is_locked(unit.id))
        return step(*args, **kwargs)

    monkeypatch.setattr(owner, name, probed)
    call(w)
    if backend == "postgres":
        assert seen and all(seen)
        assert not _row_is_locked(unit.id)
