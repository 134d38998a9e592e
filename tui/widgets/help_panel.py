"""The manual's "klickbara rubriker": a help text under the page title, shown by F1 or ?."""

from __future__ import annotations

import re

from textual.widgets import Static

_LIST_ITEM = re.compile(r"^\s*(?:[-•*]|\d+[.)])\s")


def reflow(text: str) -> str:
    """Join a help text's hard-wrapped lines so it wraps to the terminal's width instead.

    Blank lines separate paragraphs; a line that starts a list item ("- ", "1. ") keeps
    its own line.
    """
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines: list[str] = []
        for line in block.splitlines():
            if lines and not _LIST_ITEM.match(line):
                lines[-1] = f"{lines[-1]} {line.strip()}"
            else:
                lines.append(line.strip())
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


class HelpPanel(Static):
    DEFAULT_CSS = """
    HelpPanel {
        display: none;
        border: round $accent;
        padding: 0 1;
        height: auto;
        max-height: 50vh;  /* 12 rows at 80x24, 10 at 60x20 */
        overflow-y: auto;
    }
    HelpPanel.-shown { display: block; }
    """

    def __init__(self, content: str = "", **kwargs) -> None:
        super().__init__(reflow(content), **kwargs)

    def toggle(self) -> bool:
        self.toggle_class("-shown")
        return self.has_class("-shown")
