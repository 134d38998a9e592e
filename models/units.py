"""Vårdmottagningar: activate, deactivate, rename, search and show units of the own region."""

from __future__ import annotations

from dataclasses import dataclass, field

import peewee as pw
from peewee import fn

from . import audit, case_summary, validation
from .db import is_postgres, transaction
from .entities import (
    ADMIN,
    Case,
    CaseType,
    Grant,
    HsaPerson,
    HsaUnit,
    Region,
    StaffAccount,
    Unit,
    UnitCaseType,
)
from .errors import Conflict, NotFound, PermissionDenied, ValidationError
from .operators import Operator, authorize
from .text import swedish_key
from .timeutil import now_epoch


@dataclass(frozen=True)
class DirectoryEntry:
    """What Visa shows on Aktivera: the HSA entry and the unit's state, if it was connected."""

    hsa_id: str
    name: str
    care_type: str
    street: str
    postal_code: str
    city: str
    phone: str
    info: str
    region_name: str
    current_name: str | None  # the connected unit's name, when re-activating
    reactivation: bool


@dataclass(frozen=True)
class Checklist:
    """Inaktivera: what is still open on the unit, measured from the data."""

    active_case_types: int
    incoming_unanswered: int
    assigned_unanswered: int
    extra_grants: int
    kept_admin: str | None

    @property
    def clear(self) -> bool:
        return not (
            self.active_case_types
            or self.incoming_unanswered
            or self.assigned_unanswered
            or self.extra_grants
        )

    def lines(self) -> list[tuple[str, int]]:
        return [
            ("Aktiva ärendetyper (inaktiveras)", self.active_case_types),
            ("Obesvarade ärenden under Inkomna ärenden", self.incoming_unanswered),
            ("Obesvarade ärenden under Fördelade ärenden", self.assigned_unanswered),
            ("Behörigheter utöver en administratör (tas bort)", self.extra_grants),
        ]


@dataclass(frozen=True)
class UnitRow:
    hsa_id: str
    name: str
    care_type: str
    city: str
    active: bool
    first_activated_at: int
    deactivated_at: int | None
    other_service: bool = False


@dataclass(frozen=True)
class Page:
    rows: list
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class UnitCaseTypeInfo:
    name: str
    kind: str
    active: bool
    description: str
    terms_text: str


@dataclass(frozen=True)
class GrantInfo:
    personnummer: str
    name: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class UnitDetails:
    hsa_id: str
    name: str
    care_type: str
    region_name: str
    active: bool
    first_activated_at: int
    deactivated_at: int | None
    other_service: bool
    prioritized: bool
    street: str
    postal_code: str
    city: str
    phone: str
    email: str
    info: str
    case_types: list[UnitCaseTypeInfo] = field(default_factory=list)
    grants: list[GrantInfo] = field(default_factory=list)
    weekly_cases: tuple[int, ...] = ()  # received per week, the last WEEKS weeks, oldest first


SORT_COLUMNS = {
    "name": Unit.name,
    "hsa_id": Unit.hsa_id,
    "care_type": Unit.care_type,
    "city": Unit.city,
    "active": Unit.active,
    "first_activated_at": Unit.first_activated_at,
}


def _unit_state(unit: Unit) -> dict:
    return {
        "name": unit.name,
        "region": unit.region_id,
        "active": unit.active,
        "other_service": unit.other_service,
        "deactivated_at": unit.deactivated_at,
    }


def _unit_query(key: str, lock: bool) -> pw.ModelSelect:
    """The unit row by HSA-id; with `lock`, SELECT ... FOR UPDATE on PostgreSQL.

    Two administrators changing the same unit at once then take turns: the second waits
    for the first's commit and reads what it wrote. SQLite needs (and has) no row lock: its
    IMMEDIATE transactions already let one writer in at a time, and peewee refuses
    for_update() there.
    """
    query = Unit.select().where(Unit.hsa_id == key)
    return query.for_update() if lock and is_postgres() else query


def get_own_unit(region: str, hsa_id: str, lock: bool = False) -> Unit:
    """The connected unit `hsa_id` of `region`; NotFound or PermissionDenied otherwise.

    Write services pass lock=True (inside their transaction) before reading the unit's
    grants or state, so what they check is still true when they write.
    """
    key = validation.hsa_id(hsa_id)
    unit = _unit_query(key, lock).first()
    if unit is None:
        # On PostgreSQL another region's unit is invisible (row-level security); the HSA
        # catalogue, which every administrator may read, still says whose it is.
        entry = HsaUnit.get_or_none(HsaUnit.hsa_id == key)
        if entry is not None and entry.region_id != region and _connected(key):
            raise PermissionDenied(f"Mottagningen {key} tillhör en annan region än din.")
        raise NotFound(f"Det finns ingen ansluten mottagning med HSA-id {key}.")
    if unit.region_id != region:
        raise PermissionDenied(f"Mottagningen {key} tillhör en annan region än din.")
    return unit


def _connected(key: str) -> bool:
    """Whether `key` is a connected unit of any region, also one this session cannot see
    (on PostgreSQL); a unit never activated is simply not found."""
    if not is_postgres():
        return Unit.select().where(Unit.hsa_id == key).exists()
    return True


def _directory_entry(region: str, key: str, lock: bool = False) -> tuple[HsaUnit, Unit | None]:
    entry = HsaUnit.select(HsaUnit, Region).join(Region).where(HsaUnit.hsa_id == key).first()
    if entry is None:
        raise NotFound(f"HSA-id {key} finns inte i HSA-katalogen.")
    if entry.region_id != region:
        raise PermissionDenied(
            f"Mottagningen {key} tillhör {entry.region.name}; du kan bara aktivera "
            "mottagningar i din egen region."
        )
    unit = _unit_query(key, lock).first()
    if unit is None and is_postgres():
        unit = _moved_here(key, lock)
    if unit is not None and unit.active:
        raise Conflict(f"Mottagningen {key} ({unit.name}) är redan aktiv.")
    return entry, unit


def _moved_here(key: str, lock: bool) -> Unit | None:
    """PostgreSQL: a connected unit that HSA moved to this region is still the old
    region's, so row security hides it. Shown as what it is (re-activation of a closed
    unit, or active elsewhere); with `lock` (the write) a closed one is claimed first."""
    from .pgsecurity import claim_unit, unit_elsewhere

    found = unit_elsewhere(key)
    if found is None:
        return None
    name, active = found
    if active or not lock:
        return Unit(hsa_id=key, name=name, active=active)
    claim_unit(key)
    return _unit_query(key, lock).first()


def lookup_for_activation(op: Operator, hsa_id: str) -> DirectoryEntry:
    """Aktivera, step Visa: the directory data of a unit that may be activated."""
    key = validation.hsa_id(hsa_id)
    region = authorize(op)
    entry, unit = _directory_entry(region, key)
    return DirectoryEntry(
        hsa_id=entry.hsa_id,
        name=entry.name,
        care_type=entry.care_type,
        street=entry.street,
        postal_code=entry.postal_code,
        city=entry.city,
        phone=entry.phone,
        info=entry.info,
        region_name=entry.region.name,
        current_name=unit.name if unit else None,
        reactivation=unit is not None,
    )


def activate_unit(
    op: Operator, hsa_id: str, new_name: str | None = None, other_service: bool = False
) -> UnitRow:
    """Slutför aktivering: connect a unit of the own region, or re-activate an inactive one."""
    key = validation.hsa_id(hsa_id)
    name = validation.unit_name(new_name) if (new_name or "").strip() else None
    with transaction():
        region = authorize(op)
        entry, unit = _directory_entry(region, key, lock=True)
        now = now_epoch()
        contact = dict(
            care_type=entry.care_type,
            street=entry.street,
            postal_code=entry.postal_code,
            city=entry.city,
            phone=entry.phone,
            info=entry.info,
        )
        contact["hsa_name"] = entry.name  # HSA's own name now, for Avvikelser mot HSA
        if unit is None:
            unit = Unit(
                hsa_id=key,
                name=name or validation.unit_name(entry.name),
                region=region,
                active=True,
                first_activated_at=now,
                other_service=other_service,
                **contact,
            )
            before, action = None, "unit.activate"
        else:
            before, action = _unit_state(unit), "unit.reactivate"
            unit.name = name or unit.name
            # The directory may have moved the unit to another region since it was closed.
            moved_from = unit.region_id if unit.region_id != entry.region_id else None
            unit.region = entry.region_id
            unit.active = True
            unit.deactivated_at = None
            unit.other_service = other_service
            for key_, value in contact.items():
                setattr(unit, key_, value)
        unit.refresh_search_text()
        unit.save(force_insert=unit.id is None)
        if before is not None and moved_from:
            case_summary.unit_moved(unit.id, moved_from)  # its cases count in the new region
        audit.record(
            actor_id=op.account_id,
            actor_name=op.name,
            region_code=region,
            action=action,
            target=key,
            before=before,
            after=_unit_state(unit),
        )
    return _row(unit)


def _open_cases(unit: Unit) -> tuple[int, int]:
    open_ = (Case.unit == unit) & Case.closed_at.is_null() & Case.answered_at.is_null()
    incoming = Case.select().where(open_ & Case.assigned_at.is_null()).count()
    assigned = Case.select().where(open_ & Case.assigned_at.is_null(False)).count()
    return incoming, assigned


def _kept_admin(unit: Unit) -> Grant | None:
    return (
        Grant.select()
        .where((Grant.unit == unit) & (Grant.role == ADMIN))
        .order_by(Grant.granted_at, Grant.id)
        .first()
    )


def _checklist(unit: Unit) -> Checklist:
    incoming, assigned = _open_cases(unit)
    kept = _kept_admin(unit)
    grants = Grant.select().where(Grant.unit == unit).count()
    kept_name = None
    if kept is not None:
        account = (
            StaffAccount.select(*StaffAccount.public(), HsaPerson)
            .join(HsaPerson)
            .where(StaffAccount.id == kept.account_id)
            .get()
        )
        kept_name = account.display_name
    return Checklist(
        active_case_types=UnitCaseType.select()
        .where((UnitCaseType.unit == unit) & UnitCaseType.active)
        .count(),
        incoming_unanswered=incoming,
        assigned_unanswered=assigned,
        extra_grants=grants - (1 if kept else 0),
        kept_admin=kept_name,
    )


def deactivation_checklist(op: Operator, hsa_id: str) -> tuple[UnitRow, Checklist]:
    """Inaktivera, step Visa: the unit and its checklist."""
    region = authorize(op)
    unit = get_own_unit(region, hsa_id)
    if not unit.active:
        raise Conflict(f"Mottagningen {unit.hsa_id} ({unit.name}) är redan inaktiv.")
    return _row(unit), _checklist(unit)


def deactivate_unit(op: Operator, hsa_id: str, confirm: bool = False) -> Checklist:
    """Inaktivera: turn off the unit's case types, keep one ADMIN, remove other grants.

    Open cases stay as they are (they remain readable through the kept administrator);
    with anything on the checklist the caller must pass confirm=True.
    """
    with transaction():
        region = authorize(op)
        unit = get_own_unit(region, hsa_id, lock=True)
        if not unit.active:
            raise Conflict(f"Mottagningen {unit.hsa_id} ({unit.name}) är redan inaktiv.")
        if _kept_admin(unit) is None:
            # DESIGN.md: at least one ADMIN stays, the way in to the archived cases.
            raise Conflict(
                "Mottagningen saknar administratör. Tilldela en administratör "
                "först, så att arkiverade ärenden går att nå efter "
                "inaktiveringen."
            )
        checklist = _checklist(unit)
        if not checklist.clear and not confirm:
            open_items = ", ".join(
                f"{label.split(' (')[0].lower()}: {n}" for label, n in checklist.lines() if n
            )
            raise Conflict(f"Mottagningen har kvar {open_items}. Bekräfta för att inaktivera.")
        before = _unit_state(unit)
        kept = _kept_admin(unit)
        removed = [
            {"account": g.account_id, "role": g.role}
            for g in Grant.select().where(
                (Grant.unit == unit) & (Grant.id != (kept.id if kept else -1))
            )
        ]
        Grant.delete().where(
            (Grant.unit == unit) & (Grant.id != (kept.id if kept else -1))
        ).execute()
        UnitCaseType.update(active=False).where(UnitCaseType.unit == unit).execute()
        unit.active = False
        unit.deactivated_at = now_epoch()
        unit.save()
        after = _unit_state(unit) | {
            "case_types_deactivated": checklist.active_case_types,
            "grants_removed": removed,
            "kept_admin": kept.account_id if kept else None,
            "open_cases": checklist.incoming_unanswered + checklist.assigned_unanswered,
        }
        audit.record(
            actor_id=op.account_id,
            actor_name=op.name,
            region_code=region,
            action="unit.deactivate",
            target=unit.hsa_id,
            before=before,
            after=after,
        )
    return checklist


def rename_unit(op: Operator, hsa_id: str, new_name: str) -> UnitRow:
    """Ändra namn on a connected (active) unit."""
    name = validation.unit_name(new_name)
    with transaction():
        region = authorize(op)
        unit = get_own_unit(region, hsa_id, lock=True)
        if not unit.active:
            raise Conflict(
                f"Mottagningen {unit.hsa_id} är inaktiv; återaktivera den först via Aktivera."
            )
        if name == unit.name:
            raise ValidationError("Det nya namnet är samma som det nuvarande.", field="name")
        before = {"name": unit.name}
        unit.name = name
        unit.refresh_search_text()
        unit.save()
        audit.record(
            actor_id=op.account_id,
            actor_name=op.name,
            region_code=region,
            action="unit.rename",
            target=unit.hsa_id,
            before=before,
            after={"name": name},
        )
    return _row(unit)


def _row(unit: Unit) -> UnitRow:
    return UnitRow(
        hsa_id=unit.hsa_id,
        name=unit.name,
        care_type=unit.care_type,
        city=unit.city,
        active=unit.active,
        first_activated_at=unit.first_activated_at,
        deactivated_at=unit.deactivated_at,
        other_service=unit.other_service,
    )


def search_units(
    op: Operator,
    term: str = "",
    *,
    active_only: bool = False,
    sort: str = "name",
    descending: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> Page:
    """Visa mottagningsinformation: one page of the region's units matching `term`.

    An empty term lists every active and inactive unit. The term matches part of the
    HSA-id, name, care type, address, phone or info, case-insensitively.

    The name sorts in Swedish order (Å, Ä, Ö after Z, case ignored) on both backends
    through the sort_name column, compared byte by byte (COLLATE "C" on PostgreSQL, whose
    database collation may be any locale). Care type and city sort with LOWER(), paged in
    SQL: on SQLite LOWER() folds only A–Z, so there "Åre" and "åre" are not neighbours and
    Ä sorts before Å; PostgreSQL follows the database's collation.
    """
    words = validation.search_term(term).lower().split()
    region = authorize(op)
    where = Unit.region == region
    for word in words:
        where &= Unit.search_text.contains(word)
    if active_only:
        where &= Unit.active == True  # noqa: E712
    column = SORT_COLUMNS.get(sort, Unit.name)
    if column is Unit.name:
        column = Unit.sort_name.collate('"C"') if is_postgres() else Unit.sort_name
    elif isinstance(column, pw.CharField) and column is not Unit.hsa_id:
        # "BVC Solna" and "Barnavårdscentralen" belong together whatever their case.
        column = pw.fn.LOWER(column)
    order = [column.desc() if descending else column.asc(), Unit.hsa_id]
    query = Unit.select(
        Unit.hsa_id,
        Unit.name,
        Unit.care_type,
        Unit.city,
        Unit.active,
        Unit.first_activated_at,
        Unit.deactivated_at,
    ).where(where)
    total = query.count()
    rows = [_row(u) for u in query.order_by(*order).offset(max(0, offset)).limit(limit)]
    return Page(rows=rows, total=total, offset=offset, limit=limit)


def unit_details(op: Operator, hsa_id: str) -> UnitDetails:
    region = authorize(op)
    unit = get_own_unit(region, hsa_id)
    case_types = [
        UnitCaseTypeInfo(
            name=uct.case_type.name,
            kind=uct.case_type.kind,
            active=uct.active,
            description=uct.case_type.description,
            terms_text=uct.terms_text or uct.case_type.terms_text,
        )
        for uct in UnitCaseType.select(UnitCaseType, CaseType)
        .join(CaseType)
        .where(UnitCaseType.unit == unit)
        .order_by(CaseType.kind.desc(), CaseType.position, CaseType.name)
    ]
    return UnitDetails(
        hsa_id=unit.hsa_id,
        name=unit.name,
        care_type=unit.care_type,
        region_name=Region.get_by_id(unit.region_id).name,
        active=unit.active,
        first_activated_at=unit.first_activated_at,
        deactivated_at=unit.deactivated_at,
        other_service=unit.other_service,
        prioritized=unit.prioritized,
        street=unit.street,
        postal_code=unit.postal_code,
        city=unit.city,
        phone=unit.phone,
        email=unit.email,
        info=unit.info,
        case_types=case_types,
        grants=unit_grants(unit),
        weekly_cases=weekly_cases(unit.id),
    )


WEEKS = 52
WEEK = 7 * 24 * 3600


def weekly_cases(unit_id: int, end: int | None = None) -> tuple[int, ...]:
    """Cases received per week over the last WEEKS weeks up to `end` (now), oldest first:
    one grouped count (a week here is 7 × 24 hours back from now)."""
    end = end if end is not None else now_epoch()
    start = end - WEEKS * WEEK
    week = pw.SQL(f"(received_at - {int(start)}) / {WEEK}")
    counts = dict(
        Case.select(week, fn.COUNT(pw.SQL("*")))
        .where((Case.unit == unit_id) & (Case.received_at >= start) & (Case.received_at < end))
        .group_by(pw.SQL("1"))
        .tuples()
    )
    return tuple(int(counts.get(i, 0)) for i in range(WEEKS))


def unit_grants(unit: Unit) -> list[GrantInfo]:
    by_person: dict[str, tuple[str, list[str]]] = {}
    query = (
        Grant.select(Grant.role, HsaPerson.personnummer, *StaffAccount.public(), HsaPerson)
        .join(StaffAccount, on=(Grant.account == StaffAccount.id))
        .join(HsaPerson)
        .where(Grant.unit == unit)
    )
    for grant in query:
        account = grant.account
        pnr = account.person.personnummer
        by_person.setdefault(pnr, (account.display_name, []))[1].append(grant.role)
    order = {"ADMIN": 0, "GRANSKARE": 1, "ARENDEMOTTAGARE": 2, "VARDGIVARE": 3}
    return sorted(
        (
            GrantInfo(
                personnummer=pnr,
                name=name,
                roles=tuple(sorted(roles, key=lambda r: order.get(r, 9))),
            )
            for pnr, (name, roles) in by_person.items()
        ),
        key=lambda g: swedish_key(g.name),
    )


def care_types(op: Operator) -> list[str]:
    """The care types (vårdtyper) found among the region's directory entries and units."""
    region = authorize(op)
    names = {
        r.care_type
        for r in HsaUnit.select(HsaUnit.care_type).where(HsaUnit.region == region).distinct()
    }
    names |= {
        r.care_type for r in Unit.select(Unit.care_type).where(Unit.region == region).distinct()
    }
    return sorted((n for n in names if n), key=swedish_key)


def unit_choices(op: Operator) -> list[tuple[str, str]]:
    """(hsa_id, name) of every unit in the region, for report pickers, in Swedish order."""
    region = authorize(op)
    rows = Unit.select(Unit.hsa_id, Unit.name).where(Unit.region == region).tuples()
    return sorted(rows, key=lambda r: (swedish_key(r[1]), r[0]))
