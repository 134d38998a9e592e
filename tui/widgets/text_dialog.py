"""A long text (a villkorstext) over the page, scrollable with the arrow keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from models.text import clean
from tui.widgets.quiet_screen import QuietFocus

TEXT_ROWS = 17  # the text's rows at 80x24; fewer on a lower terminal
FRAME_ROWS = 4  # the border, the title and the key line around it


class TextDialog(QuietFocus, ModalScreen[None]):
    DEFAULT_CSS = """
    TextDialog { align: center middle; }
    TextDialog > #dialog {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: heavy $accent; background: $surface; padding: 0 1;
    }
    TextDialog #dialog-title { text-style: bold; height: 1; }
    TextDialog #dialog-text { height: auto; max-height: 17; }
    TextDialog #dialog-keys { height: 1; color: $text-muted; }
    """

    BINDINGS = [Binding("escape,enter,q", "close", "Stäng", id="dialog.close")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.dialog_title = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(clean(self.dialog_title), id="dialog-title", markup=False)
            with VerticalScroll(id="dialog-text"):
                yield Static(clean(self.text, multiline=True) or "(ingen text)", markup=False)
            yield Static("Pil upp/ned bläddrar · Escape stänger", id="dialog-keys")

    def on_mount(self) -> None:
        self._fit(self.app.size.height)
        self.query_one("#dialog-text").focus()

    def on_resize(self, event) -> None:
        self._fit(event.size.height)

    def _fit(self, height: int) -> None:
        """The text scrolls in what is left of the terminal's rows (60x20: 16)."""
        rows = max(1, min(TEXT_ROWS, height - FRAME_ROWS))
        self.query_one("#dialog-text").styles.max_height = rows

    def action_close(self) -> None:
        self.dismiss(None)
