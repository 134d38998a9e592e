"""Start page: the manual's left menu as a keyboard list. Enter or the page's key opens it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.pages import GROUPS, PAGES, PAGES_BY_ID
from tui.screens.base import PageScreen


class MenuScreen(PageScreen):
    TITLE = "Landstingsadministratör"
    HELP = """
Startsidan visar menyn för landstingsadministratören. Flytta med pil upp/ned och öppna en
sida med Enter, eller tryck sidans tangent (inom hakparentes). Ctrl+P öppnar kommandopaletten:
skriv en sidas namn, eller ett HSA-id eller mottagningsnamn för att gå direkt till mottagningen.
Escape går tillbaka från en sida, F1 eller ? visar och döljer hjälptexten på varje sida.
Ctrl+Q avslutar.

Support: telefon 0771-25 10 10, knappval 1 (alla dagar kl. 06.00–22.00). Via e-post: formuläret
under Support på www.inera.se/1177-vardguidens-e-tjanster-personal.
"""

    BINDINGS = [
        Binding(page.key, f"open_page('{page.id}')", page.title, show=False) for page in PAGES
    ]

    def compose_body(self):
        yield OptionList(*self._options(), id="menu")

    def _options(self) -> list[Option | None]:
        options: list[Option | None] = []
        for group in GROUPS:
            pages = [p for p in PAGES if p.group == group]
            options.append(Option(group, disabled=True))
            for page in pages:
                options.append(Option(f"  [{page.key}] {page.title}", id=page.id))
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

    def action_back(self) -> None:
        """Escape on the start page does nothing; Ctrl+Q quits."""

    def compose(self) -> ComposeResult:
        yield from super().compose()
