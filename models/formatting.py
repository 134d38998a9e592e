"""How values read on every face (TUI tables, command-line tables, report rows): one place,
so the TUI and the CLI say "1 555" and "Ja" alike. No Textual, no Rich."""

from __future__ import annotations

from .text import clean


def fit(value: object, width: int) -> str:
    """`value` cleaned and cut to `width` characters, the last one an ellipsis if cut."""
    text = clean(value)
    if width > 0 and len(text) > width:
        return text[: width - 1] + "…"
    return text


def yes_no(value: bool) -> str:
    return "Ja" if value else "Nej"


def count_text(value: int) -> str:
    """1234 -> '1 234', the Swedish way of grouping digits."""
    return f"{value:,}".replace(",", " ")
