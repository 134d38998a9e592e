"""Vårdmottagningar > Avvikelser mot HSA: where the region's units and HSA disagree.

From the list one key opens the way out: i Inaktivera for a unit gone from or changed in
HSA, a Aktivera for an HSA unit never activated (both with the HSA-id filled in).
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from models.hsa_drift import NEVER, Drift, hsa_drift
from models.text import clean
from tui.screens.base import PageScreen
from tui.widgets.cells import cell, cursor_kept, fit
from tui.widgets.unit_pager import fit_columns

WIDTHS = {"kind": 16, "hsa": 18, "name": 22, "what": 40}  # before the rows come
COLUMNS = (("Avvikelse", "kind"), ("HSA-id", "hsa"), ("Namn", "name"), ("Ändring", "what"))
# Each column as wide as its longest value when they fit; else the name gives way first,
# then the change and the kind. When something is cut, a line under the list shows the
# chosen row whole.
CUTS = (
    ("name", 16),
    ("what", 24),
    ("name", 12),
    ("kind", 12),
    ("what", 14),
    ("name", 9),
    ("what", 8),
)


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
        Binding("i", "deactivate", "Inaktivera", id="hsa_drift.deactivate"),
        Binding("a", "activate", "Aktivera", id="hsa_drift.activate"),
    ]

    CSS = """
    HsaDriftScreen #drift-intro { height: auto; }
    HsaDriftScreen #drift { height: 1fr; }
    HsaDriftScreen #drift-row { height: auto; max-height: 2; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Drift] = []

    def compose_body(self) -> ComposeResult:
        yield Static("Hämtar avvikelser …", id="drift-intro", markup=False)
        table: DataTable = DataTable(id="drift", cursor_type="row", zebra_stripes=False)
        for label, key in COLUMNS:
            table.add_column(label, key=key, width=WIDTHS[key])
        yield table
        line = Static("", id="drift-row", markup=False)
        line.display = False
        yield line

    def on_mount(self) -> None:
        self.query_one("#drift", DataTable).focus()
        self.call_service(hsa_drift, self.app.operator, done=self._show)

    def on_resize(self, event: events.Resize) -> None:
        if self.rows:
            self._fill(event.size)

    def _texts(self) -> list[dict[str, str]]:
        return [
            {
                "kind": row.kind,
                "hsa": row.hsa_id,
                "name": row.name_1177 or row.name_hsa,
                "what": row.what,
            }
            for row in self.rows
        ]

    def _fill(self, size=None) -> None:
        """The rows in columns that fit the terminal's width (also after a resize)."""
        width, height = size or self.app.size
        texts = self._texts()
        # The body less its padding and the cells' padding; a scrollbar when the rows are
        # more than the lines left for them (title, intro, header, footer and a margin).
        available = width - 2 - 2 * len(COLUMNS)
        if len(texts) > height - 6:
            available -= 2
        needs = {key: max([len(label), *(len(t[key]) for t in texts)]) for label, key in COLUMNS}
        widths = fit_columns(available, needs, CUTS, fill="what")
        self.query_one("#drift-row").display = any(widths[k] < needs[k] for k in needs)
        table = self.query_one("#drift", DataTable)
        with cursor_kept(table):
            table.clear(columns=True)
            for label, key in COLUMNS:
                table.add_column(label, key=key, width=widths[key])
            for index, row in enumerate(texts):
                table.add_row(*(cell(row[k], widths[k]) for _, k in COLUMNS), key=str(index))
        self._show_row()

    def _show_row(self) -> None:
        chosen = self._chosen()
        line = self.query_one("#drift-row", Static)
        text = ""
        if chosen is not None:
            parts = (chosen.kind, chosen.name_1177 or chosen.name_hsa, chosen.what)
            text = fit(" · ".join(p for p in parts if p), 2 * (self.app.size.width - 2))
        if str(line.content) != text:
            line.update(text)

    def _show(self, rows: list[Drift]) -> None:
        self.rows = rows
        self._fill()
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
        if self.query_one("#drift-row").display:
            self._show_row()

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
