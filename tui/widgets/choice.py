"""A one-line choice (radio buttons side by side) where the arrow keys choose directly."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import RadioSet


class ChoiceSet(RadioSet):
    """Textual's RadioSet moves a highlight with the arrows and needs Space to choose; here
    the arrow itself chooses, so what is shown as chosen is what the form will use. Enter
    submits the form (like Enter in a text field); Space still chooses."""

    BINDINGS = [
        Binding("enter", "submit", show=False),
        Binding("space", "toggle_button", show=False),
    ]

    class Submitted(Message):
        def __init__(self, choice: ChoiceSet) -> None:
            super().__init__()
            self.choice = choice

    def action_next_button(self) -> None:
        super().action_next_button()
        self.action_toggle_button()

    def action_previous_button(self) -> None:
        super().action_previous_button()
        self.action_toggle_button()

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self))
