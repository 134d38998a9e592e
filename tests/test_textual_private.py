"""tui/textual_private.py: the private members of Textual and Rich the program uses, each behind
one function that fails loudly (TextualChanged) when an upgrade within >= 8.2, < 9 renames it."""

from __future__ import annotations

import pytest
from rich.color import ColorSystem
from rich.console import Console
from textual.app import App
from textual.command import CommandPalette
from textual.filter import Monochrome, NoColor

from tests.idle import settle
from tests.tui_support import SIZE, make_app, press
from tui.app import RegionAdminApp
from tui.palette import NO_MATCHES, Palette
from tui.textual_private import (
    PALETTE_HOOK,
    TextualChanged,
    app_driver,
    force_color_system,
    missing_members,
    need,
    paint_held,
)


def test_every_private_member_used_is_there():
    assert missing_members() == []
    # Palette overrides Textual's hook by name: the name must still be Textual's.
    assert PALETTE_HOOK in vars(Palette) and hasattr(CommandPalette, PALETTE_HOOK)


def test_a_missing_member_is_a_loud_error():
    with pytest.raises(TextualChanged, match=r"Console\._gone finns inte"):
        need(Console(), "_gone")


def test_missing_members_names_what_is_gone(monkeypatch):
    monkeypatch.delattr(CommandPalette, "_stop_no_matches_countdown")
    assert missing_members() == ["CommandPalette._stop_no_matches_countdown"]


def test_force_color_system():
    console = Console(color_system=None)
    force_color_system(console, ColorSystem.STANDARD)
    assert console.color_system == "standard"


async def test_paint_held_and_app_driver():
    app = App()
    async with app.run_test():
        assert not paint_held(app)
        with app.batch_update():
            assert paint_held(app)
        assert not paint_held(app)
        assert app_driver(app) is not None


async def test_no_color_filter_follows_the_theme(sqlite_db, monkeypatch):
    """The public get_line_filters hook replaces what App._filters was edited for."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("REGIONADMIN_THEME", raising=False)
    operator = make_app()[0].operator
    app = RegionAdminApp(operator)
    filters = app.get_line_filters()
    assert [type(f) for f in filters if isinstance(f, (NoColor, Monochrome))] == [NoColor]
    monkeypatch.delenv("NO_COLOR")
    plain = RegionAdminApp(operator)
    assert not [f for f in plain.get_line_filters() if isinstance(f, (NoColor, Monochrome))]


async def test_the_palette_says_no_matches_at_once(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "ctrl+p")
        await pilot.press(*"qqqqzzz")
        await settle(pilot)
        palette = app.screen
        assert isinstance(palette, Palette)
        texts = [str(o.prompt) for o in palette.query_one("CommandList").options]
        assert texts == [NO_MATCHES]
