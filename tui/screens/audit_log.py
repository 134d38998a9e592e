"""Loggar: the region's audit events, newest first, filtered and paged in the database."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Label, Select, Static

from models.audit import ACTION_NAMES
from models.auditlog import AuditRow, EventChanges, event_changes, list_events, outcome_name
from models.text import clean
from models.timeutil import format_ts
from models.units import Page
from tui.screens.base import PageScreen
from tui.widgets.cells import cell, count_text, cursor_kept, fit, plain
from tui.widgets.form import block_width, facts
from tui.widgets.quiet_input import QuietInput
from tui.widgets.unit_pager import fit_columns

PAGE_SIZE = 50
# Title, two filter rows and their margins, the status line, the header and the footer.
LINES_ABOVE_ROWS = 9
COLUMNS = (("at", "Tid"), ("actor", "Utförd av"), ("action", "Åtgärd"), ("target", "Mål"))
# Each column as wide as its longest value on the page when the page's rows fit the 78
# columns of an 80x24 page; else cut in this order, each down to its floor (Mål keeps a
# typical HSA-id, SE2321000016-1002, Utförd av a name like "Anna Andersson").
CUTS = (
    ("target", 17),
    ("actor", 16),
    ("actor", 14),
    ("target", 13),
    ("action", 19),
    ("actor", 10),
    ("target", 8),
    ("action", 8),
)
FILTER_LABELS = {
    "actor": "Utförd av",
    "action": "Åtgärd",
    "target": "Mottagning",
    "date_from": "Från",
    "date_to": "Till",
}


def action_name(code: str) -> str:
    return ACTION_NAMES.get(code, code)


class LogFilter(QuietInput):
    """A filter field: Down reaches the list (on the field itself, whose own hidden Down
    would hide the screen's in the footer). The Select opens its own list on Down."""

    BINDINGS = [
        Binding("down", "screen.to_table", "Till listan", key_display="↓", id="audit_log.to_table")
    ]


@dataclass(frozen=True)
class Filters:
    actor: str = ""
    action: str = ""
    target: str = ""
    date_from: str = ""
    date_to: str = ""


class AuditLogScreen(PageScreen):
    TITLE = "Loggar"
    HELP = """
Vem som gjort vad i regionen och när, nyast först. Filtrera på utförare,
åtgärd, mottagning (HSA-id eller del av det) och datum (ÅÅÅÅ-MM-DD): Enter i
ett fält visar urvalet och går till listan (pil ned går dit direkt), en vald
åtgärd gäller direkt. PgDn/PgUp visar nästa/föregående 50 händelser, Enter
på en händelse visar uppgifterna före och efter ändringen. Escape: tillbaka.
"""

    BINDINGS = [
        # Priority: the table would otherwise use PageDown to move within the 50 shown.
        Binding("pagedown", "next_page", "Nästa sida", priority=True, id="audit_log.next_page"),
        Binding(
            "pageup", "previous_page", "Föreg. sida", priority=True, id="audit_log.previous_page"
        ),
    ]

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]

    CSS = """
    AuditLogScreen .filters { height: 1; margin-bottom: 1; }
    AuditLogScreen.-narrow #f-action { width: 1fr; }
    AuditLogScreen .filters Label { width: auto; padding: 0 1 0 0; }
    AuditLogScreen .filters Input { background: $panel; margin-right: 2; }
    AuditLogScreen #f-actor { width: 1fr; }
    AuditLogScreen #f-action { width: 34; }
    AuditLogScreen #f-target { width: 1fr; }
    AuditLogScreen #f-from, AuditLogScreen #f-to { width: 12; }
    AuditLogScreen #f-to { margin-right: 0; }
    AuditLogScreen #log-status { height: 1; }
    AuditLogScreen #log { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._filters = Filters()
        self._offset = 0
        self._total = 0
        self._rows: dict[str, AuditRow] = {}
        self._page: Page | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="filters"):
            yield Label("Utförd av")
            yield LogFilter(id="f-actor", compact=True, placeholder="namn eller del av")
            yield Label("Åtgärd")
            yield Select(
                [(plain(name), code) for code, name in ACTION_NAMES.items()],
                prompt="Alla åtgärder",
                id="f-action",
                compact=True,
            )
        with Horizontal(classes="filters"):
            yield Label("Mottagning")
            yield LogFilter(id="f-target", compact=True, placeholder="HSA-id eller del av")
            yield Label("Från")
            yield LogFilter(id="f-from", compact=True, max_length=10, placeholder="ÅÅÅÅ-MM-DD")
            yield Label("Till")
            yield LogFilter(id="f-to", compact=True, max_length=10, placeholder="ÅÅÅÅ-MM-DD")
        yield Static("", id="log-status", markup=False)
        table: DataTable = DataTable(id="log", cursor_type="row", zebra_stripes=False)
        for key, label in COLUMNS:
            table.add_column(label, key=key, width=len(label))
        yield table

    def on_mount(self) -> None:
        self.query_one("#log", DataTable).focus()
        self._load(Filters(), 0)

    # --- loading ----------------------------------------------------------------------
    def _form_filters(self) -> Filters:
        action = self.query_one("#f-action", Select).value
        return Filters(
            actor=self.query_one("#f-actor", Input).value.strip(),
            action=action if isinstance(action, str) else "",
            target=self.query_one("#f-target", Input).value.strip(),
            date_from=self.query_one("#f-from", Input).value.strip(),
            date_to=self.query_one("#f-to", Input).value.strip(),
        )

    def _load(self, filters: Filters, offset: int, to_table: bool = False) -> None:
        def done(page: Page) -> None:
            self._show(filters, page, to_table)

        self.call_service(
            list_events,
            self.app.operator,
            actor=filters.actor,
            action=filters.action,
            target=filters.target,
            date_from=filters.date_from or None,
            date_to=filters.date_to or None,
            offset=offset,
            limit=PAGE_SIZE,
            done=done,
        )

    def on_resize(self, event: events.Resize) -> None:
        # The columns follow the new width (the page shown, no query).
        if self._page is not None:
            self._fill(self._page, event.size)

    def _show(self, filters: Filters, page: Page, to_table: bool = False) -> None:
        self.clear_message()
        self._filters, self._offset, self._total = filters, page.offset, page.total
        self._page = page
        table = self._fill(page)
        self.query_one("#log-status", Static).update(self._status(len(page.rows)))
        self.refresh_bindings()
        if to_table and table.row_count:
            table.focus()

    def _fill(self, page: Page, size=None) -> DataTable:
        table = self.query_one("#log", DataTable)
        values = [
            (
                str(row.id),
                {
                    "at": format_ts(row.at),
                    "actor": clean(row.actor_name),
                    "action": clean(action_name(row.action)),
                    "target": clean(row.target),
                },
            )
            for row in page.rows
        ]
        widths = self._widths(table, [v for _, v in values], size)
        with cursor_kept(table):
            table.clear(columns=True)
            for key, label in COLUMNS:
                table.add_column(label, key=key, width=widths[key])
            self._rows = {}
            for row, (key, texts) in zip(page.rows, values, strict=True):
                self._rows[key] = row
                table.add_row(*(cell(texts[k], widths[k]) for k, _ in COLUMNS), key=key)
        return table

    @staticmethod
    def _widths(table: DataTable, rows: list[dict[str, str]], size=None) -> dict[str, int]:
        """Columns for the table's width, or the one it gets in a terminal of `size` (a
        resize, before the new layout): the body less its padding."""
        if size is not None:
            width, height = size.width - 2, size.height - LINES_ABOVE_ROWS
        else:
            width, height = table.size.width or 78, table.size.height - 1
        available = width - 2 * len(COLUMNS)
        if len(rows) > max(height, 0):
            available -= table.styles.scrollbar_size_vertical  # the list scrolls
        needs = {key: max([len(label), *(len(r[key]) for r in rows)]) for key, label in COLUMNS}
        return fit_columns(available, needs, CUTS, fill="target")

    def _status(self, shown: int) -> str:
        if self._total == 0:
            chosen = [
                f"{FILTER_LABELS[name]} ”{fit(self._filter_text(name, value), 20)}”"
                for name, value in vars(self._filters).items()
                if value
            ]
            if not chosen:
                return "Det finns inga händelser i regionens logg."
            return f"Inga händelser matchar {', '.join(chosen)}."
        first = self._offset + 1
        last = self._offset + shown
        more = "  ·  PgDn/PgUp: fler" if self._total > PAGE_SIZE else ""
        return f"Visar {count_text(first)}–{count_text(last)} av {count_text(self._total)}{more}"

    @staticmethod
    def _filter_text(name: str, value: str) -> str:
        return action_name(value) if name == "action" else value

    # --- events -----------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a filter field: the selection, and the list to move in (as on Visa
        mottagningsinformation)."""
        event.stop()
        self._load(self._form_filters(), 0, to_table=True)

    def action_to_table(self) -> None:
        table = self.query_one("#log", DataTable)
        if table.row_count:
            table.focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._load(self._form_filters(), 0)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = self._rows.get(str(event.row_key.value))
        if row is not None:
            self.app.push_screen(AuditEventScreen(row))

    # --- paging -----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Offered only when there is such a page: the footer shows what works.
        if action == "next_page":
            return self._offset + PAGE_SIZE < self._total
        if action == "previous_page":
            return self._offset > 0
        if action == "to_table":
            return bool(self.query_one("#log", DataTable).row_count)
        return super().check_action(action, parameters)

    def action_next_page(self) -> None:
        if self._offset + PAGE_SIZE < self._total:
            self._load(self._filters, self._offset + PAGE_SIZE)

    def action_previous_page(self) -> None:
        if self._offset > 0:
            self._load(self._filters, max(0, self._offset - PAGE_SIZE))


class AuditEventScreen(PageScreen):
    """One event of the log: who, when, what, and the data before and after."""

    TITLE = "Logghändelse"
    HELP = """
En händelse i loggen: när, vem, vilken åtgärd och på vad, och uppgifterna
före och efter ändringen. Sidan går bara att läsa. Pil upp/ned och
PageUp/PageDown bläddrar, Escape går tillbaka till loggen.
"""

    CSS = """
    AuditEventScreen #event { height: 1fr; }
    AuditEventScreen .heading { text-style: bold; margin-top: 1; }
    AuditEventScreen .changes { padding-left: 2; }
    """

    def __init__(self, row: AuditRow) -> None:
        super().__init__()
        self.row = row

    def compose_body(self) -> ComposeResult:
        row = self.row
        who = [("Databasroll:", row.db_role), ("OS-användare:", row.os_user)]
        summary = facts(
            [
                ("Tid:", format_ts(row.at)),
                ("Utförd av:", row.actor_name),
                *who,
                ("Åtgärd:", action_name(row.action)),
                ("Mål:", row.target),
                ("Utfall:", outcome_name(row.outcome)),
            ],
            14,
        )
        with VerticalScroll(id="event", can_focus=True):
            yield Static(summary, id="event-summary", markup=False)
            yield Static("Före", classes="heading", markup=False)
            yield Static("Hämtar …", id="event-before", classes="changes", markup=False)
            yield Static("Efter", classes="heading", markup=False)
            yield Static("Hämtar …", id="event-after", classes="changes", markup=False)

    def on_mount(self) -> None:
        self.query_one("#event").focus()
        self.call_service(event_changes, self.app.operator, self.row.id, done=self._show_changes)

    def _show_changes(self, changes: EventChanges) -> None:
        wrap = block_width(self.query_one("#event-before")) or 76
        for selector, lines in (("#event-before", changes.before), ("#event-after", changes.after)):
            width = max((len(label) for label, _ in lines), default=0) + 2
            text = facts([(f"{label}:", value) for label, value in lines], width, wrap=wrap)
            self.query_one(selector, Static).update(text or "(inget)")
