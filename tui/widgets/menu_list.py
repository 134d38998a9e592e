"""Option lists that repaint only the two lines whose highlight changed.

Textual's OptionList repaints the whole widget when the highlight moves: on the start menu
that was 3.5 KB per arrow key over SSH, and as much in the command palette's hits. Here a
move costs the old and the new line (a move that scrolls the list still repaints it).
"""

from __future__ import annotations

from textual.geometry import Region
from textual.reactive import reactive
from textual.widgets import OptionList


class LineHighlight:
    """Mix in before an OptionList (sub)class: a highlight move repaints two lines."""

    highlighted: reactive[int | None] = reactive(None, repaint=False)

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        super().watch_highlighted(new)  # type: ignore[misc]
        for index in (old, new):
            self._refresh_option(index)

    def _refresh_option(self, index: int | None) -> None:
        if index is None or not self.is_mounted:  # type: ignore[attr-defined]
            return
        try:
            # _index_to_line is OptionList's own map from option to its first line.
            top = self._index_to_line[index]  # type: ignore[attr-defined]
            bottom = self._index_to_line.get(index + 1, top + 1)  # type: ignore[attr-defined]
        except (AttributeError, KeyError):
            self.refresh()  # type: ignore[attr-defined]
            return
        scroll_y = int(self.scroll_offset.y)  # type: ignore[attr-defined]
        self.refresh(
            Region(
                0,
                top - scroll_y,
                self.size.width,  # type: ignore[attr-defined]
                max(1, bottom - top),
            )
        )


class MenuList(LineHighlight, OptionList):
    pass
