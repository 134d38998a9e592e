"""Ärendetyper per mottagning: per unit, the state of each standard type and counts of the
unit's own and integration types."""

from __future__ import annotations

import peewee as pw
from peewee import fn

from models.entities import (
    KIND_INTEGRATION,
    KIND_OWN,
    KIND_STANDARD,
    CaseType,
    Unit,
    UnitCaseType,
)
from models.operators import Operator
from models.text import clean

from . import common
from .base import Column, ReportParams, ReportResult

SLUG = "arendetyper-per-mottagning"
TITLE = "Ärendetyper per mottagning"
ORDER = 9
PARAMETERS = ("care_type", "only_active")
FORMATS = ("xlsx", "csv")  # the manual offers only "Skapa Excel"
SHOW_ON_SCREEN = True  # Visa: read on screen where the user is
LANDSCAPE = True
ACTIVE, INACTIVE = "Aktiv", "Inaktiv"
HELP = """\
Visar aktiva ärendetyper per mottagning i din region.

Mottagning: namn på mottagningen.
HSA-id: mottagningens HSA-id.
Ärendetyper (12 st): en kolumn för varje ärendetyp i den centrala banken, som anger om \
ärendetypen är aktiv eller inaktiv på mottagningen. Tom ruta: mottagningen har inte \
ärendetypen.
Egna ärendetyper: antal registrerade egna ärendetyper (aktiva och inaktiva).
Integrationsärendetyper: antal registrerade integrationsärendetyper (aktiva och \
inaktiva).

Välj vårdtyp samt om du vill se alla mottagningar eller endast de mottagningar som är \
aktiva. Raderna sorteras på mottagningens namn; Totalt-raden summerar de två sista \
kolumnerna."""

_STATE = {2: ACTIVE, 1: INACTIVE}


def _standard_types() -> list[tuple[int, str]]:
    return list(
        CaseType.select(CaseType.id, CaseType.name)
        .where(CaseType.kind == KIND_STANDARD)
        .order_by(CaseType.position, CaseType.id)
        .tuples()
    )


def _columns(standard: list[tuple[int, str]]) -> list[Column]:
    return [
        Column("Mottagning", "text", width=26),
        Column("HSA-id", "text", width=22),
        *(Column(clean(name), "text", width=8) for _id, name in standard),
        Column("Egna ärendetyper", "int", total=True, width=8),
        Column("Integrationsärendetyper", "int", total=True, width=8),
    ]


def _state(type_id: int) -> pw.Node:
    """2 = registered and active, 1 = registered and inactive, NULL = not registered."""
    registered = UnitCaseType.case_type == type_id
    return fn.MAX(
        pw.Case(
            None,
            (
                (registered & (UnitCaseType.active == True), pw.SQL("2")),  # noqa: E712
                (registered, pw.SQL("1")),
            ),
            None,
        )
    )


def run(op: Operator, params: ReportParams) -> ReportResult:
    ctx = common.prepare(op, __name__, params)
    standard = _standard_types()
    where = Unit.region == ctx.region
    if ctx.params.care_type:
        where &= Unit.care_type == ctx.params.care_type
    if ctx.params.only_active:
        where &= Unit.active == True  # noqa: E712
    # One row per unit: the pivot of the 12 standard types happens in SQL.
    query = (
        Unit.select(
            Unit.name,
            Unit.hsa_id,
            *(_state(i) for i, _ in standard),
            common.count_if(CaseType.kind == KIND_OWN),
            common.count_if(CaseType.kind == KIND_INTEGRATION),
        )
        .join(UnitCaseType, pw.JOIN.LEFT_OUTER, on=(UnitCaseType.unit == Unit.id))
        .join(CaseType, pw.JOIN.LEFT_OUTER, on=(UnitCaseType.case_type == CaseType.id))
        .where(where)
        .group_by(Unit.id, Unit.name, Unit.hsa_id)
        .tuples()
    )
    rows = common.sort_units(
        [
            (
                clean(name),
                clean(hsa_id),
                *(_STATE.get(s, "") for s in states[:-2]),
                int(states[-2]),
                int(states[-1]),
            )
            for name, hsa_id, *states in query
        ]
    )
    return ctx.result(_columns(standard), rows)
