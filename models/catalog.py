"""Central bank för ärendetyper: read-only list and details."""

from __future__ import annotations

import json
from dataclasses import dataclass

from .entities import KIND_INTEGRATION, KIND_OWN, KIND_STANDARD, CaseType, UnitCaseType
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
    """The bank: the 12 standard types first, then own and integration types in use."""
    authorize(op)
    from peewee import fn

    used = dict(UnitCaseType.select(UnitCaseType.case_type, fn.COUNT(UnitCaseType.id))
                .group_by(UnitCaseType.case_type).tuples())
    rows = [CaseTypeRow(id=ct.id, name=ct.name, kind=ct.kind, units=used.get(ct.id, 0),
                        position=ct.position)
            for ct in CaseType.select()]
    rows.sort(key=_bank_order)
    return rows


def _bank_order(row: CaseTypeRow) -> tuple[int, int, str, int]:
    """Standard types in the bank's own order, then own and integration types A–Ö."""
    if row.kind == KIND_STANDARD:
        return (0, row.position, "", row.id)
    return (_KIND_ORDER.get(row.kind, 9), 0, swedish_key(row.name), row.id)


def case_type_details(op: Operator, case_type_id: int) -> CaseTypeDetails:
    authorize(op)
    ct = CaseType.get_or_none(CaseType.id == case_type_id)
    if ct is None:
        raise NotFound("Ärendetypen finns inte i banken.")
    try:
        questions = [str(q) for q in json.loads(ct.questions or "[]")]
    except ValueError:
        questions = []
    return CaseTypeDetails(id=ct.id, name=ct.name, kind=ct.kind, description=ct.description,
                           questions=questions, terms_text=ct.terms_text)
