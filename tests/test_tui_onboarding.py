"""Vårdmottagningar > Ansluta från fil: Provkör shows the changes, Genomför writes them."""

from __future__ import annotations

from textual.widgets import Input

from models.entities import AuditEvent, Unit
from tests.factories import ORG_01, build_world, directory_unit, hsa
from tests.idle import assert_idle
from tests.tui_support import SIZE, make_app, press, text_of, type_text
from tui.screens.onboarding import OnboardingScreen


async def test_dry_run_then_commit_by_keyboard(sqlite_db, tmp_path):
    w = build_world()
    ids = [hsa(ORG_01, f"40{i}") for i in range(3)]
    for i, hsa_id in enumerate(ids):
        directory_unit(hsa_id, f"BVC Nummer {i}")
    path = tmp_path / "enheter.csv"
    path.write_text(
        "hsa_id,name,other_service\n" + "".join(f"{h},,false\n" for h in ids), encoding="utf-8"
    )
    before = Unit.select().count()
    app, _ = make_app(w)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "f")
        assert isinstance(app.screen, OnboardingScreen)
        await type_text(pilot, str(path))
        await press(pilot, "f3")  # nothing tried yet: Genomför is not offered
        assert Unit.select().count() == before
        await press(pilot, "enter")  # Provkör
        assert "Provkörning: 3 ändringar" in text_of(pilot, "#hint")
        assert f"rad 2: Aktiverad: {ids[0]} BVC Nummer 0" in text_of(pilot, "#change-list")
        assert Unit.select().count() == before
        await assert_idle(pilot)
        await press(pilot, "f3")  # Genomför
        assert "Klart: 3 ändringar" in text_of(pilot, "#hint")
        assert Unit.select().count() == before + 3
        assert AuditEvent.select().where(AuditEvent.action == "unit.activate").count() == 3


async def test_a_bad_row_is_named_and_nothing_is_offered(sqlite_db, tmp_path):
    w = build_world()
    path = tmp_path / "fel.csv"
    path.write_text("hsa_id,name,other_service\nSE2321000016-999,,false\n", encoding="utf-8")
    before = Unit.select().count()
    app, _ = make_app(w)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "f")
        app.screen.query_one("#file", Input).value = str(path)
        await press(pilot, "f2")
        assert text_of(pilot, "#hint").startswith("rad 2, fält hsa_id:")
        await press(pilot, "f3")
        assert Unit.select().count() == before
