"""Avvikelser mot HSA: where the region's connected units and the HSA catalogue disagree.

HSA is the source of truth for units. After each hsa-units import the program knows:
- units active in 1177 whose entry is gone from HSA (the import of their region no longer
  listed them, or there never was one);
- units active in 1177 that HSA changed since their activation: HSA's own name (the 1177
  name may differ on purpose, so both are shown and only HSA's change is flagged), care
  type and address, compared with what was taken from HSA at activation;
- HSA units of the region never activated.
"""

from __future__ import annotations

from dataclasses import dataclass

from .entities import HsaUnit, Unit
from .operators import Operator, authorize
from .text import swedish_key

GONE = "Borttagen ur HSA"
CHANGED = "Ändrad i HSA"
NEVER = "Aldrig aktiverad"
KINDS = (GONE, CHANGED, NEVER)

_COMPARED = (
    ("care_type", "vårdtyp"),
    ("street", "gatuadress"),
    ("postal_code", "postnummer"),
    ("city", "ort"),
)


@dataclass(frozen=True)
class Drift:
    kind: str  # GONE, CHANGED or NEVER
    hsa_id: str
    name_1177: str  # "" for a unit never activated
    name_hsa: str  # "" for a unit gone from HSA
    changes: tuple[str, ...]  # Swedish: "namn: A → B", "ort: X → Y"
    active: bool  # the 1177 unit is active (GONE, CHANGED) — NEVER: False

    @property
    def what(self) -> str:
        return "; ".join(self.changes)


def _changes(unit: Unit, entry: HsaUnit) -> tuple[str, ...]:
    out = []
    if unit.hsa_name and entry.name != unit.hsa_name:
        out.append(f"namn i HSA: {unit.hsa_name} → {entry.name}")
    for field, label in _COMPARED:
        was, now = getattr(unit, field) or "", getattr(entry, field) or ""
        if was != now:
            out.append(f"{label}: {was or '–'} → {now or '–'}")
    return tuple(out)


def hsa_drift(op: Operator) -> list[Drift]:
    """The region's deviations, gone first, then changed, then never activated; each by
    name in Swedish order."""
    region = authorize(op)
    units = {u.hsa_id: u for u in Unit.select().where(Unit.region == region)}
    where = HsaUnit.region == region
    if units:  # also the entries HSA has moved out of the region
        where |= HsaUnit.hsa_id.in_(list(units))
    entries = {e.hsa_id: e for e in HsaUnit.select().where(where)}
    found: list[Drift] = []
    for hsa_id, unit in units.items():
        if not unit.active:
            continue
        entry = entries.get(hsa_id)
        if entry is None or entry.missing_since is not None:
            found.append(Drift(GONE, hsa_id, unit.name, "", ("saknas i HSA",), True))
            continue
        changes = _changes(unit, entry)
        if changes:
            found.append(Drift(CHANGED, hsa_id, unit.name, entry.name, changes, True))
    for hsa_id, entry in entries.items():
        if entry.region_id == region and hsa_id not in units and entry.missing_since is None:
            found.append(Drift(NEVER, hsa_id, "", entry.name, (), False))
    found.sort(
        key=lambda d: (KINDS.index(d.kind), swedish_key(d.name_1177 or d.name_hsa), d.hsa_id)
    )
    return found
