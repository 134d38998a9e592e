"""Skaffa konto: at the first start the operator reads the terms and accepts them once."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from models.operators import Operator, accept_terms
from models.terms import ACCEPT_LABEL, TERMS_TEXT, TERMS_TITLE
from models.text import clean
from tui.screens.base import PageScreen
from tui.widgets.plain_checkbox import PlainCheckbox

DECLINED_MESSAGE = (
    "Du har inte accepterat villkoren, så inget har sparats. Starta "
    "regionadmin igen när du vill skaffa konto."
)


def terms_content() -> Text:
    """The terms with each section's heading in bold (style, not markup: nothing is parsed)."""
    text = Text()
    for number, section in enumerate(clean(TERMS_TEXT, multiline=True).split("\n\n")):
        heading, _, body = section.partition("\n")
        text.append(("\n\n" if number else "") + heading, style="bold")
        text.append("\n" + body)
    return text


class TermsScreen(PageScreen):
    TITLE = "Skaffa konto"
    HELP = """
Tillgång till 1177 Vårdguidens e-tjänster får du genom att skaffa ett
användarkonto för vårdpersonal. Läs villkoren (pil upp/ned och
PageUp/PageDown bläddrar), markera kryssrutan Jag accepterar villkoren med
mellanslag och välj Fortsätt. Villkoren visas bara en gång. Avsluta (eller
Ctrl+Q) stänger programmet utan att något sparas.
"""

    BINDINGS = [
        Binding("escape", "back", "Tillbaka", show=False, id="page.back"),
    ]

    CSS = """
    TermsScreen #terms-scroll { height: 1fr; border: round $primary; padding: 0 1; }
    TermsScreen #terms-title { text-style: bold; margin-bottom: 1; }
    TermsScreen #terms-actions { height: 1; margin-top: 1; }
    TermsScreen #terms-actions PlainCheckbox.-textual-compact { width: 1fr; margin: 0; }
    TermsScreen #terms-actions Button { margin-left: 2; }
    """

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="terms-scroll", can_focus=True):
            yield Static(TERMS_TITLE, id="terms-title", markup=False)
            yield Static(terms_content(), id="terms-text")
        with Horizontal(id="terms-actions"):
            yield PlainCheckbox(ACCEPT_LABEL, id="accept", compact=True)
            yield Button("Fortsätt", id="continue", variant="primary", compact=True)
            yield Button("Avsluta", id="decline", compact=True)

    def on_mount(self) -> None:
        # Nothing else may be reached before the terms are accepted: not even by the palette.
        self.app.use_command_palette = False
        self.query_one("#terms-scroll").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "continue":
            self.action_accept()
        elif event.button.id == "decline":
            self.action_decline()

    def action_accept(self) -> None:
        if not self.query_one("#accept", PlainCheckbox).value:
            self.show_error(f"Markera kryssrutan {ACCEPT_LABEL} för att fortsätta.")
            self.query_one("#accept", PlainCheckbox).focus()
            return
        self.query_one("#continue", Button).disabled = True
        self.call_write(accept_terms, self.app.operator, done=self._accepted, fail=self._failed)

    def _accepted(self, operator: Operator) -> None:
        self.app.operator = operator
        self.app.use_command_palette = True
        self.app.pop_screen()

    def _failed(self, error) -> None:
        self.query_one("#continue", Button).disabled = False
        self.show_error(error)

    def action_decline(self) -> None:
        # Not while Fortsätt is being saved: "inget har sparats" would not be true.
        if self.wait_for_write():
            return
        self.app.exit(return_code=1, message=DECLINED_MESSAGE)

    def action_back(self) -> None:
        """Escape may not skip the terms: say what the way on is."""
        if self.wait_for_write():
            return
        self.show_message(f"Markera {ACCEPT_LABEL} och välj Fortsätt, eller välj Avsluta.")
