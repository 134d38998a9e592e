"""Vårdmottagningar › Aktivera: HSA-id -> Visa -> uppgifter -> Gå vidare -> Slutför aktivering.

One page in four steps (the manual's steps 3-7); Escape goes back one step. An inactive
unit is re-activated by the same flow. Nothing is written before Slutför aktivering.

Nobody remembers a 17-character HSA-id: the field starts with the region's prefix
(SE2321000016- in Stockholm) and searches the region's HSA catalogue as you type, by a part
of the name, the id or the town. The hits that can be activated come first; Down/Up pick
one and Enter takes it (Visa). A whole HSA-id typed works as before.
"""

from __future__ import annotations

import re
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Button, Checkbox, ContentSwitcher, Input, Static

from models import validation
from models.directory import (
    DirectoryHit,
    DirectorySearch,
    hsa_prefix,
    search_directory,
    search_words,
)
from models.errors import DomainError, ValidationError
from models.text import clean
from models.units import DirectoryEntry, UnitRow, activate_unit, lookup_for_activation
from tui.screens.base import PageScreen
from tui.widgets.cells import fit, yes_no
from tui.widgets.form import Hint, block_width, facts, field_row
from tui.widgets.plain_checkbox import PlainCheckbox
from tui.widgets.quiet_input import QuietInput

HSA_HINT = "Resten av HSA-id:t, eller en del av namnet. Enter = Visa."
HITS_SHOWN = 6
DEBOUNCE_SECONDS = 0.3  # one one-shot timer, restarted on each key: nothing repeats
# The prefix typed again after the one the field starts with ("SE2321000016-SE2321000016-",
# a whole HSA-id typed or pasted into the field as it opens): the first one goes.
_DOUBLED_PREFIX = re.compile(
    r"(SE(?:16)?[0-9]{10}-)(SE(?:16)?[0-9]{10}-.*)", re.ASCII | re.IGNORECASE
)
NAME_HINT = "Lämna tomt för att behålla namnet. Ett sammanhängande ord får vara max 28 tecken."
OTHER_SERVICE_TEXT = (
    "Används endast i undantagsfall; kontakta supporten om du är osäker. Mottagningen blir "
    "då inte sökbar för invånaren under Hitta och lägg till fler mottagningar, utan visas "
    "endast under Alla övriga tjänster."
)


class HsaField(QuietInput):
    """The HSA-id field; Down/Up pick among the catalogue hits shown under it."""

    BINDINGS = [
        Binding("down", "screen.pick(1)", show=False, id="activate.pick_next"),
        Binding("up", "screen.pick(-1)", show=False, id="activate.pick_previous"),
    ]


class HitList(Static):
    """The catalogue hits under the field, the picked one marked (› and reverse video,
    which also shows without colour). Not focusable: the typing stays in the field."""

    DEFAULT_CSS = """
    HitList { height: auto; margin-top: 1; }
    """

    def show_hits(self, hits: tuple[DirectoryHit, ...], picked: int) -> None:
        self.display = bool(hits)
        if not hits:
            self.update("")
            return
        width = block_width(self)
        id_width = max(len(h.hsa_id) for h in hits)
        state_width = max(len(h.state_name) for h in hits)
        name_width = width - 2 - id_width - state_width - 4
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, hit in enumerate(hits):
            mark = "›" if index == picked else " "
            line = (
                f"{mark} {fit(hit.name, name_width):<{name_width}}  "
                f"{clean(hit.hsa_id):<{id_width}}  {hit.state_name}"
            )
            if index:
                text.append("\n")
            text.append(line, style="reverse" if index == picked else "")
        self.update(text)


class ActivateScreen(PageScreen):
    TITLE = "Aktivera mottagning"
    HELP = """
Första steget av två för en ny vårdmottagning (administratören där gör steg två). Fältet
börjar med regionens HSA-id-början: skriv resten, eller en del av namnet för träffar ur
HSA-katalogen; pil ned/upp väljer, Enter (Visa) tar den. Fyll i Nytt namn om namnet ska
ändras (max 28 tecken i ett ord); Visa som övrig tjänst endast i undantagsfall. Gå vidare,
Slutför aktivering, Tilldela behörigheter. En inaktiverad mottagning återaktiveras på
samma sätt. Escape går tillbaka ett steg.
"""

    BINDINGS = [
        Binding("f2", "show_entry", "Visa", id="activate.next"),
        Binding("f2", "proceed", "Gå vidare", id="activate.next"),
        Binding("f2", "finish", "Slutför aktivering", id="activate.next"),
        # Short: the footer holds these, Escape, F1 and the palette's key in 80 columns.
        Binding("f2", "assign", "Tilldela", id="activate.next"),
        Binding("f3", "again", "Aktivera en till", id="activate.again"),
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
        self.activated: UnitRow | None = None
        self.prefix = ""  # the region's SE<org number>-, once the store has said it
        self.hits: tuple[DirectoryHit, ...] = ()
        self.hits_for: str | None = None  # the field text the hits were found for
        self.picked = 0
        self._debounce: Timer | None = None
        self._take_first = False  # Enter came before the hits: take them on arrival
        self._taken: str | None = None  # the id of a hit just put in the field

    def compose_body(self) -> ComposeResult:
        with ContentSwitcher(initial="step-id", id="steps"):
            with Vertical(id="step-id"):
                yield Static(
                    "Ange HSA-id för mottagningen du vill aktivera, eller sök på en del av namnet.",
                    classes="lead",
                )
                yield field_row(
                    "HSA-id",
                    HsaField(id="hsa-id", compact=True, max_length=40),
                    Button("Visa", id="show", compact=True),
                )
                yield Hint(HSA_HINT, id="hsa-hint")
                yield HitList("", id="hits", markup=False)
            with Vertical(id="step-entry"):
                yield Static("", id="entry-lead", classes="lead", markup=False)
                yield Static("", id="entry-facts", markup=False)
                yield field_row(
                    "Nytt namn", QuietInput(id="new-name", compact=True, max_length=200)
                )
                yield Hint(NAME_HINT, id="name-hint")
                yield PlainCheckbox("Visa som övrig tjänst", id="other-service", compact=True)
                yield Static(OTHER_SERVICE_TEXT, id="other-service-text", classes="explain")
                with Horizontal(classes="buttons"):
                    yield Button("Gå vidare", id="proceed", compact=True, variant="primary")
            with Vertical(id="step-summary"):
                yield Static(
                    "Kontrollera att allt ser rätt ut och välj Slutför aktivering.", classes="lead"
                )
                yield Static("", id="summary-facts", markup=False)
                with Horizontal(classes="buttons"):
                    yield Button("Slutför aktivering", id="finish", compact=True, variant="primary")
                    yield Button("Ändra", id="change", compact=True)
            with Vertical(id="step-done"):
                yield Static("", id="done-lead", classes="lead", markup=False)
                yield Static(
                    "Om du vill kan du nu dela ut behörighet som administratör för mottagningen.",
                    classes="explain",
                )
                with Horizontal(classes="buttons"):
                    yield Button(
                        "Tilldela behörigheter", id="assign", compact=True, variant="primary"
                    )
                    yield Button("Aktivera en till", id="again", compact=True)

    def on_mount(self) -> None:
        self.query_one("#hits", HitList).display = False
        self.query_one("#hsa-id", Input).focus()
        self.call_service(hsa_prefix, self.app.operator, done=self._prefill, group="prefix")

    def _prefill(self, prefix: str) -> None:
        self.prefix = prefix
        field = self.query_one("#hsa-id", Input)
        if not field.value:  # not if the admin has typed already
            field.value = prefix

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
        previous = {
            "step-entry": ("step-id", "#hsa-id"),
            "step-summary": ("step-entry", "#new-name"),
        }.get(self.step)
        if previous is None:
            super().action_back()
            return
        self.clear_message()
        self._go(*previous)

    # --- step 1: HSA-id -> Visa ------------------------------------------------------
    @on(Input.Changed, "#hsa-id")
    def _hsa_changed(self, event: Input.Changed) -> None:
        if self._taken is not None and event.value == self._taken:
            self._taken = None  # a hit taken: its id put in the field, nothing to search
            return
        doubled = _DOUBLED_PREFIX.fullmatch(event.value.strip())
        if doubled:
            event.input.value = doubled.group(2)  # changes again: searched then
            return
        # The hits shown stay until the new ones come (no flicker); Enter meanwhile waits
        # for the new ones (hits_for).
        self._take_first = False
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self._search)

    def _search(self) -> None:
        self._debounce = None
        text = self.query_one("#hsa-id", Input).value
        self.call_service(
            search_directory,
            self.app.operator,
            text,
            HITS_SHOWN,
            done=partial(self._found, text),
            fail=self._search_failed,
            group="directory",
        )

    def _search_failed(self, error: DomainError) -> None:
        self._take_first = False
        self.query_one("#hsa-hint", Hint).error(error)

    def _found(self, text: str, found: DirectorySearch) -> None:
        if self.query_one("#hsa-id", Input).value != text or self.step != "step-id":
            return  # typed on meanwhile: a newer search is coming
        self.hits_for = text
        self._show_hits(found.hits)
        hint = self.query_one("#hsa-hint", Hint)
        if found.hits:
            count = len(found.hits)
            if found.more:
                hint.info(f"Fler än {count} träffar: skriv mer. Pil ned/upp väljer, Enter = Visa.")
            elif count == 1:
                hint.info("1 träff i HSA-katalogen. Enter = Visa.")
            else:
                hint.info(f"{count} träffar i HSA-katalogen. Pil ned/upp väljer, Enter = Visa.")
        else:
            problem = validation.hsa_id_partial(text)
            typed = text.strip()
            if typed.upper().startswith(self.prefix.upper()):
                typed = typed[len(self.prefix) :].strip()
            if problem:
                hint.error(problem)
            elif search_words(text, self.prefix):
                hint.info(f"Inget i regionens HSA-katalog matchar ”{fit(typed, 31)}”.")
            else:
                hint.info()
        if self._take_first:
            self._take_first = False
            self.action_show_entry()

    def _show_hits(self, hits: tuple[DirectoryHit, ...]) -> None:
        self.hits = hits
        self.picked = 0
        if not hits:
            self.hits_for = None
        self.query_one("#hits", HitList).show_hits(hits, self.picked)

    def action_pick(self, step: int) -> None:
        if not self.hits or self.step != "step-id":
            return
        self.picked = (self.picked + step) % len(self.hits)
        self.query_one("#hits", HitList).show_hits(self.hits, self.picked)

    @on(Input.Submitted, "#hsa-id")
    @on(Button.Pressed, "#show")
    def action_show_entry(self) -> None:
        field = self.query_one("#hsa-id", Input)
        if self._debounce is not None or (
            self.hits_for != field.value and self.service_running("directory")
        ):
            # Enter before the hits for what is typed now: take them when they come.
            if self._debounce is not None:
                self._debounce.stop()
                self._debounce = None
                self._search()
            self._take_first = True
            return
        if self.hits and self.hits_for == field.value:
            hit = self.hits[self.picked]
            self._show_hits(())
            if field.value != hit.hsa_id:
                self._taken = hit.hsa_id
                field.value = hit.hsa_id
            self._visa(hit.hsa_id)
            return
        self._visa(field.value)

    def _visa(self, typed: str) -> None:
        hint = self.query_one("#hsa-hint", Hint)
        try:
            key = validation.hsa_id(typed)
        except ValidationError as error:
            hint.error(error)
            return
        hint.info("Hämtar uppgifter ur HSA-katalogen …")
        self.call_service(
            lookup_for_activation,
            self.app.operator,
            key,
            done=self._show_entry,
            fail=hint.error,
            group="lookup",
        )

    def _show_entry(self, entry: DirectoryEntry) -> None:
        typed = self.query_one("#hsa-id", Input).value.strip().upper()
        if typed != entry.hsa_id:
            return  # the field was changed while the directory was asked: not this one
        self.entry = entry
        self.query_one("#hsa-hint", Hint).info()
        self.clear_message()
        if entry.reactivation:
            lead = (
                f"Mottagningen är inaktiverad och återaktiveras. Nuvarande namn: "
                f"{fit(entry.current_name, 40)}"
            )
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
        address = ", ".join(
            p for p in (entry.street, f"{entry.postal_code} {entry.city}".strip()) if p
        )
        # One line each (the directory's texts can be long): the page must fit 80x24.
        return [
            ("HSA-id", entry.hsa_id),
            ("Namn", fit(entry.name, 62)),
            ("Vårdtyp", fit(entry.care_type, 62)),
            ("Adress", fit(address, 62)),
            ("Telefon", fit(entry.phone, 62)),
            ("Övrigt", fit(entry.info, 62)),
            ("Region", entry.region_name),
        ]

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
            facts(self._summary_rows(), 24, wrap=block_width(self.query_one("#page-body")))
        )
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
        action = (
            "Återaktivera inaktiverad mottagning"
            if entry.reactivation
            else "Aktivera ny mottagning"
        )
        other = self.query_one("#other-service", Checkbox).value
        return [
            ("Åtgärd", action),
            ("HSA-id", entry.hsa_id),
            ("Namn", name),
            ("Vårdtyp", entry.care_type),
            ("Region", entry.region_name),
            ("Visa som övrig tjänst", yes_no(other)),
        ]

    # --- step 3: Slutför aktivering -----------------------------------------------------
    @on(Button.Pressed, "#change")
    def _change(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#finish")
    def action_finish(self) -> None:
        if self.entry is None:
            return
        self.call_write(
            activate_unit,
            self.app.operator,
            self.entry.hsa_id,
            self._new_name(),
            self.query_one("#other-service", Checkbox).value,
            done=partial(self._activated, self.entry),
            fail=self._failed,
        )

    def _failed(self, error: DomainError) -> None:
        self.show_error(error)

    def _activated(self, entry: DirectoryEntry, unit: UnitRow) -> None:
        self.activated = unit
        verb = "återaktiverad" if entry.reactivation else "aktiverad"
        self.query_one("#done-lead", Static).update(
            f"Mottagningen {clean(unit.name)} ({unit.hsa_id}) är nu {verb}."
        )
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
        field.value = self.prefix
        self._go("step-id", "#hsa-id")
