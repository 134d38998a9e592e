"""Vårdmottagningar › Ändra namn: the connected units -> Enter on one -> Nytt namn -> Ändra."""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, ContentSwitcher, Input, Static

from models import validation
from models.entities import Unit
from models.errors import ValidationError
from models.text import clean
from models.units import rename_unit
from tui.screens.base import PageScreen
from tui.widgets.form import Hint, block_width, facts, field_row
from tui.widgets.quiet_input import QuietInput
from tui.widgets.unit_pager import UnitPager

NAME_HINT = "Ett sammanhängande ord får vara max 28 tecken. Enter = Ändra."
PAGE_SIZE = 17


class RenameScreen(PageScreen):
    TITLE = "Ändra namn"
    HELP = """
Här ändrar du namn på en redan aktiverad vårdmottagning. Listan visar de anslutna
mottagningarna; skriv i sökfältet för att filtrera, bläddra med PgDn/PgUp och sortera med 1-5
eller s. Tryck Enter på mottagningen, skriv det nya namnet och tryck Enter (Ändra).
Observera att ett sammanhängande ord får vara max 28 tecken.
"""

    BINDINGS = [Binding("f2", "rename", "Ändra", id="rename.rename")]

    def __init__(self) -> None:
        super().__init__()
        self.hsa_id: str | None = None
        self.current_name = ""

    def compose_body(self) -> ComposeResult:
        with ContentSwitcher(initial="step-pick", id="steps"):
            with Vertical(id="step-pick"):
                yield UnitPager(
                    active_only=True,
                    page_size=PAGE_SIZE,
                    id="pick",
                    placeholder="filtrera på HSA-id, namn, adress …",
                )
            with Vertical(id="step-name"):
                yield Static("", id="current", markup=False)
                yield field_row(
                    "Nytt namn", QuietInput(id="new-name", compact=True, max_length=200)
                )
                yield Hint(NAME_HINT, id="name-hint")
                with Horizontal(classes="buttons"):
                    yield Button("Ändra", id="rename", compact=True, variant="primary")
                    yield Button("Avbryt", id="cancel", compact=True)

    def on_mount(self) -> None:
        pager = self.query_one("#pick", UnitPager)
        pager.load("")
        pager.focus_filter()

    @property
    def step(self) -> str:
        return self.query_one("#steps", ContentSwitcher).current or "step-pick"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "rename":
            return self.step == "step-name"
        return super().check_action(action, parameters)

    def action_back(self) -> None:
        if self.wait_for_write():
            return
        if self.step == "step-name":
            self._to_list()
        else:
            super().action_back()

    def _to_list(self) -> None:
        self.hsa_id = None
        self.query_one("#steps", ContentSwitcher).current = "step-pick"
        self.query_one("#units").focus()
        self.refresh_bindings()

    @on(UnitPager.Submitted)
    def _submitted(self, event: UnitPager.Submitted) -> None:
        if event.page.total == 1:
            row = event.page.rows[0]
            self._pick(row.hsa_id, row.name)
        else:
            event.pager.action_to_table()

    @on(UnitPager.Chosen)
    def _chosen(self, event: UnitPager.Chosen) -> None:
        self._pick(event.hsa_id, event.name)

    def _pick(self, hsa_id: str, name: str) -> None:
        self.clear_message()
        self.hsa_id, self.current_name = hsa_id, name
        # Whole, however long: this is where the admin checks which unit is renamed.
        self.query_one("#current", Static).update(
            facts(
                [("HSA-id:", hsa_id), ("Nuvarande namn:", name)],
                16,
                wrap=block_width(self.query_one("#page-body")),
            )
        )
        field = self.query_one("#new-name", Input)
        field.value = name
        self.query_one("#name-hint", Hint).info()
        self.query_one("#steps", ContentSwitcher).current = "step-name"
        field.focus()
        self.refresh_bindings()

    @on(Input.Changed, "#new-name")
    def _name_changed(self, event: Input.Changed) -> None:
        hint = self.query_one("#name-hint", Hint)
        try:
            validation.unit_name(event.value)
        except ValidationError as error:
            hint.error(error)
        else:
            hint.info()

    @on(Input.Submitted, "#new-name")
    @on(Button.Pressed, "#rename")
    def action_rename(self) -> None:
        if self.hsa_id is None:
            return
        hint = self.query_one("#name-hint", Hint)
        try:
            name = validation.unit_name(self.query_one("#new-name", Input).value)
        except ValidationError as error:
            hint.error(error)
            return
        self.call_write(
            rename_unit,
            self.app.operator,
            self.hsa_id,
            name,
            done=partial(self._renamed, self.current_name),
            fail=hint.error,
        )

    def _renamed(self, old_name: str, unit: Unit) -> None:
        self.show_message(
            f"Namnet på {unit.hsa_id} är ändrat från {clean(old_name)} till {clean(unit.name)}."
        )
        self._to_list()
        self.query_one("#pick", UnitPager).reload()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        if self.wait_for_write():
            return
        self.clear_message()
        self._to_list()
