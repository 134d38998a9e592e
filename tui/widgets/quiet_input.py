"""The text field every page uses.

- It never blinks: a blinking cursor writes about 1.8 KB/s to an idle terminal.
- It never selects its text on focus (Textual's default): with the value selected, the first
  key typed replaced it, so " Syd" typed after a unit's name left only "Syd".
- A value the program puts in (a unit's current name, a proposed file name) leaves the
  cursor at its end with nothing selected, whatever the field held before: the next key
  typed adds to the value.
"""

from __future__ import annotations

from textual.geometry import Region
from textual.widgets import Input


class QuietInput(Input):
    def __init__(self, *args, select_on_focus: bool = False, **kwargs) -> None:
        super().__init__(*args, select_on_focus=select_on_focus, **kwargs)
        self.cursor_blink = False

    _editing = False  # True while a key (or a paste) changes the value

    def replace(self, text: str, start: int, end: int) -> None:
        # Every edit by the user (typing, deleting, pasting) goes through replace(), which
        # puts the cursor after the edit itself.
        self._editing = True
        try:
            super().replace(text, start, end)
        finally:
            self._editing = False

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        if not self._editing:
            # Set by the program: Input would keep the old cursor (clamped) or selection.
            # As Input does with a first value, the view stays where it is, so a field
            # without focus shows the value's beginning; on_focus shows the cursor.
            initial, self._initial_value = self._initial_value, True
            try:
                self.cursor_position = len(value)
            finally:
                self._initial_value = initial

    def on_focus(self) -> None:
        # Runs after Input's own focus handler: the cursor (at the end of a long value) in
        # view, as it is once a key is typed.
        self.scroll_to_region(
            Region(self._cursor_offset, 0, width=1, height=1), force=True, animate=False
        )
