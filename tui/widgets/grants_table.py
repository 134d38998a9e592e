"""The unit's grants as a table (Namn, Personnummer, Behörigheter): one layout for the
unit's details and for Tilldela behörigheter."""

from __future__ import annotations

from collections.abc import Iterable

from textual.widgets import DataTable

from models import validation
from models.entities import ROLE_NAMES
from models.text import clean
from models.units import GrantInfo
from tui.widgets.cells import cell, cursor_kept
from tui.widgets.unit_pager import fit_columns

# (key, header, width before the rows come). With the rows, every column is as wide as
# its longest value when they fit the table (a name is cut only when 80 columns cannot
# hold it); else Behörigheter and then the name give way (CUTS).
GRANT_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("name", "Namn", 30),
    ("pnr", "Personnummer", 13),
    ("roles", "Behörigheter", 26),
)
CUTS = (("roles", 26), ("name", 24), ("roles", 14), ("name", 12), ("roles", 12), ("name", 10))
NO_ROW = "-"  # the key of the "(ingen ännu)" line


def roles_text(roles: Iterable[str]) -> str:
    return ", ".join(ROLE_NAMES.get(r, r) for r in roles)


def add_grant_columns(table: DataTable) -> None:
    for key, label, width in GRANT_COLUMNS:
        table.add_column(label, width=width, key=key)


def fill_grants(
    table: DataTable,
    grants: Iterable[GrantInfo],
    *,
    select: str | None = None,
    width: int | None = None,
) -> None:
    """One row per person (keyed by personnummer). The cursor goes to `select` (the person
    just given a role) when given, else it stays on the same person. `width`: the table's
    width when it is known before the layout (a resize); else its present one."""
    rows = [
        (
            grant.personnummer,
            {
                "name": clean(grant.name),
                "pnr": validation.format_personnummer(grant.personnummer),
                "roles": clean(roles_text(grant.roles)),
            },
        )
        for grant in grants
    ]
    needs = {
        key: max([len(label), *(len(texts[key]) for _, texts in rows)])
        for key, label, _ in GRANT_COLUMNS
    }
    available = (width or table.size.width or 78) - 2 * len(GRANT_COLUMNS)
    if len(rows) > max(table.size.height - 1, 0):
        available -= table.styles.scrollbar_size_vertical  # the list scrolls
    widths = fit_columns(available, needs, CUTS, fill="name")
    with cursor_kept(table, select):
        table.clear(columns=True)
        for key, label, _ in GRANT_COLUMNS:
            table.add_column(label, width=widths[key], key=key)
        for key, texts in rows:
            table.add_row(*(cell(texts[k], widths[k]) for k, _, _ in GRANT_COLUMNS), key=key)
        if not table.row_count:
            table.add_row(cell("(ingen ännu)"), cell(""), cell(""), key=NO_ROW)
