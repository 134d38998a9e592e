"""Idle-repaint checks for Pilot tests: a settled screen must write nothing to the terminal.

Two independent signals, both read from Textual 8.2.8's own machinery:

1. Timers. Every MessagePump (app, screens, widgets) keeps its timers in `_timers`. A
   repeating timer (`set_interval`: `_repeat` is None, or a count) whose task is alive and
   whose `_active` event is set will fire again: a blinking cursor, a LoadingIndicator,
   an `auto_refresh`, a clock. One-shot timers (`set_timer`: `_repeat == 0`) are allowed,
   they only have to have fired before the screen counts as settled (e.g. a debounce).
2. Repaints. `App._display(screen, renderable)` is where every compositor update goes to
   the driver (the headless driver of run_test drops the bytes, but the call still
   happens). Counting calls with a renderable over a pause longer than a cursor blink
   (0.5 s) counts the screen updates an idle terminal would receive.

Use:
    from tests.idle import assert_idle
    async with app.run_test(size=(80, 24)) as pilot:
        ...
        await assert_idle(pilot)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from textual.app import App
from textual.dom import DOMNode
from textual.pilot import Pilot
from textual.timer import Timer
from textual.worker import WorkerCancelled, WorkerFailed

# Longer than Textual's cursor blink (0.5 s); a LoadingIndicator repaints 16 times in it.
IDLE_WINDOW = 0.7
SETTLE_ROUNDS = 20


def _nodes(app: App) -> Iterator[DOMNode]:
    yield app
    for screen in app.screen_stack:
        yield screen
        yield from screen.walk_children(with_self=False)


def _alive(timer: Timer) -> bool:
    return timer._task is not None and not timer._task.done()


def _describe(node: DOMNode, timer: Timer) -> str:
    return f"{type(node).__name__}#{node.id or ''} {timer.name} every {timer._interval}s"


def running_intervals(app: App) -> list[str]:
    """Repeating timers that are alive and not paused: each one will wake the app again."""
    found = []
    for node in _nodes(app):
        for timer in list(node._timers):
            repeating = timer._repeat is None or timer._repeat > 0
            if repeating and _alive(timer) and timer._active.is_set():
                found.append(_describe(node, timer))
    return found


def pending_one_shots(app: App) -> list[str]:
    """One-shot timers that have not fired yet (a debounce, a toast's timeout)."""
    found = []
    for node in _nodes(app):
        for timer in list(node._timers):
            if timer._repeat == 0 and _alive(timer) and timer._active.is_set():
                found.append(_describe(node, timer))
    return found


class RepaintCounter:
    def __init__(self) -> None:
        self.count = 0


@contextmanager
def count_repaints(app: App) -> Iterator[RepaintCounter]:
    """Count the screen updates sent towards the terminal while the block runs."""
    counter = RepaintCounter()
    original = app._display

    def display(screen, renderable) -> None:
        if renderable is not None:
            counter.count += 1
        original(screen, renderable)

    app._display = display  # type: ignore[method-assign]
    try:
        yield counter
    finally:
        del app._display  # back to the class's method


async def wait_for_workers(app: App) -> None:
    """Like `app.workers.wait_for_complete()`, but a cancelled or failed worker (a search
    replaced by a newer one) is simply done, not an exception in the test."""
    for worker in list(app.workers):
        try:
            await worker.wait()
        except (WorkerCancelled, WorkerFailed):
            pass


async def settle(pilot: Pilot) -> None:
    """Wait until workers are done, one-shot timers have fired and the screen is painted."""
    for _ in range(SETTLE_ROUNDS):
        await wait_for_workers(pilot.app)
        await pilot.pause()
        if not pending_one_shots(pilot.app):
            await wait_for_workers(pilot.app)
            await pilot.pause()
            return
        await pilot.pause(0.1)
    raise AssertionError(f"the app did not settle: {pending_one_shots(pilot.app)}")


async def assert_idle(pilot: Pilot, window: float = IDLE_WINDOW) -> None:
    """Settle, then: no repeating timer runs, and nothing is repainted for `window` s."""
    await settle(pilot)
    intervals = running_intervals(pilot.app)
    assert not intervals, f"repeating timers on an idle screen: {intervals}"
    with count_repaints(pilot.app) as counter:
        await pilot.pause(window)
    assert counter.count == 0, (
        f"{counter.count} screen update(s) while idle on {type(pilot.app.screen).__name__}"
    )
