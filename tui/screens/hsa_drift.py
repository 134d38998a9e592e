"""Vårdmottagningar > Avvikelser mot HSA: where the region's units and HSA disagree.

From the list one key opens the way out: i Inaktivera for a unit gone from or changed in
HSA, a Aktivera for an HSA unit never activated (both with the HSA-id filled in).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from models.hsa_drift import NEVER, Drift, hsa_drift
from models.text import clean
from tui.screens.base import PageScreen
from tui.widgets.cells import cell

WIDTHS = {"kind": 16, "hsa": 18, "name": 22, "what": 40}


class HsaDriftScreen(PageScreen):
    TITLE = "Avvikelser mot HSA"
    HELP = """
HSA-katalogen är källan för mottagningarna. Här visas, efter senaste import av
regionens hela HSA-katalog: aktiva mottagningar som är borttagna ur HSA, aktiva
mottagningar som HSA har ändrat sedan aktiveringen (namn, vårdtyp, adress; namnet i
1177 får skilja sig med avsikt, bara HSA:s egen ändring räknas) och HSA-enheter i
regionen som aldrig har aktiverats. i öppnar Inaktivera för vald mottagning, a
öppnar Aktivera med HSA-id:t ifyllt. Samma lista som fil: rapporten Avvikelser mot HSA.
"""

    BINDINGS = [
        Binding("i", "deactivate", "Inaktivera"),
        Binding("a", "activate", "Aktivera"),
    ]

    CSS = """
    HsaDriftScreen #drift-intro { height: auto; }
    HsaDriftScreen #drift { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Drift] = []

    def compose_body(self) -> ComposeResult:
        yield Static("Hämtar avvikelser …", id="drift-intro", markup=False)
        table: DataTable = DataTable(id="drift", cursor_type="row", zebra_stripes=False)
        for label, key in (
            ("Avvikelse", "kind"),
            ("HSA-id", "hsa"),
            ("Namn", "name"),
            ("Ändring", "what"),
        ):
            table.add_column(label, key=key, width=WIDTHS[key])
        yield table

    def on_mount(self) -> None:
        self.query_one("#drift", DataTable).focus()
        self.call_service(hsa_drift, self.app.operator, done=self._show)

    def _show(self, rows: list[Drift]) -> None:
        self.rows = rows
        table = self.query_one("#drift", DataTable)
        table.clear()
        for index, row in enumerate(rows):
            name = row.name_1177 or row.name_hsa
            table.add_row(
                cell(row.kind, WIDTHS["kind"]),
                cell(row.hsa_id, WIDTHS["hsa"]),
                cell(name, WIDTHS["name"]),
                cell(row.what, WIDTHS["what"]),
                key=str(index),
            )
        count = "1 avvikelse" if len(rows) == 1 else f"{len(rows)} avvikelser"
        self.query_one("#drift-intro", Static).update(
            f"{count} mot HSA-katalogen."
            if rows
            else "Inga avvikelser: regionens mottagningar stämmer med HSA-katalogen."
        )
        self.refresh_bindings()

    def _chosen(self) -> Drift | None:
        table = self.query_one("#drift", DataTable)
        if not self.rows or not table.row_count:
            return None
        return self.rows[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        chosen = self._chosen() if self.is_mounted else None
        if action == "deactivate":
            return chosen is not None and chosen.kind != NEVER
        if action == "activate":
            return chosen is not None and chosen.kind == NEVER
        return super().check_action(action, parameters)

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    def action_deactivate(self) -> None:
        chosen = self._chosen()
        if chosen is None or chosen.kind == NEVER:
            return
        from tui.screens.deactivate import DeactivateScreen

        screen = DeactivateScreen()
        self.app.push_screen(screen)
        screen.call_after_refresh(screen.show_unit, chosen.hsa_id)

    def action_activate(self) -> None:
        chosen = self._chosen()
        if chosen is None or chosen.kind != NEVER:
            return
        from tui.screens.activate import ActivateScreen

        screen = ActivateScreen()
        self.app.push_screen(screen)

        def fill() -> None:
            field = screen.query_one("#hsa-id", Input)
            field.value = clean(chosen.hsa_id)
            field.cursor_position = len(field.value)
            field.focus()

        screen.call_after_refresh(fill)
