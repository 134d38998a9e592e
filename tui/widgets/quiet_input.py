"""An Input that never blinks: a blinking cursor writes about 1.8 KB/s to an idle terminal."""

from __future__ import annotations

from textual.widgets import Input


class QuietInput(Input):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cursor_blink = False
