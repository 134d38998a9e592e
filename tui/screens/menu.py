"""Start page: the manual's left menu as a keyboard list. Enter or the page's key opens it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.help_texts import SUPPORT_TEXT_FULL
from tui.pages import GROUPS, PAGES, PAGES_BY_ID
from tui.screens.base import PageScreen
from tui.widgets.menu_list import MenuList


class MenuScreen(PageScreen):
    TITLE = "Landstingsadministratör"
    HELP = (
        """
Startsidan visar menyn för landstingsadministratören. Flytta med pil upp/ned och öppna en
sida med Enter, eller tryck sidans tangent (inom hakparentes). Ctrl+P öppnar kommandopaletten:
skriv en sidas namn, eller ett HSA-id eller mottagningsnamn för att gå direkt till mottagningen.
Escape går tillbaka från en sida, F1 eller ? visar och döljer hjälptexten på varje sida.
Ctrl+Q avslutar.

"""
        + SUPPORT_TEXT_FULL
    )

    BINDINGS = [
        Binding(page.key, f"open_page('{page.id}')", page.title, show=False, id=f"menu.{page.id}")
        for page in PAGES
    ] + [
        # Priority like the app's own ctrl+q, so the Footer shows this one on the start page.
        Binding("ctrl+q", "app.quit", "Avsluta", priority=True, id="app.quit"),
    ]

    def compose_body(self) -> ComposeResult:
        yield MenuList(*self._options(), id="menu")

    def _options(self) -> list[Option]:
        options: list[Option] = []
        for group in GROUPS:
            options.append(Option(Text(group, style="bold"), disabled=True))
            for page in (p for p in PAGES if p.group == group):
                options.append(Option(Text(f"  [{page.key}] {page.title}"), id=page.id))
        return options

    def on_mount(self) -> None:
        menu = self.query_one("#menu", OptionList)
        menu.focus()
        menu.highlighted = 1

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_open_page(event.option.id)

    def action_open_page(self, page_id: str) -> None:
        self.app.open_page(PAGES_BY_ID[page_id].id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return False  # the start page has nothing to go back to; Ctrl+Q quits
        return super().check_action(action, parameters)

    def action_back(self) -> None:
        """Escape on the start page does nothing; Ctrl+Q quits."""
