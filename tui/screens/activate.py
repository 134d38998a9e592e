"""Vårdmottagningar › Aktivera: HSA-id -> Visa -> uppgifter -> Gå vidare -> Slutför aktivering.

One page in four steps (the manual's steps 3-7); Escape goes back one step. An inactive
unit is re-activated by the same flow. Nothing is written before Slutför aktivering.
"""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, ContentSwitcher, Input, Static

from models import validation
from models.entities import Unit
from models.errors import DomainError, ValidationError
from models.text import clean
from models.units import DirectoryEntry, activate_unit, lookup_for_activation
from tui.screens.base import PageScreen
from tui.widgets.cells import fit, yes_no
from tui.widgets.form import Hint, block_width, facts, field_row
from tui.widgets.plain_checkbox import PlainCheckbox
from tui.widgets.quiet_input import QuietInput

HSA_HINT = "Till exempel SE2321000016-ABC1. Enter = Visa."
NAME_HINT = "Lämna tomt för att behålla namnet. Ett sammanhängande ord får vara max 28 tecken."
OTHER_SERVICE_TEXT = (
    "Används endast i undantagsfall; kontakta supporten om du är osäker. Mottagningen blir "
    "då inte sökbar för invånaren under Hitta och lägg till fler mottagningar, utan visas "
    "endast under Alla övriga tjänster."
)


class ActivateScreen(PageScreen):
    TITLE = "Aktivera mottagning"
    HELP = """
Här utför du det första av två steg för att aktivera en ny vårdmottagning; administratören
på mottagningen utför steg två. Ange HSA-id och tryck Enter (Visa). Kontrollera namnet; vill
du ändra det fyller du i Nytt namn (ett sammanhängande ord får vara max 28 tecken). Kryssrutan
Visa som övrig tjänst används endast i undantagsfall. Gå vidare, kontrollera och Slutför
aktivering. Sedan kan du direkt Tilldela behörigheter. En inaktiverad mottagning återaktiveras
på samma sätt. Escape går tillbaka ett steg.
"""

    BINDINGS = [
        Binding("f2", "show_entry", "Visa"),
        Binding("f2", "proceed", "Gå vidare"),
        Binding("f2", "finish", "Slutför aktivering"),
        Binding("f2", "assign", "Tilldela behörigheter"),
        Binding("f3", "again", "Aktivera en till"),
    ]

    STEP_ACTIONS = {
        "show_entry": "step-id",
        "proceed": "step-entry",
        "finish": "step-summary",
        "assign": "step-done",
        "again": "step-done",
    }

    def __init__(self) -> None:
        super().__init__()
        self.entry: DirectoryEntry | None = None
        self.activated: Unit | None = None

    def compose_body(self) -> ComposeResult:
        with ContentSwitcher(initial="step-id", id="steps"):
            with Vertical(id="step-id"):
                yield Static("Ange HSA-id för den mottagning du vill aktivera.", classes="lead")
                yield field_row("HSA-id", QuietInput(id="hsa-id", compact=True, max_length=40),
                                Button("Visa", id="show", compact=True))
                yield Hint(HSA_HINT, id="hsa-hint")
            with Vertical(id="step-entry"):
                yield Static("", id="entry-lead", classes="lead", markup=False)
                yield Static("", id="entry-facts", markup=False)
                yield field_row("Nytt namn", QuietInput(id="new-name", compact=True,
                                                        max_length=200))
                yield Hint(NAME_HINT, id="name-hint")
                yield PlainCheckbox("Visa som övrig tjänst", id="other-service", compact=True)
                yield Static(OTHER_SERVICE_TEXT, id="other-service-text", classes="explain")
                with Horizontal(classes="buttons"):
                    yield Button("Gå vidare", id="proceed", compact=True, variant="primary")
            with Vertical(id="step-summary"):
                yield Static("Kontrollera att allt ser rätt ut och välj Slutför aktivering.",
                             classes="lead")
                yield Static("", id="summary-facts", markup=False)
                with Horizontal(classes="buttons"):
                    yield Button("Slutför aktivering", id="finish", compact=True,
                                 variant="primary")
                    yield Button("Ändra", id="change", compact=True)
            with Vertical(id="step-done"):
                yield Static("", id="done-lead", classes="lead", markup=False)
                yield Static("Om du vill kan du nu dela ut behörighet som administratör för "
                             "mottagningen.", classes="explain")
                with Horizontal(classes="buttons"):
                    yield Button("Tilldela behörigheter", id="assign", compact=True,
                                 variant="primary")
                    yield Button("Aktivera en till", id="again", compact=True)

    def on_mount(self) -> None:
        self.query_one("#hsa-id", Input).focus()

    # --- steps --------------------------------------------------------------------
    @property
    def step(self) -> str:
        return self.query_one("#steps", ContentSwitcher).current or "step-id"

    def _go(self, step: str, focus: str) -> None:
        self.query_one("#steps", ContentSwitcher).current = step
        self.query_one(focus).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        step = self.STEP_ACTIONS.get(action)
        if step is not None:
            return self.step == step
        return super().check_action(action, parameters)

    def action_back(self) -> None:
        if self.wait_for_write():
            return
        previous = {"step-entry": ("step-id", "#hsa-id"),
                    "step-summary": ("step-entry", "#new-name")}.get(self.step)
        if previous is None:
            super().action_back()
            return
        self.clear_message()
        self._go(*previous)

    # --- step 1: HSA-id -> Visa ------------------------------------------------------
    @on(Input.Changed, "#hsa-id")
    def _hsa_changed(self, event: Input.Changed) -> None:
        problem = validation.hsa_id_partial(event.value)
        hint = self.query_one("#hsa-hint", Hint)
        if problem:
            hint.error(problem)
        else:
            hint.info()

    @on(Input.Submitted, "#hsa-id")
    @on(Button.Pressed, "#show")
    def action_show_entry(self) -> None:
        hint = self.query_one("#hsa-hint", Hint)
        try:
            key = validation.hsa_id(self.query_one("#hsa-id", Input).value)
        except ValidationError as error:
            hint.error(error)
            return
        hint.info("Hämtar uppgifter ur HSA-katalogen …")
        self.call_service(lookup_for_activation, self.app.operator, key,
                          done=self._show_entry, fail=hint.error, group="lookup")

    def _show_entry(self, entry: DirectoryEntry) -> None:
        typed = self.query_one("#hsa-id", Input).value.strip().upper()
        if typed != entry.hsa_id:
            return  # the field was changed while the directory was asked: not this one
        self.entry = entry
        self.query_one("#hsa-hint", Hint).info()
        self.clear_message()
        if entry.reactivation:
            lead = (f"Mottagningen är inaktiverad och återaktiveras. Nuvarande namn: "
                    f"{fit(entry.current_name, 40)}")
        else:
            lead = "Mottagningens uppgifter i HSA-katalogen. Kontrollera att namnet är korrekt."
        self.query_one("#entry-lead", Static).update(lead)
        self.query_one("#entry-facts", Static).update(facts(self._entry_rows(entry), 14))
        self.query_one("#new-name", Input).value = ""
        self.query_one("#name-hint", Hint).info()
        self.query_one("#other-service", Checkbox).value = False
        self._go("step-entry", "#new-name")

    @staticmethod
    def _entry_rows(entry: DirectoryEntry) -> list[tuple[str, object]]:
        address = ", ".join(p for p in (entry.street, f"{entry.postal_code} {entry.city}".strip())
                            if p)
        # One line each (the directory's texts can be long): the page must fit 80x24.
        return [("HSA-id", entry.hsa_id), ("Namn", fit(entry.name, 62)),
                ("Vårdtyp", fit(entry.care_type, 62)), ("Adress", fit(address, 62)),
                ("Telefon", fit(entry.phone, 62)), ("Övrigt", fit(entry.info, 62)),
                ("Region", entry.region_name)]

    # --- step 2: Nytt namn, övrig tjänst -> Gå vidare ------------------------------------
    @on(Input.Changed, "#new-name")
    def _name_changed(self, event: Input.Changed) -> None:
        hint = self.query_one("#name-hint", Hint)
        error = self._name_error(event.value)
        if error:
            hint.error(error)
        else:
            hint.info()

    @staticmethod
    def _name_error(value: str) -> str | None:
        if not value.strip():
            return None
        try:
            validation.unit_name(value)
        except ValidationError as error:
            return str(error)
        return None

    @on(Input.Submitted, "#new-name")
    @on(Button.Pressed, "#proceed")
    def action_proceed(self) -> None:
        if self.entry is None:
            return
        error = self._name_error(self.query_one("#new-name", Input).value)
        if error:
            self.query_one("#name-hint", Hint).error(error)
            self.query_one("#new-name").focus()
            return
        # The step where the admin checks what will be written: every value whole.
        self.query_one("#summary-facts", Static).update(
            facts(self._summary_rows(), 24, wrap=block_width(self.query_one("#page-body"))))
        self._go("step-summary", "#finish")

    def _new_name(self) -> str | None:
        value = self.query_one("#new-name", Input).value
        return validation.unit_name(value) if value.strip() else None

    def _summary_rows(self) -> list[tuple[str, object]]:
        entry = self.entry
        assert entry is not None
        new_name = self._new_name()
        current = entry.current_name or entry.name
        name = f"{new_name} (nytt namn)" if new_name else current
        action = ("Återaktivera inaktiverad mottagning" if entry.reactivation
                  else "Aktivera ny mottagning")
        other = self.query_one("#other-service", Checkbox).value
        return [("Åtgärd", action), ("HSA-id", entry.hsa_id), ("Namn", name),
                ("Vårdtyp", entry.care_type), ("Region", entry.region_name),
                ("Visa som övrig tjänst", yes_no(other))]

    # --- step 3: Slutför aktivering -----------------------------------------------------
    @on(Button.Pressed, "#change")
    def _change(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#finish")
    def action_finish(self) -> None:
        if self.entry is None:
            return
        self.call_write(activate_unit, self.app.operator, self.entry.hsa_id,
                        self._new_name(), self.query_one("#other-service", Checkbox).value,
                        done=partial(self._activated, self.entry), fail=self._failed)

    def _failed(self, error: DomainError) -> None:
        self.show_error(error)

    def _activated(self, entry: DirectoryEntry, unit: Unit) -> None:
        self.activated = unit
        verb = "återaktiverad" if entry.reactivation else "aktiverad"
        self.query_one("#done-lead", Static).update(
            f"Mottagningen {clean(unit.name)} ({unit.hsa_id}) är nu {verb}.")
        self.show_message(f"{clean(unit.name)} är {verb}.")
        self._go("step-done", "#assign")

    # --- step 4: confirmation ------------------------------------------------------------
    @on(Button.Pressed, "#assign")
    def action_assign(self) -> None:
        if self.activated is None:
            return
        from tui.screens.assign_grants import AssignGrantsScreen

        self.app.push_screen(AssignGrantsScreen(self.activated.hsa_id, self.activated.name))

    @on(Button.Pressed, "#again")
    def action_again(self) -> None:
        self.entry = None
        self.activated = None
        self.clear_message()
        field = self.query_one("#hsa-id", Input)
        field.value = ""
        self._go("step-id", "#hsa-id")
