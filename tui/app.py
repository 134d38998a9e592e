"""The Textual application: the operator's shell around the manual's pages."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from functools import partial

from rich.color import ColorSystem
from textual.app import App, ScreenStackError
from textual.binding import Binding
from textual.driver import Driver
from textual.filter import LineFilter, Monochrome, NoColor
from textual.screen import Screen

from models.operators import Operator
from tui.keymap import check_keymap
from tui.pages import PAGES_BY_ID, screen_class
from tui.screens.base import PageScreen
from tui.screens.menu import MenuScreen
from tui.textual_private import app_driver, force_color_system, paint_held
from tui.widgets import wire

HOLD_PAINT_SECONDS = 0.3  # the longest a page waits for its data before it is drawn anyway
ANSI_THEME = "ansi-dark"  # Textual 8.2.8 ships ansi-dark and ansi-light (no textual-ansi)
DUMB_TERMS = ("dumb", "unknown")


def dumb_terminal(environ: dict[str, str] | os._Environ = os.environ) -> bool:
    """TERM=dumb (or unknown) and no colour system asked for: Rich then picks no colour
    system, and Textual 8.2.8 draws with 24-bit colour codes when it has none."""
    term = environ.get("TERM", "").strip().lower()
    return term in DUMB_TERMS and not environ.get("TEXTUAL_COLOR_SYSTEM", "").strip()


def choose_theme(environ: dict[str, str] | os._Environ = os.environ) -> str | None:
    """REGIONADMIN_THEME names a theme ("ansi" = the terminal's own 16 colours); NO_COLOR
    alone (or a dumb terminal) also picks the ANSI theme, which then draws with attributes
    and no colours."""
    wanted = environ.get("REGIONADMIN_THEME", "").strip().lower()
    if wanted == "ansi":
        return ANSI_THEME
    if wanted:
        return wanted
    if "NO_COLOR" in environ or dumb_terminal(environ):
        return ANSI_THEME
    return None


def _pages_provider() -> type:
    from tui.palette import PagesProvider

    return PagesProvider


def _units_provider() -> type:
    from tui.palette import UnitsProvider

    return UnitsProvider


class RegionAdminApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "regionadmin"
    # Textual takes a provider's class or a function that returns it: the palette (and
    # models.units behind its unit search) is imported when it opens, not before the
    # first paint.
    COMMANDS = {_pages_provider, _units_provider}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Avsluta", priority=True, show=False, id="app.quit"),
        Binding(
            "ctrl+p",
            "command_palette",
            "Sök/gå till",
            priority=True,
            show=False,
            id="app.palette",
        ),
        Binding("ctrl+l", "redraw", "Rita om", priority=True, show=False, id="app.redraw"),
    ]

    def __init__(self, operator: Operator, keymap: Mapping[str, object] | None = None) -> None:
        super().__init__()
        self.operator = operator
        # config.toml's [keymap] (models.config): the usable entries moved with Textual's
        # keymap, the others told once on the menu and left out.
        self.keymap, self.keymap_problems = check_keymap(keymap or {})
        if self.keymap:
            self.set_keymap(self.keymap)
        # No animation anywhere: slow links pay for every repaint.
        self.animation_level = "none"
        theme = choose_theme()
        if theme in self.available_themes:
            self.theme = theme
        if dumb_terminal():
            # As NO_COLOR: attributes only (bold, underline, reverse), as the basic SGR codes
            # every terminal that takes cursor movement knows.
            force_color_system(self.console, ColorSystem.STANDARD)
            self.no_color = True
        # App.__init__ picked its NO_COLOR filter for the default theme (Monochrome); on an
        # ANSI theme that paints every cell black on black. NoColor keeps the terminal's own
        # colours and the attributes (bold, reverse) that app.tcss uses.
        self._no_color_filter: LineFilter = NoColor() if self.native_ansi_color else Monochrome()

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters (its public hook), with NO_COLOR's (or a dumb terminal's) one
        chosen for the theme in use (see __init__)."""
        filters = super().get_line_filters()
        if not self.no_color:
            return filters
        kept = [f for f in filters if not isinstance(f, (NoColor, Monochrome))]
        return [*kept, self._no_color_filter]

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this terminal, writing only the cells that change (see
        tui/widgets/wire.py; REGIONADMIN_SCREEN_DIFF=0 writes Textual's frames as they are)."""
        driver = super().get_driver_class()
        return wire.diffing_driver(driver) if wire.enabled() else driver

    def hold_paint(self, limit: float = HOLD_PAINT_SECONDS) -> Callable[[], None]:
        """Draw nothing until the returned release is called (or `limit` seconds have
        passed), then the whole screen once. A page that asks for its data as it is shown
        uses it, so the page is not drawn first empty and then again with its rows (on a
        slow link the empty table's frame was paid twice)."""
        held = ExitStack()
        held.enter_context(self.batch_update())
        released = False

        def release() -> None:
            nonlocal released
            if released:
                return
            released = True
            timer.stop()
            held.close()
            if not paint_held(self) and self.is_running:
                try:
                    # What was drawn while held never reached the terminal.
                    self.screen.refresh()
                except ScreenStackError:
                    pass  # closing: nothing is left to draw

        timer = self.set_timer(limit, release, name="hold_paint")
        return release

    def action_redraw(self) -> None:
        """Ctrl+L: the whole screen again, as in other terminal programs (after a message
        from the system or a line noise left marks on it)."""
        redraw = getattr(app_driver(self), "redraw", None)
        if redraw is not None:
            redraw()
        self.screen.refresh()

    def on_mount(self) -> None:
        menu = MenuScreen()
        self.push_screen(menu)
        if self.keymap_problems:
            # On the menu's message line (no toast: its timer would repaint an idle screen).
            self.call_after_refresh(menu.show_message, " ".join(self.keymap_problems), error=True)
        if not self.operator.terms_accepted:
            # Skaffa konto: the terms are shown once, before anything else (imported here:
            # an operator who has accepted them never needs the screen).
            from tui.screens.terms import TermsScreen

            self.push_screen(TermsScreen())

    def _to_menu(self) -> None:
        """Close every page above the start menu (one instance of a page on the stack)."""
        while len(self.screen_stack) > 2 and not isinstance(self.screen, MenuScreen):
            self.pop_screen()

    def _page_busy(self) -> bool:
        """A page below the palette whose write has not answered yet keeps its place."""
        return any(
            isinstance(screen, PageScreen) and screen.wait_for_write()
            for screen in self.screen_stack
        )

    def leave_pages(self, then: Callable[[], None], below: Screen | None = None) -> None:
        """Run `then` (quit, or close the pages for another one) once every page that would
        close has let the admin keep unsaved changes: such a page asks first, as on Escape.
        Dialogs above that page (the palette, a question already open) are closed so its
        question is the one shown. `below`: the page that has asked already."""
        stack = self.screen_stack
        top = stack.index(below) if below in stack else len(stack)
        for page in reversed(stack[1:top]):
            if isinstance(page, PageScreen) and page.unsaved_changes():
                while self.screen is not page:
                    self.pop_screen()
                page.ask_to_leave(partial(self.leave_pages, then, page))
                return
        then()

    def _replace_pages(self, make: Callable[[], Screen]) -> None:
        self._to_menu()
        self.push_screen(make())

    def open_page(self, page_id: str, **kwargs) -> None:
        cls = screen_class(PAGES_BY_ID[page_id])
        if self._page_busy():
            return
        self.leave_pages(partial(self._replace_pages, partial(cls, **kwargs)))

    def open_unit(self, hsa_id: str) -> None:
        """The command palette's unit hit: that unit's Mottagningsinformation."""
        from tui.screens.unit_details import UnitDetailsScreen

        if self._page_busy():
            return
        self.leave_pages(partial(self._replace_pages, partial(UnitDetailsScreen, hsa_id)))

    def action_command_palette(self) -> None:
        from tui.palette import Palette

        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette())

    async def action_quit(self) -> None:
        """Ctrl+Q on Skaffa konto is the same as Avsluta there: exit code 1 and its message.
        Elsewhere a page with unsaved changes asks first (Spara / Kasta / Avbryt)."""
        decline = getattr(self.screen, "action_decline", None)
        if decline is not None:
            decline()
            return
        self.leave_pages(self.exit)

    def action_help_quit(self) -> None:
        self.notify("Avsluta med Ctrl+Q.", timeout=3)
