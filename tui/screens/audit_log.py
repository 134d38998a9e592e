"""Loggar: the region's audit events, newest first, filtered and paged in the database."""

from __future__ import annotations

import json
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Label, Select, Static

from models.audit import ACTION_NAMES
from models.auditlog import AuditRow, list_events
from models.text import clean
from models.timeutil import format_ts
from models.units import Page
from tui.screens.base import PageScreen
from tui.widgets.cells import cell, plain
from tui.widgets.quiet_input import QuietInput

PAGE_SIZE = 50
# 70 characters of cells + one space each side of a cell = the 78 columns of an 80x24 page.
# A typical HSA-id (SE2321000016-1002) fits the target column; longer ones end in "…".
COLUMN_WIDTHS = {"at": 16, "actor": 15, "action": 19, "target": 20}



def action_name(code: str) -> str:
    return ACTION_NAMES.get(code, code)


def pretty_json(raw: str | None) -> str:
    """Before/after as indented JSON, cleaned; text that is not JSON is shown as it is."""
    if raw is None or raw == "":
        return "(inget)"
    try:
        text = json.dumps(json.loads(raw), ensure_ascii=False, indent=2, sort_keys=True)
    except ValueError:
        text = raw
    return clean(text, multiline=True)


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
ett fält visar urvalet, en vald åtgärd gäller direkt. PageDown/PageUp visar
nästa/föregående 50 händelser, Enter på en händelse visar uppgifterna före
och efter ändringen. Escape går tillbaka.
"""

    BINDINGS = [
        # Priority: the table would otherwise use PageDown to move within the 50 shown.
        Binding("pagedown", "next_page", "Nästa sida", priority=True),
        Binding("pageup", "previous_page", "Föreg. sida", priority=True),
    ]

    CSS = """
    AuditLogScreen .filters { height: 1; margin-bottom: 1; }
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

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="filters"):
            yield Label("Utförd av")
            yield QuietInput(id="f-actor", compact=True, placeholder="namn eller del av")
            yield Label("Åtgärd")
            yield Select([(plain(name), code) for code, name in ACTION_NAMES.items()],
                         prompt="Alla åtgärder", id="f-action", compact=True)
        with Horizontal(classes="filters"):
            yield Label("Mottagning")
            yield QuietInput(id="f-target", compact=True, placeholder="HSA-id eller del av")
            yield Label("Från")
            yield QuietInput(id="f-from", compact=True, max_length=10, placeholder="ÅÅÅÅ-MM-DD")
            yield Label("Till")
            yield QuietInput(id="f-to", compact=True, max_length=10, placeholder="ÅÅÅÅ-MM-DD")
        yield Static("", id="log-status", markup=False)
        table: DataTable = DataTable(id="log", cursor_type="row", zebra_stripes=False)
        for label, key in (("Tid", "at"), ("Utförd av", "actor"), ("Åtgärd", "action"),
                           ("Mål", "target")):
            table.add_column(label, key=key, width=COLUMN_WIDTHS[key])
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

    def _load(self, filters: Filters, offset: int) -> None:
        def done(page: Page) -> None:
            self._show(filters, page)

        self.call_service(list_events, self.app.operator, actor=filters.actor,
                          action=filters.action, target=filters.target,
                          date_from=filters.date_from or None, date_to=filters.date_to or None,
                          offset=offset, limit=PAGE_SIZE, done=done)

    def _show(self, filters: Filters, page: Page) -> None:
        self.clear_message()
        self._filters, self._offset, self._total = filters, page.offset, page.total
        table = self.query_one("#log", DataTable)
        table.clear()
        self._rows = {}
        for row in page.rows:
            key = str(row.id)
            self._rows[key] = row
            table.add_row(cell(format_ts(row.at)), cell(row.actor_name, COLUMN_WIDTHS["actor"]),
                          cell(action_name(row.action), COLUMN_WIDTHS["action"]),
                          cell(row.target, COLUMN_WIDTHS["target"]), key=key)
        self.query_one("#log-status", Static).update(self._status(len(page.rows)))
        self.refresh_bindings()

    def _status(self, shown: int) -> str:
        if self._total == 0:
            return "Inga händelser i urvalet."
        first = self._offset + 1
        last = self._offset + shown
        more = "  ·  PgDn/PgUp: fler" if self._total > PAGE_SIZE else ""
        return f"Visar {first}–{last} av {self._total}{more}"

    # --- events -----------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._load(self._form_filters(), 0)

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
    AuditEventScreen .json { padding-left: 2; }
    """

    def __init__(self, row: AuditRow) -> None:
        super().__init__()
        self.row = row

    def compose_body(self) -> ComposeResult:
        row = self.row
        who = [f"Databasroll: {clean(row.db_role)}"] if row.db_role else []
        who += [f"OS-användare: {clean(row.os_user)}"] if row.os_user else []
        summary = "\n".join([
            f"Tid:        {format_ts(row.at)}",
            f"Utförd av:  {clean(row.actor_name)}",
            *who,
            f"Åtgärd:     {clean(action_name(row.action))} ({clean(row.action)})",
            f"Mål:        {clean(row.target)}",
            f"Utfall:     {clean(row.outcome)}",
        ])
        with VerticalScroll(id="event", can_focus=True):
            yield Static(summary, id="event-summary", markup=False)
            yield Static("Före", classes="heading", markup=False)
            yield Static(pretty_json(row.before), id="event-before", classes="json",
                         markup=False)
            yield Static("Efter", classes="heading", markup=False)
            yield Static(pretty_json(row.after), id="event-after", classes="json",
                         markup=False)

    def on_mount(self) -> None:
        self.query_one("#event").focus()
