"""The manual's "klickbara rubriker": a help text under the page title, shown by F1 or ?."""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual.widgets import Static

from tui.keymap import prose_key

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


@dataclass(frozen=True)
class KeyChange:
    """A key of the page moved in config.toml's [keymap]: `default` -> `keys` ("f9,f10")."""

    default: str
    keys: str
    label: str


def with_keys(text: str, changes: list[KeyChange]) -> str:
    """The help text with the keys the admin has moved: where the text names a moved key
    ("Ctrl+S", "F5", "Escape"; not single letters, which are also words) it names the new
    one, and a last paragraph lists every move on the page."""
    if not changes:
        return text
    for change in changes:
        old = prose_key(change.default)
        if len(old) > 1:
            new = " eller ".join(prose_key(k) for k in change.keys.split(","))
            text = re.sub(rf"(?<![\w+]){re.escape(old)}(?![\w+])", new, text)
    moved = "; ".join(
        f"{change.label}: {' eller '.join(prose_key(k) for k in change.keys.split(','))}"
        for change in changes
    )
    return f"{text}\n\nÄndrade tangenter (config.toml, [keymap]): {moved}."


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
