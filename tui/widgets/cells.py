"""Text from the database as table cells: cleaned, never read as markup, cut with an ellipsis."""

from __future__ import annotations

from rich.text import Text

from models.text import clean


def fit(value: object, width: int) -> str:
    """`value` cleaned and cut to `width` characters, the last one an ellipsis if cut."""
    text = clean(value)
    if width > 0 and len(text) > width:
        return text[: width - 1] + "…"
    return text


def cell(value: object, width: int = 0) -> Text:
    """A DataTable cell: a str would be parsed as markup, a Text is shown as it is."""
    return Text(fit(value, width), no_wrap=True, overflow="ellipsis")


def yes_no(value: bool) -> str:
    return "Ja" if value else "Nej"


def count_text(value: int) -> str:
    """1234 -> '1 234', the Swedish way of grouping digits."""
    return f"{value:,}".replace(",", " ")
