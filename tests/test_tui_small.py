"""Every flow at 60x20, by keys alone, to its final action; and nothing essential out of
reach: each field and button the flow focuses is inside the terminal (a body taller than
the terminal scrolls to it), no table is wider than its room (a horizontal scrollbar hides
a column), and a resize lays the columns out again for the new width."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Static

from models.entities import ADMIN, Grant, Unit
from tests.factories import PNR_BERTIL, PNR_CECILIA, build_world
from tests.idle import settle
from tests.tui_support import SIZE, make_app, message, press, text_of, type_text
from tui.screens.activate import ActivateScreen
from tui.screens.assign_grants import AssignGrantsScreen
from tui.screens.audit_log import AuditEventScreen, AuditLogScreen
from tui.screens.case_bank import CaseBankScreen
from tui.screens.case_type import CaseTypeScreen
from tui.screens.hsa_drift import HsaDriftScreen
from tui.screens.reports import ReportsScreen
from tui.screens.settings import LeaveScreen
from tui.screens.unit_details import UnitDetailsScreen
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.quiet_screen import QuietFocus
from tui.widgets.unit_pager import UnitPager

SMALL = (60, 20)


def inside(widget: Widget, size: tuple[int, int] = SMALL) -> bool:
    """Shown, and whole within the terminal above the footer."""
    region = widget.region
    return (
        widget.display
        and region.width > 0
        and region.height > 0
        and region.x >= 0
        and region.y >= 0
        and region.right <= size[0]
        and region.bottom <= size[1] - 1
    )


def fits(table: DataTable) -> bool:
    """The table's columns fit its width: no horizontal scrolling hides a column."""
    return table.virtual_size.width <= table.scrollable_content_region.width


def lines_fit(widget: Static) -> bool:
    return all(len(line) <= widget.content_region.width for line in str(widget.content).split("\n"))


async def focus_in_sight(pilot, widget: Widget) -> None:
    """Focus `widget` as Tab would and check that the page shows it whole."""
    widget.focus()
    await settle(pilot)
    assert inside(widget), (widget, widget.region)


async def test_visa_mottagningsinformation_details_and_tilldela_at_60x20(sqlite_db):
    world = build_world()
    app, _ = make_app(world)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "v")
        units = app.screen.query_one("#units", DataTable)
        assert fits(units) and inside(units)
        # A page is what the table shows: no scrolling inside a page.
        assert units.row_count <= units.size.height - 1
        await type_text(pilot, "ängen")
        await press(pilot, "enter")  # the only hit: its details
        screen = app.screen
        assert isinstance(screen, UnitDetailsScreen)
        facts = screen.query_one("#facts", Static)
        assert lines_fit(facts), str(facts.content)
        assert "Vårdtyp" in str(facts.content)
        for selector in ("#case-types", "#unit-grants"):
            table = screen.query_one(selector, DataTable)
            assert fits(table), selector
            await focus_in_sight(pilot, table)
        await press(pilot, "t")
        screen = app.screen
        assert isinstance(screen, AssignGrantsScreen)
        assert fits(screen.query_one("#grants", DataTable))
        await type_text(pilot, PNR_BERTIL)
        await press(pilot, "enter")  # Hämta
        assert inside(screen.query_one("#person"))
        assert inside(screen.query_one("#roles"))
        assert inside(screen.query_one("#grant", Button))  # Tilldela under the roles
        await press(pilot, "enter")  # Tilldela
        assert "har nu Administratör" in message(pilot)
        unit = Unit.get(Unit.hsa_id == world.active_hsa)
        assert Grant.select().where(Grant.unit == unit, Grant.role == ADMIN).count() == 2


async def test_remove_a_grant_through_the_confirmation_at_60x20(sqlite_db):
    world = build_world()
    app, _ = make_app(world)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.push_screen(AssignGrantsScreen(world.active_hsa))
        await settle(pilot)
        grants = app.screen.query_one("#grants", DataTable)
        await focus_in_sight(pilot, grants)
        grants.move_cursor(row=grants.get_row_index(PNR_CECILIA))
        await press(pilot, "delete")
        assert isinstance(app.screen, ConfirmDialog)
        assert inside(app.screen.query_one("#dialog"))
        for button in app.screen.query(Button):
            assert inside(button), button.id
        await press(pilot, "j")
        assert "borttagen" in message(pilot)


async def test_aktivera_to_slutfor_at_60x20(sqlite_db):
    world = build_world()
    app, _ = make_app(world)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "a")
        screen = app.screen
        assert isinstance(screen, ActivateScreen)
        field = screen.query_one("#hsa-id", Input)
        field.value = world.free_hsa
        await settle(pilot)
        await press(pilot, "enter")  # Visa
        assert screen.step == "step-entry"
        await press(pilot, "tab", "tab")  # Nytt namn -> övrig tjänst -> Gå vidare
        assert screen.focused is screen.query_one("#proceed", Button)
        assert inside(screen.focused)
        await press(pilot, "enter")
        assert screen.step == "step-summary"
        assert inside(screen.query_one("#finish", Button))
        await press(pilot, "enter")  # Slutför aktivering
        assert screen.step == "step-done"
        assert inside(screen.query_one("#assign", Button))
        assert Unit.get(Unit.hsa_id == world.free_hsa).active


async def test_rapporter_lists_above_the_form_at_60x20_and_creates_a_file(sqlite_db, tmp_path):
    app, _ = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "r")
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        listing = screen.query_one("#report-list")
        form = screen.query_one("#form")
        assert listing.region.bottom <= form.region.y  # above, not beside
        await press(pilot, "down", "down", "down", "down")  # Handläggningstider
        assert "Handläggningstider" in text_of(pilot, "#form-title")
        await press(pilot, "enter")  # into the form
        for selector in ("#unit", "#from", "#to", "#as-of", "#fmt-csv", "#output", "#create"):
            widget = screen.query_one(selector)
            assert widget.region.width >= 3, selector
            await focus_in_sight(pilot, widget)
        assert screen.query_one("#to").region.right <= SMALL[0]
        target = tmp_path / "tider.pdf"
        output = screen.query_one("#output", Input)
        output.value = str(target)
        output.focus()
        await press(pilot, "enter")  # Skapa
        await settle(pilot)
        assert target.exists(), message(pilot)


async def test_rapporter_at_80_columns_keeps_the_list_beside_the_form(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "r")
        listing = app.screen.query_one("#report-list")
        form = app.screen.query_one("#form")
        assert listing.region.right <= form.region.x and listing.region.y == form.region.y
        await pilot.resize_terminal(*SMALL)
        await settle(pilot)
        assert listing.region.bottom <= form.region.y
        assert inside(app.screen.query_one("#to"))


async def test_central_bank_and_a_case_type_at_60x20(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "b")
        screen = app.screen
        assert isinstance(screen, CaseBankScreen)
        table = screen.query_one("#bank", DataTable)
        assert table.row_count and fits(table) and inside(table)
        await press(pilot, "enter")
        assert isinstance(app.screen, CaseTypeScreen)


async def test_avvikelser_mot_hsa_at_60x20(sqlite_db):
    world = build_world()
    app, _ = make_app(world)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "h")
        screen = app.screen
        assert isinstance(screen, HsaDriftScreen)
        table = screen.query_one("#drift", DataTable)
        assert table.row_count and fits(table)
        # What the columns cut, the line under the list shows whole.
        chosen = screen.rows[table.cursor_row]
        line = screen.query_one("#drift-row", Static)
        if line.display:
            assert inside(line) and chosen.hsa_id not in str(line.content)
            assert (chosen.name_1177 or chosen.name_hsa) in str(line.content)
        while screen.rows[table.cursor_row].hsa_id != world.free_hsa:
            await press(pilot, "down")
        await press(pilot, "a")  # Aldrig aktiverad -> Aktivera with the id filled in
        assert isinstance(app.screen, ActivateScreen)
        assert app.screen.query_one("#hsa-id", Input).value == world.free_hsa


async def test_loggar_at_60x20(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "g")
        screen = app.screen
        assert isinstance(screen, AuditLogScreen)
        table = screen.query_one("#log", DataTable)
        assert table.row_count and fits(table)
        for selector in ("#f-actor", "#f-action", "#f-target", "#f-from", "#f-to"):
            field = screen.query_one(selector)
            assert field.region.width >= 8, selector
            await focus_in_sight(pilot, field)
        await focus_in_sight(pilot, table)
        await press(pilot, "enter")
        assert isinstance(app.screen, AuditEventScreen)


async def test_a_resize_lays_the_columns_out_again(sqlite_db):
    """From 80x24 to 60x20 and back: the tables fit each width and the details' facts
    go to one column and back to two."""
    world = build_world()
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(UnitDetailsScreen(world.active_hsa))
        await settle(pilot)
        screen = app.screen
        wide = str(screen.query_one("#facts", Static).content)
        for size in (SMALL, SIZE):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            facts = screen.query_one("#facts", Static)
            assert lines_fit(facts)
            for selector in ("#case-types", "#unit-grants"):
                assert fits(screen.query_one(selector, DataTable)), (size, selector)
            if size == SMALL:
                assert str(facts.content) != wide
        assert str(screen.query_one("#facts", Static).content) == wide
        for key, selector in (("b", "#bank"), ("g", "#log"), ("v", "#units")):
            await press(pilot, "escape", "escape", key)
            for size in (SMALL, SIZE):
                await pilot.resize_terminal(*size)
                await settle(pilot)
                table = app.screen.query_one(selector, DataTable)
                assert fits(table) and inside(table, size), (selector, size)
                if selector == "#units":  # a page is what the table shows, at each size
                    pager = app.screen.query_one(UnitPager)
                    assert pager.page_size == table.size.height - 1, size


def test_every_dialog_repaints_only_what_the_focus_changes():
    """The settings' leave question is quiet on focus changes like the other dialogs."""
    assert issubclass(LeaveScreen, QuietFocus)
    assert issubclass(ConfirmDialog, QuietFocus)


async def test_tilldela_behorigheter_lays_its_list_out_again_on_a_resize(sqlite_db):
    world = build_world()
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(AssignGrantsScreen(world.active_hsa))
        await settle(pilot)
        for size in (SMALL, SIZE, SMALL):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            grants = app.screen.query_one("#grants", DataTable)
            assert fits(grants) and grants.row_count, size
            assert grants.virtual_size.width >= grants.scrollable_content_region.width - 4
