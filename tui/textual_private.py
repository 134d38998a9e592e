"""The private members of Textual (and Rich) that regionadmin relies on, all in this file.

Textual is allowed a range (>= 8.2, < 9). A release that renames one of these must fail
here, loudly (TextualChanged when this module is imported or the function runs, and
tests/test_textual_private.py), not as a page that quietly looks wrong. Each use is one small
function; nothing else in tui/ names a private member of a library.
"""

from __future__ import annotations

from typing import Any

from rich.color import ColorSystem
from rich.console import Console
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.content import Content
from textual.driver import Driver
from textual.widgets.option_list import Option

# The CommandPalette hook Palette overrides (tui/palette.py) and what the override uses.
PALETTE_HOOK = "_start_no_matches_countdown"
PALETTE_MEMBERS = (PALETTE_HOOK, "_stop_no_matches_countdown", "_NO_MATCHES", "_list_visible")


class TextualChanged(RuntimeError):
    """An installed Textual (or Rich) no longer has a private member this program uses."""


def need(owner: object, name: str) -> Any:
    """`owner.name`, or TextualChanged naming what is gone."""
    try:
        return getattr(owner, name)
    except AttributeError as error:
        who = owner.__name__ if isinstance(owner, type) else type(owner).__name__
        raise TextualChanged(
            f"{who}.{name} finns inte i den installerade Textual/Rich-versionen; "
            "tui/textual_private.py behöver följa med."
        ) from error


def missing_members() -> list[str]:
    """The private members used here that the installed versions lack (class level)."""
    return [
        f"CommandPalette.{name}" for name in PALETTE_MEMBERS if not hasattr(CommandPalette, name)
    ]


def force_color_system(console: Console, system: ColorSystem) -> None:
    """Rich picks no colour system for TERM=dumb, and Textual then draws 24-bit colour:
    set the one Rich would have picked for a basic terminal."""
    need(console, "_color_system")
    console._color_system = system


def paint_held(app: App) -> bool:
    """Whether a batch (App.batch_update, hold_paint) still holds the drawing."""
    return bool(need(app, "_batch_count"))


def app_driver(app: App) -> Driver | None:
    """The driver writing to the terminal (None before it starts or in a test)."""
    return need(app, "_driver")


def say_no_matches_now(palette: CommandPalette, search_value: str, text: str) -> None:
    """In place of Textual's "No matches found" half a second later: `text` at once (the
    body of Palette's override of the PALETTE_HOOK)."""
    need(palette, "_stop_no_matches_countdown")()
    if search_value:
        palette.query_one(CommandList).add_option(
            Option(Content(text), disabled=True, id=need(palette, "_NO_MATCHES"))
        )
        palette._list_visible = True
    else:
        palette._list_visible = False


if missing := missing_members():  # at import: the program does not start half-working
    raise TextualChanged(f"Saknas i Textual: {', '.join(missing)} (tui/textual_private.py).")
