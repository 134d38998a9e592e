"""Central bank för ärendetyper: read-only list and details."""

from __future__ import annotations

import json
from dataclasses import dataclass

from peewee import fn

from .entities import (
    KIND_INTEGRATION,
    KIND_OWN,
    KIND_STANDARD,
    CaseType,
    Unit,
    UnitCaseType,
)
from .errors import NotFound
from .operators import Operator, authorize
from .text import swedish_key

KIND_NAMES = {KIND_STANDARD: "Standard", KIND_OWN: "Egen", KIND_INTEGRATION: "Integration"}
_KIND_ORDER = {KIND_STANDARD: 0, KIND_OWN: 1, KIND_INTEGRATION: 2}


@dataclass(frozen=True)
class CaseTypeRow:
    id: int
    name: str
    kind: str
    units: int
    position: int = 0  # the bank order of a standard type


@dataclass(frozen=True)
class CaseTypeDetails:
    id: int
    name: str
    kind: str
    description: str
    questions: list[str]
    terms_text: str


def list_case_types(op: Operator) -> list[CaseTypeRow]:
    """The bank as the operator's region sees it: the 12 standard types first (the bank is
    national), then the own and integration types in use on a unit of the region.

    `units` counts the region's units that have the type (active or not); other regions'
    units are neither counted nor a reason to list their own types.
    """
    region = authorize(op)
    used = dict(
        UnitCaseType.select(UnitCaseType.case_type, fn.COUNT(UnitCaseType.id))
        .join(Unit, on=(UnitCaseType.unit == Unit.id))
        .where(Unit.region == region)
        .group_by(UnitCaseType.case_type)
        .tuples()
    )
    query = CaseType.select().where((CaseType.kind == KIND_STANDARD) | CaseType.id.in_(list(used)))
    rows = [
        CaseTypeRow(
            id=ct.id, name=ct.name, kind=ct.kind, units=used.get(ct.id, 0), position=ct.position
        )
        for ct in query
    ]
    rows.sort(key=lambda r: bank_order(r.kind, r.position, r.name, r.id))
    return rows


def bank_order(kind: str, position: int, name: str, ident: int) -> tuple[int, int, str, int]:
    """Sort key: standard types in the bank's own order, then own, then integration types,
    each A–Ö by name. Used by the bank page and by every per-case-type report."""
    if kind == KIND_STANDARD:
        return (0, position, "", ident)
    return (_KIND_ORDER.get(kind, 9), 0, swedish_key(name), ident)


def case_type_details(op: Operator, case_type_id: int) -> CaseTypeDetails:
    """One type of the bank: a standard type, or an own/integration type of the region."""
    region = authorize(op)
    ct = CaseType.get_or_none(CaseType.id == case_type_id)
    in_region = ct is not None and (
        ct.kind == KIND_STANDARD
        or UnitCaseType.select()
        .join(Unit, on=(UnitCaseType.unit == Unit.id))
        .where((UnitCaseType.case_type == ct.id) & (Unit.region == region))
        .exists()
    )
    if not in_region:
        raise NotFound("Ärendetypen finns inte i banken.")
    try:
        questions = [str(q) for q in json.loads(ct.questions or "[]")]
    except ValueError:
        questions = []
    return CaseTypeDetails(
        id=ct.id,
        name=ct.name,
        kind=ct.kind,
        description=ct.description,
        questions=questions,
        terms_text=ct.terms_text,
    )
