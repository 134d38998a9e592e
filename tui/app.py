"""The Textual application: the operator's shell around the manual's pages."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial

from textual.app import App
from textual.binding import Binding
from textual.filter import Monochrome, NoColor
from textual.screen import Screen

from models.operators import Operator
from tui.pages import PAGES_BY_ID, screen_class
from tui.palette import PagesProvider, Palette, UnitsProvider
from tui.screens.base import PageScreen
from tui.screens.menu import MenuScreen
from tui.screens.terms import TermsScreen

ANSI_THEME = "ansi-dark"  # Textual 8.2.8 ships ansi-dark and ansi-light (no textual-ansi)


def choose_theme(environ: dict[str, str] | os._Environ = os.environ) -> str | None:
    """REGIONADMIN_THEME names a theme ("ansi" = the terminal's own 16 colours); NO_COLOR
    alone also picks the ANSI theme, which then draws with attributes and no colours."""
    wanted = environ.get("REGIONADMIN_THEME", "").strip().lower()
    if wanted == "ansi":
        return ANSI_THEME
    if wanted:
        return wanted
    if "NO_COLOR" in environ:
        return ANSI_THEME
    return None


class RegionAdminApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "regionadmin"
    COMMANDS = {PagesProvider, UnitsProvider}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Avsluta", priority=True, show=False),
        Binding("ctrl+p", "command_palette", "Sök/gå till", priority=True, show=False),
    ]

    def __init__(self, operator: Operator) -> None:
        super().__init__()
        self.operator = operator
        # No animation anywhere: slow links pay for every repaint.
        self.animation_level = "none"
        theme = choose_theme()
        if theme in self.available_themes:
            self.theme = theme
        if self.no_color and self.native_ansi_color:
            # App.__init__ picked its NO_COLOR filter for the default theme (Monochrome);
            # on an ANSI theme that paints every cell black on black. NoColor keeps the
            # terminal's own colours and the attributes (bold, reverse) that app.tcss uses.
            self._filters = [NoColor() if isinstance(f, Monochrome) else f
                             for f in self._filters]

    def on_mount(self) -> None:
        self.push_screen(MenuScreen())
        if not self.operator.terms_accepted:
            # Skaffa konto: the terms are shown once, before anything else.
            self.push_screen(TermsScreen())

    def _to_menu(self) -> None:
        """Close every page above the start menu (one instance of a page on the stack)."""
        while len(self.screen_stack) > 2 and not isinstance(self.screen, MenuScreen):
            self.pop_screen()

    def _page_busy(self) -> bool:
        """A page below the palette whose write has not answered yet keeps its place."""
        return any(isinstance(screen, PageScreen) and screen.wait_for_write()
                   for screen in self.screen_stack)

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
