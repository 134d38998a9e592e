"""An OptionList that repaints only the two lines whose highlight changed.

Textual's OptionList repaints the whole widget when the highlight moves: on the start menu
that was 3.5 KB per arrow key over SSH. Here a move costs the old and the new line.
"""

from __future__ import annotations

from textual.geometry import Region
from textual.reactive import reactive
from textual.widgets import OptionList


class MenuList(OptionList):
    highlighted: reactive[int | None] = reactive(None, repaint=False)

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        super().watch_highlighted(new)
        for index in (old, new):
            self._refresh_option(index)

    def _refresh_option(self, index: int | None) -> None:
        if index is None or not self.is_mounted:
            return
        try:
            # _index_to_line is OptionList's own map from option to its first line.
            top = self._index_to_line[index]
            bottom = self._index_to_line.get(index + 1, top + 1)
        except (AttributeError, KeyError):
            self.refresh()
            return
        scroll_y = int(self.scroll_offset.y)
        self.refresh(Region(0, top - scroll_y, self.size.width, max(1, bottom - top)))
