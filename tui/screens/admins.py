"""Behörigheter > Lista admin: the region's landstingsadministratörer, read-only."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from models.grants import AdminRow, list_region_admins
from models.text import clean
from tui.screens.base import PageScreen
from tui.widgets.cells import cell

COLUMN_WIDTHS = {"name": 34, "pnr": 13, "method": 22}


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
        for label, key in (("Namn", "name"), ("Personnummer", "pnr"),
                           ("Inloggningssätt", "method")):
            table.add_column(label, key=key, width=COLUMN_WIDTHS[key])
        yield table

    def on_mount(self) -> None:
        self.query_one("#admins", DataTable).focus()
        self.call_service(list_region_admins, self.app.operator, done=self._show)

    def _show(self, rows: list[AdminRow]) -> None:
        table = self.query_one("#admins", DataTable)
        table.clear()
        for row in rows:
            table.add_row(cell(row.sort_name or row.name, COLUMN_WIDTHS["name"]),
                          cell(row.personnummer, COLUMN_WIDTHS["pnr"]),
                          cell(row.login_method, COLUMN_WIDTHS["method"]))
        region = self.app.operator.region_name
        count = "1 person" if len(rows) == 1 else f"{len(rows)} personer"
        self.query_one("#admins-intro", Static).update(
            clean(f"Landstingsadministratörer i {region}: {count}."))
