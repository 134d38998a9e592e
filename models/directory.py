"""The HSA catalogue as Aktivera searches it: nobody remembers a 17-character HSA-id, so a
part of the unit's name (or of its id, or its town) finds it, and the field starts with
the region's own prefix."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import peewee as pw

from . import validation
from .entities import HsaUnit, Region, Unit
from .operators import Operator, authorize
from .text import clean, swedish_key

# What activating the unit would do, from the connected unit (if any).
NEW = "new"  # never connected: Aktivera ny mottagning
INACTIVE = "inactive"  # connected and inactivated: Återaktivera
ACTIVE = "active"  # already active: nothing to activate
STATE_NAMES = {NEW: "ej ansluten", INACTIVE: "inaktiverad", ACTIVE: "redan aktiv"}
_STATE_ORDER = {NEW: 0, INACTIVE: 0, ACTIVE: 1}

# Rows read per search before the exact match in Python (see _like_pattern): enough for
# the hits shown to be the first ones in order, whatever the backend's LIKE lets through.
FETCH = 200
# An HSA-id being typed ("SE", "SE2321"): not yet anything to search for.
_ID_START = re.compile(r"SE(?:16)?[0-9]{0,10}", re.ASCII | re.IGNORECASE)


@dataclass(frozen=True)
class DirectoryHit:
    hsa_id: str
    name: str
    care_type: str
    city: str
    state: str  # NEW, INACTIVE or ACTIVE

    @property
    def state_name(self) -> str:
        return STATE_NAMES[self.state]


@dataclass(frozen=True)
class DirectorySearch:
    term: str
    hits: tuple[DirectoryHit, ...]
    more: bool  # more entries matched than were returned


def hsa_prefix(op: Operator) -> str:
    """The start of the region's own HSA-ids: "SE" + the organisation number + "-"
    (SE2321000016- in Region Stockholm)."""
    return _prefix(authorize(op))


def _prefix(region: str) -> str:
    return f"SE{Region.get_by_id(region).org_number}-"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", clean(text)).casefold()


def _like_pattern(word: str) -> str:
    """`%word%` for a LIKE that ignores case on both backends: SQLite's LIKE folds A–Z
    only, so every other character (å, ä, ö ...) matches any one character here and the
    exact comparison is made in Python."""
    out = []
    for char in word:
        if char in "%_\\":
            out.append("\\" + char)
        elif char.isascii():
            out.append(char)
        else:
            out.append("_")
    return "%" + "".join(out) + "%"


def _matches(column: pw.Field, pattern: str) -> pw.Expression:
    # ILIKE on PostgreSQL, LIKE on SQLite (peewee's mapping); an explicit ESCAPE on both.
    return pw.Expression(
        column,
        pw.OP.ILIKE,
        pw.NodeList(
            (pw.Value(pattern, converter=False), pw.SQL("ESCAPE"), pw.Value("\\", converter=False))
        ),
    )


def search_words(text: str, prefix: str) -> list[str]:
    """The words of the Aktivera field to search for: what follows the region's prefix
    (the field starts with it), nothing while an HSA-id's start is being typed."""
    rest = text.strip()
    if rest.upper().startswith(prefix.upper()):
        rest = rest[len(prefix) :].strip()
    if len(rest) >= 2 and _ID_START.fullmatch(rest):
        return []
    return _fold(rest).split()


def search_directory(op: Operator, text: str, limit: int = 6) -> DirectorySearch:
    """Aktivera: the region's HSA catalogue entries whose name, HSA-id or town holds every
    word typed (any case; see search_words), those that can be activated (never connected,
    or inactive) first, then by name in Swedish order. An HSA-id typed whole comes first."""
    text = validation.search_term(text)
    region = authorize(op)
    words = search_words(text, _prefix(region))
    if not words:
        return DirectorySearch(term=text, hits=(), more=False)
    where = HsaUnit.region == region
    for word in words:
        pattern = _like_pattern(word)
        where &= (
            _matches(HsaUnit.name, pattern)
            | _matches(HsaUnit.hsa_id, pattern)
            | _matches(HsaUnit.city, pattern)
        )
    state_rank = pw.Case(None, [(Unit.id.is_null(), 0), (Unit.active == False, 0)], 1)  # noqa: E712
    query = (
        HsaUnit.select(
            HsaUnit.hsa_id,
            HsaUnit.name,
            HsaUnit.care_type,
            HsaUnit.city,
            Unit.id.alias("unit_id"),
            Unit.active.alias("unit_active"),
        )
        .join(Unit, pw.JOIN.LEFT_OUTER, on=(Unit.hsa_id == HsaUnit.hsa_id))
        .where(where)
        .order_by(state_rank, HsaUnit.name, HsaUnit.hsa_id)
        .limit(FETCH)
        .dicts()
    )
    rows = list(query)
    exact = text.strip().upper()
    found = []
    for row in rows:
        haystack = _fold(f"{row['name']} {row['hsa_id']} {row['city']}")
        if not all(word in haystack for word in words):
            continue
        if row["unit_id"] is None:
            state = NEW
        else:
            state = ACTIVE if row["unit_active"] else INACTIVE
        found.append(
            DirectoryHit(
                hsa_id=row["hsa_id"],
                name=row["name"],
                care_type=row["care_type"],
                city=row["city"],
                state=state,
            )
        )
    found.sort(
        key=lambda h: (
            h.hsa_id.upper() != exact,
            _STATE_ORDER[h.state],
            swedish_key(h.name),
            h.hsa_id,
        )
    )
    return DirectorySearch(
        term=text, hits=tuple(found[:limit]), more=len(found) > limit or len(rows) == FETCH
    )
