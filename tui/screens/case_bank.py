"""Central bank för ärendetyper > Visa: the case types; Enter opens one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from models.catalog import KIND_NAMES, CaseTypeRow, list_case_types
from tui.screens.base import PageScreen
from tui.widgets.cells import cell

COLUMN_WIDTHS = {"name": 40, "kind": 12, "units": 12}


class CaseBankScreen(PageScreen):
    TITLE = "Central bank för ärendetyper"
    HELP = """
Här ser du vilka ärendetyper som finns i banken och som mottagningar kan
använda som mall för egen ärendetyp: först de tolv standardtyperna, sedan
egna ärendetyper och integrationsärendetyper. Enter (i webben: dubbelklick)
visar beskrivningen, förhandsgranskar formuläret och visar villkorstexten.
Escape går tillbaka.
"""

    CSS = """
    CaseBankScreen #bank-intro { height: 1; }
    CaseBankScreen #bank { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[str, CaseTypeRow] = {}

    def compose_body(self) -> ComposeResult:
        yield Static(
            "Ärendetyperna i banken. Enter visar en ärendetyp.", id="bank-intro", markup=False
        )
        table: DataTable = DataTable(id="bank", cursor_type="row", zebra_stripes=False)
        # Fixed widths: they fit 80 columns and do not jump when the rows arrive.
        for label, key in (("Ärendetyp", "name"), ("Typ", "kind"), ("Mottagningar", "units")):
            table.add_column(label, key=key, width=COLUMN_WIDTHS[key])
        yield table

    def on_mount(self) -> None:
        self.query_one("#bank", DataTable).focus()
        self.call_service(list_case_types, self.app.operator, done=self._show)

    def _show(self, rows: list[CaseTypeRow]) -> None:
        table = self.query_one("#bank", DataTable)
        table.clear()
        self._rows = {}
        for row in rows:
            key = str(row.id)
            self._rows[key] = row
            table.add_row(
                cell(row.name, COLUMN_WIDTHS["name"]),
                cell(KIND_NAMES.get(row.kind, row.kind), COLUMN_WIDTHS["kind"]),
                Text(str(row.units), justify="right"),
                key=key,
            )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = self._rows.get(str(event.row_key.value))
        if row is None:
            return
        from tui.screens.case_type import CaseTypeScreen

        self.app.push_screen(CaseTypeScreen(row.id, row.name))
