"""Shown for a page whose screen is not built yet, so the menu never leads to a crash."""

from __future__ import annotations

from textual.widgets import Static

from tui.screens.base import PageScreen


class PlaceholderScreen(PageScreen):
    HELP = "Den här sidan finns inte ännu i regionadmin."

    def __init__(self, title: str) -> None:
        super().__init__()
        self.TITLE = title

    def compose_body(self):
        yield Static(f"{self.TITLE}: sidan är inte byggd ännu.", markup=False)
