"""Vårdmottagningar › Inaktivera: välj mottagning -> Visa (checklistan) -> Inaktivera.

The checklist is measured from the data; what is still open is shown with counts and the
admin confirms (j/n) before anything is written. One administrator always stays: a unit
without one cannot be inactivated, and the checklist says so before anything else, with
Tilldela behörigheter (t) as the way on.
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
from tui.widgets.cells import count_text
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.form import block_width, facts
from tui.widgets.unit_pager import UnitPager

PAGE_SIZE = 17
ADMIN_LINE = "Administratör som behålls för de arkiverade ärendena"
NO_ADMIN = (
    "Mottagningen saknar administratör. Tilldela en administratör först (t), så att "
    "de arkiverade ärendena går att nå efter inaktiveringen."
)


class DeactivateScreen(PageScreen):
    TITLE = "Inaktivera mottagning"
    HELP = """
Här inaktiverar du mottagningar som ska avslutas. Mottagningen ska först ha inaktiverat
sina ärendetyper, besvarat inkomna och fördelade ärenden och tagit bort alla behörigheter
utom en administratör, som behålls för de arkiverade ärendena. Välj mottagningen (eller
skriv dess HSA-id) och tryck Enter (Visa). Kontrollera checklistan och inaktivera med F2
(bekräfta med j): kvarvarande ärendetyper inaktiveras och övriga behörigheter tas bort.
Saknas administratör: t (Tilldela behörigheter). Återaktivera via Aktivera.
"""

    BINDINGS = [
        Binding("f2", "deactivate", "Inaktivera", id="deactivate.next"),
        Binding("f2", "done", "Klar", id="deactivate.next"),
        Binding("t", "assign", "Tilldela behörigheter", id="deactivate.assign"),
        # A unit without administrator: F2 is not offered, and says why when pressed.
        Binding("f2", "why_blocked", show=False, id="deactivate.next"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.unit: UnitRow | None = None
        self.checklist: Checklist | None = None
        self._reload_on_resume = False

    def compose_body(self) -> ComposeResult:
        with ContentSwitcher(initial="step-pick", id="steps"):
            with Vertical(id="step-pick"):
                yield UnitPager(
                    active_only=True,
                    page_size=PAGE_SIZE,
                    id="pick",
                    label="Sök/HSA-id:",
                    placeholder="filtrera, eller skriv ett HSA-id och tryck Enter",
                )
            with Vertical(id="step-check"):
                yield Static("Kontrollera att rätt mottagning är vald.", classes="lead")
                yield Static("", id="unit-facts", markup=False)
                yield Static("Före inaktivering", classes="heading")
                yield Static("", id="checklist", markup=False)
                yield Static("", id="kept", markup=False)
                with Horizontal(classes="buttons"):
                    yield Button("Inaktivera", id="deactivate", compact=True, variant="error")
                    yield Button(
                        "Tilldela behörigheter (t)", id="assign", compact=True, variant="primary"
                    )
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

    @property
    def blocked(self) -> bool:
        """The unit has no administrator to keep: it cannot be inactivated yet."""
        return self.checklist is not None and self.checklist.kept_admin is None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "deactivate":
            return self.step == "step-check" and not self.blocked
        if action == "assign":
            return self.step == "step-check" and self.unit is not None
        if action == "why_blocked":
            return self.step == "step-check" and self.blocked
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
        self.call_service(
            deactivation_checklist,
            self.app.operator,
            hsa_id,
            done=self._show_checklist,
            group="checklist",
        )

    def _show_checklist(self, result: tuple[UnitRow, Checklist]) -> None:
        unit, checklist = result
        self.unit, self.checklist = unit, checklist
        # The step where the admin checks the unit: every value whole.
        self.query_one("#unit-facts", Static).update(
            facts(
                [
                    ("Mottagning", unit.name),
                    ("HSA-id", unit.hsa_id),
                    ("Vårdtyp", unit.care_type),
                    ("Ort", unit.city),
                ],
                14,
                wrap=block_width(self.query_one("#page-body")),
            )
        )
        lines = []
        for label, count in checklist.lines():
            mark = "Kvar" if count else "Klart"
            lines.append(f"{mark:<7}{count_text(count):>5}  {label}")
        if self.blocked:
            lines.append(f"{'Saknas':<7}{0:>5}  {ADMIN_LINE}")
        else:
            lines.append(f"{'Klart':<7}{1:>5}  {ADMIN_LINE}")
        self.query_one("#checklist", Static).update("\n".join(lines))
        if self.blocked:
            kept = (
                "Mottagningen saknar administratör och kan inte inaktiveras: en "
                "administratör ska finnas kvar så att de arkiverade ärendena går att nå. "
                "Tilldela en administratör först."
            )
        else:
            kept = (
                f"Behålls som administratör för de arkiverade ärendena: "
                f"{clean(checklist.kept_admin)}."
            )
        self.query_one("#kept", Static).update(kept)
        self.query_one("#kept").set_class(self.blocked, "-error")
        self.query_one("#deactivate").display = not self.blocked
        self.query_one("#assign").display = self.blocked
        self._go("step-check", "#assign" if self.blocked else "#deactivate")

    def action_why_blocked(self) -> None:
        self.show_error(NO_ADMIN)

    # --- Tilldela behörigheter: the way out when the unit has no administrator -------
    @on(Button.Pressed, "#assign")
    def action_assign(self) -> None:
        if self.unit is None or self.step != "step-check":
            return
        from tui.screens.assign_grants import AssignGrantsScreen

        self._reload_on_resume = True
        self.app.push_screen(AssignGrantsScreen(self.unit.hsa_id, self.unit.name))

    def on_screen_resume(self) -> None:
        # Back from Tilldela behörigheter: measure the checklist again (only then; a
        # closed confirmation or palette must not redo it).
        if self._reload_on_resume:
            self._reload_on_resume = False
            if self.unit is not None and self.step == "step-check":
                self.show_unit(self.unit.hsa_id)

    # --- Inaktivera -----------------------------------------------------------------
    @on(Button.Pressed, "#deactivate")
    def action_deactivate(self) -> None:
        if self.unit is None or self.checklist is None or self.wait_for_write():
            return
        if self.blocked:
            self.show_error(NO_ADMIN)
            return
        unit = self.unit
        open_items = [
            f"{label.split(' (')[0].lower()}: {count_text(n)}"
            for label, n in self.checklist.lines()
            if n
        ]
        question = f"Inaktivera {clean(unit.name)} ({unit.hsa_id})?"
        if open_items:
            question += "\nMottagningen har kvar " + "; ".join(open_items) + "."

        def answered(yes: bool | None) -> None:
            if yes:
                self.call_write(
                    deactivate_unit,
                    self.app.operator,
                    unit.hsa_id,
                    True,
                    done=partial(self._deactivated, unit),
                )

        self.app.push_screen(ConfirmDialog(question), answered)

    def _deactivated(self, unit: UnitRow, checklist: Checklist) -> None:
        kept = (
            f"{clean(checklist.kept_admin)} behålls som administratör."
            if checklist.kept_admin
            else "Ingen administratör fanns på mottagningen."
        )
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
