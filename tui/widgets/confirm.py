"""A yes/no question over the page: j (ja) or n (nej); Escape is nej."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from models.text import clean
from tui.widgets.quiet_screen import QuietFocus


class ConfirmDialog(QuietFocus, ModalScreen[bool]):
    """Dismissed with True for Ja, False for Nej. The question is shown through clean()."""

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > #dialog {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: heavy $warning; background: $surface; padding: 0 1;
    }
    ConfirmDialog #question { height: auto; max-height: 14; overflow-y: auto;
                              margin-bottom: 1; }
    ConfirmDialog #buttons { height: 1; align-horizontal: center; }
    ConfirmDialog Button { margin: 0 2; min-width: 10; }
    """

    BINDINGS = [
        Binding("j,y", "answer(True)", "Ja", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "Nej", id="confirm.no"),
        Binding("left,right", "app.focus_next", show=False, id="confirm.switch"),
    ]

    def __init__(self, question: str, *, yes: str = "Ja", no: str = "Nej") -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(clean(self.question, multiline=True), id="question", markup=False)
            with Horizontal(id="buttons"):
                yield Button(f"{self.yes_label} (j)", id="yes", compact=True)
                yield Button(f"{self.no_label} (n)", id="no", compact=True)

    def on_mount(self) -> None:
        # Nej is the safe default: a stray Enter must not inactivate a unit.
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
