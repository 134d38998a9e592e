"""Vårdmottagningar › Aktivera, end to end through the keyboard."""

from __future__ import annotations

import pytest
from textual.widgets import Checkbox, ContentSwitcher, Input

from models.entities import ADMIN, AuditEvent, Grant, StaffAccount, Unit
from tests.factories import (
    ORG_01,
    PNR_BERTIL,
    build_world,
    connected_unit,
    directory_unit,
    hsa,
)
from tests.idle import assert_idle, settle
from tests.tui_support import SIZE, fill, make_app, message, press, text_of, type_text
from tui.screens.activate import ActivateScreen
from tui.screens.assign_grants import AssignGrantsScreen
from tui.screens.menu import MenuScreen


def step(pilot) -> str:
    return pilot.app.screen.query_one("#steps", ContentSwitcher).current


def writes() -> tuple[int, int, int]:
    """What a failed or cancelled flow must leave as it was (terms acceptance excluded)."""
    events = AuditEvent.select().where(AuditEvent.action != "terms.accept").count()
    return Unit.select().count(), Unit.select().where(Unit.active).count(), events


async def open_activate(pilot, hsa_id: str) -> None:
    await press(pilot, "a")
    assert isinstance(pilot.app.screen, ActivateScreen)
    await type_text(pilot, hsa_id)
    await press(pilot, "enter")


async def test_activate_with_new_name_then_assign_an_administrator(sqlite_db):
    app, world = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_activate(pilot, world.free_hsa.lower())
        assert step(pilot) == "step-entry"
        facts = text_of(pilot, "#entry-facts")
        assert "Vårdcentralen Källan" in facts and "Storgatan 1" in facts
        assert "Öppet vardagar" in facts
        await type_text(pilot, "VC Källan Solna")
        await press(pilot, "enter")  # Enter in Nytt namn = Gå vidare
        assert step(pilot) == "step-summary"
        summary = text_of(pilot, "#summary-facts")
        assert "VC Källan Solna (nytt namn)" in summary and "Aktivera ny mottagning" in summary
        assert Unit.get_or_none(Unit.hsa_id == world.free_hsa) is None  # nothing written yet
        await press(pilot, "f2")  # Slutför aktivering
        assert step(pilot) == "step-done"
        unit = Unit.get(Unit.hsa_id == world.free_hsa)
        assert unit.active and unit.name == "VC Källan Solna" and not unit.other_service
        assert AuditEvent.get(AuditEvent.action == "unit.activate").target == world.free_hsa
        assert "är nu aktiverad" in text_of(pilot, "#done-lead")

        await press(pilot, "enter")  # focus is on Tilldela behörigheter
        assert isinstance(app.screen, AssignGrantsScreen)
        await type_text(pilot, PNR_BERTIL)
        await press(pilot, "enter")  # Hämta
        assert "inget konto" in text_of(pilot, "#person")
        await press(pilot, "enter")  # Tilldela (Administratör is preselected)
        account = StaffAccount.get(StaffAccount.person == world.bertil)
        assert [
            g.role for g in Grant.select().where((Grant.unit == unit) & (Grant.account == account))
        ] == [ADMIN]
        assert "Ett vårdaktörskonto skapades" in message(pilot)
        await press(pilot, "escape")
        assert isinstance(app.screen, ActivateScreen)


async def test_activate_as_other_service_keeps_the_directory_name(sqlite_db):
    app, world = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_activate(pilot, world.free_hsa)
        checkbox = app.screen.query_one("#other-service", Checkbox)
        checkbox.focus()
        await press(pilot, "space")
        assert checkbox.value
        await press(pilot, "f2", "f2")  # Gå vidare, Slutför aktivering
        unit = Unit.get(Unit.hsa_id == world.free_hsa)
        assert unit.other_service and unit.name == "Vårdcentralen Källan"


async def test_reactivation_of_an_inactive_unit_says_so(sqlite_db):
    world = build_world()
    inactive = hsa(ORG_01, "1003")
    connected_unit(inactive, "Gamla mottagningen", active=False, deactivated_at=1)
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await open_activate(pilot, inactive)
        assert "återaktiveras" in text_of(pilot, "#entry-lead")
        await press(pilot, "f2")
        assert "Återaktivera inaktiverad mottagning" in text_of(pilot, "#summary-facts")
        await press(pilot, "f2")
        unit = Unit.get(Unit.hsa_id == inactive)
        assert unit.active and unit.deactivated_at is None
        assert unit.name == "Gamla mottagningen"
        assert AuditEvent.select().where(AuditEvent.action == "unit.reactivate").count() == 1
        assert "återaktiverad" in text_of(pilot, "#done-lead")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("SE232100001", "HSA-id ska se ut som"),
        ("SE2321000017-1001", "fel kontrollsiffra"),
        ("SE2321000016-9999", "finns inte i HSA-katalogen"),
        ("SE2321000255-2001", "tillhör Region Skåne"),
        ("SE2321000016-1002", "är redan aktiv"),
        ("SE2321000016-" + "1" * 19, "högst 31 tecken"),
    ],
)
async def test_bad_hsa_ids_are_refused_on_the_form(sqlite_db, typed, expected):
    app, _ = make_app()
    before = writes()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "a")
        await fill(pilot, "#hsa-id", typed)  # over the region's prefix the field starts with
        await press(pilot, "enter")
        assert step(pilot) == "step-id"
        hint = app.screen.query_one("#hsa-hint")
        assert hint.has_class("-error")
        assert expected in text_of(pilot, "#hsa-hint")
    assert writes() == before


async def test_hsa_id_is_checked_as_you_type(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "a")
        await fill(pilot, "#hsa-id", "X")
        assert "börjar med SE" in text_of(pilot, "#hsa-hint")
        await fill(pilot, "#hsa-id", "SE2321000016-Ö@")  # nothing in the catalogue matches
        assert "å, ä, ö eller @" in text_of(pilot, "#hsa-hint")
        await fill(pilot, "#hsa-id", "SE2321")
        assert not app.screen.query_one("#hsa-hint").has_class("-error")


async def test_a_29_character_word_is_refused_as_you_type(sqlite_db):
    app, world = make_app()
    before = writes()
    async with app.run_test(size=SIZE) as pilot:
        await open_activate(pilot, world.free_hsa)
        await type_text(pilot, "Vårdcentralen " + "A" * 29)
        assert "max 28 tecken" in text_of(pilot, "#name-hint")
        await press(pilot, "enter", "f2")
        assert step(pilot) == "step-entry"
        await fill(pilot, "#new-name", "Vårdcentralen " + "A" * 28)
        assert not app.screen.query_one("#name-hint").has_class("-error")
    assert writes() == before


async def test_escape_walks_back_and_writes_nothing(sqlite_db):
    app, world = make_app()
    before = writes()
    async with app.run_test(size=SIZE) as pilot:
        await open_activate(pilot, world.free_hsa)
        await type_text(pilot, "Nytt namn")
        await press(pilot, "enter")
        assert step(pilot) == "step-summary"
        await press(pilot, "escape")
        assert step(pilot) == "step-entry"
        assert app.screen.query_one("#new-name", Input).value == "Nytt namn"
        await press(pilot, "escape")
        assert step(pilot) == "step-id"
        await press(pilot, "escape")
        assert isinstance(app.screen, MenuScreen)
    assert writes() == before


async def test_activate_again_starts_over(sqlite_db):
    app, world = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_activate(pilot, world.free_hsa)
        await press(pilot, "f2", "f2", "f3")  # Gå vidare, Slutför, Aktivera en till
        assert step(pilot) == "step-id"
        assert app.screen.query_one("#hsa-id", Input).value == "SE2321000016-"
        assert message(pilot) == ""


async def test_each_step_is_idle(sqlite_db):
    app, world = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "a")
        await assert_idle(pilot)
        await type_text(pilot, world.free_hsa)
        await press(pilot, "enter")
        await assert_idle(pilot)
        await press(pilot, "f2")
        await assert_idle(pilot)
        await press(pilot, "f2")
        await assert_idle(pilot)
        await press(pilot, "f2")
        assert isinstance(app.screen, AssignGrantsScreen)
        await assert_idle(pilot)


async def test_long_directory_texts_keep_the_form_on_screen(sqlite_db):
    from models.entities import HsaUnit

    world = build_world()
    HsaUnit.update(
        name="Mottagningen " * 15, info="Övrig information " * 40, street="Vägen " * 20
    ).where(HsaUnit.hsa_id == world.free_hsa).execute()
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await open_activate(pilot, world.free_hsa)
        for selector in ("#new-name", "#other-service", "#proceed"):
            widget = app.screen.query_one(selector)
            assert widget.region.bottom <= SIZE[1] - 1 and widget.region.height > 0, selector
        await press(pilot, "f2")
        widget = app.screen.query_one("#finish")
        assert widget.region.bottom <= SIZE[1] - 1 and widget.region.height > 0


# --- finding the unit: the region's prefix, a search of the HSA catalogue ---------------


async def test_the_field_starts_with_the_regions_prefix(sqlite_db):
    app, world = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "a")
        field = app.screen.query_one("#hsa-id", Input)
        assert field.value == "SE2321000016-"
        assert field.selection.is_empty and field.cursor_position == len(field.value)
        await type_text(pilot, "1001")
        await press(pilot, "enter")
        assert step(pilot) == "step-entry"
        assert app.screen.entry.hsa_id == world.free_hsa


async def test_a_whole_hsa_id_typed_over_the_prefix_still_works(sqlite_db):
    app, world = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "a")
        await type_text(pilot, world.free_hsa.lower())  # the prefix typed again goes
        assert app.screen.query_one("#hsa-id", Input).value == world.free_hsa.lower()
        await press(pilot, "enter")
        assert step(pilot) == "step-entry" and app.screen.entry.hsa_id == world.free_hsa


def kall_world():
    world = build_world()
    directory_unit(hsa(ORG_01, "2001"), "Källby vårdcentral", city="Källby")
    connected_unit(hsa(ORG_01, "2002"), "Källhagens BVC")
    connected_unit(hsa(ORG_01, "2003"), "Källstorps MVC", active=False, deactivated_at=1)
    return world


async def test_a_name_fragment_lists_the_catalogue_and_enter_takes_the_picked_one(sqlite_db):
    app, world = make_app(kall_world())
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "a")
        await type_text(pilot, "käll")
        lines = [" ".join(line.split()) for line in text_of(pilot, "#hits").splitlines()]
        # What can be activated first (never connected or inactive), the active one last.
        assert lines == [
            "› Källby vårdcentral SE2321000016-2001 ej ansluten",
            "Källstorps MVC SE2321000016-2003 inaktiverad",
            "Vårdcentralen Källan SE2321000016-1001 ej ansluten",
            "Källhagens BVC SE2321000016-2002 redan aktiv",
        ]
        assert "4 träffar" in text_of(pilot, "#hsa-hint")
        await press(pilot, "down", "down", "down", "up")  # Vårdcentralen Källan
        assert text_of(pilot, "#hits").splitlines()[2].startswith("› Vårdcentralen Källan")
        await press(pilot, "enter")  # Visa
        assert step(pilot) == "step-entry"
        assert app.screen.entry.hsa_id == world.free_hsa
        assert "Vårdcentralen Källan" in text_of(pilot, "#entry-facts")
        await press(pilot, "escape")  # back: the field holds the id taken
        assert app.screen.query_one("#hsa-id", Input).value == world.free_hsa
        assert not app.screen.query_one("#hits").display
        await assert_idle(pilot)


async def test_an_inactive_hit_is_re_activated(sqlite_db):
    app, _ = make_app(kall_world())
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "a")
        await type_text(pilot, "källstorp")
        await press(pilot, "enter")
        assert "återaktiveras" in text_of(pilot, "#entry-lead")
        await press(pilot, "f2", "f2")
        assert Unit.get(Unit.hsa_id == hsa(ORG_01, "2003")).active


async def test_enter_typed_before_the_hits_come_takes_the_first(sqlite_db):
    app, world = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "a")
        await pilot.press(*"källan", "enter")  # faster than the search waits for a pause
        await settle(pilot)
        assert step(pilot) == "step-entry" and app.screen.entry.hsa_id == world.free_hsa


async def test_nothing_found_says_so_and_enter_says_why(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "a")
        await type_text(pilot, "finns inte")
        assert text_of(pilot, "#hsa-hint") == (
            "Inget i regionens HSA-katalog matchar ”finns inte”."
        )
        assert not app.screen.query_one("#hits").display
        await press(pilot, "enter")
        assert step(pilot) == "step-id"
        assert app.screen.query_one("#hsa-hint").has_class("-error")
