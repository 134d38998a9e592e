"""Statistik › Rapporter at 80x24, by keyboard: choose, fill, Skapa / Visa, cancel."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from textual.widgets import DataTable, Input, OptionList, RadioSet

from reports import registry
from tests.idle import assert_idle, settle
from tests.tui_support import SIZE, make_app, message, press, text_of, type_text
from tui.screens.reports import ReportsScreen
from tui.widgets.form import Hint

TODAY = date(2026, 11, 2)


@pytest.fixture
def app(sqlite_db):
    return make_app()[0]


async def open_reports(pilot) -> ReportsScreen:
    pilot.app.open_page("rapporter", today=TODAY)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReportsScreen)
    return screen


async def choose(pilot, title: str) -> None:
    """Arrow down the report list to `title`, then Enter into the form."""
    titles = [m.TITLE for m in registry.REPORTS.values()]
    listing = pilot.app.screen.query_one("#report-list", OptionList)
    assert pilot.app.screen.focused is listing
    await press(pilot, *["down"] * titles.index(title), "enter")


async def replace_text(pilot, text: str) -> None:
    """Select the focused field's text (Ctrl+Shift+A), then type over it as a person would:
    a field opens with the cursor at the end and nothing selected."""
    await pilot.pause()
    field = pilot.app.screen.focused
    assert isinstance(field, Input)
    field.action_select_all()
    await type_text(pilot, text)


def visible_rows(screen: ReportsScreen) -> list[str]:
    return [row.id for row in screen.query(".field-row") if row.display]


async def test_create_excel_by_keyboard(app, tmp_path: Path) -> None:
    target = tmp_path / "ut" / "per-mottagning.xlsx"
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot)
        await choose(pilot, "Antal ärenden per mottagning")
        assert screen.query_one("#form-title").render().plain == "Antal ärenden per mottagning"
        assert visible_rows(screen) == ["row-care-type", "row-period", "row-format", "row-output"]
        assert screen.focused.id == "care-type"
        await press(pilot, "tab")
        assert screen.focused.id == "from"
        await replace_text(pilot, "2026-01-01")
        await press(pilot, "tab")
        await replace_text(pilot, "2026-10-31")
        await press(pilot, "tab")
        assert isinstance(screen.focused, RadioSet)
        await press(pilot, "right", "enter")  # PDF -> Excel
        assert screen.format == "xlsx"
        await press(pilot, "tab")
        assert screen.focused.id == "output"
        # The proposed name carries the report and the period typed.
        assert screen.focused.value.endswith("arenden-per-mottagning_2026-01-01_2026-10-31.xlsx")
        await replace_text(pilot, str(target))
        await press(pilot, "enter")
        assert message(pilot) == f"1 rad skriven till {target}"
        assert text_of(pilot, "#progress") == ""
        ws = openpyxl.load_workbook(target).active
        assert ws["A1"].value == "Antal ärenden per mottagning"
        assert "Period: 2026-01-01 – 2026-10-31" in [c.value for c in ws["A"]]
        await assert_idle(pilot)


async def test_bad_date_shows_the_swedish_sentence_and_writes_nothing(app, tmp_path: Path) -> None:
    target = tmp_path / "ut" / "r.pdf"
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot)
        await choose(pilot, "Ärendestatus")
        screen.query_one("#output", Input).value = str(target)
        screen.query_one("#from", Input).focus()
        await replace_text(pilot, "2026-1")
        hint = screen.query_one("#form-hint", Hint)
        assert not hint.is_error  # still typing: no scolding
        await type_text(pilot, "3-01")
        assert hint.is_error
        assert str(hint.content) == "Från-datum 2026-13-01 finns inte i kalendern."
        await press(pilot, "enter")
        assert message(pilot) == "Från-datum 2026-13-01 finns inte i kalendern."
        assert screen.focused.id == "from"
        assert not target.parent.exists()


async def test_from_after_to(app, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot)
        await choose(pilot, "Inloggningar")
        screen.query_one("#output", Input).value = str(tmp_path / "ut" / "r.csv")
        screen.query_one("#to", Input).focus()
        await replace_text(pilot, "2026-09-01")
        await press(pilot, "ctrl+s")
        assert message(pilot) == (
            "Från-datum (2026-10-01) måste vara samma dag som eller före till-datum (2026-09-01)."
        )
        assert not (tmp_path / "ut").exists()


async def test_forms_follow_the_report(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot)
        expected = {
            "Anslutna mottagningar": ["row-care-type", "row-period"],
            "Antal ärenden per ärendetyp": ["row-unit", "row-period"],
            "Användarkonton": [],
            "Handläggningstider": ["row-unit", "row-period", "row-as-of"],
            "Obesvarade ärenden": ["row-unit", "row-as-of"],
            "Ärendetyper per mottagning": ["row-care-type", "row-only-active"],
        }
        listing = screen.query_one("#report-list", OptionList)
        titles = [m.TITLE for m in registry.REPORTS.values()]
        for title, rows in expected.items():
            listing.highlighted = titles.index(title)
            await settle(pilot)
            assert visible_rows(screen) == [*rows, "row-format", "row-output"], title
        # Ärendetyper per mottagning has no PDF: the choice is gone and Excel is chosen.
        assert not screen.query_one("#fmt-pdf").display
        assert screen.format == "xlsx"
        assert screen.query_one("#output", Input).value == (
            "~/regionadmin-rapporter/arendetyper-per-mottagning_2026-11-02.xlsx"
        )
        # The period defaults to last month.
        assert screen.query_one("#from", Input).value == "2026-10-01"
        assert screen.query_one("#to", Input).value == "2026-10-31"


async def test_visa_shows_the_rows_on_screen(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot)
        await choose(pilot, "Användarkonton")
        assert screen.query_one("#show").display
        # No parameters: Enter lands on the format; Tab, Tab, Tab reaches Visa.
        await press(pilot, "tab", "tab", "tab")
        assert screen.focused.id == "show"
        await press(pilot, "enter")
        table = screen.query_one("#result", DataTable)
        assert table.display and table.row_count == 23  # 21 regions, Okänd, Totalt
        assert [str(c.label) for c in table.columns.values()] == [
            "Region",
            "Invånarkonton",
            "Vårdaktörskonton",
        ]
        assert str(table.get_row_at(0)[0]) == "Region Stockholm"
        assert [str(v).strip() for v in table.get_row_at(22)] == ["Totalt", "0", "3"]
        assert message(pilot) == "22 rader: Användarkonton."
        await assert_idle(pilot)


async def test_escape_cancels_a_running_report(app, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "ut"
    out.mkdir()
    target = out / "r.csv"
    module = registry.get("anvandarkonton")
    started, release = threading.Event(), threading.Event()
    original = module.run

    def slow_run(op, params):
        started.set()
        release.wait(10)
        return original(op, params)

    monkeypatch.setattr(module, "run", slow_run)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot)
        await choose(pilot, "Användarkonton")
        screen.query_one("#output", Input).value = str(target)
        await pilot.press("ctrl+s")
        assert started.wait(10)
        await pilot.pause()
        assert "Hämtar data" in text_of(pilot, "#progress")
        await pilot.press("ctrl+s")  # a second Skapa while one runs starts nothing
        await pilot.pause()
        assert message(pilot) == "En rapport tas redan fram; Escape avbryter den."
        await pilot.press("escape")
        await pilot.pause()
        assert text_of(pilot, "#progress") == "Avbryter …"
        release.set()
        await settle(pilot)
        assert pilot.app.screen is screen  # Escape cancelled; it did not leave the page
        assert message(pilot) == "Avbrutet – ingen fil skrevs."
        assert list(out.iterdir()) == []
        # Not running any more: Escape goes back to the menu.
        await press(pilot, "escape")
        assert pilot.app.screen is not screen


async def test_an_existing_file_is_replaced_only_when_asked_twice(app, tmp_path: Path) -> None:
    target = tmp_path / "konton.csv"
    target.write_text("gammal")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot)
        await choose(pilot, "Användarkonton")
        await press(pilot, "right", "right", "enter")  # CSV
        screen.query_one("#output", Input).value = str(target)
        await press(pilot, "ctrl+s")
        assert message(pilot).startswith(f"Filen {target} finns redan.")
        assert target.read_text() == "gammal"
        await press(pilot, "ctrl+s")
        assert message(pilot) == f"22 rader skrivna till {target}"
        assert target.read_text(encoding="utf-8").startswith("Region,Invånarkonton")


async def test_another_regions_unit_is_not_offered(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot)
        await choose(pilot, "Ärendestatus")
        values = [value for _label, value in screen.query_one("#unit")._options]
        assert values == ["", "SE2321000016-1002"]


async def test_help_has_the_manual_text_and_the_reports_help(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot)
        await choose(pilot, "Handläggningstider")
        field = screen.focused
        await press(pilot, "f1")
        panel = screen.query_one("#report-help")
        text = str(screen.query_one("#report-help-text").content)
        assert text.startswith("Statistikfunktionen tar fram olika typer av uppgifter")
        assert "\n\nHandläggningstider\n\n" in text
        assert registry.get("handlaggningstider").HELP.splitlines()[0] in text
        assert screen.focused is panel and not screen.query_one("#main").display
        await press(pilot, "pagedown")
        assert panel.scroll_y > 0  # longer than the screen: it scrolls by keyboard
        await press(pilot, "f1")
        assert screen.focused is field and screen.query_one("#main").display
        await press(pilot, "question_mark")  # in a Select: ? is the help key
        assert screen.focused is panel
        await press(pilot, "escape")  # Escape closes the help first
        assert pilot.app.screen is screen and screen.focused is field


async def test_an_unexpected_error_leaves_the_page_usable(app, tmp_path: Path, monkeypatch) -> None:
    module = registry.get("anvandarkonton")
    original = module.run
    calls = []

    def failing_once(op, params):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("disken försvann")
        return original(op, params)

    monkeypatch.setattr(module, "run", failing_once)
    target = tmp_path / "ut" / "konton.csv"
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot)
        await choose(pilot, "Användarkonton")
        await press(pilot, "right", "right", "enter")  # CSV
        screen.query_one("#output", Input).value = str(target)
        await press(pilot, "ctrl+s")
        assert message(pilot).startswith(
            "Ett oväntat fel inträffade (RuntimeError); detaljerna finns i loggfilen"
        )
        assert text_of(pilot, "#progress") == ""
        await press(pilot, "ctrl+s")
        assert message(pilot) == f"22 rader skrivna till {target}"


# --- the page remembers; names carry the report and the period; counts read the same ---


async def test_the_form_is_remembered_while_the_program_runs(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot)
        await choose(pilot, "Handläggningstider")  # Mottagning
        await press(pilot, "tab")
        await replace_text(pilot, "2026-03-01")
        await press(pilot, "tab")
        await replace_text(pilot, "2026-03-31")
        await press(pilot, "tab")
        await type_text(pilot, "2026-04-15")  # Per datum
        await press(pilot, "tab", "right", "enter")  # Excel
        await press(pilot, "tab")
        output = screen.query_one("#output", Input)
        assert output.value == (
            "~/regionadmin-rapporter/handlaggningstider_2026-03-01_2026-03-31.xlsx"
        )
        await press(pilot, "escape")
        assert not isinstance(pilot.app.screen, ReportsScreen)

        screen = await open_reports(pilot)  # again: as it was left
        assert screen.module.SLUG == "handlaggningstider"
        assert screen.query_one("#report-list", OptionList).highlighted == list(
            registry.REPORTS
        ).index("handlaggningstider")
        assert [screen.query_one(f"#{i}", Input).value for i in ("from", "to", "as-of")] == [
            "2026-03-01",
            "2026-03-31",
            "2026-04-15",
        ]
        assert screen.format == "xlsx"
        output = screen.query_one("#output", Input)
        assert output.value.endswith("handlaggningstider_2026-03-01_2026-03-31.xlsx")
        # A name of one's own is kept too; the proposal no longer replaces it.
        output.focus()
        await replace_text(pilot, "~/mars.xlsx")
        await press(pilot, "escape")
        screen = await open_reports(pilot)
        assert screen.query_one("#output", Input).value == "~/mars.xlsx"
        screen.query_one("#from", Input).focus()
        await replace_text(pilot, "2026-02-01")
        assert screen.query_one("#output", Input).value == "~/mars.xlsx"
        await assert_idle(pilot)
    # Another run of the program starts from the defaults.
    again = type(app)(app.operator)
    async with again.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot)
        assert screen.module.SLUG == "anslutna-mottagningar"
        assert screen.query_one("#from", Input).value == "2026-10-01"


async def test_the_proposed_name_carries_the_report_and_its_period(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot)
        listing = screen.query_one("#report-list", OptionList)
        output = screen.query_one("#output", Input)
        names = {}
        for slug in ("arenden-per-mottagning", "obesvarade-arenden", "anvandarkonton"):
            listing.highlighted = list(registry.REPORTS).index(slug)
            await settle(pilot)
            names[slug] = output.value.removeprefix("~/regionadmin-rapporter/")
        assert names == {
            "arenden-per-mottagning": "arenden-per-mottagning_2026-10-01_2026-10-31.pdf",
            "obesvarade-arenden": "obesvarade-arenden_2026-11-02.pdf",  # as of today
            "anvandarkonton": "anvandarkonton_2026-11-02.pdf",
        }
        listing.highlighted = list(registry.REPORTS).index("obesvarade-arenden")
        await settle(pilot)
        screen.query_one("#as-of", Input).focus()
        await type_text(pilot, "2026-09-3")  # half a date: the name waits
        assert output.value.endswith("obesvarade-arenden_2026-11-02.pdf")
        await type_text(pilot, "0")
        assert output.value.endswith("obesvarade-arenden_2026-09-30.pdf")


async def test_counts_read_as_on_the_command_line(app) -> None:
    from models.entities import CitizenAccount
    from models.timeutil import now_epoch

    CitizenAccount.insert_many(
        [{"account_id": f"inv-{i}", "region": "01", "created_at": now_epoch()} for i in range(1555)]
    ).execute()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot)
        await choose(pilot, "Användarkonton")
        screen.action_show()
        await settle(pilot)
        table = screen.query_one("#result", DataTable)
        assert [str(v).strip() for v in table.get_row_at(0)] == ["Region Stockholm", "1 555", "2"]
        assert message(pilot) == "22 rader: Användarkonton."


async def test_handlaggningstider_says_its_hours(app, tmp_path: Path) -> None:
    target = tmp_path / "h.xlsx"
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot)
        await choose(pilot, "Handläggningstider")
        assert screen.query_one("#form-title").render().plain == (
            "Handläggningstider (medeltider i timmar)"
        )
        screen.query_one("#fmt-xlsx").value = True
        screen.query_one("#output", Input).value = str(target)
        await press(pilot, "ctrl+s")
        assert message(pilot).endswith(f"skrivna till {target}")
    cells = [
        c.value
        for row in openpyxl.load_workbook(target).active.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    assert any("medeltider i timmar" in c for c in cells)


# --- snapshots --------------------------------------------------------------------------


def opened(*keys: str):
    async def run_before(pilot) -> None:
        pilot.app.open_page("rapporter", today=TODAY)
        await settle(pilot)
        if keys:
            await press(pilot, *keys)

    return run_before


def test_snapshot_form(sqlite_db, snap_compare) -> None:
    """Handläggningstider: the form with the most fields (mottagning, period, per datum)."""
    app, _ = make_app()
    assert snap_compare(
        app, terminal_size=SIZE, run_before=opened("down", "down", "down", "down", "enter")
    )


def test_snapshot_visa(sqlite_db, snap_compare) -> None:
    app, _ = make_app()
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=opened("down", "down", "down", "enter", "tab", "tab", "tab", "enter"),
    )


@pytest.mark.parametrize("slug", list(registry.REPORTS))
async def test_visa_every_report_shows_the_numbers_of_the_file(sqlite_db, slug) -> None:
    """Visa (F5) for every report: the table on screen holds the same rows as the report
    the file is written from, Totalt included."""
    from models import case_summary
    from models.entities import Case, CaseType, Unit
    from reports.writers import totals_row
    from tests.factories import build_world
    from tests.tui_support import make_app as make
    from tui.screens.reports import _screen_text

    world = build_world()
    unit = Unit.get(Unit.hsa_id == world.active_hsa)
    bank = CaseType.get(CaseType.name == "Beställa tid")
    from models.timeutil import day_start_epoch

    for i in range(1, 6):  # last month (October 2026): received, assigned, some closed
        start = day_start_epoch(date(2026, 10, 1)) + i * 86_400 + 9 * 3600
        Case.create(
            id=i,
            unit=unit,
            case_type=bank,
            received_at=start,
            assigned_at=start + 3600,
            closed_at=start + 7200 if i % 2 else None,
        )
    case_summary.add(list(range(1, 6)))  # what every writer of cases does
    app, _ = make(world)
    module = registry.get(slug)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot)
        await choose(pilot, module.TITLE)
        params = screen._params()
        expected = module.run(app.operator, registry.validate_params(module, params, app.operator))
        if slug in ("arenden-per-mottagning", "arendestatus"):
            assert any(any(v == 5 for v in row[2:]) for row in expected.rows)
        await press(pilot, "f5")
        table = screen.query_one("#result", DataTable)
        totals = totals_row(expected)
        assert table.display
        assert table.row_count == len(expected.rows) + (totals is not None)
        for index, row in enumerate([*expected.rows, *([totals] if totals else [])]):
            shown = [str(c).strip() for c in table.get_row_at(index)]
            assert shown == [
                _screen_text(v, c).strip() if v is not None else ""
                for v, c in zip(row, expected.columns, strict=False)
            ]
