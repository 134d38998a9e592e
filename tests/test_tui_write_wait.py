"""A write that meets SQLite's write lock (another process importing): the page says it waits,
Escape gives the write up with nothing written, and a retry after the lock is gone works."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable

from textual.pilot import Pilot

from models.db import WRITE_GIVEN_UP
from models.entities import AuditEvent, Unit
from tests.tui_support import make_app, message, press, text_of
from tui.screens.base import GIVING_UP, WAIT_FOR_WRITE, WAITING_FOR_LOCK
from tui.screens.rename import RenameScreen

SIZE = (80, 24)


async def until(pilot: Pilot, condition: Callable[[], bool], limit: float = 8.0) -> None:
    """Pause until `condition` holds (the write's thread answers on its own time)."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)


def renames() -> int:
    return AuditEvent.select().where(AuditEvent.action == "unit.rename").count()


def store_file(url: str) -> str:
    return url.removeprefix("sqlite:///")


async def test_a_write_waiting_for_the_lock_says_so_and_escape_gives_it_up(sqlite_db):
    app, world = make_app()
    locker = sqlite3.connect(store_file(sqlite_db), isolation_level=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await press(pilot, "n", "down", "enter")
            page = app.screen
            assert isinstance(page, RenameScreen)
            field = page.query_one("#new-name")
            field.value = "Ängens husläkare"
            locker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
            await pilot.press("enter")  # Ändra
            await until(pilot, lambda: message(pilot) == WAITING_FOR_LOCK)
            assert page.writing
            await pilot.press("escape")
            await until(pilot, lambda: not page.writing and message(pilot) != GIVING_UP)
            assert message(pilot) == ""  # the answer is the name field's (as any refusal)
            assert text_of(pilot, "#name-hint") == WRITE_GIVEN_UP
            assert app.screen is page  # the page stays open, the name still typed
            assert field.value == "Ängens husläkare"
            locker.execute("ROLLBACK")

            # Nothing written, nothing half-written.
            assert Unit.get(Unit.hsa_id == world.active_hsa).name == "Husläkarmottagningen Ängen"
            assert renames() == 0
            assert locker.execute("PRAGMA integrity_check").fetchone() == ("ok",)

            # The lock gone, the same Enter writes.
            await press(pilot, "enter")
            assert Unit.get(Unit.hsa_id == world.active_hsa).name == "Ängens husläkare"
            assert renames() == 1
    finally:
        locker.close()


async def test_a_write_that_gets_the_lock_in_time_is_written_and_escape_waited(sqlite_db):
    """The note is not an error: when the lock is released while the page waits, the write
    goes through; an Escape before the note appeared only waits (the write is not lost)."""
    app, world = make_app()
    locker = sqlite3.connect(store_file(sqlite_db), isolation_level=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await press(pilot, "n", "down", "enter")
            page = app.screen
            page.query_one("#new-name").value = "Ängens husläkare"
            locker.execute("BEGIN IMMEDIATE")
            await pilot.press("enter")
            await pilot.press("escape")  # at once: the write is not known to wait yet
            assert message(pilot) == WAIT_FOR_WRITE and app.screen is page
            await until(pilot, lambda: message(pilot) == WAITING_FOR_LOCK)
            await asyncio.sleep(0.3)
            locker.execute("ROLLBACK")
            await until(pilot, lambda: not page.writing)
            await pilot.pause()
            assert Unit.get(Unit.hsa_id == world.active_hsa).name == "Ängens husläkare"
            assert "till Ängens husläkare" in message(pilot)
    finally:
        locker.close()


async def test_the_note_names_a_moved_back_key_and_that_key_gives_up(sqlite_db):
    from tui.app import RegionAdminApp

    app = RegionAdminApp(make_app()[0].operator, keymap={"page.back": "f8"})
    locker = sqlite3.connect(store_file(sqlite_db), isolation_level=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await press(pilot, "n", "down", "enter")
            page = app.screen
            page.query_one("#new-name").value = "Ängens husläkare"
            locker.execute("BEGIN IMMEDIATE")
            await pilot.press("enter")
            note = "Väntar: en import eller annan skrivning pågår. F8 avbryter."
            await until(pilot, lambda: message(pilot) == note)
            await pilot.press("f8")
            await until(pilot, lambda: not page.writing and message(pilot) != GIVING_UP)
            assert text_of(pilot, "#name-hint") == WRITE_GIVEN_UP
            assert app.screen is page
    finally:
        if locker.in_transaction:
            locker.execute("ROLLBACK")
        locker.close()
