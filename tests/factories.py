"""Small, explicit test worlds built through the models (services are what the tests test)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from models.entities import (
    ADMIN,
    LANDSTINGSADMIN,
    Grant,
    HsaPerson,
    HsaUnit,
    StaffAccount,
    Unit,
)
from models.operators import Operator, resolve_operator
from models.timeutil import now_epoch
from models.validation import luhn_ok


def make_pnr(birth: str, serial: str) -> str:
    """A valid 12-digit personnummer for birth date YYYYMMDD and a three-digit serial."""
    for check in range(10):
        candidate = f"{birth}{serial}{check}"
        if luhn_ok(candidate[2:]):
            return candidate
    raise AssertionError("unreachable")


def hsa(org: str, suffix: str) -> str:
    return f"SE{org}-{suffix}"


ORG_01 = "2321000016"
ORG_12 = "2321000255"


def person(pnr: str, given: str, surname: str, region: str = "01", **kw) -> HsaPerson:
    return HsaPerson.create(
        personnummer=pnr, given_names=given, surname=surname, region=region, **kw
    )


def account(p: HsaPerson, login: str | None = None, region: str = "01") -> StaffAccount:
    return StaffAccount.create(
        account_id=f"va-{p.personnummer}",
        person=p,
        login_name=login,
        region=region,
        created_at=now_epoch(),
    )


def directory_unit(
    hsa_id: str, name: str, region: str = "01", care_type: str = "Vårdcentral", **kw
) -> HsaUnit:
    return HsaUnit.create(hsa_id=hsa_id, name=name, care_type=care_type, region=region, **kw)


def connected_unit(
    hsa_id: str,
    name: str,
    region: str = "01",
    active: bool = True,
    care_type: str = "Vårdcentral",
    **kw,
) -> Unit:
    # HSA says what the unit was activated with: no deviation (Avvikelser mot HSA).
    contact = {k: v for k, v in kw.items() if k in ("street", "postal_code", "city", "phone")}
    directory_unit(hsa_id, name, region, care_type, **contact)
    unit = Unit(
        hsa_id=hsa_id,
        name=name,
        region=region,
        active=active,
        care_type=care_type,
        first_activated_at=now_epoch(),
        hsa_name=name,
        **kw,
    )
    unit.refresh_search_text()
    unit.save(force_insert=True)
    return unit


@dataclass
class World:
    op: Operator  # landstingsadministratör in 01
    other_op: Operator  # landstingsadministratör in 12
    local_admin: Operator | None  # not resolvable: an ADMIN only
    anna: HsaPerson
    bertil: HsaPerson  # in the directory, no account yet
    cecilia: HsaPerson  # has an account and ADMIN on UNIT_ACTIVE
    free_hsa: str  # in the directory of 01, never activated
    active_hsa: str  # connected, active, in 01
    other_hsa: str  # directory entry of region 12
    other_active_hsa: str  # connected unit of region 12


PNR_ANNA = make_pnr("19700101", "123")
PNR_BERTIL = make_pnr("19800202", "234")
PNR_CECILIA = make_pnr("19900303", "345")
PNR_ORJAN = make_pnr("19650505", "456")


def build_world() -> World:
    anna = person(
        PNR_ANNA,
        "Anna Maria",
        "Andersson",
        title="Systemförvaltare",
        email="anna.andersson@regionstockholm.se",
    )
    acc = account(anna, "anna")
    Grant.create(account=acc, region="01", role=LANDSTINGSADMIN, granted_at=now_epoch())
    orjan = person(PNR_ORJAN, "Örjan", "Öberg", region="12")
    acc2 = account(orjan, "orjan", region="12")
    Grant.create(account=acc2, region="12", role=LANDSTINGSADMIN, granted_at=now_epoch())
    bertil = person(PNR_BERTIL, "Bertil", "Berg", title="Läkare")
    cecilia = person(PNR_CECILIA, "Cecilia", "Carlsson", title="Sjuksköterska")
    cacc = account(cecilia, "cecilia")

    free_hsa = hsa(ORG_01, "1001")
    directory_unit(
        free_hsa, "Vårdcentralen Källan", street="Storgatan 1", city="Solna", info="Öppet vardagar"
    )
    active_hsa = hsa(ORG_01, "1002")
    unit = connected_unit(active_hsa, "Husläkarmottagningen Ängen", city="Täby")
    Grant.create(account=cacc, unit=unit, role=ADMIN, granted_at=now_epoch())
    other_hsa = hsa(ORG_12, "2001")
    directory_unit(other_hsa, "Vårdcentralen Lund", region="12")
    other_active_hsa = hsa(ORG_12, "2002")
    connected_unit(other_active_hsa, "Vårdcentralen Malmö", region="12")
    return World(
        op=resolve_operator("anna"),
        other_op=resolve_operator("orjan"),
        local_admin=None,
        anna=anna,
        bertil=bertil,
        cecilia=cecilia,
        free_hsa=free_hsa,
        active_hsa=active_hsa,
        other_hsa=other_hsa,
        other_active_hsa=other_active_hsa,
    )


def case_indexes() -> list[str]:
    """The case table's index names (a load into an empty table drops and rebuilds them)."""
    from models.db import database, is_postgres

    if is_postgres():
        sql = (
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = 'case' ORDER BY indexname"
        )
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'case' ORDER BY name"
    return [name for (name,) in database.execute_sql(sql).fetchall()]


def table_shape(execute: Callable[..., Any], table: str) -> tuple[list, list]:
    """PostgreSQL: (constraints, indexes) of `table` as the catalogue defines them, read
    through `execute` (the program's database.execute_sql or a psycopg connection's)."""
    constraints = execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass ORDER BY conname",
        (f'"{table}"',),
    ).fetchall()
    indexes = execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND tablename = %s ORDER BY indexname",
        (table,),
    ).fetchall()
    return constraints, indexes
