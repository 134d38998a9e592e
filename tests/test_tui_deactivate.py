"""Vårdmottagningar › Inaktivera, end to end through the keyboard."""

from __future__ import annotations

from textual.widgets import ContentSwitcher, DataTable

from models.entities import (
    ADMIN,
    GRANSKARE,
    AuditEvent,
    Case,
    CaseType,
    Grant,
    Unit,
    UnitCaseType,
)
from models.timeutil import now_epoch
from tests.factories import ORG_01, account, build_world, connected_unit, hsa
from tests.idle import assert_idle
from tests.tui_support import SIZE, make_app, message, press, text_of, type_text
from tui.screens.deactivate import DeactivateScreen
from tui.screens.menu import MenuScreen
from tui.widgets.confirm import ConfirmDialog


def step(pilot) -> str:
    return pilot.app.screen.query_one("#steps", ContentSwitcher).current


def busy_unit(world) -> Unit:
    """The active unit with open work: 2 active case types, an open case, an extra grant."""
    unit = Unit.get(Unit.hsa_id == world.active_hsa)
    for name in ("Beställa tid", "Förnya recept"):
        UnitCaseType.create(unit=unit, case_type=CaseType.get(CaseType.name == name))
    Case.create(
        id=1,
        unit=unit,
        case_type=CaseType.get(CaseType.name == "Beställa tid"),
        received_at=now_epoch() - 3600,
    )
    bertil = account(world.bertil)
    Grant.create(account=bertil, unit=unit, role=ADMIN, granted_at=now_epoch() + 10)
    Grant.create(account=bertil, unit=unit, role=GRANSKARE, granted_at=now_epoch() + 10)
    return unit


def unchanged(unit: Unit) -> bool:
    fresh = Unit.get_by_id(unit.id)
    return (
        fresh.active
        and Grant.select().where(Grant.unit == unit).count() == 3
        and UnitCaseType.select().where(UnitCaseType.active).count() == 2
        and not AuditEvent.select().where(AuditEvent.action == "unit.deactivate").exists()
    )


async def test_deactivate_from_the_list_with_checklist_and_confirmation(sqlite_db):
    world = build_world()
    connected_unit(hsa(ORG_01, "1003"), "Redan stängd", active=False)
    unit = busy_unit(world)
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "i")
        assert isinstance(app.screen, DeactivateScreen)
        table = app.screen.query_one("#units", DataTable)
        assert table.row_count == 1  # only active units of the own region
        await press(pilot, "down", "enter")  # Visa
        assert step(pilot) == "step-check"
        checklist = [" ".join(line.split()) for line in text_of(pilot, "#checklist").splitlines()]
        assert checklist == [
            "Kvar 2 Aktiva ärendetyper (inaktiveras)",
            "Kvar 1 Obesvarade ärenden under Inkomna ärenden",
            "Klart 0 Obesvarade ärenden under Fördelade ärenden",
            "Kvar 2 Behörigheter utöver en administratör (tas bort)",
            "Klart 1 Administratör som behålls för de arkiverade ärendena",
        ]
        assert "Cecilia Carlsson" in text_of(pilot, "#kept")
        await press(pilot, "f2")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Inaktivera Husläkarmottagningen Ängen" in app.screen.question
        await press(pilot, "j")
        assert step(pilot) == "step-done"
        fresh = Unit.get_by_id(unit.id)
        assert not fresh.active and fresh.deactivated_at is not None
        assert not UnitCaseType.select().where(UnitCaseType.active).exists()
        kept = list(Grant.select().where(Grant.unit == unit))
        assert [(g.account.login_name, g.role) for g in kept] == [("cecilia", ADMIN)]
        event = AuditEvent.get(AuditEvent.action == "unit.deactivate")
        assert event.target == world.active_hsa
        result = text_of(pilot, "#result")
        assert "Ärendetyper som inaktiverades: 2" in result
        assert "Behörigheter som togs bort: 2" in result
        assert "Cecilia Carlsson behålls som administratör" in result
        assert "Obesvarade ärenden som ligger kvar i arkivet: 1" in result
        assert "är inaktiverad" in message(pilot)
        await press(pilot, "f2")  # Klar: back to the list, which is now empty
        assert step(pilot) == "step-pick"
        assert app.screen.query_one("#units", DataTable).row_count == 0
        await assert_idle(pilot)


async def test_answering_no_or_escape_changes_nothing(sqlite_db):
    world = build_world()
    unit = busy_unit(world)
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "i", "down", "enter", "f2")
        await assert_idle(pilot)  # the confirm dialog
        await press(pilot, "n")
        assert step(pilot) == "step-check"
        await press(pilot, "f2", "escape")
        assert step(pilot) == "step-check"
        await press(pilot, "enter")  # focus is back on Inaktivera: asks again, Nej focused
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "enter")  # a stray Enter answers Nej
        assert step(pilot) == "step-check"
        await press(pilot, "escape")
        assert step(pilot) == "step-pick"
        await press(pilot, "escape")
        assert isinstance(app.screen, MenuScreen)
    assert unchanged(unit)


async def test_typing_a_full_hsa_id_shows_that_unit(sqlite_db):
    world = build_world()
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "i")
        await type_text(pilot, world.active_hsa.lower())
        await press(pilot, "enter")
        assert step(pilot) == "step-check"
        assert world.active_hsa in text_of(pilot, "#unit-facts")


async def test_other_region_and_inactive_units_are_refused(sqlite_db):
    world = build_world()
    closed = hsa(ORG_01, "1003")
    connected_unit(closed, "Redan stängd", active=False)
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "i")
        await type_text(pilot, world.other_active_hsa)
        await press(pilot, "enter")
        assert step(pilot) == "step-pick"
        assert "tillhör en annan region" in message(pilot)
        app.screen.query_one("#filter").value = ""
        await type_text(pilot, closed)
        await press(pilot, "enter")
        assert step(pilot) == "step-pick"
        assert "redan inaktiv" in message(pilot)
    assert Unit.get(Unit.hsa_id == world.other_active_hsa).active
    assert not AuditEvent.select().where(AuditEvent.action == "unit.deactivate").exists()


async def test_the_pick_list_is_idle(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "i")
        await assert_idle(pilot)
        await press(pilot, "down", "enter")
        await assert_idle(pilot)
