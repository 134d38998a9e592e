"""Review findings at 80x24: database text is never markup, a write is always answered, the
cursor stays where it was."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from textual.widgets import ContentSwitcher, DataTable, Input, OptionList, Select

from models.entities import (
    ADMIN,
    GRANSKARE,
    LANDSTINGSADMIN,
    AuditEvent,
    CaseType,
    Grant,
    StaffAccount,
    Unit,
    UnitCaseType,
)
from models.timeutil import now_epoch
from reports import registry
from tests.factories import (
    ORG_01,
    PNR_BERTIL,
    account,
    build_world,
    connected_unit,
    hsa,
    make_pnr,
    person,
)
from tests.idle import settle
from tests.tui_support import SIZE, make_app, message, press, text_of, type_text
from tui.app import RegionAdminApp
from tui.screens import activate as activate_screen
from tui.screens import assign_grants as assign_screen
from tui.screens import deactivate as deactivate_screen
from tui.screens import rename as rename_screen
from tui.screens import settings as settings_screen
from tui.screens import terms as terms_screen
from tui.screens.activate import ActivateScreen
from tui.screens.admins import AdminsScreen
from tui.screens.assign_grants import AssignGrantsScreen
from tui.screens.audit_log import AuditEventScreen, AuditLogScreen
from tui.screens.base import WAIT_FOR_WRITE
from tui.screens.deactivate import DeactivateScreen
from tui.screens.menu import MenuScreen
from tui.screens.rename import RenameScreen
from tui.screens.reports import ReportsScreen
from tui.screens.settings import SettingsScreen
from tui.screens.terms import TermsScreen
from tui.screens.unit_details import UnitDetailsScreen
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.text_dialog import TextDialog

NASTY = "BVC [/] Handen [bold]x"
NASTY_CARE = "Vård [/] [i]typ"
NASTY_CASE_TYPE = "Fråga [/] oss [b]nu"
NASTY_GIVEN, NASTY_SURNAME = "Dan", "Dahl [/] [bold]x"
NASTY_HSA = hsa(ORG_01, "1004")
PNR_DAN = make_pnr("19850505", "567")


def screen_text(pilot) -> str:
    """What the terminal shows now, as plain text (modal screens over their background)."""
    strips = pilot.app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def step(pilot) -> str:
    return pilot.app.screen.query_one("#steps", ContentSwitcher).current


def nasty_world():
    """build_world() plus a unit, a care type, a case type, an administrator (also a
    landstingsadministratör) and a log event whose texts all look like markup."""
    world = build_world()
    unit = connected_unit(NASTY_HSA, NASTY, care_type=NASTY_CARE, city="Handen")
    case_type = CaseType.create(kind="own", name=NASTY_CASE_TYPE, terms_text="Villkor [b]x")
    UnitCaseType.create(unit=unit, case_type=case_type, active=True)
    dan = account(person(PNR_DAN, NASTY_GIVEN, NASTY_SURNAME), "dan")
    Grant.create(account=dan, region="01", role=LANDSTINGSADMIN, granted_at=now_epoch())
    Grant.create(account=dan, unit=unit, role=ADMIN, granted_at=now_epoch())
    # A minute ahead: the newest event, first in Loggar.
    AuditEvent.create(
        at=now_epoch() + 60,
        actor=None,
        actor_name=f"{NASTY_GIVEN} {NASTY_SURNAME}",
        region="01",
        action="unit.rename",
        target=NASTY_HSA,
        after=json.dumps({"name": NASTY}),
    )
    return world


# --- 1. text from the database is never read as markup ----------------------------------


async def test_markup_like_names_show_literally_on_every_page(sqlite_db):
    app, _ = make_app(nasty_world())
    async with app.run_test(size=SIZE) as pilot:
        # Rapporter: the Mottagning picker (the crash of the review) and the Vårdtyp picker.
        app.open_page("rapporter", today=date(2026, 11, 2))
        await settle(pilot)
        assert isinstance(app.screen, ReportsScreen)
        titles = [m.TITLE for m in registry.REPORTS.values()]
        await press(pilot, *["down"] * titles.index("Antal ärenden per ärendetyp"), "enter")
        unit_picker = app.screen.query_one("#unit", Select)
        assert app.screen.focused is unit_picker
        await press(pilot, "enter")  # opens the list of units
        assert NASTY in screen_text(pilot)  # (its HSA-id wraps to the next line)
        await press(pilot, "down", "enter")  # Alla -> the first unit in Swedish order
        assert unit_picker.value == NASTY_HSA
        assert f"Mottagning   {NASTY}" in screen_text(pilot)
        app.screen.query_one("#report-list", OptionList).focus()
        await press(
            pilot, "home", *["down"] * titles.index("Antal ärenden per mottagning"), "enter"
        )
        care_picker = app.screen.query_one("#care-type", Select)
        assert app.screen.focused is care_picker
        await press(pilot, "enter")
        assert NASTY_CARE in screen_text(pilot)
        await press(pilot, "escape")  # closes the list only
        assert isinstance(app.screen, ReportsScreen)
        await press(pilot, "escape")

        # Visa mottagningsinformation: the list, the details, a terms text.
        await press(pilot, "v")
        await type_text(pilot, "BVC")
        assert NASTY in screen_text(pilot)
        await press(pilot, "enter")
        assert isinstance(app.screen, UnitDetailsScreen)
        shown = screen_text(pilot)
        assert NASTY in shown and NASTY_CASE_TYPE in shown
        assert f"{NASTY_GIVEN} {NASTY_SURNAME}" in shown  # the grants table
        app.screen.query_one("#case-types", DataTable).focus()
        await press(pilot, "enter")
        assert isinstance(app.screen, TextDialog)
        shown = screen_text(pilot)
        assert f"{NASTY_CASE_TYPE} – villkorstext" in shown and "Villkor [b]x" in shown
        await press(pilot, "escape")
        await press(pilot, "t")  # Tilldela behörigheter
        assert isinstance(app.screen, AssignGrantsScreen)
        shown = screen_text(pilot)
        assert f"Mottagning: {NASTY}" in shown and f"{NASTY_GIVEN} {NASTY_SURNAME}" in shown
        await press(pilot, "escape", "escape", "escape")

        # Inaktivera: the pick list, the checklist, the question.
        await press(pilot, "i")
        assert isinstance(app.screen, DeactivateScreen)
        await type_text(pilot, "BVC")
        assert NASTY in screen_text(pilot)
        await press(pilot, "enter")
        assert step(pilot) == "step-check"
        assert NASTY in screen_text(pilot)
        await press(pilot, "f2")
        assert isinstance(app.screen, ConfirmDialog)
        assert f"Inaktivera {NASTY} ({NASTY_HSA})?" in screen_text(pilot)
        await press(pilot, "n", "escape", "escape")

        # Ändra namn: the list and the chosen unit.
        await press(pilot, "n")
        assert isinstance(app.screen, RenameScreen)
        await type_text(pilot, "BVC")
        await press(pilot, "enter")
        assert step(pilot) == "step-name"
        assert f"Nuvarande namn: {NASTY}" in screen_text(pilot)
        await press(pilot, "escape", "escape")

        # Loggar: the list and the event.
        await press(pilot, "g")
        assert isinstance(app.screen, AuditLogScreen)
        assert f"{NASTY_GIVEN} {NASTY_SURNAME}"[:14] in screen_text(pilot)  # cut with …
        await press(pilot, "enter")
        assert isinstance(app.screen, AuditEventScreen)
        shown = screen_text(pilot)
        assert f"Utförd av:    {NASTY_GIVEN} {NASTY_SURNAME}" in shown
        assert f"Namn: {NASTY}" in shown
        await press(pilot, "escape", "escape")

        # Lista admin.
        await press(pilot, "l")
        assert isinstance(app.screen, AdminsScreen)
        assert f"{NASTY_SURNAME}, {NASTY_GIVEN}" in screen_text(pilot)
        assert "Oväntat fel" not in message(pilot)


# --- 2. a write is answered even when Escape is pressed while it runs --------------------


@contextmanager
def slowed(monkeypatch, module, name: str) -> Iterator[tuple[threading.Event, threading.Event]]:
    """Replace `module.name` (the service the screen calls) by one that waits for
    `release` before it runs; `started` is set when the write has begun."""
    started, release = threading.Event(), threading.Event()
    real: Callable[..., Any] = getattr(module, name)

    def slow(*args, **kwargs):
        started.set()
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)
    try:
        yield started, release
    finally:
        release.set()  # never leave a worker thread waiting


async def write_started(pilot, started: threading.Event) -> None:
    """Wait (without blocking the app's loop) until the worker is inside the service."""
    assert await asyncio.to_thread(started.wait, 5)
    await pilot.pause()


async def test_escape_while_deactivating_waits_and_the_result_is_shown(sqlite_db, monkeypatch):
    world = build_world()
    app, _ = make_app(world)
    with slowed(monkeypatch, deactivate_screen, "deactivate_unit") as (started, release):
        async with app.run_test(size=SIZE) as pilot:
            await press(pilot, "i", "down", "enter", "f2")
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("j")
            await write_started(pilot, started)
            await pilot.press("escape")
            await pilot.pause()
            assert message(pilot) == WAIT_FOR_WRITE
            assert step(pilot) == "step-check"
            await pilot.press("escape")  # still waiting
            await pilot.pause()
            release.set()
            await settle(pilot)
            assert step(pilot) == "step-done"
            assert message(pilot) == "Husläkarmottagningen Ängen är inaktiverad."
            assert "är inaktiverad" in text_of(pilot, "#result")
    assert not Unit.get(Unit.hsa_id == world.active_hsa).active


async def test_escape_and_visa_while_activating_cannot_drop_the_answer(sqlite_db, monkeypatch):
    app, world = make_app()
    with slowed(monkeypatch, activate_screen, "activate_unit") as (started, release):
        async with app.run_test(size=SIZE) as pilot:
            await press(pilot, "a")
            assert isinstance(app.screen, ActivateScreen)
            await type_text(pilot, world.free_hsa)
            await press(pilot, "enter", "f2")  # Visa, Gå vidare
            assert step(pilot) == "step-summary"
            await pilot.press("f2")  # Slutför aktivering
            await write_started(pilot, started)
            # Back to the HSA-id and Visa again: a read that used to replace the write.
            await pilot.press("escape", "escape", "enter")
            await pilot.pause()
            assert message(pilot) == WAIT_FOR_WRITE
            assert step(pilot) == "step-summary"
            release.set()
            await settle(pilot)
            assert step(pilot) == "step-done"
            assert message(pilot) == "Vårdcentralen Källan är aktiverad."
    assert Unit.get(Unit.hsa_id == world.free_hsa).active


async def test_escape_while_renaming_keeps_the_page_until_it_is_saved(sqlite_db, monkeypatch):
    app, world = make_app()
    with slowed(monkeypatch, rename_screen, "rename_unit") as (started, release):
        async with app.run_test(size=SIZE) as pilot:
            await press(pilot, "n", "down", "enter")
            assert step(pilot) == "step-name"
            field = app.screen.query_one("#new-name")
            field.value = "Ängens husläkare"
            await pilot.pause()
            await pilot.press("enter")  # Ändra
            await write_started(pilot, started)
            await pilot.press("escape")
            await pilot.pause()
            assert message(pilot) == WAIT_FOR_WRITE
            assert step(pilot) == "step-name"
            release.set()
            await settle(pilot)
            assert message(pilot) == (
                f"Namnet på {world.active_hsa} är ändrat från "
                "Husläkarmottagningen Ängen till Ängens husläkare."
            )
            assert step(pilot) == "step-pick"


async def test_escape_while_granting_stays_for_the_confirmation(sqlite_db, monkeypatch):
    app, world = make_app()
    with slowed(monkeypatch, assign_screen, "grant_roles") as (started, release):
        async with app.run_test(size=SIZE) as pilot:
            await press(pilot, "v", "down", "enter", "t")
            assert isinstance(app.screen, AssignGrantsScreen)
            await type_text(pilot, PNR_BERTIL)
            await press(pilot, "enter")  # Hämta
            await pilot.press("f2")  # Tilldela
            await write_started(pilot, started)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, AssignGrantsScreen)
            assert message(pilot) == WAIT_FOR_WRITE
            release.set()
            await settle(pilot)
            assert message(pilot).startswith(
                "Bertil Berg har nu Administratör på "
                "Husläkarmottagningen Ängen. Ett vårdaktörskonto "
                "skapades."
            )


async def test_escape_while_saving_settings_does_not_ask_to_save_again(sqlite_db, monkeypatch):
    app, _ = make_app()
    with slowed(monkeypatch, settings_screen, "save_and_resolve") as (started, release):
        async with app.run_test(size=SIZE) as pilot:
            await press(pilot, "p")
            assert isinstance(app.screen, SettingsScreen)
            app.screen.query_one("#preferred-name", Input).value = "Mia"
            await pilot.pause()
            await pilot.press("ctrl+s")
            await write_started(pilot, started)
            await pilot.press("escape")  # used to offer "Spara ändringarna?" here
            await pilot.pause()
            assert isinstance(app.screen, SettingsScreen)
            assert message(pilot) == WAIT_FOR_WRITE
            release.set()
            await settle(pilot)
            assert message(pilot) == "Inställningarna är sparade."
            await press(pilot, "escape")  # saved: nothing to ask
            assert isinstance(app.screen, MenuScreen)
    assert StaffAccount.get(StaffAccount.login_name == "anna").preferred_name == "Mia"


async def test_avsluta_while_the_terms_are_being_accepted_waits(sqlite_db, monkeypatch):
    world = build_world()
    app = RegionAdminApp(world.op)
    with slowed(monkeypatch, terms_screen, "accept_terms") as (started, release):
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, TermsScreen)
            app.screen.query_one("#accept").value = True
            app.screen.query_one("#continue").focus()
            await pilot.press("enter")  # Fortsätt
            await write_started(pilot, started)
            await pilot.press("ctrl+q")  # would say "inget har sparats" while it is saved
            await pilot.pause()
            assert app.return_code is None
            assert message(pilot) == WAIT_FOR_WRITE
            release.set()
            await settle(pilot)
            assert isinstance(app.screen, MenuScreen)
    assert StaffAccount.get(StaffAccount.login_name == "anna").terms_accepted_at is not None


# --- 3. closing a dialog leaves the cursor where it was -----------------------------------


async def test_closing_a_terms_text_keeps_the_cursor_on_its_case_type(sqlite_db):
    world = build_world()
    unit = Unit.get(Unit.hsa_id == world.active_hsa)
    for name in ("Beställa tid", "Förnya recept", "Kontakta mig"):
        UnitCaseType.create(unit=unit, case_type=CaseType.get(CaseType.name == name))
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v", "down", "enter")
        assert isinstance(app.screen, UnitDetailsScreen)
        table = app.screen.query_one("#case-types", DataTable)
        assert table.row_count == 3
        table.focus()
        await press(pilot, "down", "down", "enter")
        assert isinstance(app.screen, TextDialog)
        await press(pilot, "escape")
        assert isinstance(app.screen, UnitDetailsScreen)
        assert table.cursor_row == 2


@pytest.mark.parametrize(
    ("keys", "roles_after"),
    [
        (("g", "n"), {ADMIN, GRANSKARE}),  # asked, answered no
        (("g", "j"), {ADMIN}),  # Granskare removed: the table is reloaded
    ],
)
async def test_the_grants_cursor_stays_on_the_person(sqlite_db, keys, roles_after):
    world = build_world()
    unit = Unit.get(Unit.hsa_id == world.active_hsa)
    # Sorted by name: Cecilia Carlsson (already ADMIN) first, then Dan Dahl.
    dan = account(person(PNR_DAN, "Dan", "Dahl"))
    Grant.create(account=dan, unit=unit, role=ADMIN, granted_at=now_epoch())
    Grant.create(account=dan, unit=unit, role=GRANSKARE, granted_at=now_epoch())
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v", "down", "enter", "t")
        assert isinstance(app.screen, AssignGrantsScreen)
        table = app.screen.query_one("#grants", DataTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        row = names.index("Dan Dahl")
        assert row > 0
        table.focus()
        await press(pilot, *["down"] * row)
        await press(pilot, *keys)
        assert isinstance(app.screen, AssignGrantsScreen)
        assert table.cursor_row == row
        assert str(table.get_row_at(table.cursor_row)[0]) == "Dan Dahl"
        assert {g.role for g in Grant.select().where(Grant.account == dan)} == roles_after
