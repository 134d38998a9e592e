"""A long text (a villkorstext) over the page, scrollable with the arrow keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from models.text import clean


class TextDialog(ModalScreen[None]):
    DEFAULT_CSS = """
    TextDialog { align: center middle; }
    TextDialog > #dialog {
        width: 76; height: auto; max-height: 22;
        border: heavy $accent; background: $surface; padding: 0 1;
    }
    TextDialog #dialog-title { text-style: bold; height: 1; }
    TextDialog #dialog-text { height: auto; max-height: 17; }
    TextDialog #dialog-keys { height: 1; color: $text-muted; }
    """

    BINDINGS = [Binding("escape,enter,q", "close", "Stäng")]

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
        self.query_one("#dialog-text").focus()

    def action_close(self) -> None:
        self.dismiss(None)
