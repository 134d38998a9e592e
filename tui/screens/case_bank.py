"""Central bank för ärendetyper > Visa: the case types; Enter opens one."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from models.catalog import KIND_NAMES, CaseTypeRow, list_case_types
from tui.screens.base import PageScreen
from tui.widgets.cells import cell, cursor_kept

COLUMN_WIDTHS = {"name": 40, "kind": 12, "units": 12}
COLUMNS = (("Ärendetyp", "name"), ("Typ", "kind"), ("Mottagningar", "units"))
NAME_FLOOR = 12


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
        self._shown: list[CaseTypeRow] = []

    def compose_body(self) -> ComposeResult:
        yield Static(
            "Ärendetyperna i banken. Enter visar en ärendetyp.", id="bank-intro", markup=False
        )
        table: DataTable = DataTable(id="bank", cursor_type="row", zebra_stripes=False)
        # Widths that do not jump when the rows arrive: at 80 columns the fixed ones, in a
        # narrower terminal the name gives way (see _name_width).
        name_width = self._name_width(self.app.size.width)
        for label, key in COLUMNS:
            width = name_width if key == "name" else COLUMN_WIDTHS[key]
            table.add_column(label, key=key, width=width)
        yield table

    @staticmethod
    def _name_width(screen_width: int) -> int:
        """The name's column: the body (less its padding, the cells' padding and a
        scrollbar) less Typ and Mottagningar, at most its width at 80 columns."""
        room = screen_width - 2 - 2 * len(COLUMNS) - 2
        room -= COLUMN_WIDTHS["kind"] + COLUMN_WIDTHS["units"]
        return max(NAME_FLOOR, min(COLUMN_WIDTHS["name"], room))

    def on_resize(self, event: events.Resize) -> None:
        if self._shown:
            self._show(self._shown, event.size.width)

    def on_mount(self) -> None:
        self.query_one("#bank", DataTable).focus()
        self.call_service(list_case_types, self.app.operator, done=self._show)

    def _show(self, rows: list[CaseTypeRow], screen_width: int | None = None) -> None:
        self._shown = rows
        name_width = self._name_width(screen_width or self.app.size.width)
        table = self.query_one("#bank", DataTable)
        with cursor_kept(table):
            self._fill(table, rows, name_width)

    def _fill(self, table: DataTable, rows: list[CaseTypeRow], name_width: int) -> None:
        table.clear(columns=True)
        for label, key in COLUMNS:
            width = name_width if key == "name" else COLUMN_WIDTHS[key]
            table.add_column(label, key=key, width=width)
        self._rows = {}
        for row in rows:
            key = str(row.id)
            self._rows[key] = row
            table.add_row(
                cell(row.name, name_width),
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
