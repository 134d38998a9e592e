"""Vårdmottagningar › Visa mottagningsinformation: search, page, sort, open the details."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult

from tui.screens.base import PageScreen
from tui.widgets.unit_pager import UnitPager

PAGE_SIZE = 17


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

    def compose_body(self) -> ComposeResult:
        yield UnitPager(
            page_size=PAGE_SIZE,
            id="search",
            placeholder="HSA-id, namn, adress eller övrig information",
        )

    def on_mount(self) -> None:
        pager = self.query_one("#search", UnitPager)
        pager.load("")
        pager.focus_filter()

    def on_screen_resume(self) -> None:
        # Back from the details: a rename or a deactivation may have changed the rows.
        pager = self.query_one("#search", UnitPager)
        if pager.loaded:
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

        self.app.push_screen(UnitDetailsScreen(hsa_id))
