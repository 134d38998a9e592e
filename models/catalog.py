"""Central bank för ärendetyper: read-only list and details."""

from __future__ import annotations

import json
from dataclasses import dataclass

from .entities import KIND_INTEGRATION, KIND_OWN, KIND_STANDARD, CaseType, UnitCaseType
from .errors import NotFound
from .operators import Operator, authorize

KIND_NAMES = {KIND_STANDARD: "Standard", KIND_OWN: "Egen", KIND_INTEGRATION: "Integration"}
_KIND_ORDER = {KIND_STANDARD: 0, KIND_OWN: 1, KIND_INTEGRATION: 2}


@dataclass(frozen=True)
class CaseTypeRow:
    id: int
    name: str
    kind: str
    units: int


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
    rows = [CaseTypeRow(id=ct.id, name=ct.name, kind=ct.kind, units=used.get(ct.id, 0))
            for ct in CaseType.select()]
    rows.sort(key=lambda r: (_KIND_ORDER.get(r.kind, 9), r.kind != KIND_STANDARD and r.name,
                             r.id))
    return rows


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
