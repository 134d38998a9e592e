"""Vårdmottagningar > Ansluta från fil: many activations or grants from a CSV, all or nothing.

The same service as `regionadmin unit activate --from-file` / `grant add --from-file`:
Provkör (F2) does everything and rolls back, showing each change; Genomför (F3) is offered
only after a dry run of the same file and kind that went through, and writes it.
"""

from __future__ import annotations

import os
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Static

from models.formatting import count_text
from models.onboarding import OnboardingResult, activate_from_file, grant_from_file
from models.text import clean
from tui.screens.base import PageScreen
from tui.widgets.choice import ChoiceSet
from tui.widgets.form import Hint, field_row
from tui.widgets.plain_checkbox import PlainRadioButton
from tui.widgets.quiet_input import QuietInput

KINDS = (("Aktiveringar", activate_from_file), ("Behörigheter", grant_from_file))
COLUMNS_HINT = (
    "Aktiveringar: hsa_id, name, other_service. Behörigheter: hsa_id, "
    "personnummer, role. F2 Provkör, F3 Genomför."
)


class OnboardingScreen(PageScreen):
    TITLE = "Ansluta från fil"
    HELP = """
Anslut många mottagningar, eller dela ut många behörigheter, från en CSV-fil med rubrikrad
(UTF-8, komma eller semikolon). Aktiveringar: hsa_id, name (tomt = HSA:s namn),
other_service (true/false). Behörigheter: hsa_id, personnummer, role (admin, granskare eller
admin+granskare). Varje rad kontrolleras som en aktivering eller tilldelning i taget; allt
eller inget: en felaktig rad anges som rad N, fält X och ingenting skrivs. Provkör (F2) visar
vad som skulle ändras utan att ändra något; Genomför (F3) skriver det.
"""

    BINDINGS = [
        Binding("f2", "dry_run", "Provkör", id="onboarding.dry_run"),
        Binding("f3", "commit", "Genomför", id="onboarding.commit"),
    ]

    CSS = """
    OnboardingScreen #changes { height: 1fr; border: round $primary; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.tried: tuple[str, int] | None = None  # (file, kind) of the last good dry run

    def compose_body(self) -> ComposeResult:
        yield field_row(
            "Fil", QuietInput(id="file", compact=True, placeholder="sökväg till CSV-filen")
        )
        with Horizontal(classes="buttons"):
            yield ChoiceSet(
                *(PlainRadioButton(label, value=i == 0) for i, (label, _) in enumerate(KINDS)),
                id="kind",
                compact=True,
            )
        yield Hint(COLUMNS_HINT, id="hint")
        with VerticalScroll(id="changes", can_focus=True):
            yield Static("", id="change-list", markup=False)

    def on_mount(self) -> None:
        self.query_one("#file", Input).focus()

    def _target(self) -> tuple[str, int]:
        path = os.path.expanduser(self.query_one("#file", Input).value.strip())
        return path, self.query_one("#kind", ChoiceSet).chosen_index

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "commit":
            return self.tried is not None and self.tried == self._target()
        return super().check_action(action, parameters)

    @on(Input.Changed, "#file")
    @on(ChoiceSet.Changed)
    def _changed(self) -> None:
        self.refresh_bindings()

    @on(Input.Submitted, "#file")
    def action_dry_run(self) -> None:
        path, kind = self._target()
        if not path:
            self.query_one("#hint", Hint).error("Ange filen att läsa.")
            return
        self.query_one("#hint", Hint).info("Provkör …")
        self.call_service(
            KINDS[kind][1],
            self.app.operator,
            path,
            dry_run=True,
            done=partial(self._shown, (path, kind)),
            fail=self._failed,
        )

    def action_commit(self) -> None:
        path, kind = self._target()
        if self.tried != (path, kind):
            return
        self.query_one("#hint", Hint).info("Skriver …")
        self.call_write(
            KINDS[kind][1],
            self.app.operator,
            path,
            dry_run=False,
            done=partial(self._shown, None),
            fail=self._failed,
        )

    def _shown(self, tried: tuple[str, int] | None, result: OnboardingResult) -> None:
        self.tried = tried
        lines = [clean(f"rad {c.line}: {c.what}") for c in result.changes]
        self.query_one("#change-list", Static).update("\n".join(lines) or "(inga rader)")
        count = count_text(len(result.changes))
        if result.dry_run:
            self.query_one("#hint", Hint).info(
                f"Provkörning: {count} ändringar skulle göras; ingenting har ändrats. F3 Genomför."
            )
        else:
            self.query_one("#hint", Hint).info(f"Klart: {count} ändringar, var och en i loggen.")
        self.refresh_bindings()

    def _failed(self, error) -> None:
        self.tried = None
        self.query_one("#change-list", Static).update("")
        self.query_one("#hint", Hint).error(error)
        self.refresh_bindings()
