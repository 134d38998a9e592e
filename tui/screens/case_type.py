"""One case type of the central bank: description, a preview of its form, its terms text."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from models.catalog import KIND_NAMES, CaseTypeDetails, case_type_details
from models.text import clean
from tui.screens.base import PageScreen

# The answer lines of the preview: wide enough to read as a field, narrow enough for 80x24.
ANSWER_LINE = "_" * 60


def form_preview(questions: list[str]) -> str:
    """The questions as the patient meets them: numbered labels with empty answer lines."""
    if not questions:
        return "Ärendetypen har inga frågor."
    lines: list[str] = []
    for number, question in enumerate(questions, start=1):
        lines.append(f"{number}. {clean(question)}")
        lines.append(f"   {ANSWER_LINE}")
        lines.append("")
    return "\n".join(lines).rstrip()


class CaseTypeScreen(PageScreen):
    HELP = """
Ärendetypens beskrivning, en förhandsgranskning av formuläret som patienten
fyller i (frågorna med tomma svarsrader) och villkorstexten som patienten
ser innan ärendet skickas. Sidan går bara att läsa. Pil upp/ned och
PageUp/PageDown bläddrar, Escape går tillbaka till listan.
"""

    CSS = """
    CaseTypeScreen #case-type { height: 1fr; }
    CaseTypeScreen .heading { text-style: bold; margin-top: 1; }
    CaseTypeScreen #ct-form { border: round $primary; padding: 0 1; }
    CaseTypeScreen #ct-terms { padding: 0 0 0 2; }
    """

    def __init__(self, case_type_id: int, name: str = "") -> None:
        super().__init__()
        self.case_type_id = case_type_id
        self.TITLE = clean(f"Ärendetyp: {name}" if name else "Ärendetyp")

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="case-type", can_focus=True):
            yield Static("", id="ct-summary", markup=False)
            yield Static("Förhandsgranska formulär", classes="heading", markup=False)
            yield Static("", id="ct-form", markup=False)
            yield Static("Villkorstext", classes="heading", markup=False)
            yield Static("", id="ct-terms", markup=False)

    def on_mount(self) -> None:
        self.query_one("#case-type").focus()
        self.call_service(case_type_details, self.app.operator, self.case_type_id, done=self._show)

    def _show(self, details: CaseTypeDetails) -> None:
        kind = KIND_NAMES.get(details.kind, details.kind)
        description = clean(details.description, multiline=True) or "Ingen beskrivning."
        self.query_one("#ct-summary", Static).update(
            f"{clean(details.name)} ({clean(kind)})\n{description}"
        )
        form = self.query_one("#ct-form", Static)
        form.border_title = Text(clean(details.name))  # Text: a name is never markup
        form.update(form_preview(details.questions))
        terms = clean(details.terms_text, multiline=True).strip()
        self.query_one("#ct-terms", Static).update(terms or "Ärendetypen har ingen villkorstext.")
