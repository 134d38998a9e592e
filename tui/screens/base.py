"""The frame every page shares: title line, help text, error line, footer, and services on
Textual thread workers so the UI never waits on the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, ClassVar

from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from models.db import lock_wait_check
from models.errors import DomainError
from models.text import clean
from tui.binding_list import class_bindings
from tui.help_texts import with_support
from tui.keymap import BINDING_IDS, prose_key
from tui.widgets.help_panel import HelpPanel, KeyChange, with_keys
from tui.widgets.quiet_footer import QuietFooter
from tui.widgets.quiet_screen import QuietFocus
from tui.widgets.title_line import TitleLine
from tui.workers import FINISHED, ServiceFailed, as_domain_error, service_call

WRITE_GROUP = "write"  # every page's writes: a worker group no read shares
WAIT_FOR_WRITE = "Vänta, ändringen sparas …"
WAITING_FOR_LOCK = "Väntar: en import eller annan skrivning pågår. Esc avbryter."
GIVING_UP = "Avbryter …"
LOCK_NOTE_AFTER = 0.5  # seconds a write waits for the lock before the page says so


@dataclass
class _Answer:
    """What the page does with a service's answer (on the UI thread)."""

    done: Callable[[Any], None] | None
    fail: Callable[[DomainError], None]
    release: Callable[[], None] | None  # the held first frame, drawn after the answer


@dataclass
class _Write:
    """The running write, shared with its thread: `waiting` is set by the thread only,
    `give_up` by the UI only (plain flags: one writer each)."""

    waiting: bool = False
    give_up: bool = False


def _name(fn: object) -> str:
    return getattr(fn, "__name__", "") or type(fn).__name__


class PageScreen(QuietFocus, Screen):
    """A page of the manual. Subclasses set TITLE and HELP and implement compose_body()."""

    TITLE: ClassVar[str] = ""
    HELP: ClassVar[str] = ""

    BINDINGS = [
        # Before the page's own Escape (and a focused field's): only while a write waits
        # for another writer's lock, when it gives that write up.
        Binding("escape", "give_up_wait", show=False, priority=True, id="page.back"),
        Binding("escape", "back", "Tillbaka", id="page.back"),
        Binding("f1", "toggle_help", "Hjälp", id="page.help"),
        # `?` is a character an HSA-id suffix may contain: it only toggles the help when the
        # focus is not in a text field (an Input also swallows printable keys itself).
        Binding("question_mark", "help_key", "Hjälp", show=False, id="page.help_question"),
    ]

    def compose(self) -> ComposeResult:
        yield TitleLine(self._title_line(), id="page-title")
        yield HelpPanel(self.keyed_help(with_support(self.HELP)), id="help", markup=False)
        with Vertical(id="page-body"):
            yield from self.compose_body()
        yield Static("", id="message", markup=False)
        yield QuietFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    # --- keys moved in config.toml ([keymap]) ----------------------------------------
    def key_changes(self) -> list[KeyChange]:
        """The page's and the app's keys that the admin has moved (RegionAdminApp.keymap)."""
        moved: dict[str, str] = getattr(self.app, "keymap", {})
        if not moved:
            return []
        changes: dict[str, KeyChange] = {}
        for binding in (*class_bindings(type(self)), *class_bindings(type(self.app))):
            if binding.id in moved and not (binding.id in changes and changes[binding.id].label):
                changes[binding.id] = KeyChange(binding.key, moved[binding.id], binding.description)
        return [
            change if change.label else replace(change, label=BINDING_IDS.get(binding_id, ""))
            for binding_id, change in changes.items()
        ]

    def keyed_help(self, text: str) -> str:
        """`text` with the keys the admin has moved named as they are now."""
        return with_keys(text, self.key_changes())

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
        if action == "help_key" and _takes_text(self.focused):
            return False
        if action == "give_up_wait":
            return self.waiting_for_lock
        return True

    # --- services on thread workers ------------------------------------------------------
    # A service runs on a Textual thread worker (tui/workers.service_call); its answer comes
    # back as Worker.StateChanged on the UI thread, where the page's handler for that worker
    # runs. A page that has been closed gets no messages, so no handler runs on it.
    _answers: dict[Worker, _Answer]
    _write: _Write | None = None

    class WriteWaiting(Message):
        """The running write has waited LOCK_NOTE_AFTER s for another writer's lock."""

    def service_running(self, group: str = "service") -> bool:
        """Whether a service of `group` started by this page has not finished yet."""
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

    @property
    def waiting_for_lock(self) -> bool:
        """Whether the running write waits for another writer (an import) to finish."""
        return self._write is not None and self._write.waiting and self.writing

    def wait_for_write(self) -> bool:
        """True (and says so) while a write runs: the page may not be left or reset then,
        or the write would commit without the admin ever seeing the answer."""
        if not self.writing:
            return False
        given_up = self._write is not None and self._write.give_up
        self.show_message(
            GIVING_UP
            if given_up
            else self._lock_note()
            if self.waiting_for_lock
            else WAIT_FOR_WRITE
        )
        return True

    def _lock_note(self) -> str:
        """WAITING_FOR_LOCK, naming the key that gives up if config.toml has moved it."""
        moved = getattr(self.app, "keymap", {}).get("page.back")
        if not moved:
            return WAITING_FOR_LOCK
        keys = " eller ".join(prose_key(k) for k in moved.split(","))
        return WAITING_FOR_LOCK.replace("Esc avbryter", f"{keys} avbryter")

    def action_give_up_wait(self) -> None:
        """Escape while the write waits for the lock: give it up (nothing is written; the
        answer, "Avbrutet ...", comes from the write itself). The page stays open."""
        if not self.waiting_for_lock or self._write is None:
            raise SkipAction()
        self._write.give_up = True
        self.show_message(GIVING_UP)

    def call_service(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], None] | None = None,
        fail: Callable[[DomainError], None] | None = None,
        group: str = "service",
        **kwargs: Any,
    ) -> Worker:
        """A read: `fn(*args, **kwargs)` on a thread worker; `done(result)` or
        `fail(error)` (default: the message line) on the UI thread. A newer call of the
        same group replaces an older one (exclusive): the older thread cannot be stopped,
        so Textual drops its answer instead."""
        work = partial(service_call, fn, *args, **kwargs)
        return self._start_service(work, done, fail, group=group, exclusive=True, name=_name(fn))

    def call_write(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], None] | None = None,
        fail: Callable[[DomainError], None] | None = None,
        **kwargs: Any,
    ) -> Worker | None:
        """A write: in its own group, so a read started meanwhile cannot replace it and
        drop its answer; a second start while it runs is ignored (None). `done` should carry
        what it needs (functools.partial), not read state the admin can change while the
        write runs. On SQLite a write that waits for another writer's lock (an import) says
        so after LOCK_NOTE_AFTER s, and Escape gives it up."""
        if self.writing:
            return None
        write = self._write = _Write()
        work = partial(self._write_job, write, fn, *args, **kwargs)
        return self._start_service(
            work, done, fail, group=WRITE_GROUP, exclusive=False, name=_name(fn)
        )

    def _write_job(self, write: _Write, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """On the worker thread: the service, asking `write` whether to give up while it
        waits for the lock (models.db.lock_wait_check)."""

        def check(waited: float) -> bool:
            if waited >= LOCK_NOTE_AFTER and not write.waiting:
                write.waiting = True
                self.post_message(self.WriteWaiting())  # thread-safe
            return write.give_up

        with lock_wait_check(check):
            return service_call(fn, *args, **kwargs)

    def _start_service(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None] | None,
        fail: Callable[[DomainError], None] | None,
        *,
        group: str,
        exclusive: bool,
        name: str,
    ) -> Worker:
        # The page's data asked for as it is shown (from on_mount or on_screen_resume): the
        # page and its data are drawn as one frame (see hold_paint).
        release = self.hold_first_frame()
        worker = self.run_worker(
            work, name=name, group=group, exclusive=exclusive, thread=True, exit_on_error=False
        )
        if not hasattr(self, "_answers"):
            self._answers = {}
        self._answers[worker] = _Answer(done, fail or self.show_error, release)
        return worker

    @on(Worker.StateChanged)
    def _answered(self, event: Worker.StateChanged) -> None:
        answers = getattr(self, "_answers", {})
        if event.state not in FINISHED or event.worker not in answers:
            return
        answer = answers.pop(event.worker)
        if event.worker.group == WRITE_GROUP:
            self._clear_write_notes()
        try:
            if event.state == WorkerState.SUCCESS and answer.done is not None:
                self._deliver(answer.done, event.worker.result)
            elif event.state == WorkerState.ERROR:
                error = event.worker.error
                if not isinstance(error, DomainError):  # not from service_call: a bug
                    error = as_domain_error(error or RuntimeError(), event.worker.name)
                self._deliver(answer.fail, error)
        finally:
            if answer.release is not None:
                # After what the handler set off (a footer that follows the new rows), so
                # that it is in the same frame.
                self.app.call_after_refresh(answer.release)

    def _clear_write_notes(self) -> None:
        """The write has answered: "Vänta ..."/"Väntar ..."/"Avbryter ..." are no longer true
        (its answer may go to a field's hint rather than to the message line)."""
        line = self.query_one("#message", Static)
        if str(line.content) in (WAIT_FOR_WRITE, self._lock_note(), GIVING_UP):
            self.clear_message()

    def _deliver(self, handler: Callable[[Any], None], value: Any) -> None:
        try:
            handler(value)
        except Exception as error:  # noqa: BLE001 - a bug in a page: one sentence, logged
            self.show_error(as_domain_error(error, _name(handler)))

    @on(WriteWaiting)
    def _write_waits(self, _event: WriteWaiting) -> None:
        if self.waiting_for_lock and self._write is not None and not self._write.give_up:
            self.show_message(self._lock_note())

    @on(ServiceFailed)
    def _widget_failed(self, event: ServiceFailed) -> None:
        event.stop()
        self.show_error(event.error)

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

    def hold_first_frame(self) -> Callable[[], None] | None:
        """While the page has not been drawn since it was shown: hold the drawing until the
        returned release (a service started as the page opens); else None."""
        hold = getattr(self.app, "hold_paint", None)
        if not self._unpainted or hold is None:
            return None
        return hold()


def _takes_text(widget: object) -> bool:
    """Whether a typed "?" belongs to the focused widget. TextArea is known by its public
    class name: importing it for this test cost ~9 ms of every first paint, and no widget
    can be one before the settings page has loaded it."""
    if isinstance(widget, Input):
        return True
    return any(
        cls.__name__ == "TextArea" and cls.__module__.startswith("textual.")
        for cls in type(widget).__mro__
    )
