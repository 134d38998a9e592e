"""Onboarding a region from a file: many activations or grants, all or nothing.

Every row goes through the very service a single activation or grant uses (the same
checks, the same audit event per change), inside one transaction: the first bad row
names its line and field and nothing is written. A dry run does all of it and then rolls
back, so what it prints is exactly what a real run would do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import grants, units
from .db import transaction
from .errors import DomainError, ImportRowError
from .operators import Operator, authorize
from .transfer import Source, csv_records

UNIT_COLUMNS = ("hsa_id", "name", "other_service")
GRANT_COLUMNS = ("hsa_id", "personnummer", "role")
ROLE_WORDS = {
    "admin": ("ADMIN",),
    "administratör": ("ADMIN",),
    "admin+granskare": ("ADMIN", "GRANSKARE"),
    "administratör+granskare": ("ADMIN", "GRANSKARE"),
    "granskare": ("GRANSKARE",),
}
TRUE, FALSE = ("true", "ja", "1"), ("false", "nej", "0", "")

ProgressFn = Callable[[int], None]


@dataclass(frozen=True)
class Change:
    line: int
    what: str  # one Swedish line: "Aktiverad: SE…-1 BVC Tallen"


@dataclass(frozen=True)
class OnboardingResult:
    changes: list[Change]
    dry_run: bool


class _DryRun(Exception):
    """Raised at the end of a dry run: the transaction rolls back everything."""


def _field(error: DomainError, default: str, columns: tuple[str, ...]) -> str:
    field = getattr(error, "field", None) or default
    aliases = {
        "role": "role",
        "name": "name",
        "personnummer": "personnummer",
        "pnr": "personnummer",
        "hsa_id": "hsa_id",
    }
    field = aliases.get(field, default)
    return field if field in columns else default


def _flag(value: str, line: int, column: str) -> bool:
    text = value.strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ImportRowError(line, column, f"Ska vara true eller false (var \u201d{value}\u201d).")


def _run(
    op: Operator,
    source: Source,
    kind: str,
    columns: tuple[str, ...],
    one: Callable[[int, dict[str, str]], str],
    dry_run: bool,
    progress: ProgressFn | None,
) -> OnboardingResult:
    changes: list[Change] = []
    try:
        with transaction():
            authorize(op)
            with csv_records(source, kind, columns) as records:
                for line, rec in records:
                    try:
                        changes.append(Change(line, one(line, rec)))
                    except ImportRowError:
                        raise
                    except DomainError as error:
                        raise ImportRowError(
                            line, _field(error, columns[0], columns), str(error)
                        ) from None
                    if progress:
                        progress(len(changes))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return OnboardingResult(changes=changes, dry_run=dry_run)


def activate_from_file(
    op: Operator, source: Source, *, dry_run: bool = False, progress: ProgressFn | None = None
) -> OnboardingResult:
    """`unit activate --from-file`: hsa_id, name (empty: HSA's), other_service."""

    def one(line: int, rec: dict[str, str]) -> str:
        entry = units.lookup_for_activation(op, rec["hsa_id"])
        row = units.activate_unit(
            op,
            rec["hsa_id"],
            new_name=rec["name"] or None,
            other_service=_flag(rec["other_service"], line, "other_service"),
        )
        verb = "Återaktiverad" if entry.reactivation else "Aktiverad"
        return f"{verb}: {row.hsa_id} {row.name}"

    return _run(op, source, "aktiveringar", UNIT_COLUMNS, one, dry_run, progress)


def grant_from_file(
    op: Operator, source: Source, *, dry_run: bool = False, progress: ProgressFn | None = None
) -> OnboardingResult:
    """`grant add --from-file`: hsa_id, personnummer, role (admin, granskare or
    admin+granskare)."""

    def one(line: int, rec: dict[str, str]) -> str:
        roles = ROLE_WORDS.get(rec["role"].strip().lower().replace(" ", ""))
        if roles is None:
            raise ImportRowError(
                line,
                "role",
                f"Ska vara admin, granskare eller admin+granskare (var \u201d{rec['role']}\u201d).",
            )
        info = grants.grant_roles(op, rec["hsa_id"], rec["personnummer"], roles)
        names = " + ".join({"ADMIN": "Administratör", "GRANSKARE": "Granskare"}[r] for r in roles)
        return f"Tilldelad: {names} till {info.name} på {rec['hsa_id'].strip().upper()}"

    return _run(op, source, "behörigheter", GRANT_COLUMNS, one, dry_run, progress)
