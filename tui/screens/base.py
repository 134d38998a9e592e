"""The frame every page shares: title line, help text, error line, footer, and a way to
call a service on a worker thread so the UI never waits on the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from models.db import session
from models.errors import DomainError
from models.text import clean
from tui.widgets.help_panel import HelpPanel


class PageScreen(Screen):
    """A page of the manual. Subclasses set TITLE and HELP and implement compose_body()."""

    TITLE: ClassVar[str] = ""
    HELP: ClassVar[str] = ""

    BINDINGS = [
        Binding("escape", "back", "Tillbaka"),
        Binding("f1", "toggle_help", "Hjälp"),
        Binding("question_mark", "toggle_help", "Hjälp", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static(self._title_line(), id="page-title", markup=False)
        yield HelpPanel(self.HELP.strip(), id="help", markup=False)
        with Vertical(id="page-body"):
            yield from self.compose_body()
        yield Static("", id="message", markup=False)
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def _title_line(self) -> str:
        op = getattr(self.app, "operator", None)
        who = f"  ·  {op.name}, {op.region_name}" if op else ""
        return f"{self.TITLE}{who}"

    # --- messages -------------------------------------------------------------
    def show_message(self, text: str, *, error: bool = False) -> None:
        line = self.query_one("#message", Static)
        line.set_class(error, "-error")
        line.set_class(not error, "-ok")
        line.update(clean(text))

    def show_error(self, error: DomainError | str) -> None:
        self.show_message(str(error), error=True)

    def clear_message(self) -> None:
        self.query_one("#message", Static).update("")

    # --- actions ----------------------------------------------------------------
    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    def action_toggle_help(self) -> None:
        self.query_one(HelpPanel).toggle()

    # --- services on a worker thread ---------------------------------------------
    def call_service(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], None] | None = None,
        fail: Callable[[DomainError], None] | None = None,
        group: str = "service",
        **kwargs: Any,
    ) -> None:
        """Run `fn(*args, **kwargs)` in a thread; `done(result)` or `fail(error)` on the UI.

        Domain errors go to `fail` (default: the message line). Anything else is a bug and
        is shown as one line too, rather than a traceback over the admin's screen.
        """
        on_fail = fail or self.show_error

        def job() -> None:
            try:
                with session():
                    result = fn(*args, **kwargs)
            except DomainError as error:
                self.app.call_from_thread(on_fail, error)
            except Exception as error:  # noqa: BLE001 - shown, not swallowed
                self.app.call_from_thread(
                    self.show_error, f"Oväntat fel: {type(error).__name__}: {error}")
            else:
                if done is not None:
                    self.app.call_from_thread(done, result)

        self.run_worker(job, thread=True, group=group, exclusive=True, exit_on_error=False)
