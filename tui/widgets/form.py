"""Small form pieces shared by the pages: a one-line labelled field and its hint line."""

from __future__ import annotations

import textwrap

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label, Static

from models.text import clean


def field_row(label: str, *widgets: Widget, id: str | None = None) -> Horizontal:
    """`label` in a fixed column, then the field (and e.g. its button) on one line."""
    return Horizontal(Label(label, classes="field-label"), *widgets, classes="field-row", id=id)


class Hint(Static):
    """The line under a field: a neutral hint, or the field's error in the error colour."""

    DEFAULT_CSS = """
    Hint { height: auto; color: $text-muted; padding-left: 13; }
    Hint.-error { color: $error; text-style: bold; }
    Hint.-ok { color: $success; }
    """

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(text, id=id, markup=False)
        self.default_text = text

    def info(self, text: str | None = None) -> None:
        self.remove_class("-error", "-ok")
        self.update(clean(self.default_text if text is None else text))

    def error(self, text: object) -> None:
        self.remove_class("-ok")
        self.add_class("-error")
        self.update(clean(str(text)))

    def ok(self, text: str) -> None:
        self.remove_class("-error")
        self.add_class("-ok")
        self.update(clean(text))

    @property
    def is_error(self) -> bool:
        return self.has_class("-error")


def facts(rows: list[tuple[str, object]], width: int = 22, wrap: int = 0) -> str:
    """Label/value lines for a read-only block; values cleaned, empty ones left out.

    `wrap`: the block's width in columns. A longer value is then shown whole, wrapped onto
    the next lines under itself (not under the label); without it a value is left as it is.
    """
    lines = []
    for label, value in rows:
        text = clean(value)
        if not text:
            continue
        if wrap and len(text) > wrap - width:
            parts = textwrap.wrap(text, max(wrap - width, 10), break_on_hyphens=False)
            lines.append(f"{label:<{width}}{parts[0]}")
            lines.extend(" " * width + part for part in parts[1:])
        else:
            lines.append(f"{label:<{width}}{text}")
    return "\n".join(lines)


def block_width(widget: Widget, fallback: int = 78) -> int:
    """The columns a text block in `widget` has to wrap in (the page body at 80x24: 78)."""
    return widget.content_region.width or widget.app.size.width - 2 or fallback
