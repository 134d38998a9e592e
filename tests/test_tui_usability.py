"""Usability findings at 80x24 (issue 9), driven by the keys a user presses: a field keeps
what it holds, a confirm step shows every value whole, every field and key on screen is
visible and works, no way out loses unsaved changes, placeholders read at 16 colours."""

from __future__ import annotations

import pytest
import textual.constants
from rich.color import ColorSystem
from textual.command import CommandPalette
from textual.widget import Widget
from textual.widgets import Input

from models.entities import ADMIN, AuditEvent, Grant, StaffAccount, Unit
from tests.factories import ORG_01, PNR_BERTIL, build_world, connected_unit, hsa
from tests.idle import assert_idle, settle
from tests.tui_support import SIZE, make_app, message, press, text_of, type_text
from tui.screens.admins import AdminsScreen
from tui.screens.assign_grants import AssignGrantsScreen
from tui.screens.audit_log import AuditLogScreen
from tui.screens.deactivate import DeactivateScreen
from tui.screens.reports import ReportsScreen
from tui.screens.settings import LeaveScreen, SettingsScreen
from tui.screens.unit_details import UnitDetailsScreen
from tui.widgets.confirm import ConfirmDialog

# A name of 92 characters (no word over 28): longer than any line a page used to allow it.
LONG_NAME = (
    "Barnavårdscentralen Handen och Tungelsta med mödravårdsmottagning och familjecentral Syd"
)


def screen_lines(pilot) -> list[str]:
    """What the terminal shows now, line by line (modal screens over their background)."""
    return [strip.text for strip in pilot.app.screen._compositor.render_strips()]


def region_text(pilot, widget: Widget) -> str:
    """The text shown in `widget`'s part of the terminal, whitespace collapsed."""
    region = widget.region
    lines = screen_lines(pilot)[region.y : region.bottom]
    return " ".join(" ".join(line[region.x : region.right] for line in lines).split())


def footer(pilot) -> str:
    return screen_lines(pilot)[-1]


def whole(text: str) -> str:
    return " ".join(text.split())


def on_screen(pilot, widget: Widget) -> bool:
    """Shown whole inside the terminal, above the footer line."""
    region = widget.region
    width, height = pilot.app.size
    return (
        widget.display
        and region.height > 0
        and region.width > 0
        and region.x >= 0
        and region.y >= 0
        and region.right <= width
        and region.bottom <= height - 1
    )


# --- 2. a field holding a value opens with the cursor at its end --------------------------


async def test_renaming_adds_to_the_name_instead_of_replacing_it(sqlite_db):
    world = build_world()
    handen = hsa(ORG_01, "1003")
    bvc = hsa(ORG_01, "1004")
    connected_unit(handen, "Barnavårdscentralen Handen")
    connected_unit(bvc, "BVC Handen")
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        # Sorted by name: Barnavårdscentralen Handen, BVC Handen, Husläkarmottagningen Ängen.
        await press(pilot, "n", "down", "down", "enter")  # BVC Handen
        field = app.screen.query_one("#new-name", Input)
        assert app.focused is field
        assert field.selection.is_empty and field.cursor_position == len("BVC Handen")
        await type_text(pilot, " Syd")
        await press(pilot, "enter")  # Ändra
        assert Unit.get(Unit.hsa_id == bvc).name == "BVC Handen Syd"
        # The next unit holds a longer name: the cursor is at its end again, not where the
        # last edit left it.
        await press(pilot, "up", "enter")  # Barnavårdscentralen Handen
        assert field.value == "Barnavårdscentralen Handen"
        assert field.selection.is_empty and field.cursor_position == len(field.value)
        await type_text(pilot, " Syd")
        await press(pilot, "enter")
        assert Unit.get(Unit.hsa_id == handen).name == "Barnavårdscentralen Handen Syd"
        await assert_idle(pilot)


async def test_tabbing_into_a_filled_field_selects_nothing(sqlite_db):
    """Every text field of the program: Tab into one that holds a value, and the next key
    adds to it (Rapporter's Fil and dates, Personliga inställningar's fields)."""
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "r", "down", "enter")  # Antal ärenden per mottagning: Vårdtyp
        await press(pilot, "tab")
        field = app.screen.focused
        assert isinstance(field, Input) and field.id == "from" and field.value
        assert field.selection.is_empty and field.cursor_position == len(field.value)
        await press(pilot, "tab", "tab", "tab")  # Till, Format, Fil
        field = app.screen.focused
        assert isinstance(field, Input) and field.id == "output"
        path = field.value
        await type_text(pilot, "x")
        assert field.value == path + "x"
        inputs = [i for screen in app.screen_stack for i in screen.query(Input)]
        assert inputs and not any(i.select_on_focus for i in inputs)


# --- 3. confirm steps show every value whole ----------------------------------------------


async def test_the_activation_summary_shows_a_long_new_name_whole(sqlite_db):
    app, world = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "a")
        await type_text(pilot, world.free_hsa)
        await press(pilot, "enter")  # Visa
        await type_text(pilot, LONG_NAME)
        await press(pilot, "enter")  # Gå vidare: the summary
        summary = app.screen.query_one("#summary-facts")
        assert on_screen(pilot, summary)
        shown = region_text(pilot, summary)
        assert f"{LONG_NAME} (nytt namn)" in shown and "…" not in shown
        assert on_screen(pilot, app.screen.query_one("#finish"))
        await press(pilot, "f2")  # Slutför aktivering
        assert Unit.get(Unit.hsa_id == world.free_hsa).name == LONG_NAME
        await assert_idle(pilot)


async def test_deactivation_shows_a_long_name_whole_on_the_checklist_and_the_question(sqlite_db):
    world = build_world()
    unit = Unit.get(Unit.hsa_id == world.active_hsa)
    unit.name = LONG_NAME
    unit.refresh_search_text()
    unit.save()
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "i", "down", "enter")  # Visa: the checklist
        facts = app.screen.query_one("#unit-facts")
        assert LONG_NAME in region_text(pilot, facts)
        assert on_screen(pilot, app.screen.query_one("#deactivate"))
        await press(pilot, "f2")
        assert isinstance(app.screen, ConfirmDialog)
        question = app.screen.query_one("#question")
        assert on_screen(pilot, question)
        assert f"Inaktivera {LONG_NAME} ({world.active_hsa})?" in region_text(pilot, question)
        assert on_screen(pilot, app.screen.query_one("#yes"))
        await assert_idle(pilot)


async def test_renaming_shows_the_current_long_name_whole(sqlite_db):
    world = build_world()
    connected_unit(hsa(ORG_01, "1003"), LONG_NAME)
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n", "down", "enter")
        current = app.screen.query_one("#current")
        assert f"Nuvarande namn: {LONG_NAME}" in region_text(pilot, current)
        assert on_screen(pilot, app.screen.query_one("#rename"))


# --- 4. Rapporter › Ärendetyper per mottagning: the check box is visible -----------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_only_active_check_box_is_shown_where_tab_lands(sqlite_db, size):
    app, _ = make_app()
    async with app.run_test(size=size) as pilot:
        await press(pilot, "r")
        assert isinstance(app.screen, ReportsScreen)
        await press(pilot, *["down"] * 8, "enter")  # Ärendetyper per mottagning: Vårdtyp
        await press(pilot, "tab")
        box = app.screen.query_one("#only-active")
        assert app.focused is box
        row = app.screen.query_one("#row-only-active")
        assert on_screen(pilot, box)
        assert row.region.contains_region(box.region)
        assert "Endast aktiva mottagningar" in region_text(pilot, box)
        await press(pilot, "space")
        assert box.value
        assert "X" in region_text(pilot, box)  # ticked, and it shows
        await assert_idle(pilot)


# --- 5. Inaktivera: a unit without administrator -------------------------------------------


async def test_a_unit_without_administrator_shows_the_blocker_and_the_way_out(sqlite_db):
    world = build_world()
    bare = hsa(ORG_01, "1005")
    connected_unit(bare, "Mottagningen utan admin")
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "i")
        await type_text(pilot, bare)
        await press(pilot, "enter")  # Visa
        assert isinstance(app.screen, DeactivateScreen) and app.screen.step == "step-check"
        checklist = [whole(line) for line in text_of(pilot, "#checklist").splitlines()]
        assert "Saknas 0 Administratör som behålls för de arkiverade ärendena" in checklist
        assert "saknar administratör" in text_of(pilot, "#kept")
        # Inaktivera is not offered; the way out is.
        assert "Inaktivera" not in footer(pilot)
        assert "Tilldela behörigheter" in footer(pilot)
        assert not app.screen.query_one("#deactivate").display
        assert on_screen(pilot, app.screen.query_one("#assign"))
        await press(pilot, "f2")  # pressed anyway: no question, and it says why
        assert not isinstance(app.screen, ConfirmDialog)
        assert "saknar administratör" in message(pilot)
        await assert_idle(pilot)

        await press(pilot, "t")  # Tilldela behörigheter
        assert isinstance(app.screen, AssignGrantsScreen)
        assert app.screen.hsa_id == bare
        await type_text(pilot, PNR_BERTIL)
        await press(pilot, "enter", "enter")  # Hämta, Tilldela (Administratör)
        await press(pilot, "escape")
        assert isinstance(app.screen, DeactivateScreen) and app.screen.step == "step-check"
        checklist = [whole(line) for line in text_of(pilot, "#checklist").splitlines()]
        assert "Klart 1 Administratör som behålls för de arkiverade ärendena" in checklist
        assert "Bertil Berg" in text_of(pilot, "#kept")
        assert "Inaktivera" in footer(pilot)
        await press(pilot, "f2", "j")
        assert app.screen.step == "step-done"
    unit = Unit.get(Unit.hsa_id == bare)
    assert not unit.active
    assert [
        (g.account.person.surname, g.role) for g in Grant.select().where(Grant.unit == unit)
    ] == [("Berg", ADMIN)]


# --- 6. no way out loses unsaved settings ---------------------------------------------------


def preferred_name() -> str:
    return StaffAccount.get(StaffAccount.login_name == "anna").preferred_name


async def open_settings_and_type(pilot) -> SettingsScreen:
    await press(pilot, "p")
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    assert pilot.app.focused is screen.query_one("#preferred-name")
    await type_text(pilot, "Mia")
    return screen


async def test_ctrl_q_with_unsaved_settings_asks_and_can_save(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings_and_type(pilot)
        await press(pilot, "ctrl+q")
        assert isinstance(app.screen, LeaveScreen)
        assert app.return_code is None  # still running
        await press(pilot, "a")  # avbryt: the change is still there
        assert app.screen is screen
        assert screen.query_one("#preferred-name", Input).value == "Mia"
        await press(pilot, "ctrl+q", "s")  # spara, then quit
        await settle(pilot)
    assert app.return_code == 0
    assert preferred_name() == "Mia"


async def test_ctrl_q_with_unsaved_settings_can_discard(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_settings_and_type(pilot)
        await press(pilot, "ctrl+q")
        assert isinstance(app.screen, LeaveScreen)
        await press(pilot, "k")  # kasta: quit without saving
    assert app.return_code == 0
    assert preferred_name() == ""
    assert not AuditEvent.select().where(AuditEvent.action == "settings.save").exists()


async def test_ctrl_q_while_the_palette_is_open_over_unsaved_settings_asks(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings_and_type(pilot)
        await press(pilot, "ctrl+p")
        assert CommandPalette.is_open(app)
        await press(pilot, "ctrl+q")
        assert isinstance(app.screen, LeaveScreen)
        await press(pilot, "a")
        assert app.screen is screen
        assert app.return_code is None


async def test_leaving_unsaved_settings_through_the_palette_asks(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings_and_type(pilot)

        async def palette_to_lista_admin() -> None:
            await press(pilot, "ctrl+p")
            await type_text(pilot, "Lista admin")
            await pilot.pause(0.2)
            await press(pilot, "enter")

        await palette_to_lista_admin()
        assert isinstance(app.screen, LeaveScreen)
        await press(pilot, "a")  # avbryt: stay, with the change
        assert app.screen is screen
        assert screen.query_one("#preferred-name", Input).value == "Mia"
        await palette_to_lista_admin()
        await press(pilot, "k")  # kasta: the palette's page opens, nothing saved
        assert isinstance(app.screen, AdminsScreen)
        assert preferred_name() == ""

        await press(pilot, "escape")
        await open_settings_and_type(pilot)
        await palette_to_lista_admin()
        await press(pilot, "s")  # spara, then the palette's page
        await settle(pilot)
        assert isinstance(app.screen, AdminsScreen)
        assert preferred_name() == "Mia"
        await assert_idle(pilot)


async def test_ctrl_q_without_changes_quits_at_once(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "p", "ctrl+q")
    assert app.return_code == 0


# --- 7. placeholders readable at 16 colours and without colour ----------------------------

# The 16 colours of two common terminals: what the colour numbers finally look like.
XTERM = (
    "000000",
    "cd0000",
    "00cd00",
    "cdcd00",
    "0000ee",
    "cd00cd",
    "00cdcd",
    "e5e5e5",
    "7f7f7f",
    "ff0000",
    "00ff00",
    "ffff00",
    "5c5cff",
    "ff00ff",
    "00ffff",
    "ffffff",
)
TANGO = (
    "2e3436",
    "cc0000",
    "4e9a06",
    "c4a000",
    "3465a4",
    "75507b",
    "06989a",
    "d3d7cf",
    "555753",
    "ef2929",
    "8ae234",
    "fce94f",
    "729fcf",
    "ad7fa8",
    "34e2e2",
    "eeeeec",
)


def _luminance(hex6: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex6[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(palette: tuple[str, ...], fg: int, bg: int) -> float:
    light, dark = sorted((_luminance(palette[fg]), _luminance(palette[bg])), reverse=True)
    return (light + 0.05) / (dark + 0.05)


PLACEHOLDERS = {
    "loggar": ["namn eller del av", "HSA-id eller del av", "ÅÅÅÅ-MM-DD"],
    "installningar": ["mobilnummer, t.ex."],
    "visa-mottagning": ["HSA-id, namn, adress"],
}


def placeholder_styles(pilot, texts: list[str]) -> dict[str, object]:
    found = {}
    for strip in pilot.app.screen._compositor.render_strips():
        for segment in strip:
            for text in texts:
                if segment.text.startswith(text):
                    found[text] = segment.style
    assert set(found) == set(texts), f"placeholders not on screen: {set(texts) - set(found)}"
    return found


async def test_placeholders_are_readable_at_16_colours(sqlite_db, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("REGIONADMIN_THEME", raising=False)
    monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", "standard")
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.console.color_system == "standard"
        for page_id, texts in PLACEHOLDERS.items():
            app.open_page(page_id)
            await settle(pilot)
            if page_id == "visa-mottagning":  # the filter is focused: leave it
                await press(pilot, "down")
            for text, style in placeholder_styles(pilot, texts).items():
                fg = style.color.downgrade(ColorSystem.STANDARD).number
                bg = style.bgcolor.downgrade(ColorSystem.STANDARD).number
                assert fg != bg, (page_id, text, fg, bg)
                for palette in (XTERM, TANGO):
                    assert contrast(palette, fg, bg) >= 3, (page_id, text, fg, bg)


async def test_placeholders_are_readable_without_colour(sqlite_db, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("REGIONADMIN_THEME", raising=False)
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_page("loggar")
        await settle(pilot)
        for text, style in placeholder_styles(pilot, PLACEHOLDERS["loggar"]).items():
            # The terminal's own colours (text on its background), told apart by dim.
            assert style.color is None or style.color.is_default, text
            assert style.bgcolor is None or style.bgcolor.is_default, text
            assert style.dim, text


# --- 8. the footer offers only keys that work ----------------------------------------------


async def test_an_inactive_units_details_do_not_offer_tilldela(sqlite_db):
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
        assert "Tilldela" not in footer(pilot)
        assert not app.screen.query_one("#assign").display  # no dimmed button either
        note = app.screen.query_one("#assign-note")
        assert on_screen(pilot, note)
        assert "inaktiverad" in region_text(pilot, note)
        await press(pilot, "t")  # pressed anyway: it says why
        assert isinstance(app.screen, UnitDetailsScreen)
        assert "behörigheter delas bara ut på aktiva mottagningar" in message(pilot)
        await press(pilot, "escape", "escape", "v")
        await type_text(pilot, "ängen")
        await press(pilot, "enter")  # an active unit: offered, and works
        assert "t Tilldela behörigheter" in whole(footer(pilot))
        await press(pilot, "t")
        assert isinstance(app.screen, AssignGrantsScreen)
        await assert_idle(pilot)


async def test_page_keys_are_offered_only_where_there_is_a_page(sqlite_db):
    world = build_world()
    for i in range(20):
        connected_unit(hsa(ORG_01, f"7{i:03d}"), f"Vårdcentralen {i:02d}")
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v", "down")  # the list of 22 units, 17 a page
        assert "Nästa sida" in footer(pilot) and "Förra" not in footer(pilot)
        await press(pilot, "pagedown")
        assert "Förra" in footer(pilot) and "Nästa sida" not in footer(pilot)
        await press(pilot, "escape", "g")  # Loggar: one page of events
        assert isinstance(app.screen, AuditLogScreen)
        assert "Nästa sida" not in footer(pilot) and "Föreg. sida" not in footer(pilot)
        await assert_idle(pilot)
