"""One unit's details: settings, prioritized or not, case types with their terms texts, and
who has which role; "Tilldela behörigheter" adds or removes Administratör and Granskare."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Static

from models.catalog import KIND_NAMES
from models.formatting import count_text
from models.sparkline import sparkline
from models.text import clean
from models.timeutil import format_day
from models.units import UnitDetails, unit_details
from tui.screens.base import PageScreen
from tui.widgets.cells import cell, cursor_kept, fit, yes_no
from tui.widgets.form import facts
from tui.widgets.grants_table import add_grant_columns, fill_grants
from tui.widgets.text_dialog import TextDialog

FACTS_WIDTH = 78  # the page body at 80 columns: the short facts two to a line from here
LABEL = 12
NARROW_LABEL = 13  # "Övrig tjänst" and a space
SCROLLBAR = 2  # a narrow terminal: the body is taller than the screen and scrolls
CASE_TYPE_COLUMNS = (("name", "Ärendetyp", 34), ("kind", "Slag", 11), ("active", "Aktiv", 5))
INACTIVE_NOTE = (
    "Mottagningen är inaktiverad: behörigheter delas bara ut på aktiva "
    "mottagningar. Återaktivera den under Aktivera."
)


class UnitDetailsScreen(PageScreen):
    TITLE = "Mottagningsinformation"
    HELP = """
Mottagningens inställningar som administratören har gjort, och om mottagningen är prioriterad
(tjänster på prioriterade mottagningar visas för invånare under Landstinget/regionen
rekommenderar). Tab flyttar mellan ärendetyperna och behörigheterna; Enter på en ärendetyp
visar dess villkorstext. t (Tilldela behörigheter) lägger till och tar bort Administratör och
Granskare på mottagningen.
"""

    BINDINGS = [
        Binding("t", "assign", "Tilldela behörigheter", id="unit_details.assign"),
        # An inactive unit: t is not offered, and says why when pressed anyway.
        Binding("t", "why_no_assign", show=False, id="unit_details.assign"),
    ]

    def __init__(self, hsa_id: str) -> None:
        super().__init__()
        self.hsa_id = hsa_id
        self.details: UnitDetails | None = None
        self._reload_on_resume = False

    def compose_body(self) -> ComposeResult:
        yield Static("Hämtar mottagningen …", id="facts", markup=False)
        yield Static("Ärendetyper (Enter visar villkorstexten)", classes="heading")
        yield DataTable(id="case-types", cursor_type="row", zebra_stripes=False)
        yield Static("Behörigheter", classes="heading")
        yield DataTable(id="unit-grants", cursor_type="row", zebra_stripes=False)
        with Horizontal(classes="buttons"):
            yield Button("Tilldela behörigheter", id="assign", compact=True, variant="primary")
            yield Static(INACTIVE_NOTE, id="assign-note", markup=False)

    def on_mount(self) -> None:
        types = self.query_one("#case-types", DataTable)
        for key, label, width in CASE_TYPE_COLUMNS:
            types.add_column(label, width=width, key=key)
        add_grant_columns(self.query_one("#unit-grants", DataTable))
        self.load()

    def on_resize(self, event: events.Resize) -> None:
        # The facts and the columns follow the new width, drawn once with the new layout.
        if self.details is not None:
            self._show(self.details, event.size.width)

    def _text_width(self, screen_width: int | None = None) -> int:
        """The body's columns for text: the screen less the body's padding, and less a
        scrollbar below 80 columns (the page is then taller than the terminal)."""
        width = (screen_width or self.app.size.width) - 2
        return width if width >= FACTS_WIDTH else width - SCROLLBAR

    def on_screen_resume(self) -> None:
        # Only Tilldela behörigheter changes what this page shows; a closed villkorstext or
        # palette must not refill the tables (and move the cursor).
        if self._reload_on_resume:
            self._reload_on_resume = False
            self.load()

    def load(self) -> None:
        self.call_service(
            unit_details,
            self.app.operator,
            self.hsa_id,
            done=self._show,
            fail=self._failed,
            group="details",
        )

    def _failed(self, error) -> None:
        self.query_one("#facts", Static).update("")
        self.show_error(error)

    def _show(self, details: UnitDetails, screen_width: int | None = None) -> None:
        self.details = details
        width = self._text_width(screen_width)
        self.query_one("#facts", Static).update(self._facts(details, width))
        types = self.query_one("#case-types", DataTable)
        # The name gives way in a narrow terminal (Slag and Aktiv are short words).
        fixed = sum(w + 2 for key, _, w in CASE_TYPE_COLUMNS if key != "name")
        name_width = max(12, min(34, width - fixed - 2))
        with cursor_kept(types):
            types.clear(columns=True)
            for key, label, column_width in CASE_TYPE_COLUMNS:
                types.add_column(
                    label, width=name_width if key == "name" else column_width, key=key
                )
            for index, ct in enumerate(details.case_types):
                types.add_row(
                    cell(ct.name, name_width),
                    cell(KIND_NAMES.get(ct.kind, ct.kind)),
                    cell(yes_no(ct.active)),
                    key=str(index),
                )
            if not details.case_types:
                types.add_row(cell("(inga ärendetyper)"), cell(""), cell(""), key="-")
        fill_grants(self.query_one("#unit-grants", DataTable), details.grants, width=width)
        # Shown only when it works: a dimmed button or key does not show without colour.
        button = self.query_one("#assign", Button)
        button.disabled = not details.active
        button.display = details.active
        self.query_one("#assign-note").display = not details.active
        self.refresh_bindings()

    @staticmethod
    def _facts(d: UnitDetails, width: int = FACTS_WIDTH) -> str:
        """Name, address and e-mail on lines of their own (they are what is long), the
        short values two to a line from 80 columns on (nothing is cut that fits), one to
        a line in a narrower terminal."""
        if d.active:
            status = f"Aktiv sedan {format_day(d.first_activated_at)}"
        else:
            status = f"Inaktiverad {format_day(d.deactivated_at)}"
        place = f"{clean(d.postal_code)} {clean(d.city)}".strip()
        address = ", ".join(p for p in (clean(d.street), place) if p)
        pairs = [
            (("HSA-id", d.hsa_id), ("Vårdtyp", d.care_type)),
            (("Status", status), ("Telefon", d.phone)),
            (("Prioriterad", yes_no(d.prioritized)), ("Övrig tjänst", yes_no(d.other_service))),
        ]
        wide = width - LABEL
        if width >= FACTS_WIDTH:
            lines = [f"{'Namn':<{LABEL}}{fit(d.name, wide)}"]
            lines += [
                f"{a:<{LABEL}}{fit(b, 26):<27}{c:<13}{fit(e, wide - 40)}".rstrip()
                for (a, b), (c, e) in pairs
            ]
            lines += [
                f"{'Adress':<{LABEL}}{fit(address, wide)}".rstrip(),
                f"{'E-post':<{LABEL}}{fit(d.email, wide)}".rstrip(),
                f"{'Övrigt':<{LABEL}}{fit(d.info, wide)}".rstrip(),
            ]
        else:
            # One to a line; the page scrolls, so name, address and e-mail wrap whole.
            rows = [("Namn", d.name), *(fact for pair in pairs for fact in pair)]
            rows += [("Adress", address), ("E-post", d.email)]
            lines = [facts(rows, NARROW_LABEL, wrap=width)]
            if clean(d.info):
                lines.append(f"{'Övrigt':<{NARROW_LABEL}}{fit(d.info, width - NARROW_LABEL)}")
        if d.weekly_cases:
            total = sum(d.weekly_cases)
            # The blocks are a picture; the figures beside them say it in words.
            blocks = sparkline(d.weekly_cases)
            figures = f"{count_text(total)} på 52 v"
            if 10 + len(blocks) + 1 + len(figures) <= width:
                lines.append(f"{'Per vecka':<10}{blocks} {figures}")
            else:  # the figures on the label's line, the weeks whole under it
                lines += [f"{'Per vecka':<{NARROW_LABEL}}{figures}", blocks]
        return "\n".join(lines)

    @on(DataTable.RowSelected, "#case-types")
    def _show_terms(self, event: DataTable.RowSelected) -> None:
        if self.details is None or event.row_key.value == "-":
            return
        ct = self.details.case_types[int(str(event.row_key.value))]
        text = ct.terms_text or "Ärendetypen har ingen villkorstext."
        if ct.description:
            text = f"{ct.description}\n\nVillkorstext:\n{text}"
        self.app.push_screen(TextDialog(f"{ct.name} – villkorstext", text))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Roles are only handed out on active units: for an inactive one the key is not
        # offered (False hides it; a dimmed key would read the same as a working one
        # without colour).
        if action == "assign":
            return self.details is not None and self.details.active
        if action == "why_no_assign":
            return self.details is not None and not self.details.active
        return super().check_action(action, parameters)

    def action_why_no_assign(self) -> None:
        self.show_error(INACTIVE_NOTE)

    @on(Button.Pressed, "#assign")
    def action_assign(self) -> None:
        if self.details is None or not self.details.active:
            return
        from tui.screens.assign_grants import AssignGrantsScreen

        self._reload_on_resume = True
        self.app.push_screen(AssignGrantsScreen(self.details.hsa_id, self.details.name))
