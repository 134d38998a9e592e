"""The permission matrix: every service x every role x own or other region.

Only a landstingsadministratör acts, and only on the own region's units. Everyone else
(Administratör, Granskare, Ärendemottagare, Vårdgivare — even with a forged Operator) gets
PermissionDenied, and nothing is written.
"""

from __future__ import annotations

import pytest

from models import catalog, grants, operators, settings, units
from models.auditlog import list_events
from models.entities import (
    ADMIN,
    ARENDEMOTTAGARE,
    GRANSKARE,
    LANDSTINGSADMIN,
    VARDGIVARE,
    AuditEvent,
    CaseType,
    Grant,
    HsaPerson,
    StaffAccount,
    Unit,
)
from models.errors import PermissionDenied
from models.operators import Operator
from models.timeutil import now_epoch
from tests.factories import PNR_BERTIL, PNR_CECILIA, account, build_world, make_pnr, person

# name -> (call(op, world, own: bool), unit-scoped)
OPERATIONS = {
    "lookup_for_activation": (
        lambda op, w, own: units.lookup_for_activation(op, w.free_hsa if own else w.other_hsa),
        True,
    ),
    "activate_unit": (
        lambda op, w, own: units.activate_unit(op, w.free_hsa if own else w.other_hsa),
        True,
    ),
    "deactivation_checklist": (
        lambda op, w, own: units.deactivation_checklist(
            op, w.active_hsa if own else w.other_active_hsa
        ),
        True,
    ),
    "deactivate_unit": (
        lambda op, w, own: units.deactivate_unit(
            op, w.active_hsa if own else w.other_active_hsa, confirm=True
        ),
        True,
    ),
    "rename_unit": (
        lambda op, w, own: units.rename_unit(
            op, w.active_hsa if own else w.other_active_hsa, "Nytt namn"
        ),
        True,
    ),
    "unit_details": (
        lambda op, w, own: units.unit_details(op, w.active_hsa if own else w.other_active_hsa),
        True,
    ),
    "find_person_on_unit": (
        lambda op, w, own: grants.find_person(
            op, PNR_CECILIA, w.active_hsa if own else w.other_active_hsa
        ),
        True,
    ),
    "grant_roles": (
        lambda op, w, own: grants.grant_roles(
            op, w.active_hsa if own else w.other_active_hsa, PNR_BERTIL, [ADMIN]
        ),
        True,
    ),
    "revoke_role": (
        lambda op, w, own: grants.revoke_role(
            op, w.active_hsa if own else w.other_active_hsa, PNR_CECILIA, ADMIN
        ),
        True,
    ),
    "search_units": (lambda op, w, own: units.search_units(op), False),
    "care_types": (lambda op, w, own: units.care_types(op), False),
    "unit_choices": (lambda op, w, own: units.unit_choices(op), False),
    "list_region_admins": (lambda op, w, own: grants.list_region_admins(op), False),
    "list_case_types": (lambda op, w, own: catalog.list_case_types(op), False),
    "case_type_details": (
        lambda op, w, own: catalog.case_type_details(op, CaseType.select().first().id),
        False,
    ),
    "get_settings": (lambda op, w, own: settings.get_settings(op), False),
    "save_settings": (
        lambda op, w, own: settings.save_settings(op, settings.Settings(preferred_name="X")),
        False,
    ),
    "accept_terms": (lambda op, w, own: operators.accept_terms(op), False),
    "list_events": (lambda op, w, own: list_events(op), False),
}

UNIT_ROLES = (ADMIN, GRANSKARE, ARENDEMOTTAGARE, VARDGIVARE)


def store_state() -> tuple:
    return (
        Unit.select().where(Unit.active == True).count(),  # noqa: E712
        tuple(sorted(u.name for u in Unit.select())),
        Grant.select().count(),
        StaffAccount.select().count(),
        AuditEvent.select().count(),
        tuple(a.preferred_name for a in StaffAccount.select().order_by(StaffAccount.id)),
    )


def forged_operator(role: str, w) -> Operator:
    """An account holding only `role` on a unit of region 01, passed off as an operator."""
    acc = account(person(make_pnr("19880808", "777"), "Greta", "Granlund"), "greta")
    unit = Unit.get(Unit.hsa_id == w.active_hsa)
    Grant.create(account=acc, unit=unit, role=role, granted_at=now_epoch())
    if role == GRANSKARE:
        Grant.create(account=acc, unit=unit, role=ADMIN, granted_at=now_epoch())
    return Operator(
        account_id=acc.id,
        login_name="greta",
        name="Greta Granlund",
        region_code="01",
        region_name="Region Stockholm",
    )


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@pytest.mark.parametrize("role", UNIT_ROLES)
def test_unit_roles_are_refused_everything(backend, operation, role):
    w = build_world()
    op = forged_operator(role, w)
    with pytest.raises(PermissionDenied):
        operators.resolve_operator("greta")
    before = store_state()
    call, _ = OPERATIONS[operation]
    with pytest.raises(PermissionDenied):
        call(op, w, True)
    assert store_state() == before


def _unit(hsa_id: str) -> Unit | None:
    return Unit.get_or_none(Unit.hsa_id == hsa_id)


def _has_grant(w, pnr: str, role: str) -> bool:
    return (
        Grant.select()
        .join(StaffAccount, on=(Grant.account == StaffAccount.id))
        .join(HsaPerson)
        .where(
            (HsaPerson.personnummer == pnr)
            & (Grant.role == role)
            & (Grant.unit == _unit(w.active_hsa))
        )
        .exists()
    )


def _operator(w) -> StaffAccount:
    return StaffAccount.get_by_id(w.op.account_id)


# The write each allowed write operation must have made (the read operations must change
# nothing): "no exception" alone would pass a service that silently did nothing.
WRITES = {
    "activate_unit": lambda w: _unit(w.free_hsa) is not None and _unit(w.free_hsa).active,
    "deactivate_unit": lambda w: not _unit(w.active_hsa).active,
    "rename_unit": lambda w: _unit(w.active_hsa).name == "Nytt namn",
    "grant_roles": lambda w: _has_grant(w, PNR_BERTIL, ADMIN),
    "revoke_role": lambda w: not _has_grant(w, PNR_CECILIA, ADMIN),
    "save_settings": lambda w: _operator(w).preferred_name == "X",
    "accept_terms": lambda w: _operator(w).terms_accepted_at is not None,
}


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_landstingsadmin_own_region_is_allowed(backend, operation):
    w = build_world()
    call, _ = OPERATIONS[operation]
    before = store_state()
    events = AuditEvent.select().count()
    assert operation not in WRITES or not WRITES[operation](w)  # not so already
    result = call(w.op, w, True)
    assert result is not None
    if operation in WRITES:
        assert WRITES[operation](w), operation
        assert AuditEvent.select().count() > events  # and audited
    else:
        assert store_state() == before


@pytest.mark.parametrize("operation", sorted(n for n, (_, scoped) in OPERATIONS.items() if scoped))
def test_landstingsadmin_other_region_is_refused(backend, operation):
    w = build_world()
    before = store_state()
    call, _ = OPERATIONS[operation]
    with pytest.raises(PermissionDenied):
        call(w.op, w, False)
    assert store_state() == before


def test_revoked_landstingsadmin_loses_access_mid_session(backend):
    w = build_world()
    Grant.delete().where(
        (Grant.account == w.op.account_id) & (Grant.role == LANDSTINGSADMIN)
    ).execute()
    before = store_state()
    with pytest.raises(PermissionDenied, match="Landstingsadministratör"):
        units.rename_unit(w.op, w.active_hsa, "Nytt namn")
    assert store_state() == before


def test_landstingsadmin_of_other_region_cannot_forge_region(backend):
    w = build_world()
    forged = Operator(
        account_id=w.other_op.account_id,
        login_name="orjan",
        name="Örjan Öberg",
        region_code="01",
        region_name="Region Stockholm",
    )
    with pytest.raises(PermissionDenied):
        units.search_units(forged)
