"""Vårdmottagningar › Visa mottagningsinformation: search, page, sort, open the details."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult

from tui.screens.base import PageScreen
from tui.widgets.unit_pager import UnitPager

PAGE_SIZE = 17  # a terminal too small to say (the page is what the terminal shows)
# The page's rows above and below the table: title, search, status, header, footer.
AROUND_TABLE = 6


class UnitsScreen(PageScreen):
    TITLE = "Visa mottagningsinformation"
    HELP = """
Här ser du aktiverade och inaktiverade mottagningar i regionen. Lämnar du sökfältet tomt listas
alla. Skriv delar av ett HSA-id, ett mottagningsnamn, en adress eller övrig information:
listan uppdateras medan du skriver. Enter (Visa) öppnar en ensam träff direkt, annars går
Enter och pil ned till listan. PgDn/PgUp (n/p) bläddrar, 1-5 sorterar på en kolumn (igen:
omvänt), s byter kolumn och S vänder. Enter på en rad visar mottagningens inställningar,
ärendetyper, villkorstexter och behörigheter.
"""

    _reload_on_resume = False  # a page opened from here may have changed the rows

    def compose_body(self) -> ComposeResult:
        rows = self.app.size.height - AROUND_TABLE
        yield UnitPager(
            page_size=rows if rows > 0 else PAGE_SIZE,
            fit_page=AROUND_TABLE,
            id="search",
            placeholder="HSA-id, namn, adress eller övrig information",
        )

    def on_mount(self) -> None:
        pager = self.query_one("#search", UnitPager)
        pager.load("")
        pager.focus_filter()

    def on_resize(self, event: events.Resize) -> None:
        self.query_one("#search", UnitPager).terminal_resized(event.size.width, event.size.height)

    def on_screen_resume(self) -> None:
        # Back from a page opened from here (the details, and what they lead to): the
        # rows are asked for again, and drawn again only if they differ. A closed dialog,
        # help text or palette changed nothing: no query. (Ändra namn and Inaktivera are
        # reached through the menu or the palette, which close this page first: it opens
        # anew with what they wrote.)
        pager = self.query_one("#search", UnitPager)
        if self._reload_on_resume and pager.loaded:
            self._reload_on_resume = False
            pager.reload()

    @on(UnitPager.Submitted)
    def _submitted(self, event: UnitPager.Submitted) -> None:
        if event.page.total == 1:
            self.open_details(event.page.rows[0].hsa_id)
        else:
            event.pager.action_to_table()

    @on(UnitPager.Chosen)
    def _chosen(self, event: UnitPager.Chosen) -> None:
        self.open_details(event.hsa_id)

    def open_details(self, hsa_id: str) -> None:
        from tui.screens.unit_details import UnitDetailsScreen

        self._reload_on_resume = True
        self.app.push_screen(UnitDetailsScreen(hsa_id))
