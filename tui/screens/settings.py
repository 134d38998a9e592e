"""Personliga inställningar: preferred name, signature, notices and case sorting. Spara."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import DescendantFocus
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static, TextArea

from models.errors import DomainError, ValidationError
from models.operators import Operator, resolve_operator
from models.settings import Settings, SettingsView, get_settings, save_settings
from models.text import clean
from models.validation import mobile_partial
from tui.screens.base import PageScreen
from tui.widgets.plain_checkbox import PlainCheckbox
from tui.widgets.quiet_input import QuietInput
from tui.widgets.quiet_screen import QuietFocus

# The manual's explanations, shortened to fit under the form at 80x24. Keyed by widget id.
FIELD_HELP: dict[str, str] = {
    "preferred-name": (
        "Tilltalsnamn: ibland visar systemet alla dina förnamn, eftersom tilltalsnamnet inte "
        "är definierat i folkbokföringsregistret. Vill du bara visa tilltalsnamnet skriver "
        "du det här."
    ),
    "signature": (
        "Signatur: en automatisk svarssignatur följer med i alla svar till dina patienter: "
        "Med vänlig hälsning, förnamn, efternamn, titel och datum (visas när fältet är tomt). "
        "Skriver du en egen signatur ersätter den den automatiska. Datum infogas automatiskt."
    ),
    "email-notice": (
        "E-postavisering: när ett ärende fördelats till dig av en ärendemottagare kan du få ett "
        "mejl om att du har ett nytt ärende. Adressen hämtas från landstingets adresskatalog; "
        "du kan skriva en egen. Tom ruta: katalogens adress används."
    ),
    "sms-notice": (
        "Sms-avisering: när ett ärende fördelats till dig av en ärendemottagare kan du få ett "
        "sms om att du har ett nytt ärende. Sms:et skickas till mobilnumret du anger här."
    ),
    "journal-notice": (
        "Journalavisering: finns för Profdoc Journal 3, men fungerar först när mottagningen "
        "gjort de anpassningar som krävs i journalsystemet. Kontakta supporten för mer "
        "information."
    ),
    "case-sorting": (
        "Sortering av ärenden: du kan sortera ärenden efter en kolumn och byta plats på "
        "kolumnerna i listan med ärenden."
    ),
    "save": (
        "Spara (Ctrl+S) sparar alla inställningar på en gång. Är något fel sparas ingenting. "
        "Lämnar du sidan (Escape, Ctrl+Q, Ctrl+P) med ändringar får du frågan om du vill spara."
    ),
}
FIELD_HELP["email"] = FIELD_HELP["email-notice"]
FIELD_HELP["mobile"] = FIELD_HELP["sms-notice"]

# Which widget a service's ValidationError.field points at.
FIELD_WIDGETS = {
    "preferred_name": "preferred-name",
    "signature": "signature",
    "email": "email",
    "mobile": "mobile",
}

LeaveChoice = Literal["save", "discard", "cancel"]


def save_and_resolve(op: Operator, new: Settings) -> tuple[SettingsView, Operator]:
    """Spara, then the operator as now named (one worker, two service calls)."""
    view = save_settings(op, new)
    return view, resolve_operator(op.login_name)


class QuietTextArea(TextArea):
    """A TextArea that never blinks: an idle blinking cursor costs bytes on a slow link."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cursor_blink = False


class LeaveScreen(QuietFocus, ModalScreen[str]):
    """Unsaved changes: "Spara ändringarna? [s]para / [k]asta / [a]vbryt"."""

    BINDINGS = [
        Binding("s", "choose('save')", "Spara", id="leave.save"),
        Binding("k", "choose('discard')", "Kasta", id="leave.discard"),
        Binding("a", "choose('cancel')", "Avbryt", id="leave.cancel"),
        Binding("escape", "choose('cancel')", "Avbryt", show=False, id="leave.escape"),
    ]

    CSS = """
    LeaveScreen { align: center middle; }
    LeaveScreen #leave { width: 54; height: auto; border: round $warning; padding: 0 1;
                         background: $surface; }
    LeaveScreen #leave-buttons { height: 1; margin-top: 1; align-horizontal: center; }
    LeaveScreen Button { margin: 0 1; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="leave"):
            yield Static("Du har ändringar som inte är sparade.", markup=False)
            yield Static("Spara ändringarna? [s]para / [k]asta / [a]vbryt", markup=False)
            with Horizontal(id="leave-buttons"):
                yield Button("Spara", id="save", variant="primary", compact=True)
                yield Button("Kasta", id="discard", compact=True)
                yield Button("Avbryt", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id or "cancel")

    def action_choose(self, choice: LeaveChoice) -> None:
        self.dismiss(choice)


class SettingsScreen(PageScreen):
    TITLE = "Personliga inställningar"
    HELP = """
Gör inställningar för ditt användarkonto: tilltalsnamn, signatur, avisering
och sortering av ärenden. Tab flyttar mellan fälten, mellanslag kryssar i
och ur; under formuläret förklaras fältet du står i. Spara (Ctrl+S) sparar
allt på en gång; är något fel sparas ingenting. Lämnar du sidan med
ändringar (Escape, Ctrl+Q, Ctrl+P) får du först frågan om du vill spara.
"""

    BINDINGS = [
        Binding("ctrl+s", "save", "Spara", id="settings.save"),
    ]

    CSS = """
    SettingsScreen .row { height: 1; margin-bottom: 1; }
    SettingsScreen .label { width: 26; }
    SettingsScreen .row PlainCheckbox.-textual-compact { width: 26; margin: 0; }
    SettingsScreen .row Input { width: 1fr; background: $panel; }
    SettingsScreen #signature-row { height: 5; margin-bottom: 1; }
    SettingsScreen #signature { width: 1fr; height: 5; background: $panel; }
    SettingsScreen #sms-row { margin-bottom: 0; }
    SettingsScreen #mobile-hint { height: 1; padding-left: 26; color: $error; }
    SettingsScreen #save-row { height: 1; align-horizontal: right; }
    SettingsScreen #settings-form { height: 1fr; }
    SettingsScreen #explain { height: 3; margin-top: 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._view: SettingsView | None = None
        self._saved_form: Settings | None = None

    # --- layout -------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        # Scrolls (to the focused field) when the help text takes room at 80x24.
        with VerticalScroll(id="settings-form", can_focus=False):
            with Horizontal(classes="row"):
                yield Label("Tilltalsnamn", classes="label")
                yield QuietInput(id="preferred-name", compact=True, max_length=60)
            with Horizontal(id="signature-row"):
                yield Label(
                    "Signatur\n\n(tom: den automatiska\nsignaturen)", classes="label", markup=False
                )
                yield QuietTextArea(id="signature", compact=True, soft_wrap=True)
            with Horizontal(classes="row"):
                yield PlainCheckbox("E-postavisering", id="email-notice", compact=True)
                yield QuietInput(
                    id="email", compact=True, max_length=254, placeholder="e-postadress"
                )
            with Horizontal(classes="row", id="sms-row"):
                yield PlainCheckbox("Sms-avisering", id="sms-notice", compact=True)
                yield QuietInput(
                    id="mobile",
                    compact=True,
                    max_length=20,
                    placeholder="mobilnummer, t.ex. 070-123 45 67",
                )
            # Where the blank line under a row would be: the as-you-type hint for the number.
            yield Static("", id="mobile-hint", markup=False)
            with Horizontal(classes="row"):
                yield PlainCheckbox("Journalavisering", id="journal-notice", compact=True)
            with Horizontal(classes="row"):
                yield PlainCheckbox("Sortering av ärenden", id="case-sorting", compact=True)
            with Horizontal(id="save-row"):
                yield Button("Spara", id="save", variant="primary", compact=True)
        yield Static("", id="explain", markup=False)

    def on_mount(self) -> None:
        self.query_one("#preferred-name", Input).focus()
        self.call_service(get_settings, self.app.operator, done=self._fill)

    # --- the form <-> Settings ---------------------------------------------------------
    def _fill(self, view: SettingsView) -> None:
        self._view = view
        s = view.settings
        self.query_one("#preferred-name", Input).value = clean(s.preferred_name)
        signature = self.query_one("#signature", QuietTextArea)
        signature.text = clean(s.signature, multiline=True)
        # Content, not str: a placeholder string would be read as markup.
        signature.placeholder = Content(clean(view.automatic_signature, multiline=True))
        self.query_one("#email-notice", PlainCheckbox).value = s.email_notice
        self.query_one("#email", Input).value = clean(s.email or view.directory_email)
        self.query_one("#sms-notice", PlainCheckbox).value = s.sms_notice
        self.query_one("#mobile", Input).value = clean(s.mobile)
        self.query_one("#journal-notice", PlainCheckbox).value = s.journal_notice
        self.query_one("#case-sorting", PlainCheckbox).value = s.case_sorting
        self._saved_form = self._form()
        self.refresh_bindings()  # Spara works from now on

    def _form(self) -> Settings:
        email = self.query_one("#email", Input).value.strip()
        directory = self._view.directory_email if self._view else ""
        if directory and email.lower() == directory.lower():
            email = ""  # the directory's address: keep following the directory
        return Settings(
            preferred_name=self.query_one("#preferred-name", Input).value.strip(),
            signature=self.query_one("#signature", QuietTextArea).text.strip(),
            email_notice=self.query_one("#email-notice", PlainCheckbox).value,
            email=email,
            sms_notice=self.query_one("#sms-notice", PlainCheckbox).value,
            mobile=self.query_one("#mobile", Input).value.strip(),
            journal_notice=self.query_one("#journal-notice", PlainCheckbox).value,
            case_sorting=self.query_one("#case-sorting", PlainCheckbox).value,
        )

    def is_dirty(self) -> bool:
        return self._saved_form is not None and self._form() != self._saved_form

    # --- events -----------------------------------------------------------------------
    def on_descendant_focus(self, event: DescendantFocus) -> None:
        text = FIELD_HELP.get(event.widget.id or "")
        if text:
            self.query_one("#explain", Static).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "mobile":
            self.query_one("#mobile-hint", Static).update(mobile_partial(event.value) or "")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()

    # --- actions ----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return self._view is not None  # nothing to save before the form is filled
        return super().check_action(action, parameters)

    def action_save(self, then: Callable[[], None] | None = None) -> None:
        """Spara; `then`: what to do once it is saved (the answer Spara to "Spara
        ändringarna?" on the way out). A failed save stays on the page."""
        if self._view is None:
            return  # still loading: nothing to save yet
        self.call_write(
            save_and_resolve,
            self.app.operator,
            self._form(),
            done=partial(self._saved, then),
            fail=self._save_failed,
        )

    def _saved(
        self, then: Callable[[], None] | None, result: tuple[SettingsView, Operator]
    ) -> None:
        view, operator = result
        # A new Tilltalsnamn changes the operator's name in every page's title line.
        self.app.operator = operator
        for screen in self.app.screen_stack:
            if isinstance(screen, PageScreen):
                screen.query_one("#page-title", Static).update(screen._title_line())
        self._fill(view)
        self.query_one("#mobile-hint", Static).update("")
        self.show_message("Inställningarna är sparade.")
        if then is not None:
            then()

    def _save_failed(self, error: DomainError) -> None:
        self.show_error(error)
        if isinstance(error, ValidationError) and error.field in FIELD_WIDGETS:
            widget: Widget = self.query_one(f"#{FIELD_WIDGETS[error.field]}")
            widget.focus()

    def unsaved_changes(self) -> bool:
        return self.is_dirty()

    def ask_to_leave(self, then: Callable[[], None]) -> None:
        """Unsaved changes: "Spara ändringarna?" first, whichever way the admin leaves."""
        if self.wait_for_write():
            return
        if not self.is_dirty():
            then()
            return
        self.app.push_screen(LeaveScreen(), partial(self._leave_choice, then))

    def _leave_choice(self, then: Callable[[], None], choice: str | None) -> None:
        if choice == "save":
            self.action_save(then=then)
        elif choice == "discard":
            then()

    def action_back(self) -> None:
        if self.wait_for_write():
            return
        # pop_screen, not PageScreen.action_back: after Spara the write's worker is still
        # finishing, and action_back would wait for it.
        self.ask_to_leave(self.app.pop_screen)
