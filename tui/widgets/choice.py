"""A one-line choice (radio buttons side by side) where the arrow keys choose directly."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import RadioButton, RadioSet


class ChoiceSet(RadioSet):
    """Textual's RadioSet moves a highlight with the arrows and needs Space to choose; here
    the arrow itself chooses, so what is shown as chosen is what the form will use. Enter
    submits the form (like Enter in a text field); Space chooses the highlighted one.

    The arrows get actions of their own instead of overriding RadioSet's next/previous:
    RadioSet calls `action_next_button` from its own mount, and a toggle there left the
    set with no pressed button, so a later arrow lit a second mark (and granted a second
    role). `chosen_index` is read from the buttons themselves, never from a cached field.
    """

    BINDINGS = [
        Binding("down,right", "choose_next", show=False, id="choice.next"),
        Binding("up,left", "choose_previous", show=False, id="choice.previous"),
        Binding("enter", "submit", show=False, id="choice.submit"),
        Binding("space", "choose_highlighted", show=False, id="choice.choose"),
    ]

    class Submitted(Message):
        def __init__(self, choice: ChoiceSet) -> None:
            super().__init__()
            self.choice = choice

    @property
    def buttons(self) -> list[RadioButton]:
        return list(self.query(RadioButton))

    @property
    def chosen_index(self) -> int:
        """The index of the one button that is on (the first, should none be)."""
        return next((i for i, b in enumerate(self.buttons) if b.value), 0)

    def choose(self, index: int) -> None:
        """Turn button `index` on and every other off, and highlight it."""
        buttons = self.buttons
        if not buttons:
            return
        index %= len(buttons)
        with self.prevent(RadioButton.Changed):
            for i, button in enumerate(buttons):
                button.value = i == index
        self._pressed_button = buttons[index]
        self._selected = index
        self.post_message(self.Changed(self, buttons[index]))

    def action_choose_next(self) -> None:
        self.choose(self.chosen_index + 1)

    def action_choose_previous(self) -> None:
        self.choose(self.chosen_index - 1)

    def action_choose_highlighted(self) -> None:
        if self._selected is not None:
            self.choose(self._selected)

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self))
