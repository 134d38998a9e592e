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
