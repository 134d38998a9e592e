"""Vårdmottagningar › Inaktivera: välj mottagning -> Visa (checklistan) -> Inaktivera.

The checklist is measured from the data; what is still open is shown with counts and the
admin confirms (j/n) before anything is written. One administrator always stays.
"""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, ContentSwitcher, Static

from models import validation
from models.errors import ValidationError
from models.text import clean
from models.units import Checklist, UnitRow, deactivate_unit, deactivation_checklist
from tui.screens.base import PageScreen
from tui.widgets.cells import count_text, fit
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.form import facts
from tui.widgets.unit_pager import UnitPager

PAGE_SIZE = 17


class DeactivateScreen(PageScreen):
    TITLE = "Inaktivera mottagning"
    HELP = """
Här inaktiverar du mottagningar som ska avslutas. Du ansvarar för att mottagningen först har
inaktiverat sina ärendetyper, besvarat inkomna och fördelade ärenden och tagit bort alla
behörigheter utom en administratör, som behålls för de arkiverade ärendena. Välj mottagningen
i listan (eller skriv dess HSA-id) och tryck Enter (Visa). Kontrollera checklistan och
inaktivera med F2; du får bekräfta med j. Kvarvarande ärendetyper inaktiveras och övriga
behörigheter tas bort. Inaktiverade mottagningar återaktiveras via Aktivera.
"""

    BINDINGS = [
        Binding("f2", "deactivate", "Inaktivera"),
        Binding("f2", "done", "Klar"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.unit: UnitRow | None = None
        self.checklist: Checklist | None = None

    def compose_body(self) -> ComposeResult:
        with ContentSwitcher(initial="step-pick", id="steps"):
            with Vertical(id="step-pick"):
                yield UnitPager(active_only=True, page_size=PAGE_SIZE, id="pick",
                                label="Sök/HSA-id:",
                                placeholder="filtrera, eller skriv ett HSA-id och tryck Enter")
            with Vertical(id="step-check"):
                yield Static("Kontrollera att rätt mottagning är vald.", classes="lead")
                yield Static("", id="unit-facts", markup=False)
                yield Static("Före inaktivering", classes="heading")
                yield Static("", id="checklist", markup=False)
                yield Static("", id="kept", markup=False)
                with Horizontal(classes="buttons"):
                    yield Button("Inaktivera", id="deactivate", compact=True, variant="error")
                    yield Button("Avbryt", id="cancel", compact=True)
            with Vertical(id="step-done"):
                yield Static("", id="result", markup=False)
                with Horizontal(classes="buttons"):
                    yield Button("Klar", id="done", compact=True, variant="primary")

    def on_mount(self) -> None:
        pager = self.query_one("#pick", UnitPager)
        pager.load("")
        pager.focus_filter()

    @property
    def step(self) -> str:
        return self.query_one("#steps", ContentSwitcher).current or "step-pick"

    def _go(self, step: str, focus: str) -> None:
        self.query_one("#steps", ContentSwitcher).current = step
        self.query_one(focus).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "deactivate":
            return self.step == "step-check"
        if action == "done":
            return self.step == "step-done"
        return super().check_action(action, parameters)

    def action_back(self) -> None:
        if self.wait_for_write():
            return
        if self.step == "step-pick":
            super().action_back()
        else:
            self.action_done()

    # --- pick -> Visa ---------------------------------------------------------------
    @on(UnitPager.Chosen)
    def _chosen(self, event: UnitPager.Chosen) -> None:
        self.show_unit(event.hsa_id)

    @on(UnitPager.Submitted)
    def _submitted(self, event: UnitPager.Submitted) -> None:
        # A full HSA-id opens that unit even when it is not in the list (the service then
        # says why: inactive already, another region's, unknown).
        try:
            key = validation.hsa_id(event.term)
        except ValidationError:
            key = None
        if key is not None:
            self.show_unit(key)
        elif event.page.total == 1:
            self.show_unit(event.page.rows[0].hsa_id)
        else:
            event.pager.action_to_table()

    def show_unit(self, hsa_id: str) -> None:
        self.clear_message()
        self.call_service(deactivation_checklist, self.app.operator, hsa_id,
                          done=self._show_checklist, group="checklist")

    def _show_checklist(self, result: tuple[UnitRow, Checklist]) -> None:
        unit, checklist = result
        self.unit, self.checklist = unit, checklist
        self.query_one("#unit-facts", Static).update(facts(
            [("Mottagning", fit(unit.name, 62)), ("HSA-id", unit.hsa_id),
             ("Vårdtyp", fit(unit.care_type, 62)), ("Ort", fit(unit.city, 62))], 14))
        lines = []
        for label, count in checklist.lines():
            mark = "Kvar" if count else "Klart"
            lines.append(f"{mark:<6}{count_text(count):>6}  {label}")
        self.query_one("#checklist", Static).update("\n".join(lines))
        if checklist.kept_admin:
            kept = (f"Behålls som administratör för de arkiverade ärendena: "
                    f"{clean(checklist.kept_admin)}.")
        else:
            kept = ("Mottagningen har ingen administratör: de arkiverade ärendena går inte att "
                    "nå efter inaktiveringen. Tilldela en administratör först om de behövs.")
        self.query_one("#kept", Static).update(kept)
        self._go("step-check", "#deactivate")

    # --- Inaktivera -----------------------------------------------------------------
    @on(Button.Pressed, "#deactivate")
    def action_deactivate(self) -> None:
        if self.unit is None or self.checklist is None or self.wait_for_write():
            return
        unit = self.unit
        open_items = [f"{label.split(' (')[0].lower()}: {count_text(n)}"
                      for label, n in self.checklist.lines() if n]
        question = f"Inaktivera {fit(unit.name, 60)} ({unit.hsa_id})?"
        if open_items:
            question += "\nMottagningen har kvar " + "; ".join(open_items) + "."

        def answered(yes: bool | None) -> None:
            if yes:
                self.call_write(deactivate_unit, self.app.operator, unit.hsa_id, True,
                                done=partial(self._deactivated, unit))

        self.app.push_screen(ConfirmDialog(question), answered)

    def _deactivated(self, unit: UnitRow, checklist: Checklist) -> None:
        kept = (f"{clean(checklist.kept_admin)} behålls som administratör."
                if checklist.kept_admin else "Ingen administratör fanns på mottagningen.")
        open_cases = checklist.incoming_unanswered + checklist.assigned_unanswered
        lines = [
            f"Mottagningen {clean(unit.name)} ({unit.hsa_id}) är inaktiverad.",
            "",
            f"Ärendetyper som inaktiverades: {count_text(checklist.active_case_types)}",
            f"Behörigheter som togs bort: {count_text(checklist.extra_grants)}",
            kept,
        ]
        if open_cases:
            lines.append(f"Obesvarade ärenden som ligger kvar i arkivet: {count_text(open_cases)}")
        self.query_one("#result", Static).update("\n".join(lines))
        self.show_message(f"{clean(unit.name)} är inaktiverad.")
        self._go("step-done", "#done")

    @on(Button.Pressed, "#cancel")
    @on(Button.Pressed, "#done")
    def action_done(self) -> None:
        if self.wait_for_write():
            return
        self.unit = None
        self.checklist = None
        pager = self.query_one("#pick", UnitPager)
        self._go("step-pick", "#filter")
        pager.reload()
