"""Behörigheter: Tilldela/ta bort Administratör and Granskare, Lista admin."""

from __future__ import annotations

from dataclasses import dataclass

from . import audit, validation
from .db import is_postgres, transaction
from .entities import (
    ADMIN,
    GRANSKARE,
    LANDSTINGSADMIN,
    ROLE_NAMES,
    Grant,
    HsaPerson,
    StaffAccount,
)
from .errors import Conflict, NotFound, PermissionDenied, ValidationError
from .operators import Operator, authorize, new_account_id
from .text import swedish_key
from .timeutil import now_epoch
from .units import get_own_unit

GRANTABLE = (ADMIN, GRANSKARE)


@dataclass(frozen=True)
class PersonInfo:
    """Hämta: the person from the HSA directory and whether an account exists."""

    personnummer: str
    name: str
    title: str
    email: str
    has_account: bool
    roles_on_unit: tuple[str, ...] = ()


@dataclass(frozen=True)
class AdminRow:
    name: str
    personnummer: str
    login_method: str
    sort_name: str = ""  # "Efternamn, Förnamn": the name as the list is ordered


def _person(pnr: str) -> HsaPerson:
    person = HsaPerson.get_or_none(HsaPerson.personnummer == pnr)
    if person is None:
        raise NotFound(
            f"Personnumret {validation.format_personnummer(pnr)} finns inte i "
            "personalkatalogen (HSA)."
        )
    return person


def _account_of(person: HsaPerson) -> StaffAccount | None:
    """The person's account. On PostgreSQL an administrator sees only the accounts of the
    own region (and those with roles there); one of another region is found by id only,
    through a definer function, so its settings stay unreadable."""
    account = (
        StaffAccount.select(*StaffAccount.public()).where(StaffAccount.person == person).first()
    )
    if account is None and is_postgres():
        from .pgsecurity import account_of

        ident = account_of(person.id)
        if ident is not None:
            return StaffAccount(id=ident, person=person)
    return account


def find_person(op: Operator, personnummer: str, hsa_id: str | None = None) -> PersonInfo:
    """Hämta: look a person up by personnummer; with a unit, also their roles there."""
    pnr = validation.personnummer(personnummer)
    region = authorize(op)
    person = _person(pnr)
    account = _account_of(person)
    roles: tuple[str, ...] = ()
    if hsa_id and account is not None:
        unit = get_own_unit(region, hsa_id)
        roles = tuple(
            g.role
            for g in Grant.select(Grant.role).where(
                (Grant.unit == unit) & (Grant.account == account)
            )
        )
    return PersonInfo(
        personnummer=pnr,
        name=person.full_name,
        title=person.title,
        email=person.email,
        has_account=account is not None,
        roles_on_unit=roles,
    )


def _check_roles(roles: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(r.upper() for r in roles))
    if not wanted:
        raise ValidationError("Välj Administratör eller Administratör + Granskare.", "role")
    for role in wanted:
        if role not in GRANTABLE:
            raise PermissionDenied(
                "Som landstingsadministratör kan du bara dela ut rollerna Administratör och "
                "Granskare på en mottagning."
            )
    return wanted


def grant_roles(
    op: Operator, hsa_id: str, personnummer: str, roles: tuple[str, ...] | list[str] = (ADMIN,)
) -> PersonInfo:
    """Tilldela: give a person Administratör (and optionally Granskare) on an active unit.

    Creates the person's vårdaktörskonto from the HSA directory when it is missing.
    """
    pnr = validation.personnummer(personnummer)
    wanted = _check_roles(roles)
    with transaction():
        region = authorize(op)
        unit = get_own_unit(region, hsa_id, lock=True)
        if not unit.active:
            raise Conflict(
                f"Mottagningen {unit.hsa_id} är inaktiv; behörigheter kan bara "
                "delas ut på aktiva mottagningar."
            )
        person = _person(pnr)
        account = _account_of(person)
        if account is None:
            # The account belongs to the region that created it (whatever the directory
            # says of the person): the region that may see it and count it.
            account = StaffAccount.create(
                account_id=new_account_id(), person=person, region=region, created_at=now_epoch()
            )
            audit.record(
                actor_id=op.account_id,
                actor_name=op.name,
                region_code=region,
                action="account.create",
                target=pnr,
                after={"account_id": account.account_id},
            )
        held = {
            g.role
            for g in Grant.select(Grant.role).where(
                (Grant.unit == unit) & (Grant.account == account)
            )
        }
        if GRANSKARE in wanted and ADMIN not in held and ADMIN not in wanted:
            raise ValidationError(
                "Granskare kan bara tilldelas tillsammans med Administratör.", "role"
            )
        new = [r for r in wanted if r not in held]
        if not new:
            names = " + ".join(ROLE_NAMES[r] for r in wanted)
            raise Conflict(f"{person.full_name} har redan {names} på {unit.name}.")
        for role in new:
            Grant.create(
                account=account,
                unit=unit,
                role=role,
                granted_by=op.account_id,
                granted_at=now_epoch(),
            )
            audit.record(
                actor_id=op.account_id,
                actor_name=op.name,
                region_code=region,
                action="grant.add",
                target=unit.hsa_id,
                before={"personnummer": pnr, "roles": sorted(held)},
                after={"personnummer": pnr, "role": role},
            )
            held.add(role)
    return PersonInfo(
        personnummer=pnr,
        name=person.full_name,
        title=person.title,
        email=person.email,
        has_account=True,
        roles_on_unit=tuple(sorted(held)),
    )


def revoke_role(op: Operator, hsa_id: str, personnummer: str, role: str) -> PersonInfo:
    """Ta bort: remove Administratör (and with it Granskare) or only Granskare."""
    pnr = validation.personnummer(personnummer)
    (role,) = _check_roles([role])
    with transaction():
        region = authorize(op)
        unit = get_own_unit(region, hsa_id, lock=True)
        person = _person(pnr)
        account = _account_of(person)
        held = (
            set()
            if account is None
            else {
                g.role
                for g in Grant.select(Grant.role).where(
                    (Grant.unit == unit) & (Grant.account == account)
                )
            }
        )
        if role not in held:
            raise NotFound(
                f"{person.full_name} har inte behörigheten {ROLE_NAMES[role]} på {unit.name}."
            )
        removing = [role] + ([GRANSKARE] if role == ADMIN and GRANSKARE in held else [])
        if role == ADMIN and not unit.active:
            admins = Grant.select().where((Grant.unit == unit) & (Grant.role == ADMIN)).count()
            if admins <= 1:
                raise Conflict(
                    "En inaktiv mottagning ska behålla minst en administratör så att "
                    "arkiverade ärenden går att nå."
                )
        Grant.delete().where(
            (Grant.unit == unit) & (Grant.account == account) & (Grant.role.in_(removing))
        ).execute()
        for removed in removing:
            audit.record(
                actor_id=op.account_id,
                actor_name=op.name,
                region_code=region,
                action="grant.remove",
                target=unit.hsa_id,
                before={"personnummer": pnr, "role": removed},
                after={"personnummer": pnr, "roles": sorted(held - set(removing))},
            )
    return PersonInfo(
        personnummer=pnr,
        name=person.full_name,
        title=person.title,
        email=person.email,
        has_account=True,
        roles_on_unit=tuple(sorted(held - set(removing))),
    )


def list_region_admins(op: Operator) -> list[AdminRow]:
    """Lista admin: the region's landstingsadministratörer in alphabetical order."""
    region = authorize(op)
    query = (
        StaffAccount.select(*StaffAccount.public(), HsaPerson)
        .join(HsaPerson)
        .switch(StaffAccount)
        .join(Grant, on=(Grant.account == StaffAccount.id))
        .where((Grant.role == LANDSTINGSADMIN) & (Grant.region == region))
        .distinct()
    )
    rows = [
        (a.person.surname, a.display_name, a.person.personnummer, a.login_method, _sort_name(a))
        for a in query
    ]
    rows.sort(key=lambda r: (swedish_key(r[0]), swedish_key(r[1])))
    return [
        AdminRow(
            name=name,
            personnummer=validation.format_personnummer(pnr),
            login_method=method,
            sort_name=sort_name,
        )
        for _, name, pnr, method, sort_name in rows
    ]


def _sort_name(account: StaffAccount) -> str:
    first = account.person.first_name(account.preferred_name)
    return ", ".join(part for part in (account.person.surname, first) if part)
