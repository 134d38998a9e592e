"""The Textual application: the operator's shell around the manual's pages."""

from __future__ import annotations

from textual.app import App

from models.operators import Operator
from tui.pages import PAGES_BY_ID, screen_class
from tui.palette import PagesProvider
from tui.screens.menu import MenuScreen


class RegionAdminApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "regionadmin"
    COMMANDS = App.COMMANDS | {PagesProvider}
    COMMAND_PALETTE_BINDING = "ctrl+p"

    def __init__(self, operator: Operator) -> None:
        super().__init__()
        self.operator = operator
        # No animation anywhere: slow links pay for every repaint.
        self.animation_level = "none"

    def on_mount(self) -> None:
        self.push_screen(MenuScreen())
        if not self.operator.terms_accepted:
            # Skaffa konto: the terms are shown once, before anything else.
            try:
                from tui.screens.terms import TermsScreen
            except ImportError:
                return
            self.push_screen(TermsScreen())

    def open_page(self, page_id: str, **kwargs) -> None:
        page = PAGES_BY_ID[page_id]
        try:
            cls = screen_class(page)
        except (ImportError, AttributeError):
            from tui.screens.placeholder import PlaceholderScreen

            self.push_screen(PlaceholderScreen(page.title))
            return
        # One instance of a page on the stack: opening it again returns to it.
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.push_screen(cls(**kwargs))
