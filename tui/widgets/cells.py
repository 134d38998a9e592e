"""Text from the database as table cells and labels: cleaned, never read as markup, cut with
an ellipsis; and a table refilled without losing its cursor."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.text import Text

from models.formatting import count_text, fit, yes_no

__all__ = ["cell", "count_text", "cursor_kept", "fit", "plain", "yes_no"]

if TYPE_CHECKING:  # the CLI imports this module too; it should not pay for DataTable
    from textual.widgets import DataTable


def cell(value: object, width: int = 0) -> Text:
    """A DataTable cell: a str would be parsed as markup, a Text is shown as it is."""
    return Text(fit(value, width), no_wrap=True, overflow="ellipsis")


def plain(value: object, width: int = 0) -> Text:
    """A label for a widget that reads a str as markup (Select and OptionList prompts,
    DataTable headers, Label): "BVC [/] Handen" from the database would crash it."""
    return Text(fit(value, width))


@contextmanager
def cursor_kept(table: DataTable, key: str | None = None) -> Iterator[None]:
    """Refill `table` inside the block; the cursor then goes back to the row with the same
    key (or to the row `key`), or to the same row number when that row is gone (clear()
    would put it on row 1)."""
    row = table.cursor_row
    if key is None and table.row_count:
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    yield
    if not table.row_count:
        return
    if key is not None and key in table.rows:
        row = table.get_row_index(key)
    table.move_cursor(row=min(max(row, 0), table.row_count - 1), animate=False)
