"""The TUI says what the command line says when the store fails, and logs a bug."""

from __future__ import annotations

import peewee

from tests.tui_support import SIZE, make_app, message, press


async def test_a_locked_store_and_a_bug_read_as_sentences(sqlite_db, monkeypatch, tmp_path):
    from models import grants

    monkeypatch.setenv("REGIONADMIN_LOG_DIR", str(tmp_path / "logg"))

    def locked(*args, **kwargs):
        raise peewee.OperationalError("database is locked")

    monkeypatch.setattr(grants, "list_region_admins", locked)
    monkeypatch.setattr("tui.screens.admins.list_region_admins", locked)
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "l")
        assert message(pilot) == ("En import eller annan skrivning pågår; försök igen om en stund.")

        def bug(*args, **kwargs):
            raise ZeroDivisionError("division by zero")

        monkeypatch.setattr("tui.screens.admins.list_region_admins", bug)
        await press(pilot, "escape", "l")
        log = tmp_path / "logg" / "regionadmin.log"
        assert message(pilot) == (
            f"Ett oväntat fel inträffade (ZeroDivisionError); detaljerna finns i loggfilen {log}."
        )
        assert "ZeroDivisionError: division by zero" in log.read_text(encoding="utf-8")


async def test_the_unit_pager_needs_no_page_and_its_errors_reach_the_page(sqlite_db, monkeypatch):
    """The pager runs its own worker: it works on any screen, and a failure is a message
    (ServiceFailed) that the page around it shows."""
    from textual.app import App
    from textual.screen import Screen
    from textual.widgets import DataTable

    from tests.factories import build_world
    from tests.idle import settle
    from tui.widgets.unit_pager import UnitPager

    world = build_world()

    class Bare(App):
        operator = world.op

        def on_mount(self) -> None:
            self.push_screen(Screen())

    bare = Bare()
    async with bare.run_test(size=SIZE) as pilot:
        pager = UnitPager(id="pick")
        await bare.screen.mount(pager)
        pager.load("")
        await settle(pilot)
        assert pager.loaded and pager.query_one(DataTable).row_count == pager.total > 0

    def locked(*args, **kwargs):
        raise peewee.OperationalError("database is locked")

    monkeypatch.setattr("tui.widgets.unit_pager.search_units", locked)
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n")  # Ändra namn: its list is a UnitPager
        assert message(pilot) == "En import eller annan skrivning pågår; försök igen om en stund."
