"""Behörigheter > Lista admin: the region's landstingsadministratörer, read-only."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from models.grants import AdminRow, list_region_admins
from models.text import clean
from tui.screens.base import PageScreen
from tui.widgets.cells import cell, count_text
from tui.widgets.unit_pager import fit_columns

COLUMNS = (("name", "Namn"), ("pnr", "Personnummer"), ("method", "Inloggningssätt"))
# Before the rows come: widths that fit 80 columns (the name takes what is left after).
COLUMN_WIDTHS = {"name": 34, "pnr": 13, "method": 22}
CUTS = (("method", 15), ("name", 20), ("method", 10), ("name", 10))


class AdminsScreen(PageScreen):
    TITLE = "Lista admin"
    HELP = """
Här visas de personer som har behörighet som landstingsadministratör i din
region, i bokstavsordning efter efternamn, med namn, personnummer och
inloggningssätt. Listan går bara att läsa: endast systemansvarig ger
behörigheten Landstingsadministratör (kontakta supporten). Pil upp/ned
flyttar i listan, Escape går tillbaka.
"""

    CSS = """
    AdminsScreen #admins-intro { height: 1; }
    AdminsScreen #admins { height: 1fr; }
    """

    def compose_body(self) -> ComposeResult:
        yield Static("", id="admins-intro", markup=False)
        table: DataTable = DataTable(id="admins", cursor_type="row", zebra_stripes=False)
        # Fixed widths: they fit 80 columns and do not jump when the rows arrive.
        for key, label in COLUMNS:
            table.add_column(label, key=key, width=COLUMN_WIDTHS[key])
        yield table

    def on_mount(self) -> None:
        self.query_one("#admins", DataTable).focus()
        self.call_service(list_region_admins, self.app.operator, done=self._show)

    def _show(self, rows: list[AdminRow]) -> None:
        table = self.query_one("#admins", DataTable)
        texts = [
            {
                "name": clean(row.sort_name or row.name),
                "pnr": clean(row.personnummer),
                "method": clean(row.login_method),
            }
            for row in rows
        ]
        # Every column as wide as its longest value when they fit: a name is cut only
        # when the 80 columns cannot hold it.
        needs = {key: max([len(label), *(len(t[key]) for t in texts)]) for key, label in COLUMNS}
        widths = fit_columns((table.size.width or 78) - 2 * len(COLUMNS), needs, CUTS, fill="name")
        table.clear(columns=True)
        for key, label in COLUMNS:
            table.add_column(label, key=key, width=widths[key])
        for text in texts:
            table.add_row(*(cell(text[key], widths[key]) for key, _ in COLUMNS))
        region = self.app.operator.region_name
        if not rows:
            intro = f"Det finns inga landstingsadministratörer i {region}."
        else:
            count = "1 person" if len(rows) == 1 else f"{count_text(len(rows))} personer"
            intro = f"Landstingsadministratörer i {region}: {count}."
        self.query_one("#admins-intro", Static).update(clean(intro))
