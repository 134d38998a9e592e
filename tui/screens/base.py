"""The frame every page shares: title line, help text, error line, footer, and a way to
call a service on a worker thread so the UI never waits on the database."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static, TextArea
from textual.worker import Worker, WorkerState, get_current_worker

from models.db import session
from models.errors import DomainError
from models.text import clean
from tui.help_texts import with_support
from tui.widgets.help_panel import HelpPanel
from tui.widgets.quiet_footer import QuietFooter
from tui.widgets.quiet_screen import QuietFocus
from tui.widgets.title_line import TitleLine

log = logging.getLogger(__name__)

WRITE_GROUP = "write"  # every page's writes: a worker group no read shares
WAIT_FOR_WRITE = "Vänta, ändringen sparas …"


def _nothing(_value: object) -> None:
    """The callback of a service without one that holds the first frame: releases it."""


class PageScreen(QuietFocus, Screen):
    """A page of the manual. Subclasses set TITLE and HELP and implement compose_body()."""

    TITLE: ClassVar[str] = ""
    HELP: ClassVar[str] = ""

    BINDINGS = [
        Binding("escape", "back", "Tillbaka"),
        Binding("f1", "toggle_help", "Hjälp"),
        # `?` is a character an HSA-id suffix may contain: it only toggles the help when the
        # focus is not in a text field (an Input also swallows printable keys itself).
        Binding("question_mark", "help_key", "Hjälp", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield TitleLine(self._title_line(), id="page-title")
        yield HelpPanel(with_support(self.HELP), id="help", markup=False)
        with Vertical(id="page-body"):
            yield from self.compose_body()
        yield Static("", id="message", markup=False)
        yield QuietFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    @on(events.DescendantFocus)
    def _focus_in_sight(self) -> None:
        """A body taller than the terminal scrolls (app.tcss): the field or button that
        gets the focus is scrolled into sight once the step it is on has been laid out
        (Textual's own scroll on focus runs before a step just switched to has a size)."""
        self.call_after_refresh(self._scroll_to_focused)

    def _scroll_to_focused(self) -> None:
        widget = self.focused
        if widget is not None and widget.is_attached and widget.region:
            widget.scroll_visible(animate=False, immediate=True)

    def _title_line(self) -> str:
        op = getattr(self.app, "operator", None)
        who = f"  ·  {clean(op.name)}, {clean(op.region_name)}" if op else ""
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
        line = self.query_one("#message", Static)
        line.remove_class("-error", "-ok")
        line.update("")

    # --- actions ----------------------------------------------------------------
    def action_back(self) -> None:
        if self.wait_for_write():
            return
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    def unsaved_changes(self) -> bool:
        """Whether leaving now would lose something the admin has typed (see ask_to_leave)."""
        return False

    def ask_to_leave(self, then: Callable[[], None]) -> None:
        """Every way out of the page (Escape, Ctrl+Q, the command palette) comes here with
        what leaving means (`then`). A page with unsaved changes asks first and calls
        `then` only when the admin says so; `then` must not wait for this page's write."""
        then()

    def action_toggle_help(self) -> None:
        self.query_one(HelpPanel).toggle()

    def action_help_key(self) -> None:
        self.action_toggle_help()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "help_key" and isinstance(self.focused, (Input, TextArea)):
            return False
        return True

    # --- services on a worker thread ---------------------------------------------
    def service_running(self, group: str = "service") -> bool:
        """Whether a call_service of `group` started by this page has not finished yet."""
        return any(
            worker.group == group
            and worker.node is self
            and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
            for worker in self.app.workers
        )

    @property
    def writing(self) -> bool:
        """Whether a call_write of this page has not answered yet."""
        return self.service_running(WRITE_GROUP)

    def wait_for_write(self) -> bool:
        """True (and says so) while a write runs: the page may not be left or reset then,
        or the write would commit without the admin ever seeing the answer."""
        if not self.writing:
            return False
        self.show_message(WAIT_FOR_WRITE)
        return True

    def call_write(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], None] | None = None,
        fail: Callable[[DomainError], None] | None = None,
        **kwargs: Any,
    ) -> Worker | None:
        """call_service for a write: in its own group, so a read started meanwhile cannot
        replace it and drop its answer; a second start while it runs is ignored. `done`
        should carry what it needs (functools.partial), not read state the admin can change
        while the write runs."""
        return self.call_service(
            fn, *args, done=done, fail=fail, group=WRITE_GROUP, if_busy="ignore", **kwargs
        )

    def call_service(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], None] | None = None,
        fail: Callable[[DomainError], None] | None = None,
        group: str = "service",
        if_busy: str = "replace",
        **kwargs: Any,
    ) -> Worker | None:
        """Run `fn(*args, **kwargs)` in a thread; `done(result)` or `fail(error)` on the UI.

        Domain errors go to `fail` (default: the message line). Anything else is a bug and
        is shown as one line too, rather than a traceback over the admin's screen.

        A newer call of the same group replaces an older one (`if_busy="replace"`): the older
        thread cannot be stopped, so its result is dropped instead. Writes should pass
        `if_busy="ignore"`: a second Enter while the first write runs is then ignored rather
        than written twice. Callbacks never run on a page that has been closed meanwhile.
        """
        if if_busy == "ignore" and self.service_running(group):
            return None
        on_fail = fail or self.show_error
        # The page's data asked for as it is shown (from on_mount or on_screen_resume): the
        # page and its data are drawn as one frame (see hold_paint).
        release = self._hold_first_frame()

        def deliver(worker: Worker, callback: Callable[[Any], None], value: Any) -> None:
            # Runs on the UI thread, so this check cannot race with a cancel or a pop.
            try:
                if worker.is_cancelled or not self.is_attached:
                    return
                try:
                    callback(value)
                except Exception as error:  # noqa: BLE001 - a bug in a page: one line
                    log.exception("callback %s failed", getattr(callback, "__name__", callback))
                    self.show_error(f"Oväntat fel: {type(error).__name__}: {error}")
            finally:
                if release is not None:
                    # After what the callback set off (a footer that follows the new rows),
                    # so that it is in the same frame.
                    self.app.call_after_refresh(release)

        def to_ui(worker: Worker, callback: Callable[[Any], None], value: Any) -> None:
            try:
                if worker.is_cancelled:
                    if release is not None:  # replaced by a newer call: draw anyway
                        self.app.call_from_thread(release)
                    return
                self.app.call_from_thread(deliver, worker, callback, value)
            except RuntimeError:
                pass  # the app is shutting down: nobody is left to tell

        def job() -> None:
            worker = get_current_worker()
            try:
                with session():
                    result = fn(*args, **kwargs)
            except DomainError as error:
                to_ui(worker, on_fail, error)
            except Exception as error:  # noqa: BLE001 - shown, not swallowed
                log.exception("service %s failed", getattr(fn, "__name__", fn))
                # The same sentences as the command line: a locked store, a full disk,
                # PostgreSQL's refusal ... and anything else logged with its traceback.
                from models.db import database_error

                problem = database_error(error)
                if problem is not None:
                    to_ui(worker, on_fail, problem)
                else:
                    from models.applog import unexpected

                    to_ui(worker, self.show_error, unexpected(error, getattr(fn, "__name__", "")))
            else:
                if done is not None:
                    to_ui(worker, done, result)
                elif release is not None:
                    to_ui(worker, _nothing, None)

        return self.run_worker(job, thread=True, group=group, exclusive=True, exit_on_error=False)

    # --- one frame for a page and its data ----------------------------------------------
    _unpainted = True  # shown (pushed, or back on top) and not drawn since

    def on_screen_suspend(self) -> None:
        self._unpainted = True

    def on_screen_resume(self) -> None:
        # Runs after the page's own on_mount/on_screen_resume (Textual calls the handlers
        # of the subclass first): the services they started have asked to hold already.
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        self._unpainted = False

    def _hold_first_frame(self) -> Callable[[], None] | None:
        hold = getattr(self.app, "hold_paint", None)
        if not self._unpainted or hold is None:
            return None
        return hold()
