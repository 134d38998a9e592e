"""The region's units, one page at a time from the database, with a filter and sorting.

A DataTable keeps every row in memory and takes seconds to paint thousands of them, so the
table only ever holds one page (models.units.search_units offset/limit). The filter waits
for a pause in typing (one 0.3 s one-shot timer, restarted on each change) before it asks
the database; nothing repeats, so an idle page writes nothing to the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Input, Label, Static

from models.text import clean
from models.units import Page, search_units
from tui.widgets.cells import cell, count_text, fit
from tui.widgets.quiet_input import QuietInput

# (search_units sort key, column header); keys 1-5 pick the column.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "Namn"),
    ("hsa_id", "HSA-id"),
    ("care_type", "Vårdtyp"),
    ("city", "Ort"),
    ("active", "Status"),
)
STATUS_WIDTH = len("Inaktiv")
# When a page's values do not all fit, the columns are cut in this order, each down to its
# floor (Vårdtyp keeps "Vårdcentral", Ort "Sundbyberg"; the name keeps 25 before the
# others go below that); what is left over goes to the name.
CUTS = (
    ("care_type", 11),
    ("city", 10),
    ("name", 25),
    ("city", 9),
    ("care_type", 10),
    ("name", 20),
    ("care_type", 9),
    ("city", 7),
    ("name", 12),
)
DEBOUNCE_SECONDS = 0.3


def fit_columns(
    available: int, needs: dict[str, int], cuts: Sequence[tuple[str, int]], fill: str
) -> dict[str, int]:
    """Column widths for `available` characters of cells: every column as wide as it
    needs (its longest value) when they all fit, so nothing is cut that fits; else cut in
    the order of `cuts`, each down to its floor, until they fit. What is left goes to
    `fill`."""
    widths = dict(needs)
    over = sum(widths.values()) - available
    for key, floor in cuts:
        if over <= 0:
            break
        cut = min(over, max(0, widths[key] - floor))
        widths[key] -= cut
        over -= cut
    if over < 0:
        widths[fill] -= over
    return widths


class UnitTable(DataTable):
    """The page's rows. PageDown/PageUp (or n/p) fetch the next/previous page instead of
    scrolling, since the table never holds more than one page."""

    BINDINGS = [
        Binding("pagedown,n", "pager('next')", "Nästa sida", key_display="PgDn"),
        Binding("pageup,p", "pager('previous')", "Förra", key_display="PgUp"),
        Binding("s", "pager('cycle')", "Sortera"),
        Binding("S", "pager('reverse')", "Omvänd", show=False),
        *(Binding(str(i), f"sort_column({i - 1})", show=False) for i in range(1, len(COLUMNS) + 1)),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Nästa sida / Förra only where there is one: the footer offers what works.
        if action == "pager" and parameters and parameters[0] in ("next", "previous"):
            pager = self._pager()
            return pager is not None and pager.can_page(str(parameters[0]))
        return super().check_action(action, parameters)

    def action_pager(self, what: str) -> None:
        pager = self._pager()
        if pager is not None:
            pager.page_action(what)

    def action_sort_column(self, index: int) -> None:
        pager = self._pager()
        if pager is not None:
            pager.sort_by(COLUMNS[index][0])

    def _pager(self) -> UnitPager | None:
        for node in self.ancestors:
            if isinstance(node, UnitPager):
                return node
        return None


class FilterInput(QuietInput):
    """The filter field. Down (like Enter) reaches the list, where the sort keys work; in
    the footer while the list has rows (on the field itself: an Input's own hidden Down
    would hide one of the pager's)."""

    BINDINGS = [Binding("down", "to_table", "Till listan", key_display="↓")]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_table":
            pager = self._pager()
            return pager is not None and bool(pager.query_one(UnitTable).row_count)
        return super().check_action(action, parameters)

    def action_to_table(self) -> None:
        pager = self._pager()
        if pager is not None:
            pager.action_to_table()

    def _pager(self) -> UnitPager | None:
        for node in self.ancestors:
            if isinstance(node, UnitPager):
                return node
        return None


class UnitPager(Vertical):
    """Filter field, a status line ("Visar 1–15 av 1 234") and one page of units."""

    DEFAULT_CSS = """
    UnitPager { height: 1fr; }
    UnitPager > #filter-row { height: 1; }
    UnitPager > #filter-row > Label { width: auto; padding-right: 1; }
    UnitPager > #filter-row > QuietInput { width: 1fr; }
    UnitPager > #pager-status { height: 1; color: $text-muted; }
    UnitPager > UnitTable { height: 1fr; overflow-x: hidden; }
    """

    BINDINGS = [
        # Also while typing in the filter: Input leaves these keys alone.
        Binding("pagedown", "page('next')", "Nästa sida", show=False),
        Binding("pageup", "page('previous')", "Förra", show=False),
    ]

    class Loaded(Message):
        def __init__(self, pager: UnitPager, page: Page) -> None:
            super().__init__()
            self.pager = pager
            self.page = page

    class Chosen(Message):
        """Enter on a row."""

        def __init__(self, pager: UnitPager, hsa_id: str, name: str) -> None:
            super().__init__()
            self.pager = pager
            self.hsa_id = hsa_id
            self.name = name

    class Submitted(Message):
        """Enter in the filter field, once the search for its text has come back."""

        def __init__(self, pager: UnitPager, term: str, page: Page) -> None:
            super().__init__()
            self.pager = pager
            self.term = term
            self.page = page

    def __init__(
        self,
        *,
        active_only: bool = False,
        page_size: int = 15,
        label: str = "Sök:",
        placeholder: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.active_only = active_only
        self.page_size = page_size
        self.label = label
        self.placeholder = placeholder
        self.term = ""
        self.sort = "name"
        self.descending = False
        self.row_offset = 0
        self.total = 0
        self.loaded = False
        self._names: dict[str, str] = {}
        self._debounce: Timer | None = None
        self._submit_after_load = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="filter-row"):
            yield Label(self.label)
            yield FilterInput(placeholder=self.placeholder, id="filter", compact=True)
        yield Static("Hämtar mottagningar …", id="pager-status", markup=False)
        table = UnitTable(id="units", cursor_type="row", zebra_stripes=False)
        yield table

    # --- loading ---------------------------------------------------------------
    def load(self, term: str | None = None, offset: int = 0) -> None:
        """Ask the database for one page; the table changes when the answer arrives."""
        if term is not None:
            self.term = term.strip()
        self.row_offset = max(0, offset)
        screen = self.screen
        screen.call_service(
            search_units,
            self.app.operator,
            self.term,
            active_only=self.active_only,
            sort=self.sort,
            descending=self.descending,
            offset=self.row_offset,
            limit=self.page_size,
            done=self._show,
            group=f"pager-{self.id or 'units'}",
        )

    def reload(self) -> None:
        self.load(self.term, self.row_offset)

    def _show(self, page: Page) -> None:
        self.total = page.total
        self.row_offset = page.offset
        self.loaded = True
        if page.total and page.offset >= page.total:
            # The last page emptied under us (a unit was renamed away): step back.
            self.load(self.term, max(0, page.total - self.page_size))
            return
        self._fill(page)
        self.post_message(self.Loaded(self, page))
        if self._submit_after_load:
            self._submit_after_load = False
            self.post_message(self.Submitted(self, self.term, page))

    def _widths(self, page: Page) -> dict[str, int]:
        table = self.query_one(UnitTable)
        available = (table.size.width or 78) - 2 * len(COLUMNS)
        # The sorted column's header has room for its arrow (" ▲").
        needs = {key: len(title) + (2 if key == self.sort else 0) for key, title in COLUMNS}
        for row in page.rows:
            for key, value in (
                ("name", row.name),
                ("hsa_id", row.hsa_id),
                ("care_type", row.care_type),
                ("city", row.city),
            ):
                needs[key] = max(needs[key], len(clean(value)))
        needs["active"] = max(needs["active"], STATUS_WIDTH)
        return fit_columns(available, needs, CUTS, fill="name")

    def _fill(self, page: Page) -> None:
        table = self.query_one(UnitTable)
        keep = self.selected_hsa_id()  # a reload keeps the cursor on the same unit
        widths = self._widths(page)
        table.clear(columns=True)
        for key, title in COLUMNS:
            arrow = (" ▼" if self.descending else " ▲") if key == self.sort else ""
            table.add_column(Text(title + arrow), width=widths[key], key=key)
        self._names = {}
        for row in page.rows:
            self._names[row.hsa_id] = row.name
            table.add_row(
                cell(row.name, widths["name"]),
                cell(row.hsa_id, widths["hsa_id"]),
                cell(row.care_type, widths["care_type"]),
                cell(row.city, widths["city"]),
                cell("Aktiv" if row.active else "Inaktiv"),
                key=row.hsa_id,
            )
        if keep is not None and keep in self._names:
            table.move_cursor(row=table.get_row_index(keep), animate=False)
        self.query_one("#pager-status", Static).update(self.status_text())
        # Nästa sida / Förra follow the page shown, Till listan whether it has rows.
        table.refresh_bindings()
        self.query_one("#filter", FilterInput).refresh_bindings()

    def status_text(self) -> str:
        if not self.total:
            return (
                f"Inga mottagningar matchar ”{fit(self.term, 40)}”."
                if self.term
                else "Det finns inga mottagningar att visa."
            )
        first = self.row_offset + 1
        last = min(self.row_offset + self.page_size, self.total)
        title = dict(COLUMNS)[self.sort]
        order = "fallande" if self.descending else "stigande"
        return (
            f"Visar {count_text(first)}–{count_text(last)} av {count_text(self.total)}"
            f" · sorterat på {title}, {order}"
        )

    # --- paging and sorting -------------------------------------------------------
    def can_page(self, what: str) -> bool:
        if what == "next":
            return self.row_offset + self.page_size < self.total
        if what == "previous":
            return self.row_offset > 0
        return True

    def page_action(self, what: str) -> None:
        if what == "next" and self.row_offset + self.page_size < self.total:
            self.load(self.term, self.row_offset + self.page_size)
        elif what == "previous" and self.row_offset > 0:
            self.load(self.term, self.row_offset - self.page_size)
        elif what == "cycle":
            keys = [key for key, _ in COLUMNS]
            self.sort_by(keys[(keys.index(self.sort) + 1) % len(keys)], toggle=False)
        elif what == "reverse":
            self.descending = not self.descending
            self.load(self.term, 0)

    def action_page(self, what: str) -> None:
        self.page_action(what)

    def sort_by(self, key: str, *, toggle: bool = True) -> None:
        """Sort on `key`; the same key again reverses the order."""
        if key == self.sort and toggle:
            self.descending = not self.descending
        else:
            self.sort, self.descending = key, False
        self.load(self.term, 0)

    def action_to_table(self) -> None:
        table = self.query_one(UnitTable)
        if table.row_count:
            # At once, not after the next refresh (Widget.focus): an Enter typed right
            # after this Down must reach the table, not the field it leaves.
            self.screen.set_focus(table)

    # --- the filter ---------------------------------------------------------------
    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self._apply_filter)

    def _apply_filter(self) -> None:
        self._debounce = None
        text = self.query_one("#filter", Input).value
        if text.strip() != self.term:
            self.load(text, 0)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        self._submit_after_load = True
        self.load(event.value, 0)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        hsa_id = str(event.row_key.value)
        self.post_message(self.Chosen(self, hsa_id, self._names.get(hsa_id, hsa_id)))

    def focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def selected_hsa_id(self) -> str | None:
        table = self.query_one(UnitTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    @property
    def filter_text(self) -> str:
        return self.query_one("#filter", Input).value

    def describe(self, hsa_id: str) -> str:
        return fit(self._names.get(hsa_id, hsa_id), 60)
