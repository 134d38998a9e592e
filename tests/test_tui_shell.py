"""The shell: menu, keys, help, palette, theme choice, services on workers, idle."""

from __future__ import annotations

import threading

import pytest
from textual.command import CommandPalette
from textual.widgets import Input

from tests.idle import assert_idle, count_repaints, running_intervals, settle
from tests.tui_support import SIZE, make_app, message, press, type_text
from tui import app as app_module
from tui.app import choose_theme
from tui.pages import PAGES, Page, screen_class
from tui.screens.activate import ActivateScreen
from tui.screens.base import PageScreen
from tui.screens.deactivate import DeactivateScreen
from tui.screens.menu import MenuScreen
from tui.screens.rename import RenameScreen
from tui.screens.unit_details import UnitDetailsScreen
from tui.widgets.help_panel import HelpPanel, reflow


async def test_menu_shows_operator_and_the_manuals_menu(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MenuScreen)
        title = str(app.screen.query_one("#page-title").content)
        assert "Anna Maria Andersson" in title and "Region Stockholm" in title
        prompts = [
            str(app.screen.query_one("#menu").get_option_at_index(i).prompt)
            for i in range(app.screen.query_one("#menu").option_count)
        ]
        for page in PAGES:
            assert any(page.title in p and f"[{page.key}]" in p for p in prompts)
        assert "Vårdmottagningar" in prompts[0]


async def test_every_menu_key_opens_its_page_and_escape_returns(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for page in PAGES:
            await press(pilot, page.key)
            # Every page of the menu is built: its own screen, never a stand-in.
            assert type(app.screen) is screen_class(page), page.id
            await press(pilot, "escape")
            assert isinstance(app.screen, MenuScreen), page.id


async def test_enter_on_the_menu_opens_the_highlighted_page(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "enter")
        assert isinstance(app.screen, ActivateScreen)
        await press(pilot, "escape", "down", "down", "enter")
        assert isinstance(app.screen, RenameScreen)


async def test_escape_on_the_menu_stays_and_is_not_offered(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "escape")
        assert isinstance(app.screen, MenuScreen)
        assert "escape" not in app.screen.active_bindings


async def test_f1_and_question_mark_toggle_help(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(HelpPanel)
        assert not panel.display
        await press(pilot, "f1")
        assert panel.display
        await press(pilot, "question_mark")
        assert not panel.display


async def test_question_mark_is_typed_into_an_input_not_taken_as_help(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "a")
        field = app.screen.query_one("#hsa-id", Input)
        assert app.screen.focused is field
        await type_text(pilot, "SE2321000016-A?")
        assert field.value == "SE2321000016-A?"
        panel = app.screen.query_one(HelpPanel)
        assert not panel.display
        await press(pilot, "f1")  # F1 works everywhere, also in a field
        assert panel.display


def test_help_text_is_reflowed_but_keeps_paragraphs_and_list_items():
    text = "En rad\nsom fortsätter.\n\nNytt stycke:\n- punkt ett\n- punkt två\n  fortsätter"
    assert reflow(text) == (
        "En rad som fortsätter.\n\nNytt stycke:\n- punkt ett\n- punkt två fortsätter"
    )


async def test_palette_opens_a_page_by_the_manuals_name(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "ctrl+p")
        assert CommandPalette.is_open(app)
        await type_text(pilot, "Inaktivera")
        await pilot.pause(0.2)
        await press(pilot, "enter")
        assert isinstance(app.screen, DeactivateScreen)
        assert [type(s) for s in app.screen_stack[1:]] == [MenuScreen, DeactivateScreen]


async def test_palette_jumps_to_a_unit_by_hsa_id_and_by_name(sqlite_db):
    app, world = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v")  # from inside a page: the page is replaced
        for query in (world.active_hsa.lower(), "Ängen"):
            await press(pilot, "ctrl+p")
            await type_text(pilot, query)
            await pilot.pause(0.3)
            await settle(pilot)
            await press(pilot, "enter")  # the best hit is highlighted
            assert isinstance(app.screen, UnitDetailsScreen), query
            assert app.screen.hsa_id == world.active_hsa
            assert [type(s) for s in app.screen_stack[1:]] == [MenuScreen, UnitDetailsScreen]
            await press(pilot, "escape")


async def test_palette_finds_no_unit_of_another_region(sqlite_db):
    app, world = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Malmö")
        await pilot.pause(0.3)
        await settle(pilot)
        palette = app.screen
        options = palette.query_one("CommandList")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert not any(world.other_active_hsa in p for p in prompts)
        assert any("Inga träffar" in p for p in prompts)


async def test_a_missing_page_module_is_an_error_not_a_stand_in(sqlite_db, monkeypatch):
    fake = Page("saknas", "Loggar", "Saknas", "z", "does_not_exist", "Nothing", "")
    monkeypatch.setitem(app_module.PAGES_BY_ID, "saknas", fake)
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with pytest.raises(ModuleNotFoundError):
            app.open_page("saknas")
        await settle(pilot)
        assert isinstance(app.screen, MenuScreen)


def test_theme_choice_from_the_environment():
    assert choose_theme({}) is None
    assert choose_theme({"NO_COLOR": "1"}) == "ansi-dark"
    assert choose_theme({"REGIONADMIN_THEME": "ansi"}) == "ansi-dark"
    assert choose_theme({"REGIONADMIN_THEME": "ansi-light", "NO_COLOR": ""}) == "ansi-light"


async def test_no_color_runs_with_the_ansi_theme(sqlite_db, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("REGIONADMIN_THEME", raising=False)
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v")
        assert app.theme == "ansi-dark"
        assert app.no_color
        await assert_idle(pilot)


# --- call_service --------------------------------------------------------------------


class ProbeScreen(PageScreen):
    TITLE = "Prov"

    def __init__(self) -> None:
        super().__init__()
        self.results: list[object] = []


async def test_a_result_for_a_closed_page_is_dropped(sqlite_db):
    app, _ = make_app()
    release = threading.Event()

    def slow() -> str:
        release.wait(5)
        return "klart"

    async with app.run_test(size=SIZE) as pilot:
        probe = ProbeScreen()
        await app.push_screen(probe)
        await settle(pilot)
        probe.call_service(slow, done=probe.results.append)
        await press(pilot, "escape")
        assert isinstance(app.screen, MenuScreen)
        release.set()
        await settle(pilot)
        assert probe.results == []
        assert app.is_running


async def test_a_newer_call_replaces_an_older_one_and_writes_can_refuse_a_second(sqlite_db):
    app, _ = make_app()
    first_may_finish = threading.Event()

    def first() -> str:
        first_may_finish.wait(5)
        return "gammal"

    async with app.run_test(size=SIZE) as pilot:
        probe = ProbeScreen()
        await app.push_screen(probe)
        await settle(pilot)
        probe.call_service(first, done=probe.results.append, group="sök")
        probe.call_service(lambda: "ny", done=probe.results.append, group="sök")
        first_may_finish.set()
        await settle(pilot)
        assert probe.results == ["ny"]

        blocker = threading.Event()
        assert probe.call_write(blocker.wait, 5) is not None
        assert probe.writing
        assert probe.call_write(lambda: 1 / 0) is None
        blocker.set()
        await settle(pilot)
        assert message(pilot) == ""


async def test_an_unexpected_error_is_one_line_not_a_crash(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        probe = ProbeScreen()
        await app.push_screen(probe)
        await settle(pilot)
        probe.call_service(lambda: 1 / 0, done=probe.results.append)
        await settle(pilot)
        assert message(pilot).startswith("Ett oväntat fel inträffade (ZeroDivisionError)")
        assert app.is_running and probe.results == []


async def test_a_domain_error_goes_to_fail_or_the_message_line(sqlite_db):
    from models.errors import NotFound

    def missing() -> None:
        raise NotFound("Det finns ingen sådan mottagning.")

    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        probe = ProbeScreen()
        await app.push_screen(probe)
        await settle(pilot)
        probe.call_service(missing)
        await settle(pilot)
        assert message(pilot) == "Det finns ingen sådan mottagning."
        assert app.screen.query_one("#message").has_class("-error")
        probe.call_service(missing, fail=lambda e: probe.results.append(str(e)))
        await settle(pilot)
        assert probe.results == ["Det finns ingen sådan mottagning."]


# --- idle --------------------------------------------------------------------------------


async def test_menu_is_idle(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await assert_idle(pilot)
        await press(pilot, "f1")
        await assert_idle(pilot)


async def test_the_idle_helper_sees_a_blinking_cursor(sqlite_db):
    """The helper must be able to fail: a plain Input blinks."""
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        blinking = Input()
        await app.screen.query_one("#page-body").mount(blinking)
        blinking.focus()
        await settle(pilot)
        assert any("Input" in t for t in running_intervals(app))
        with count_repaints(app) as counter:
            await pilot.pause(1.1)
        assert counter.count > 0


async def test_the_palette_does_not_blink(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "ctrl+p")
        await type_text(pilot, "akt")
        await settle(pilot)
        assert running_intervals(app) == []


def test_a_question_mark_belongs_to_a_text_field_not_to_help():
    from textual.widgets import Static, TextArea

    from tui.screens.base import _takes_text
    from tui.screens.settings import QuietTextArea

    assert _takes_text(Input()) and _takes_text(TextArea()) and _takes_text(QuietTextArea())
    assert not _takes_text(Static()) and not _takes_text(None)
