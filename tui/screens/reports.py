"""Statistik › Rapporter: choose one of the nine reports, fill its form, Skapa a file.

The list on the left is the manual's nine reports; the form on the right shows exactly
the chosen report's parameters. Skapa runs the query and the writer on a worker thread,
with a progress line (no spinner) and Escape to cancel; Visa (Användarkonton and
Inloggningar) shows the rows in a small table instead.
"""

from __future__ import annotations

import asyncio
import re
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import DescendantFocus
from textual.message import Message
from textual.widget import Widget
from textual.widgets import (
    Button,
    DataTable,
    Input,
    Label,
    OptionList,
    RadioSet,
    Select,
    Static,
)
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from models.errors import DomainError, ValidationError
from models.operators import Operator
from models.text import clean
from models.timeutil import STOCKHOLM
from models.units import care_types, unit_choices
from models.validation import date_range, iso_date
from reports import registry
from reports.base import Column, ReportParams, ReportResult
from reports.period import end_of_day, last_month
from reports.writers import (
    FORMAT_LABELS,
    OUTPUT_DIR,
    WriteCancelled,
    display,
    is_number,
    is_numeric,
    produce,
    totals_row,
)
from tui.screens.base import PageScreen
from tui.widgets.cells import cell, count_text, plain
from tui.widgets.form import Hint
from tui.widgets.help_panel import reflow
from tui.widgets.menu_list import MenuList
from tui.widgets.plain_checkbox import PlainCheckbox, PlainRadioButton
from tui.widgets.quiet_input import QuietInput
from tui.workers import FINISHED, as_domain_error, service_call

ALL = ""  # the Select value of "Alla"
PROGRESS_INTERVAL = 1.0  # seconds between progress updates: a slow link pays for each
DATE_HINT = "Datum: ÅÅÅÅ-MM-DD · Skapa: Enter eller Ctrl+S"
PLAIN_HINT = "Skapa: Enter eller Ctrl+S"
SHOW_HINT = "Skapa: Ctrl+S · Visa: raderna här på skärmen"
PARTIAL_DATE = re.compile(r"\d{0,4}(-(\d{0,2}(-\d{0,2})?)?)?")
TABLE_CELL_WIDTH = 30

STATISTIK_HELP = """\
Statistikfunktionen tar fram olika typer av uppgifter för anslutna vårdmottagningar i ditt
landsting/region, samt uppgifter om registrerade konton. Den statistik som finns är:
Anslutna mottagningar, Antal ärenden per mottagning, Antal ärenden per ärendetyp,
Användarkonton, Handläggningstider, Inloggningar, Obesvarade ärenden, Ärendestatus och
Ärendetyper per mottagning.

Välj rapport i listan till vänster (pil upp/ned, Enter går till formuläret). Fyll i
rapportens val med Tab mellan fälten: vårdtyp eller mottagning, tidsintervall (Från och
Till, ÅÅÅÅ-MM-DD), format (PDF, Excel eller CSV) och fil. Ett ifyllt fält öppnas med
markören sist; Ctrl+U tömmer det. Skapa (Enter i ett textfält eller
Ctrl+S) tar fram filen; Escape avbryter en rapport som håller på att tas fram. Visa
(Användarkonton och Inloggningar) visar raderna på skärmen. Pil upp/ned och PgUp/PgDn
bläddrar i den här hjälptexten; F1 eller Escape stänger den."""

# Where a ValidationError.field of the registry or the writers puts the focus.
FIELD_WIDGETS = {
    "from": "#from",
    "to": "#to",
    "unit": "#unit",
    "care_type": "#care-type",
    "as_of": "#as-of",
    "output": "#output",
    "format": "#format",
}
PARAMETER_LINES = 3  # the most parameter rows a report has (Handläggningstider)
PARAMETER_ROWS = {
    "care_type": "#row-care-type",
    "unit": "#row-unit",
    "period": "#row-period",
    "as_of": "#row-as-of",
    "only_active": "#row-only-active",
}


@dataclass(frozen=True)
class FormMemory:
    """What the form held when the admin left the page: the page opens with it again while
    the program runs (one per app)."""

    slug: str
    date_from: str
    date_to: str
    as_of: str
    fmt: str
    output: str  # "" while the field holds the proposed name, which then follows the form
    care_type: str = ALL
    unit: str = ALL
    only_active: bool = False


_MEMORY: weakref.WeakKeyDictionary[App, FormMemory] = weakref.WeakKeyDictionary()


def rows_text(count: int) -> str:
    """ "1 rad", "1 555 rader": the count as the command line writes numbers."""
    return f"{count_text(count)} {'rad' if count == 1 else 'rader'}"


def _valid_day(text: str) -> date | None:
    try:
        return iso_date(text)
    except ValidationError:
        return None


def _choices(op: Operator) -> tuple[list[str], list[tuple[str, str]]]:
    return care_types(op), unit_choices(op)


def _visa(op: Operator, module: ModuleType, params: ReportParams) -> ReportResult:
    return module.run(op, registry.validate_params(module, params, op))


class ReportProgress(Message):
    """From the report's thread: the progress line's new text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


SHOW_LIMIT = 1000


class ReportsScreen(PageScreen):
    TITLE = "Rapporter"
    HELP = STATISTIK_HELP

    BINDINGS = [
        Binding("ctrl+s", "create", "Skapa", id="reports.create"),
        Binding("f5", "show", "Visa", id="reports.show"),
    ]

    # Screen CSS (not DEFAULT_CSS): it must win over app.tcss; every rule names this screen.
    CSS = """
    ReportsScreen #main { height: 1fr; }
    ReportsScreen #reports-top { height: auto; }
    ReportsScreen #report-list { width: 32; height: 11; border: round $border-blurred;
                                 padding: 0; }
    ReportsScreen #report-list:focus { border: round $border; }
    ReportsScreen #form { width: 1fr; height: auto; padding-left: 1; }
    ReportsScreen #form-title { height: 1; text-style: bold; }
    ReportsScreen .field-row { height: 1; margin-top: 0; }
    ReportsScreen .field-label { width: 13; }
    ReportsScreen .field-row.-focused > .field-label { text-style: bold reverse; }
    ReportsScreen .field-row > Select { width: 1fr; }
    ReportsScreen .field-row > QuietInput { width: 1fr; max-width: 100; }
    ReportsScreen .field-row > .date { width: 12; }
    /* app.tcss gives a lone check box a blank line above it; in a one-line row that
       pushed it below the row, out of sight (yet Tab still landed on it). */
    ReportsScreen .field-row > Checkbox.-textual-compact { margin-top: 0; width: auto; }
    ReportsScreen #to-label { width: 6; padding-left: 1; }
    ReportsScreen #as-of-note { color: $text-muted; }
    ReportsScreen #format { layout: horizontal; width: 1fr; height: 1; }
    ReportsScreen #format > PlainRadioButton { width: auto; margin-right: 2; }
    ReportsScreen #form Hint { padding-left: 0; height: auto; max-height: 2; }
    ReportsScreen #form-buttons { height: 1; margin-top: 0; }
    ReportsScreen #form-buttons > Button { margin-right: 2; min-width: 8; }
    ReportsScreen #progress { height: 1; }
    ReportsScreen #result { height: 1fr; display: none; }
    ReportsScreen #result.-shown { display: block; }
    ReportsScreen #report-help { height: 1fr; border: round $accent; padding: 0 1; }
    ReportsScreen #report-help:focus { border: round $border; }
    ReportsScreen #report-help-text { height: auto; }
    ReportsScreen .-hidden { display: none; }
    /* Below 76 columns the list beside the form left it too narrow (Till, the formats and
       the file cut off): the list goes above the form, a few reports high, and the body
       scrolls to the focused field. */
    ReportsScreen.-narrow #main { height: auto; }
    ReportsScreen.-narrow #reports-top { layout: vertical; }
    ReportsScreen.-narrow #report-list { width: 1fr; height: 5; }
    ReportsScreen.-narrow #form { padding-left: 0; }
    ReportsScreen.-narrow #result { height: 10; }
    """

    # The layout follows the terminal's width (a class set by Textual on each resize).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (76, "-wide")]

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self.today = today or datetime.now(STOCKHOLM).date()
        self.module: ModuleType = next(iter(registry.REPORTS.values()))
        self._auto_path = ""
        self._overwrite_ok = ""  # the path the user has agreed to replace
        self._run: Worker | None = None  # the report being produced (Escape cancels it)
        self._then: Callable[[Any], None] = self._created
        self._focus_before_help: Widget | None = None
        # Until the form is set up (and the remembered one put back), changes are not
        # remembered: they are the page's own, not the admin's.
        self._restoring = True

    # --- layout -------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        first, last = last_month(self.today)
        with Vertical(id="main"):
            yield from self._compose_main(first, last)
        with VerticalScroll(id="report-help", classes="-hidden"):
            yield Static("", id="report-help-text", markup=False)

    def _compose_main(self, first: date, last: date) -> ComposeResult:
        with Horizontal(id="reports-top"):
            # Two lines redrawn per move, not the list (tui/widgets/menu_list.py).
            yield MenuList(
                *(Option(plain(m.TITLE), id=slug) for slug, m in registry.REPORTS.items()),
                id="report-list",
            )
            with Vertical(id="form"):
                yield Static("", id="form-title", markup=False)
                yield self._row(
                    "Vårdtyp",
                    Select(
                        [("Alla", ALL)], value=ALL, allow_blank=False, compact=True, id="care-type"
                    ),
                    id="row-care-type",
                )
                yield self._row(
                    "Mottagning",
                    Select([("Alla", ALL)], value=ALL, allow_blank=False, compact=True, id="unit"),
                    id="row-unit",
                )
                yield self._row(
                    "Från",
                    QuietInput(
                        first.isoformat(), id="from", compact=True, max_length=10, classes="date"
                    ),
                    Label("Till", id="to-label"),
                    QuietInput(
                        last.isoformat(), id="to", compact=True, max_length=10, classes="date"
                    ),
                    id="row-period",
                )
                yield self._row(
                    "Per datum",
                    QuietInput(
                        id="as-of",
                        compact=True,
                        max_length=10,
                        placeholder="ÅÅÅÅ-MM-DD",
                        classes="date",
                    ),
                    Label("", id="as-of-note"),
                    id="row-as-of",
                )
                yield self._row(
                    "",
                    PlainCheckbox("Endast aktiva mottagningar", id="only-active", compact=True),
                    id="row-only-active",
                )
                yield Static("", id="parameter-pad")
                yield self._row(
                    "Format",
                    RadioSet(
                        *(
                            PlainRadioButton(label, id=f"fmt-{fmt}")
                            for fmt, label in FORMAT_LABELS.items()
                        ),
                        id="format",
                        compact=True,
                    ),
                    id="row-format",
                )
                yield self._row(
                    "Fil", QuietInput(id="output", compact=True, max_length=400), id="row-output"
                )
                yield Hint(DATE_HINT, id="form-hint")
                with Horizontal(id="form-buttons"):
                    yield Button("Skapa", id="create", variant="primary", compact=True)
                    yield Button("Visa", id="show", compact=True)
        yield Static("", id="progress", markup=False)
        yield DataTable(id="result", cursor_type="row", zebra_stripes=False)

    @staticmethod
    def _row(label: str, *widgets: Widget, id: str) -> Horizontal:
        return Horizontal(Label(label, classes="field-label"), *widgets, classes="field-row", id=id)

    def on_mount(self) -> None:
        listing = self.query_one("#report-list", OptionList)
        memory = _MEMORY.get(self.app)
        if memory is not None and memory.slug in registry.REPORTS:
            self._restore(memory)
        else:
            listing.highlighted = 0
            self._choose(self.module)
        listing.focus()
        self._restoring = False
        self.call_service(_choices, self.app.operator, done=self._fill_choices, group="choices")

    def _fill_choices(self, found: tuple[list[str], list[tuple[str, str]]]) -> None:
        # Text, not str: Select reads a str prompt as markup, and these come from the
        # database ("BVC [/] Handen" would crash the picker). Text also keeps type-to-search.
        kinds, units = found
        memory = _MEMORY.get(self.app)
        self._restoring = True
        try:
            care_type = self.query_one("#care-type", Select)
            care_type.set_options([(plain("Alla"), ALL), *((plain(k), k) for k in kinds)])
            unit = self.query_one("#unit", Select)
            unit.set_options(
                [
                    (plain("Alla"), ALL),
                    *((plain(f"{clean(name)} ({clean(hsa)})"), hsa) for hsa, name in units),
                ]
            )
            if memory is not None:  # a chosen one that is still there
                if memory.care_type in kinds:
                    care_type.value = memory.care_type
                if memory.unit in {hsa for hsa, _ in units}:
                    unit.value = memory.unit
        finally:
            self._restoring = False

    # --- what the page remembers while the program runs ------------------------------
    def _restore(self, memory: FormMemory) -> None:
        self.module = registry.REPORTS[memory.slug]
        self.query_one("#report-list", OptionList).highlighted = list(registry.REPORTS).index(
            memory.slug
        )
        self.query_one("#from", Input).value = memory.date_from
        self.query_one("#to", Input).value = memory.date_to
        self.query_one("#as-of", Input).value = memory.as_of
        self.query_one("#only-active", PlainCheckbox).value = memory.only_active
        for fmt in FORMAT_LABELS:
            self.query_one(f"#fmt-{fmt}", PlainRadioButton).value = fmt == memory.fmt
        if memory.output:
            self.query_one("#output", Input).value = memory.output
        self._choose(self.module)

    def _remember(self) -> None:
        if self._restoring or not self.is_attached:
            return
        output = self.query_one("#output", Input).value
        care_type = self.query_one("#care-type", Select).value
        unit = self.query_one("#unit", Select).value
        _MEMORY[self.app] = FormMemory(
            slug=self.module.SLUG,
            date_from=self.query_one("#from", Input).value,
            date_to=self.query_one("#to", Input).value,
            as_of=self.query_one("#as-of", Input).value,
            fmt=self.format,
            output="" if output.strip() == self._auto_path else output,
            care_type=care_type if isinstance(care_type, str) else ALL,
            unit=unit if isinstance(unit, str) else ALL,
            only_active=self.query_one("#only-active", PlainCheckbox).value,
        )

    @on(Input.Changed)
    @on(Select.Changed)
    @on(PlainCheckbox.Changed)
    def _something_changed(self) -> None:
        self._remember()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """The focused field's label in reverse video: compact fields have no border, and
        a background tint alone is lost under NO_COLOR."""
        for row in self.query(".field-row"):
            row.set_class(event.widget in row.walk_children(), "-focused")

    # --- choosing a report --------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#report-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        slug = event.option.id
        if slug and slug != self.module.SLUG:
            self._choose(registry.REPORTS[slug])

    @on(OptionList.OptionSelected, "#report-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._focus_first_field()

    def _choose(self, module: ModuleType) -> None:
        self.module = module
        accepted = set(module.PARAMETERS)
        for parameter, row in PARAMETER_ROWS.items():
            self.query_one(row).set_class(parameter not in accepted, "-hidden")
        # The parameters take as many lines for every report, so Format, Fil and the
        # buttons keep their place when the highlight moves (a move then rewrites the
        # lines that differ, not the form shifted by a line).
        pad = self.query_one("#parameter-pad")
        pad.styles.height = max(0, PARAMETER_LINES - len(accepted & set(PARAMETER_ROWS)))
        note = getattr(module, "UNIT_NOTE", "")
        _set_text(
            self.query_one("#form-title", Static),
            clean(f"{module.TITLE} ({note})" if note else module.TITLE),
        )
        _set_text(
            self.query_one("#as-of-note", Label),
            " tomt: Till-datum" if "period" in accepted else " tomt: nu",
        )
        self._offer_formats(tuple(module.FORMATS))
        self.query_one("#show", Button).set_class(
            not getattr(module, "SHOW_ON_SCREEN", False), "-hidden"
        )
        self.query_one("#result", DataTable).remove_class("-shown")
        if self.help_shown:  # else written when the help is opened, not on every move
            self._fill_help()
        if self._run is None:  # a running report keeps its progress line and message
            _set_text(self.query_one("#progress", Static), "")
            if str(self.query_one("#message", Static).content):
                self.clear_message()
        hint = self.query_one("#form-hint", Hint)
        hint.default_text = (
            DATE_HINT
            if {"period", "as_of"} & accepted
            else SHOW_HINT
            if getattr(module, "SHOW_ON_SCREEN", False)
            else PLAIN_HINT
        )
        hint.info()
        self._update_path()
        self._remember()

    def _offer_formats(self, formats: tuple[str, ...]) -> None:
        current = self.format
        for fmt in FORMAT_LABELS:
            button = self.query_one(f"#fmt-{fmt}", PlainRadioButton)
            button.disabled = fmt not in formats
            button.set_class(fmt not in formats, "-hidden")
        if current not in formats:
            self.query_one(f"#fmt-{formats[0]}", PlainRadioButton).value = True

    def _focus_first_field(self) -> None:
        for row in self.query("#form .field-row"):
            if row.has_class("-hidden"):
                continue
            for widget in row.query("Select, Input, Checkbox, RadioSet"):
                if widget.focusable:
                    widget.focus()
                    return

    # --- the form -----------------------------------------------------------------
    @property
    def format(self) -> str:
        pressed = self.query_one("#format", RadioSet).pressed_button
        if pressed is not None and pressed.value:
            return (pressed.id or "fmt-pdf").removeprefix("fmt-")
        # Set by the program (the remembered format) before the RadioSet has heard of it.
        return next(
            (fmt for fmt in FORMAT_LABELS if self.query_one(f"#fmt-{fmt}", PlainRadioButton).value),
            "",
        )

    def _proposal(self, fmt: str) -> str | None:
        """~/regionadmin-rapporter/<slug>_<from>_<to>.<ext>: the report and its period (its
        day for Obesvarade ärenden and the reports of today's state). None while a date is
        being typed."""
        accepted = self.module.PARAMETERS
        if "period" in accepted:
            first = _valid_day(self.query_one("#from", Input).value)
            last = _valid_day(self.query_one("#to", Input).value)
            if first is None or last is None or first > last:
                return None
            days = f"{first.isoformat()}_{last.isoformat()}"
        elif "as_of" in accepted:
            text = self.query_one("#as-of", Input).value.strip()
            day = _valid_day(text) if text else self.today
            if day is None:
                return None
            days = day.isoformat()
        else:
            days = self.today.isoformat()
        return f"~/{OUTPUT_DIR}/{self.module.SLUG}_{days}.{fmt}"

    def _update_path(self) -> None:
        """Propose a file name (see _proposal), unless the user typed a path of their own;
        then only its extension follows the format."""
        fmt = self.format or self.module.FORMATS[0]
        proposal = self._proposal(fmt)
        if proposal is None:
            # A date half typed: the name proposed for this report waits for it (its
            # extension still follows the format).
            stem = f"~/{OUTPUT_DIR}/{self.module.SLUG}"
            kept = self._auto_path.rpartition(".")[0]
            proposal = f"{kept}.{fmt}" if kept.startswith(f"{stem}_") else f"{stem}.{fmt}"
        field = self.query_one("#output", Input)
        current = field.value.strip()
        if not current or current == self._auto_path:
            field.value = proposal
        else:
            stem, dot, ext = current.rpartition(".")
            if dot and ext.lower() in FORMAT_LABELS and ext.lower() != fmt:
                field.value = f"{stem}.{fmt}"
        self._auto_path = proposal

    @on(RadioSet.Changed, "#format")
    def _format_changed(self, _event: RadioSet.Changed) -> None:
        self._update_path()
        self._remember()

    @on(Input.Changed, ".date")
    def _date_typed(self, event: Input.Changed) -> None:
        """Validation as you type: silent while a date can still become right. The
        proposed file name follows the dates."""
        if not self._restoring:
            self._update_path()
        hint = self.query_one("#form-hint", Hint)
        text = event.value.strip()
        if len(text) < 10 and PARTIAL_DATE.fullmatch(text):
            if hint.is_error:
                hint.info()
            return
        try:
            self._dates()
        except ValidationError as error:
            hint.error(error)
        else:
            hint.info()

    @on(Input.Changed)
    def _form_changed(self, _event: Input.Changed) -> None:
        self._overwrite_ok = ""

    @on(Input.Submitted)
    def _submitted(self, _event: Input.Submitted) -> None:
        self.action_create()

    def _dates(self) -> tuple[date | None, date | None, date | None]:
        accepted = self.module.PARAMETERS
        first = last = as_of = None
        if "period" in accepted:
            first, last = date_range(
                self.query_one("#from", Input).value, self.query_one("#to", Input).value
            )
        text = self.query_one("#as-of", Input).value.strip()
        if "as_of" in accepted and text:
            as_of = iso_date(text, "as_of", "Per datum")
        return first, last, as_of

    def _params(self) -> ReportParams:
        accepted = self.module.PARAMETERS
        first, last, as_of = self._dates()
        care_type = self.query_one("#care-type", Select).value
        unit = self.query_one("#unit", Select).value
        params = ReportParams(
            date_from=first,
            date_to=last,
            unit=(unit or None) if "unit" in accepted else None,
            care_type=(care_type or None) if "care_type" in accepted else None,
            only_active=(
                "only_active" in accepted and self.query_one("#only-active", PlainCheckbox).value
            ),
            as_of=end_of_day(as_of) if as_of else None,
        )
        # The form-only checks (no database): an error shows before any thread starts.
        return registry.validate_params(self.module, params)

    def _output(self) -> Path:
        text = self.query_one("#output", Input).value.strip()
        if not text:
            raise ValidationError("Ange filen rapporten ska skrivas till.", field="output")
        return Path(text).expanduser()

    # --- Skapa and Visa -----------------------------------------------------------
    @on(Button.Pressed, "#create")
    def _create_pressed(self, _event: Button.Pressed) -> None:
        self.action_create()

    @on(Button.Pressed, "#show")
    def _show_pressed(self, _event: Button.Pressed) -> None:
        self.action_show()

    def action_create(self) -> None:
        if self._run is not None:
            self.show_message("En rapport tas redan fram; Escape avbryter den.")
            return
        try:
            params = self._params()
            fmt = self.format
            path = self._output()
        except ValidationError as error:
            self._invalid(error)
            return
        if path.exists() and str(path) != self._overwrite_ok:
            self._overwrite_ok = str(path)
            self.show_message(
                f"Filen {_short(path)} finns redan. Välj Skapa igen för att skriva över den.",
                error=True,
            )
            return
        self._overwrite_ok = ""
        self._start("Hämtar data …")
        self._then = self._created
        self._run = self._report(self._produce, self.app.operator, self.module, params, fmt, path)

    def action_show(self) -> None:
        if not getattr(self.module, "SHOW_ON_SCREEN", False) or self._run is not None:
            return
        try:
            params = self._params()
        except ValidationError as error:
            self._invalid(error)
            return
        self._start("Hämtar data …")
        self._then = self._shown
        self._run = self._report(_visa, self.app.operator, self.module, params)

    def _start(self, text: str) -> None:
        self.clear_message()
        self.query_one("#form-hint", Hint).info()
        self.query_one("#progress", Static).update(f"{text}  (Escape avbryter)")

    @work(group="report", exclusive=True, exit_on_error=False)
    async def _report(self, fn: Callable[..., Any], *args: Any) -> Any:
        """The report on a thread, awaited by this worker. Escape cancels the worker
        (Worker.cancel); the thread sees it (get_current_worker().is_cancelled), stops at its
        next row and deletes its file, and its answer (WriteCancelled) is still this
        worker's: the worker keeps running until the thread has stopped."""
        job = asyncio.ensure_future(asyncio.to_thread(service_call, fn, *args))
        while True:
            try:
                return await asyncio.shield(job)
            except asyncio.CancelledError:
                continue  # cancelled: the thread stops by itself at its next check

    def _produce(
        self,
        op: Operator,
        module: ModuleType,
        params: ReportParams,
        fmt: str,
        path: Path,
    ) -> tuple[int, Path]:
        """On the worker thread: check against the store, query, write."""
        worker = get_current_worker()  # asyncio.to_thread carries the worker's context
        params = registry.validate_params(module, params, op)
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last
            moment = time.monotonic()
            if done < total and moment - last < PROGRESS_INTERVAL:
                return
            last = moment
            # The count padded to the total's width: the line keeps its shape, so the
            # screen diff sends only the digits that changed (a slow link, once a second).
            of = count_text(total)
            text = f"Skriver rad {count_text(done).rjust(len(of))} av {of} …  (Escape avbryter)"
            self.post_message(ReportProgress(text))  # thread-safe

        def cancelled() -> bool:
            return worker.is_cancelled

        return produce(op, module, params, fmt, path, progress=progress, cancelled=cancelled)

    @on(ReportProgress)
    def _progress(self, event: ReportProgress) -> None:
        if self._run is not None and not self._run.is_cancelled:
            self.query_one("#progress", Static).update(event.text)

    def _finish(self) -> None:
        self._run = None
        self.query_one("#progress", Static).update("")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """However a run ends, its answer is shown and the page is ready for the next."""
        if event.worker is not self._run or event.state not in FINISHED:
            return
        self._finish()
        if event.state == WorkerState.SUCCESS:
            self._then(event.worker.result)
        elif event.state == WorkerState.ERROR:
            self._failed(as_domain_error(event.worker.error or RuntimeError(), "report"))

    def _created(self, outcome: tuple[int, Path]) -> None:
        self._finish()
        count, path = outcome
        written = "skriven" if count == 1 else "skrivna"
        self.show_message(f"{rows_text(count)} {written} till {_short(path)}")

    def _shown(self, result: ReportResult) -> None:
        self._finish()
        table = self.query_one("#result", DataTable)
        table.clear(columns=True)
        table.add_columns(*(plain(c.header) for c in result.columns))
        # A table on screen is for reading: the first SHOW_LIMIT rows and the Totalt row
        # (the file has them all; a DataTable keeps every row in memory).
        shown = result.rows[:SHOW_LIMIT]
        rows = [*shown, *([totals_row(result)] if result.totals is not None else [])]
        texts = [
            [
                _screen_text(value, column)
                for value, column in zip(row, result.columns, strict=False)
            ]
            for row in rows
        ]
        widths = [
            max([len(clean(c.header)), *(len(r[i]) for r in texts if i < len(r))])
            for i, c in enumerate(result.columns)
        ]
        for row in texts:
            table.add_row(
                *(
                    _table_cell(text, column, width)
                    for text, column, width in zip(row, result.columns, widths, strict=False)
                )
            )
        table.add_class("-shown")
        more = (
            f" (visar de första {count_text(SHOW_LIMIT)}; filen har alla)"
            if len(result.rows) > SHOW_LIMIT
            else ""
        )
        self.show_message(f"{rows_text(len(result.rows))}: {clean(result.title)}.{more}")

    def _failed(self, error: DomainError) -> None:
        self._finish()
        if isinstance(error, WriteCancelled):
            self.show_message(str(error))
        elif isinstance(error, ValidationError):
            self._invalid(error)
        else:
            self.show_error(error)

    def _invalid(self, error: ValidationError) -> None:
        self.show_error(error)
        selector = FIELD_WIDGETS.get(error.field or "")
        if selector:
            self.query_one(selector).focus()

    # --- Escape: cancel a running report before leaving the page ---------------------
    def action_back(self) -> None:
        if self.help_shown:
            self.action_toggle_help()
            return
        if self._run is not None:
            self._run.cancel()
            self.query_one("#progress", Static).update("Avbryter …")
            return
        super().action_back()

    def on_unmount(self) -> None:
        if self._run is not None:
            self._run.cancel()

    # --- the help text: long on this page, so it takes the body and scrolls ----------
    @property
    def help_shown(self) -> bool:
        return not self.query_one("#report-help").has_class("-hidden")

    def action_toggle_help(self) -> None:
        """The Statistik text and the chosen report's definitions, in place of the form:
        the report texts are longer than a help panel at 80x24 can show."""
        shown = not self.help_shown
        self.query_one("#main").set_class(shown, "-hidden")
        panel = self.query_one("#report-help", VerticalScroll)
        panel.set_class(not shown, "-hidden")
        if shown:
            self._fill_help()
            self._focus_before_help = self.focused
            panel.scroll_home(animate=False)
            panel.focus()
        elif self._focus_before_help is not None and self._focus_before_help.is_attached:
            self._focus_before_help.focus()

    def _fill_help(self) -> None:
        """The Statistik text and the chosen report's definitions."""
        module = self.module
        _set_text(
            self.query_one("#report-help-text", Static),
            f"{reflow(self.keyed_help(STATISTIK_HELP))}\n\n{clean(module.TITLE)}\n\n"
            f"{clean(module.HELP, multiline=True).strip()}",
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "create" and self.help_shown:
            return False
        return super().check_action(action, parameters)


def _set_text(widget: Static, text: str) -> None:
    """Update only when the text differs: an update lays the screen out again."""
    if str(widget.content) != text:
        widget.update(text)


def _screen_text(value: Any, column: Column) -> str:
    """A value as the on-screen table shows it: counts grouped as everywhere ("1 555")."""
    if column.kind == "int" and is_number(value) and not isinstance(value, bool):
        return count_text(int(value))
    return clean(display(value, column.kind))


def _table_cell(text: str, column: Column, width: int) -> Text:
    """A cell for the on-screen table: as in the PDF, numbers to the right (padded here:
    the DataTable does not keep a Text's justify)."""
    if is_numeric(column):
        text = text.rjust(min(width, TABLE_CELL_WIDTH))
    return cell(text, TABLE_CELL_WIDTH)


def _short(path: Path) -> str:
    """The path as the admin typed it: ~ for the home directory."""
    try:
        return f"~/{path.relative_to(Path.home())}"
    except ValueError:
        return str(path)
