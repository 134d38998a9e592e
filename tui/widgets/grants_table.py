"""The unit's grants as a table (Namn, Personnummer, Behörigheter): one layout for the
unit's details and for Tilldela behörigheter."""

from __future__ import annotations

from collections.abc import Iterable

from textual.widgets import DataTable

from models import validation
from models.entities import ROLE_NAMES
from models.units import GrantInfo
from tui.widgets.cells import cell, cursor_kept

GRANT_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("name", "Namn", 30),
    ("pnr", "Personnummer", 13),
    ("roles", "Behörigheter", 26),
)
NO_ROW = "-"  # the key of the "(ingen ännu)" line


def roles_text(roles: Iterable[str]) -> str:
    return ", ".join(ROLE_NAMES.get(r, r) for r in roles)


def add_grant_columns(table: DataTable) -> None:
    for key, label, width in GRANT_COLUMNS:
        table.add_column(label, width=width, key=key)


def fill_grants(table: DataTable, grants: Iterable[GrantInfo], *,
                select: str | None = None) -> None:
    """One row per person (keyed by personnummer). The cursor goes to `select` (the person
    just given a role) when given, else it stays on the same person."""
    widths = {key: width for key, _, width in GRANT_COLUMNS}
    with cursor_kept(table, select):
        table.clear()
        for grant in grants:
            table.add_row(cell(grant.name, widths["name"]),
                          cell(validation.format_personnummer(grant.personnummer)),
                          cell(roles_text(grant.roles), widths["roles"]),
                          key=grant.personnummer)
        if not table.row_count:
            table.add_row(cell("(ingen ännu)"), cell(""), cell(""), key=NO_ROW)
