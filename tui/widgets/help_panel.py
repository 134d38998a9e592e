"""The manual's "klickbara rubriker": a help text under the page title, shown by F1 or ?."""

from __future__ import annotations

from textual.widgets import Static


class HelpPanel(Static):
    DEFAULT_CSS = """
    HelpPanel {
        display: none;
        border: round $accent;
        padding: 0 1;
        height: auto;
        max-height: 12;
        overflow-y: auto;
    }
    HelpPanel.-shown { display: block; }
    """

    def toggle(self) -> bool:
        self.toggle_class("-shown")
        return self.has_class("-shown")
