"""What each of the shell's and Vårdmottagningar's pages looks like at 80x24.

Deterministic: fixed activation dates, no clock on screen, the default theme whatever the
environment says. Update after a deliberate change with `pytest --snapshot-update`.
"""

from __future__ import annotations

import pytest

from models.entities import CaseType, Unit, UnitCaseType
from tests.factories import ORG_01, PNR_BERTIL, build_world, connected_unit, hsa
from tests.idle import settle
from tests.tui_support import SIZE, make_app

FIXED_DAY = 1_736_150_400  # 2025-01-06 09:00 Stockholm


@pytest.fixture
def app(sqlite_db, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("REGIONADMIN_THEME", raising=False)
    world = build_world()
    for i, city in enumerate(("Solna", "Nacka", "Huddinge", "Täby", "Lidingö") * 5):
        connected_unit(
            hsa(ORG_01, f"4{i:03d}"),
            f"Vårdcentralen {city} {i + 1}",
            city=city,
            active=i % 6 != 5,
            care_type=("Vårdcentral", "BVC", "Psykiatri")[i % 3],
        )
    unit = Unit.get(Unit.hsa_id == world.active_hsa)
    unit.street, unit.postal_code, unit.phone = "Ängsvägen 2", "183 30", "08-123 45 67"
    unit.email, unit.info = "angen@example.se", "Drop-in tisdagar 8–10"
    unit.save()
    for name in ("Beställa tid", "Förnya recept", "Kontakta mig"):
        UnitCaseType.create(unit=unit, case_type=CaseType.get(CaseType.name == name))
    Unit.update(first_activated_at=FIXED_DAY).execute()
    application, _ = make_app(world)
    return application


def keys(*presses: str):
    async def run(pilot) -> None:
        await settle(pilot)
        for key in presses:
            if key.startswith("text:"):
                await pilot.press(*key[5:])
            else:
                await pilot.press(key)
            await settle(pilot)

    return run


def test_menu(app, snap_compare):
    assert snap_compare(app, terminal_size=SIZE, run_before=keys())


def test_menu_with_help(app, snap_compare):
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("f1"))


def test_units_list(app, snap_compare):
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("v", "down", "2"))


def test_units_second_page(app, snap_compare):
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("v", "pagedown"))


def test_unit_details(app, snap_compare):
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("v", "text:ängen", "enter"))


def test_unit_terms_text(app, snap_compare):
    assert snap_compare(
        app, terminal_size=SIZE, run_before=keys("v", "text:ängen", "enter", "tab", "enter")
    )


def test_activate_bad_hsa_id(app, snap_compare):
    assert snap_compare(
        app, terminal_size=SIZE, run_before=keys("a", "text:SE2321000017-1001", "enter")
    )


def test_activate_search_hits(app, snap_compare):
    """A part of the name: the catalogue's hits under the field, the second one picked."""
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("a", "text:vård", "down"))


def test_activate_directory_entry(app, snap_compare):
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=keys("a", "text:SE2321000016-1001", "enter", "text:VC " + "K" * 29),
    )


def test_activate_summary(app, snap_compare):
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=keys("a", "text:SE2321000016-1001", "enter", "text:VC Källan", "enter"),
    )


def test_activate_done(app, snap_compare):
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=keys("a", "text:SE2321000016-1001", "enter", "enter", "f2"),
    )


def test_assign_grants_person_fetched(app, snap_compare):
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=keys("v", "text:ängen", "enter", "t", f"text:{PNR_BERTIL}", "enter"),
    )


def test_deactivate_checklist(app, snap_compare):
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("i", "text:ängen", "enter"))


def test_deactivate_confirm(app, snap_compare):
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("i", "text:ängen", "enter", "f2"))


def test_deactivate_done(app, snap_compare):
    assert snap_compare(
        app, terminal_size=SIZE, run_before=keys("i", "text:ängen", "enter", "f2", "j")
    )


def test_rename_name_error(app, snap_compare):
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=keys("n", "text:ängen", "enter", "ctrl+u", "text:Ängen " + "Å" * 29),
    )
