"""Vårdmottagningar > Avvikelser mot HSA: the list, and one key to Inaktivera or Aktivera."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from models import transfer
from models.entities import Unit
from models.units import activate_unit
from tests.factories import ORG_01, build_world, directory_unit, hsa
from tests.idle import assert_idle
from tests.tui_support import SIZE, make_app, press, text_of
from tui.screens.activate import ActivateScreen
from tui.screens.deactivate import DeactivateScreen
from tui.screens.hsa_drift import HsaDriftScreen

HEADER = "hsa_id,name,care_type,region_code,street,postal_code,city,phone,info\n"


def _world(tmp_path):
    w = build_world()
    gone, moved, fresh = (hsa(ORG_01, f"60{i}") for i in range(3))
    for hsa_id in (gone, moved, fresh):
        directory_unit(hsa_id, f"Enhet {hsa_id[-1]}", city="Solna")
    activate_unit(w.op, gone)
    activate_unit(w.op, moved)
    path = tmp_path / "hela.csv"
    path.write_text(
        HEADER + f"{w.active_hsa},Husläkarmottagningen Ängen,Vårdcentral,01,,,Täby,,\n"
        f"{moved},Enhet 1,Vårdcentral,01,,,Sundbyberg,,\n"
        f"{fresh},Enhet 2,Vårdcentral,01,,,Solna,,\n"
        f"{w.free_hsa},Vårdcentralen Källan,Vårdcentral,01,,,Solna,,\n",
        encoding="utf-8",
    )
    transfer.import_file("hsa-units", path, actor_name="test", complete=True)
    return w, gone, moved, fresh


def _rows(pilot) -> list[list[str]]:
    table = pilot.app.screen.query_one("#drift", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_page_lists_the_drift_and_opens_inaktivera_and_aktivera(sqlite_db, tmp_path):
    w, gone, moved, fresh = _world(tmp_path)
    app, _ = make_app(w)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "h")
        assert isinstance(app.screen, HsaDriftScreen)
        rows = _rows(pilot)
        assert [r[0] for r in rows] == [
            "Borttagen ur HSA",
            "Ändrad i HSA",
            "Aldrig aktiverad",
            "Aldrig aktiverad",
        ]
        assert rows[1][1] == moved and "Sundbyberg" in rows[1][3]
        assert "4 avvikelser" in text_of(pilot, "#drift-intro")
        await assert_idle(pilot)
        await press(pilot, "a")  # on a unit that is active: Aktivera is not offered
        assert isinstance(app.screen, HsaDriftScreen)
        await press(pilot, "i")  # Borttagen ur HSA -> Inaktivera, the unit shown
        assert isinstance(app.screen, DeactivateScreen)
        assert app.screen.unit is not None and app.screen.unit.hsa_id == gone
        await press(pilot, "escape", "escape")
        assert isinstance(app.screen, HsaDriftScreen)
        await press(pilot, "down", "down", "a")  # Aldrig aktiverad -> Aktivera, id filled in
        assert isinstance(app.screen, ActivateScreen)
        assert app.screen.query_one("#hsa-id", Input).value == fresh
        await press(pilot, "enter")  # Visa
        assert app.screen.entry is not None and app.screen.entry.hsa_id == fresh
    assert Unit.get(Unit.hsa_id == gone).active  # nothing changed without a confirmation


async def test_one_deviation_and_none_read_in_words(sqlite_db):
    from models.entities import HsaUnit

    app, w = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "h")
        assert _rows(pilot)[0][:2] == ["Aldrig aktiverad", w.free_hsa]
        assert text_of(pilot, "#drift-intro") == "1 avvikelse mot HSA-katalogen."
        await press(pilot, "escape")
        HsaUnit.update(missing_since=1).where(HsaUnit.hsa_id == w.free_hsa).execute()
        await press(pilot, "h")
        assert _rows(pilot) == []
        assert text_of(pilot, "#drift-intro").startswith("Inga avvikelser")
        await press(pilot, "i", "a")  # nothing chosen: nothing opens
        assert isinstance(app.screen, HsaDriftScreen)
