"""Visa mottagningsinformation: search, paging, sorting, details, Tilldela behörigheter."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input

from models.entities import (
    ADMIN,
    GRANSKARE,
    AuditEvent,
    CaseType,
    Grant,
    StaffAccount,
    Unit,
    UnitCaseType,
)
from tests.factories import (
    ORG_01,
    PNR_BERTIL,
    PNR_CECILIA,
    build_world,
    connected_unit,
    hsa,
    make_pnr,
)
from tests.idle import assert_idle, settle
from tests.tui_support import SIZE, fill, make_app, message, press, text_of, type_text
from tui.screens.assign_grants import AssignGrantsScreen
from tui.screens.unit_details import UnitDetailsScreen
from tui.screens.units import UnitsScreen
from tui.widgets.text_dialog import TextDialog
from tui.widgets.unit_pager import UnitPager

ANGEN = "Husläkarmottagningen Ängen"


def rows(pilot, selector: str = "#units") -> list[list[str]]:
    """The cells as shown; a name longer than its column ends with '…'."""
    table = pilot.app.screen.query_one(selector, DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def names(pilot) -> list[str]:
    """The names column with a cut name restored, when it is a prefix of ANGEN."""
    return [
        ANGEN if r[0].endswith("…") and ANGEN.startswith(r[0][:-1]) else r[0] for r in rows(pilot)
    ]


def status(pilot) -> str:
    return text_of(pilot, "#pager-status")


def header(pilot) -> list[str]:
    table = pilot.app.screen.query_one("#units", DataTable)
    return [str(col.label) for col in table.ordered_columns]


def many_units(n: int) -> None:
    for i in range(n):
        connected_unit(
            hsa(ORG_01, f"5{i:03d}"), f"Mottagning {i:02d}", city=f"Ort {i % 3}", active=i % 4 != 0
        )


async def test_empty_search_lists_active_and_inactive_units_of_the_region(sqlite_db):
    world = build_world()
    connected_unit(hsa(ORG_01, "1003"), "Inaktiva mottagningen", active=False)
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v")
        assert isinstance(app.screen, UnitsScreen)
        shown = rows(pilot)
        assert names(pilot) == [ANGEN, "Inaktiva mottagningen"]
        assert [r[4] for r in shown] == ["Aktiv", "Inaktiv"]
        assert world.other_active_hsa not in str(shown)  # region 12's unit
        assert status(pilot).startswith("Visar 1–2 av 2")


async def test_search_as_you_type_and_a_single_hit_opens_the_details(sqlite_db):
    world = build_world()
    many_units(5)
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v")
        await type_text(pilot, "mottagning 0")  # every word must match somewhere
        assert set(names(pilot)) == {ANGEN} | {f"Mottagning 0{i}" for i in range(5)}
        await fill(pilot, "#filter", "mottagning 03")
        assert names(pilot) == ["Mottagning 03"]
        await fill(pilot, "#filter", "täby")  # matches the city, case-insensitively
        assert names(pilot) == [ANGEN]
        assert isinstance(app.screen, UnitsScreen)  # typing alone never jumps away
        await press(pilot, "enter")  # Visa: one hit opens the details directly
        assert isinstance(app.screen, UnitDetailsScreen)
        assert app.screen.hsa_id == world.active_hsa


async def test_no_hits_says_so(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v")
        await type_text(pilot, "finns inte")
        assert rows(pilot) == []
        assert status(pilot) == "Inga mottagningar matchar ”finns inte”."
        await press(pilot, "enter")
        assert isinstance(app.screen, UnitsScreen)


async def test_pages_come_from_the_database(sqlite_db):
    world = build_world()
    many_units(40)  # 41 units in region 01
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v")
        pager = app.screen.query_one(UnitPager)
        # A page is as many rows as the table shows at 80x24 (no scrolling within it).
        table = app.screen.query_one("#units", DataTable)
        assert table.row_count == pager.page_size == table.size.height - 1 == 18
        assert status(pilot).startswith("Visar 1–18 av 41")
        await press(pilot, "pagedown")  # works from the search field too
        assert status(pilot).startswith("Visar 19–36 av 41")
        await press(pilot, "down")  # into the table
        await press(pilot, "n")
        assert status(pilot).startswith("Visar 37–41 av 41")
        assert len(rows(pilot)) == 5
        await press(pilot, "n")  # no page after the last
        assert status(pilot).startswith("Visar 37–41 av 41")
        await press(pilot, "p", "pageup")
        assert status(pilot).startswith("Visar 1–18 av 41")


async def test_sorting_by_key(sqlite_db):
    world = build_world()
    connected_unit(hsa(ORG_01, "0999"), "Öppna mottagningen", city="Arboga")
    connected_unit(hsa(ORG_01, "1000"), "Akuten", city="Östhammar", active=False)
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v", "down")
        assert header(pilot)[0] == "Namn ▲"
        assert names(pilot) == ["Akuten", ANGEN, "Öppna mottagningen"]
        await press(pilot, "2")  # HSA-id
        assert header(pilot)[1] == "HSA-id ▲"
        assert [r[1][-4:] for r in rows(pilot)] == ["0999", "1000", "1002"]
        assert "sorterat på HSA-id, stigande" in status(pilot)
        await press(pilot, "2")  # the same column again reverses
        assert header(pilot)[1] == "HSA-id ▼"
        assert [r[1][-4:] for r in rows(pilot)] == ["1002", "1000", "0999"]
        await press(pilot, "s")  # next column: Vårdtyp
        assert header(pilot)[2] == "Vårdtyp ▲"
        await press(pilot, "4")  # Ort
        assert [r[3] for r in rows(pilot)] == ["Arboga", "Täby", "Östhammar"]
        await press(pilot, "S")
        assert [r[3] for r in rows(pilot)] == ["Östhammar", "Täby", "Arboga"]
        await press(pilot, "5")  # Status
        assert [r[4] for r in rows(pilot)] == ["Inaktiv", "Aktiv", "Aktiv"]


async def test_details_show_settings_case_types_terms_and_grants(sqlite_db):
    world = build_world()
    unit = Unit.get(Unit.hsa_id == world.active_hsa)
    unit.prioritized = True
    unit.street, unit.postal_code, unit.phone = "Ängsvägen 2", "183 30", "08-123 45 67"
    unit.info = "Drop-in tisdagar"
    unit.save()
    standard = CaseType.get(CaseType.name == "Förnya recept")
    UnitCaseType.create(
        unit=unit, case_type=standard, active=True, terms_text="Recept förnyas inom tre dagar."
    )
    own = CaseType.create(kind="own", name="Fråga sjuksköterskan", terms_text="Egen text.")
    UnitCaseType.create(unit=unit, case_type=own, active=False)
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v", "down", "enter")
        assert isinstance(app.screen, UnitDetailsScreen)
        facts = text_of(pilot, "#facts")
        for expected in (
            "Husläkarmottagningen Ängen",
            world.active_hsa,
            "Prioriterad Ja",
            "Ängsvägen 2, 183 30 Täby",
            "08-123 45 67",
            "Drop-in tisdagar",
            "Övrig tjänst Nej",
            "Aktiv sedan",
        ):
            assert expected in facts
        assert rows(pilot, "#case-types") == [
            ["Förnya recept", "Standard", "Ja"],
            ["Fråga sjuksköterskan", "Egen", "Nej"],
        ]
        assert rows(pilot, "#unit-grants") == [
            ["Cecilia Carlsson", "19900303-3454", "Administratör"]
        ]
        app.screen.query_one("#case-types").focus()
        await press(pilot, "enter")
        assert isinstance(app.screen, TextDialog)
        assert "Recept förnyas inom tre dagar." in app.screen.text
        await press(pilot, "escape")
        await press(pilot, "down", "enter")
        assert "Egen text." in app.screen.text
        await press(pilot, "escape")
        assert isinstance(app.screen, UnitDetailsScreen)
        await assert_idle(pilot)


async def test_assign_admin_plus_granskare_and_remove_with_confirmation(sqlite_db):
    world = build_world()
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v", "down", "enter", "t")
        assert isinstance(app.screen, AssignGrantsScreen)
        await assert_idle(pilot)
        await type_text(pilot, PNR_BERTIL[2:8] + "-" + PNR_BERTIL[8:])  # ÅÅMMDD-NNNN
        await press(pilot, "enter")
        assert "Bertil Berg" in text_of(pilot, "#person")
        await press(pilot, "right")  # Administratör + Granskare
        await press(pilot, "f2")  # Tilldela
        unit = Unit.get(Unit.hsa_id == world.active_hsa)
        account = StaffAccount.get(StaffAccount.person == world.bertil)
        roles = {
            g.role for g in Grant.select().where((Grant.unit == unit) & (Grant.account == account))
        }
        assert roles == {ADMIN, GRANSKARE}
        assert AuditEvent.select().where(AuditEvent.action == "grant.add").count() == 2
        assert AuditEvent.select().where(AuditEvent.action == "account.create").count() == 1
        assert ["Bertil Berg", "19800202-2344", "Administratör, Granskare"] in rows(
            pilot, "#grants"
        )
        assert app.screen.focused is app.screen.query_one("#pnr", Input)  # add more people

        grants = app.screen.query_one("#grants", DataTable)
        grants.focus()
        await press(pilot, "g")  # remove Granskare only ... asked first
        await press(pilot, "n")  # no: nothing removed
        assert Grant.select().where(Grant.account == account).count() == 2
        await press(pilot, "g", "j")
        assert {g.role for g in Grant.select().where(Grant.account == account)} == {ADMIN}
        assert ["Bertil Berg", "19800202-2344", "Administratör"] in rows(pilot, "#grants")
        await press(pilot, "delete", "j")  # Administratör
        assert Grant.select().where(Grant.account == account).count() == 0
        assert AuditEvent.select().where(AuditEvent.action == "grant.remove").count() == 2
        await press(pilot, "escape")
        assert isinstance(app.screen, UnitDetailsScreen)
        assert rows(pilot, "#unit-grants") == [
            ["Cecilia Carlsson", "19900303-3454", "Administratör"]
        ]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1980-02-02", "ÅÅMMDD-NNNN"),
        (PNR_BERTIL[:-1] + str((int(PNR_BERTIL[-1]) + 1) % 10), "inte ett giltigt"),
        (make_pnr("19750505", "111"), "finns inte i personalkatalogen"),
    ],
)
async def test_bad_or_unknown_personnummer_writes_nothing(sqlite_db, typed, expected):
    app, world = make_app()
    before = (Grant.select().count(), StaffAccount.select().count())
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v", "down", "enter", "t")
        await type_text(pilot, typed)
        await press(pilot, "enter", "f2")
        assert expected in text_of(pilot, "#pnr-hint")
        assert app.screen.query_one("#pnr-hint").has_class("-error")
        assert app.screen.person is None
    assert (Grant.select().count(), StaffAccount.select().count()) == before


async def test_granting_a_role_the_person_already_has_is_explained(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v", "down", "enter", "t")
        await type_text(pilot, PNR_CECILIA)
        await press(pilot, "enter")
        assert "Behörigheter här: Administratör" in text_of(pilot, "#person")
        await press(pilot, "enter")
        assert "har redan Administratör" in message(pilot)
        assert Grant.select().where(Grant.unit.is_null(False)).count() == 1


async def test_inactive_unit_details_offer_no_assignment(sqlite_db):
    world = build_world()
    connected_unit(
        hsa(ORG_01, "1003"), "Stängda mottagningen", active=False, deactivated_at=1_700_000_000
    )
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v")
        await type_text(pilot, "stängda")
        await press(pilot, "enter")
        assert isinstance(app.screen, UnitDetailsScreen)
        assert "Inaktiverad 2023-11-14" in text_of(pilot, "#facts")
        assert app.screen.query_one("#assign").disabled
        await press(pilot, "t")
        assert isinstance(app.screen, UnitDetailsScreen)


async def test_text_from_the_database_cannot_drive_the_terminal(sqlite_db):
    world = build_world()
    nasty = "Evil\x1b]0;pwned\x07 [b]fet[/b] \x1b[31mröd"
    connected_unit(hsa(ORG_01, "6666"), nasty, city="[red]Stad\x07")
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v")
        await type_text(pilot, "evil")
        shown = rows(pilot)
        assert shown[0][0].startswith("Evil [b]fet[/b] röd"[:22])
        assert "\x1b" not in str(shown) and "\x07" not in str(shown)
        assert shown[0][3] == "[red]Stad"
        await press(pilot, "enter")
        facts = text_of(pilot, "#facts")
        assert "Evil [b]fet[/b] röd" in facts and "\x1b" not in facts


async def test_units_screen_is_idle_after_typing(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v")
        await assert_idle(pilot)
        await type_text(pilot, "äng")
        await assert_idle(pilot)
        await settle(pilot)


def on_screen(widget) -> bool:
    """The widget is shown whole inside the 80x24 terminal (above the footer)."""
    region = widget.region
    return (
        widget.display
        and region.height > 0
        and region.bottom <= SIZE[1] - 1
        and region.right <= SIZE[0]
    )


async def test_long_directory_texts_do_not_push_anything_off_the_screen(sqlite_db):
    world = build_world()
    long_words = " ".join(["Långtextsmottagningen"] * 9)  # 9 x 21 characters
    unit = Unit.get(Unit.hsa_id == world.active_hsa)
    unit.name, unit.info, unit.street = long_words, "Information " * 80, "Gatan " * 30
    unit.refresh_search_text()
    unit.save()
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v")
        await type_text(pilot, "långtext")
        await press(pilot, "enter")
        assert isinstance(app.screen, UnitDetailsScreen)
        assert on_screen(app.screen.query_one("#assign"))
        assert on_screen(app.screen.query_one("#unit-grants"))
        await press(pilot, "t")
        assert on_screen(app.screen.query_one("#fetch"))
        await type_text(pilot, PNR_BERTIL)
        await press(pilot, "enter")
        assert on_screen(app.screen.query_one("#grant"))


def _marks(pilot) -> list[bool]:
    from tui.widgets.choice import ChoiceSet

    return [b.value for b in pilot.app.screen.query_one("#roles", ChoiceSet).buttons]


@pytest.mark.parametrize(
    ("arrows", "expected"),
    [
        ((), {ADMIN}),
        (("right",), {ADMIN, GRANSKARE}),
        (("right", "left"), {ADMIN}),
        (("left",), {ADMIN, GRANSKARE}),  # wraps round
        (("down", "up"), {ADMIN}),
        (("right", "right"), {ADMIN}),
        (("left", "right", "left"), {ADMIN, GRANSKARE}),
        (("right", "space"), {ADMIN, GRANSKARE}),
    ],
)
async def test_what_is_marked_is_what_is_granted(sqlite_db, arrows, expected):
    world = build_world()
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v", "down", "enter", "t")
        await type_text(pilot, PNR_BERTIL)
        await press(pilot, "enter")
        assert _marks(pilot) == [True, False]
        for key in arrows:
            await press(pilot, key)
            assert sum(_marks(pilot)) == 1  # exactly one mark at a time
        assert _marks(pilot) == [expected == {ADMIN}, expected != {ADMIN}]
        await press(pilot, "enter")  # Tilldela
        account = StaffAccount.get(StaffAccount.person == world.bertil)
        assert {g.role for g in Grant.select().where(Grant.account == account)} == expected


async def test_each_fetched_person_starts_at_administrator(sqlite_db):
    world = build_world()
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v", "down", "enter", "t")
        await type_text(pilot, PNR_BERTIL)
        await press(pilot, "enter", "right")
        assert _marks(pilot) == [False, True]
        await press(pilot, "enter")  # Bertil: Administratör + Granskare
        other = make_pnr("19750505", "111")
        from models.entities import HsaPerson

        HsaPerson.create(
            personnummer=other, given_names="Doris", surname="Dahl", region=world.op.region_code
        )
        await type_text(pilot, other)
        await press(pilot, "enter")
        assert _marks(pilot) == [True, False]
        await press(pilot, "enter")
        doris = StaffAccount.get(StaffAccount.person == HsaPerson.get(personnummer=other))
        assert {g.role for g in Grant.select().where(Grant.account == doris)} == {ADMIN}


async def test_details_show_cases_per_week_as_a_sparkline_with_the_figures(sqlite_db):
    from models.entities import Case
    from models.timeutil import now_epoch
    from models.units import WEEK

    world = build_world()
    unit = Unit.get(Unit.hsa_id == world.active_hsa)
    now = now_epoch()
    rows = [
        dict(id=i + 1, unit=unit.id, case_type=1, received_at=now - WEEK * (i % 10) - 60)
        for i in range(30)
    ]  # three a week for the last ten weeks
    rows.append(dict(id=99, unit=unit.id, case_type=1, received_at=now - WEEK * 60))  # older
    Case.insert_many(rows).execute()
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v", "down", "enter")
        assert isinstance(app.screen, UnitDetailsScreen)
        facts = text_of(pilot, "#facts")
        line = next(x for x in facts.splitlines() if x.startswith("Per vecka"))
        assert line.endswith("30 på 52 v") and len(line) <= 78
        spark = line[10:62]
        assert spark[:42].strip() == "" and spark[42:] == "█" * 10
        await assert_idle(pilot)


# --- the search: no refill for the same hits, no query after a dialog, keys typed ahead ----
def count_searches(monkeypatch, delay: float = 0.0) -> list[str]:
    """The terms the pager asks the database for; `delay`: a slow database (seconds, on
    the worker thread), so that keys typed meanwhile arrive before the answer."""
    import time

    from tui.widgets import unit_pager

    asked: list[str] = []
    search = unit_pager.search_units

    def slow(op, term, **kw):
        asked.append(term)
        time.sleep(delay)
        return search(op, term, **kw)

    monkeypatch.setattr(unit_pager, "search_units", slow)
    return asked


def count_refills(pilot) -> list[int]:
    table = pilot.app.screen.query_one("#units", DataTable)
    refills: list[int] = []
    clear = table.clear

    def counted(*args, **kwargs):
        refills.append(1)
        return clear(*args, **kwargs)

    table.clear = counted  # type: ignore[method-assign]
    return refills


async def test_the_same_hits_are_not_drawn_again(sqlite_db, monkeypatch):
    world = build_world()
    many_units(5)
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v")
        await type_text(pilot, "mottag")
        shown = rows(pilot)
        asked = count_searches(monkeypatch)
        refills = count_refills(pilot)
        await type_text(pilot, "n")  # "mottagn": the same units
        assert asked == ["mottagn"] and not refills
        assert rows(pilot) == shown
        await type_text(pilot, "ing 03")
        assert refills and names(pilot) == ["Mottagning 03"]


async def test_a_closed_dialog_or_palette_asks_nothing_and_back_from_details_draws_nothing(
    sqlite_db, monkeypatch
):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v")
        asked = count_searches(monkeypatch)
        refills = count_refills(pilot)
        await press(pilot, "ctrl+p")
        await press(pilot, "escape")
        await press(pilot, "f1", "f1")
        assert isinstance(app.screen, UnitsScreen)
        assert asked == [] and not refills
        await press(pilot, "down", "enter")  # the details, and back
        assert isinstance(app.screen, UnitDetailsScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, UnitsScreen)
        assert len(asked) <= 1 and not refills  # asked again at most; the same rows


async def test_a_rename_shows_in_the_list(sqlite_db):
    world = build_world()
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v")
        assert names(pilot) == [ANGEN]
        await press(pilot, "escape", "n", "down", "enter")  # Ändra namn
        await fill(pilot, "#new-name", "Ängens husläkare")
        await press(pilot, "enter")
        await press(pilot, "escape", "v")
        assert names(pilot) == ["Ängens husläkare"]


async def test_down_and_enter_typed_ahead_of_the_hits_open_the_first_new_hit(
    sqlite_db, monkeypatch
):
    """Typed faster than the database answers: the Down reaches the list at once and the
    Enter waits for the hits of what was typed (not the rows shown before)."""
    world = build_world()
    many_units(5)
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v")
        assert names(pilot)[0] == ANGEN
        count_searches(monkeypatch, delay=0.3)
        await pilot.press(*"ing 03", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, UnitDetailsScreen)
        assert app.screen.hsa_id == hsa(ORG_01, "5003")


async def test_down_and_enter_before_the_first_page_open_its_first_row(sqlite_db, monkeypatch):
    world = build_world()
    many_units(3)
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        count_searches(monkeypatch, delay=0.3)
        await pilot.press("v", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, UnitDetailsScreen)
        assert app.screen.hsa_id == world.active_hsa  # Husläkarmottagningen Ängen: first


async def test_down_and_enter_on_a_search_without_hits_stay_in_the_field(sqlite_db, monkeypatch):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v")
        count_searches(monkeypatch, delay=0.3)
        await pilot.press(*"finns inte", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, UnitsScreen)
        assert isinstance(app.screen.focused, Input)
        assert status(pilot) == "Inga mottagningar matchar ”finns inte”."
