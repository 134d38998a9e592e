"""The region's units, one page at a time from the database, with a filter and sorting.

A DataTable keeps every row in memory and takes seconds to paint thousands of them, so the
table only ever holds one page (models.units.search_units offset/limit). The filter asks
the database at once when no search is under way, else once that one has answered (for
what the field holds then): no deliberate wait, at most one search at a time, and nothing
repeats, so an idle page writes nothing to the terminal. A page that equals the one shown
is not drawn again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Static
from textual.worker import Worker, WorkerState

from models.text import clean
from models.units import Page, search_units
from tui.widgets.cells import cell, count_text, fit
from tui.widgets.quiet_input import QuietInput
from tui.workers import FINISHED, ServiceFailed, as_domain_error, service_call

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
    # Below about 64 columns (60x20): HSA-id and Status stay whole, the rest gives way.
    ("care_type", 7),
    ("city", 6),
    ("name", 11),
    ("city", 5),
    ("name", 8),
)


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
        Binding(
            "pagedown,n", "pager('next')", "Nästa sida", key_display="PgDn", id="units.next_page"
        ),
        Binding(
            "pageup,p", "pager('previous')", "Förra", key_display="PgUp", id="units.previous_page"
        ),
        Binding("s", "pager('cycle')", "Sortera", id="units.sort"),
        Binding("S", "pager('reverse')", "Omvänd", show=False, id="units.reverse"),
        *(
            Binding(str(i), f"sort_column({i - 1})", show=False, id=f"units.sort_{i}")
            for i in range(1, len(COLUMNS) + 1)
        ),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Nästa sida / Förra only where there is one: the footer offers what works.
        if action == "pager" and parameters and parameters[0] in ("next", "previous"):
            pager = self._pager()
            return pager is not None and pager.can_page(str(parameters[0]))
        return super().check_action(action, parameters)

    def action_select_cursor(self) -> None:
        """Enter on a list that still shows the hits of an older search (Down and Enter
        typed ahead of the answer): the row is chosen once the new hits are shown."""
        pager = self._pager()
        if pager is not None and pager.searching:
            pager.open_after_load()
            return
        super().action_select_cursor()

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

    def on_resize(self) -> None:
        pager = self._pager()
        if pager is not None:
            pager.table_resized()


class FilterInput(QuietInput):
    """The filter field. Down (like Enter) reaches the list, where the sort keys work; in
    the footer while the list has rows (on the field itself: an Input's own hidden Down
    would hide one of the pager's)."""

    BINDINGS = [Binding("down", "to_table", "Till listan", key_display="↓", id="units.to_table")]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_table":
            pager = self._pager()
            return pager is not None and (
                bool(pager.query_one(UnitTable).row_count) or pager.searching
            )
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
        Binding("pagedown", "page('next')", "Nästa sida", show=False, id="units.next_page"),
        Binding("pageup", "page('previous')", "Förra", show=False, id="units.previous_page"),
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
        fit_page: int = 0,
        label: str = "Sök:",
        placeholder: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.active_only = active_only
        self.page_size = page_size
        # fit_page: the terminal's lines that are not the table's rows (title, field,
        # status, header, footer ...): a page is as many rows as the table shows with the
        # help text closed, set again on a resize of the terminal (0: page_size stays).
        self.fit_page = fit_page
        self._page: Page | None = None
        self._width = 0  # the table's width in a terminal just resized (before its layout)
        self._release: Callable[[], None] | None = None  # a paint held for a resize's page
        self.label = label
        self.placeholder = placeholder
        self.term = ""
        self.sort = "name"
        self.descending = False
        self.row_offset = 0
        self.total = 0
        self.loaded = False
        self._names: dict[str, str] = {}
        self._submit_after_load = False
        self._open_after_load = False
        self._asked = 0  # loads asked for and not answered (a newer one drops an older)
        self._shown: tuple[object, ...] | None = None  # what the table holds now
        self._shown_term = ""
        self._releases: dict[Worker, Callable[[], None]] = {}

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
        self._asked += 1
        # A page that asks as it is shown is drawn with its rows (PageScreen.hold_first_frame).
        hold = getattr(self.screen, "hold_first_frame", None)
        release = hold() if hold is not None else None
        worker = self._fetch(self.term, self.sort, self.descending, self.row_offset, self.page_size)
        if release is not None:
            self._releases[worker] = release

    @work(thread=True, group="pager", exclusive=True, exit_on_error=False)
    def _fetch(self, term: str, sort: str, descending: bool, offset: int, limit: int) -> Page:
        """On a worker thread; a newer load replaces an older one (exclusive), whose answer
        Textual then drops."""
        return service_call(
            search_units,
            self.app.operator,
            term,
            active_only=self.active_only,
            sort=sort,
            descending=descending,
            offset=offset,
            limit=limit,
        )

    @on(Worker.StateChanged)
    def _answered(self, event: Worker.StateChanged) -> None:
        if event.worker.node is not self or event.state not in FINISHED:
            return
        try:
            if event.state == WorkerState.SUCCESS:
                self._show(event.worker.result)
            elif event.state == WorkerState.ERROR:
                self._failed(as_domain_error(event.worker.error or RuntimeError()))
        finally:
            release = self._releases.pop(event.worker, None)
            if release is not None:
                self.app.call_after_refresh(release)

    @property
    def searching(self) -> bool:
        """A search is under way, or the field holds text not searched for yet: the rows
        shown are not (yet) the answer to what is typed."""
        return self._asked > 0 or (self.is_mounted and self.filter_text.strip() != self.term)

    def _release_paint(self) -> None:
        release, self._release = self._release, None
        if release is not None:
            self.app.call_after_refresh(release)

    def _failed(self, error) -> None:
        self._release_paint()
        self._asked = 0
        self._open_after_load = self._submit_after_load = False
        self.post_message(ServiceFailed(error))  # the page shows it

    def reload(self) -> None:
        self.load(self.term, self.row_offset)

    def _show(self, page: Page) -> None:
        # Replaced calls never answer: one answer means no search is under way.
        self._asked = 0
        self._release_paint()
        self.total = page.total
        self.row_offset = page.offset
        self.loaded = True
        if self.filter_text.strip() != self.term:
            # Typed on while it was asked: these hits are old already; ask for the new.
            self.load(self.filter_text, 0)
            return
        if page.total and page.offset >= page.total:
            # The last page emptied under us (a unit was renamed away): step back.
            self.load(self.term, max(0, page.total - self.page_size))
            return
        self._page = page
        self._fill(page)
        self.post_message(self.Loaded(self, page))
        if self._submit_after_load:
            self._submit_after_load = False
            self.post_message(self.Submitted(self, self.term, page))
        if self._open_after_load:
            self._open_after_load = False
            self._open_cursor_row()

    def _widths(self, page: Page) -> dict[str, int]:
        available = (self._table_width() or 78) - 2 * len(COLUMNS)
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
        status = self.query_one("#pager-status", Static)
        text = self.status_text()
        if str(status.content) != text:
            status.update(text)
        shown = (tuple(page.rows), self.sort, self.descending, self._table_width())
        if shown == self._shown:
            return  # the same hits ("Vårdc" after "Vård"): nothing to draw again
        self._shown = shown
        # A reload keeps the cursor on the same unit; new hits start at the first.
        keep = self.selected_hsa_id() if self.term == self._shown_term else None
        self._shown_term = self.term
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
        # Nästa sida / Förra follow the page shown, Till listan whether it has rows.
        table.refresh_bindings()
        self.query_one("#filter", FilterInput).refresh_bindings()

    def _table_width(self) -> int:
        return self._width or self.query_one(UnitTable).size.width

    def terminal_resized(self, width: int, height: int) -> None:
        """The terminal's new size, before the layout: the page and its columns for it
        (the table spans the page's body less its padding), so the screen is drawn once
        at the new size, not first with the old columns."""
        if not self.fit_page:
            return
        self._width = width - 2
        rows = height - self.fit_page
        page = self._page
        if rows > 0 and rows != self.page_size:
            self.page_size = rows
            if page is not None and not self._asked and rows < len(page.rows):
                # Fewer rows: the first ones of the page shown, no query.
                page = Page(rows=page.rows[:rows], total=page.total, offset=page.offset, limit=rows)
                self._page = page
            elif self.loaded or self._asked:
                # More rows: asked for, and the screen drawn once they are here (at most
                # HOLD_PAINT_SECONDS), not first with the old page at the new size.
                hold = getattr(self.app, "hold_paint", None)
                self._release = hold() if hold is not None else None
                self.reload()
                return
        if page is not None and not self._asked:
            self._fill(page)

    def table_resized(self) -> None:
        """A resize: the page as many rows as fit (a new page asked for), or the rows
        shown again in the new column widths (no query)."""
        self._width = 0  # laid out: the table's own width from now on
        rows = self.app.size.height - self.fit_page
        if self.fit_page and rows > 0 and rows != self.page_size:
            self.page_size = rows
            if self.loaded or self._asked:
                self.reload()
                return
        if self._page is not None and not self._asked:
            self._fill(self._page)

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
        if table.row_count or self.searching:
            # At once, not after the next refresh (Widget.focus): an Enter typed right
            # after this Down must reach the table, not the field it leaves (also while
            # the hits are still coming: the table then waits for them, see
            # UnitTable.action_select_cursor).
            self.screen.set_focus(table)

    def open_after_load(self) -> None:
        self._open_after_load = True
        if not self._asked:
            self.load(self.filter_text, 0)

    def _open_cursor_row(self) -> None:
        table = self.query_one(UnitTable)
        if not table.row_count:
            # Nothing matched: back to the field, where the status line says so.
            if self.screen.focused is table:
                self.screen.set_focus(self.query_one("#filter", FilterInput))
            return
        if self.screen.focused is table:
            hsa_id = self.selected_hsa_id()
            if hsa_id is not None:
                self.post_message(self.Chosen(self, hsa_id, self._names.get(hsa_id, hsa_id)))

    # --- the filter ---------------------------------------------------------------
    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        # One search at a time: a search under way asks again for the newest text when
        # it answers (_show), so keys typed meanwhile cost one search, not one each.
        if not self._asked and event.value.strip() != self.term:
            self.load(event.value, 0)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit_after_load = True
        if not self._asked or event.value.strip() != self.term:
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
