"""Vårdmottagningar › Ändra namn, end to end through the keyboard."""

from __future__ import annotations

from textual.widgets import ContentSwitcher, DataTable, Input

from models.entities import AuditEvent, Unit
from tests.factories import ORG_01, build_world, connected_unit, hsa
from tests.idle import assert_idle
from tests.tui_support import SIZE, fill, make_app, message, press, text_of
from tui.screens.menu import MenuScreen
from tui.screens.rename import RenameScreen


def step(pilot) -> str:
    return pilot.app.screen.query_one("#steps", ContentSwitcher).current


def renames() -> int:
    return AuditEvent.select().where(AuditEvent.action == "unit.rename").count()


async def pick_angen(pilot) -> None:
    await press(pilot, "n")
    assert isinstance(pilot.app.screen, RenameScreen)
    await press(pilot, "down", "enter")
    assert step(pilot) == "step-name"


async def test_rename_a_connected_unit(sqlite_db):
    world = build_world()
    connected_unit(hsa(ORG_01, "1003"), "Inaktiv mottagning", active=False)
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n")
        assert app.screen.query_one("#units", DataTable).row_count == 1  # connected only
        await press(pilot, "down", "enter")
        assert "Nuvarande namn: Husläkarmottagningen Ängen" in text_of(pilot, "#current")
        assert app.screen.query_one("#new-name", Input).value == "Husläkarmottagningen Ängen"
        await fill(pilot, "#new-name", "Ängens husläkare")
        await press(pilot, "enter")  # Ändra
        assert Unit.get(Unit.hsa_id == world.active_hsa).name == "Ängens husläkare"
        event = AuditEvent.get(AuditEvent.action == "unit.rename")
        assert event.target == world.active_hsa and "Ängens husläkare" in event.after
        assert step(pilot) == "step-pick"
        assert "till Ängens husläkare" in message(pilot)
        table = app.screen.query_one("#units", DataTable)
        assert str(table.get_row_at(0)[0]) == "Ängens husläkare"
        await assert_idle(pilot)


async def test_a_29_character_word_is_refused(sqlite_db):
    app, world = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pick_angen(pilot)
        await fill(pilot, "#new-name", "Mottagningen " + "B" * 29)
        assert "max 28 tecken" in text_of(pilot, "#name-hint")
        await press(pilot, "enter", "f2")
        assert step(pilot) == "step-name"
        await fill(pilot, "#new-name", "")
        await press(pilot, "enter")
        assert "Ange ett namn" in text_of(pilot, "#name-hint")
    assert renames() == 0
    assert Unit.get(Unit.hsa_id == world.active_hsa).name == "Husläkarmottagningen Ängen"


async def test_the_same_name_is_explained(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pick_angen(pilot)
        await press(pilot, "enter")
        assert "samma som det nuvarande" in text_of(pilot, "#name-hint")
        assert step(pilot) == "step-name"
    assert renames() == 0


async def test_escape_and_avbryt_change_nothing(sqlite_db):
    app, world = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pick_angen(pilot)
        await assert_idle(pilot)
        await fill(pilot, "#new-name", "Något annat")
        await press(pilot, "escape")
        assert step(pilot) == "step-pick"
        await press(pilot, "enter")
        await fill(pilot, "#new-name", "Något annat")
        await press(pilot, "tab", "tab", "enter")  # Ändra, Avbryt
        assert step(pilot) == "step-pick"
        await press(pilot, "escape")
        assert isinstance(app.screen, MenuScreen)
    assert renames() == 0
    assert Unit.get(Unit.hsa_id == world.active_hsa).name == "Husläkarmottagningen Ängen"
