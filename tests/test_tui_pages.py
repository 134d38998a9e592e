"""Pilot tests of the other pages: Lista admin, the bank, settings, terms, Loggar."""

from __future__ import annotations

import json

import pytest
from textual.widgets import DataTable, Input, Select, Static, TextArea

from models import units
from models.entities import (
    KIND_OWN,
    LANDSTINGSADMIN,
    AuditEvent,
    CaseType,
    Grant,
    StaffAccount,
    Unit,
    UnitCaseType,
)
from models.operators import Operator, resolve_operator
from models.seed import STANDARD_CASE_TYPES
from models.settings import get_settings
from models.terms import ACCEPT_LABEL
from models.timeutil import now_epoch
from tests.factories import account, build_world, make_pnr, person
from tests.idle import assert_idle
from tests.idle import settle as idle_settle
from tui.app import RegionAdminApp
from tui.help_texts import SUPPORT_TEXT, SUPPORT_TEXT_FULL, with_support
from tui.screens.admins import AdminsScreen
from tui.screens.audit_log import AuditEventScreen, AuditLogScreen
from tui.screens.case_bank import CaseBankScreen
from tui.screens.case_type import CaseTypeScreen
from tui.screens.menu import MenuScreen
from tui.screens.settings import LeaveScreen, SettingsScreen
from tui.screens.terms import DECLINED_MESSAGE, TermsScreen
from tui.widgets.plain_checkbox import PlainCheckbox

SIZE = (80, 24)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def accepted(login: str = "anna") -> Operator:
    """The operator after Skaffa konto, so the app opens on the menu."""
    StaffAccount.update(terms_accepted_at=now_epoch()).where(
        StaffAccount.login_name == login
    ).execute()
    return resolve_operator(login)


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


def table_rows(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def open_page(pilot, page_id: str) -> None:
    pilot.app.open_page(page_id)
    await pilot.pause()
    await settle(pilot)


# --- Lista admin -------------------------------------------------------------------------


async def test_admin_list_in_swedish_alphabetical_order(sqlite_db):
    build_world()
    for serial, given, surname, region in (
        ("111", "Östen", "Östlund", "01"),
        ("222", "Åke", "Åberg", "01"),
        ("333", "Ärla", "Ärlig", "01"),
        ("444", "Bo", "Skåning", "12"),
    ):
        p = person(make_pnr("19750101", serial), given, surname, region=region)
        acc = account(p, region=region)
        Grant.create(account=acc, region=region, role=LANDSTINGSADMIN, granted_at=now_epoch())
    op = accepted()
    app = RegionAdminApp(op)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, "lista-admin")
        assert isinstance(app.screen, AdminsScreen)
        rows = table_rows(app.screen.query_one("#admins", DataTable))
        assert [r[0] for r in rows] == [
            "Andersson, Anna Maria",
            "Åberg, Åke",
            "Ärlig, Ärla",
            "Östlund, Östen",
        ]
        assert (
            rows[0][1]
            == "19700101-"
            + StaffAccount.get(StaffAccount.login_name == "anna").person.personnummer[8:]
        )
        assert all(r[2] == "E-tjänstekort" for r in rows)
        assert "4 personer" in text_of(app.screen, "#admins-intro")
        await pilot.press("escape")
        assert isinstance(app.screen, MenuScreen)


async def test_admin_list_from_the_menu_key(sqlite_db):
    build_world()
    app = RegionAdminApp(accepted())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, AdminsScreen)
        assert app.screen.query_one("#admins", DataTable).row_count == 1


# --- Central bank för ärendetyper -------------------------------------------------------


async def test_bank_lists_12_standard_types_and_enter_shows_form_and_terms(sqlite_db):
    world = build_world()
    own = CaseType.create(
        kind=KIND_OWN, name="Blodprov [b]x[/b]\x1b[31m", terms_text="Egna villkor"
    )
    # The bank lists an own type only when a unit of the region uses it.
    UnitCaseType.create(unit=Unit.get(Unit.hsa_id == world.active_hsa), case_type=own)
    app = RegionAdminApp(accepted())
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, "central-bank")
        table = app.screen.query_one("#bank", DataTable)
        rows = table_rows(table)
        assert [r[0] for r in rows[:12]] == [name for name, _, _ in STANDARD_CASE_TYPES]
        assert {r[1] for r in rows[:12]} == {"Standard"}
        # Cleaned, and shown literally rather than read as markup.
        assert rows[12][:2] == ["Blodprov [b]x[/b]", "Egen"]

        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseTypeScreen)
        assert screen.TITLE == "Ärendetyp: Beställa tid"
        form = text_of(screen, "#ct-form")
        assert form.splitlines()[:2] == ["1. Vad gäller besöket?", "   " + "_" * 60]
        assert "3. Hur vill du bli kontaktad?" in form
        assert "Patienten ber om en ny tid" in text_of(screen, "#ct-summary")
        assert "Tjänsten är inte avsedd för akuta ärenden" in text_of(screen, "#ct-terms")

        await pilot.press("escape")
        assert isinstance(app.screen, CaseBankScreen)
        await pilot.press("ctrl+end", "enter")
        await settle(pilot)
        assert text_of(app.screen, "#ct-form") == "Ärendetypen har inga frågor."
        assert text_of(app.screen, "#ct-terms") == "Egna villkor"


# --- Personliga inställningar ------------------------------------------------------------


async def _fill_settings(pilot) -> None:
    screen = pilot.app.screen
    screen.query_one("#preferred-name", Input).value = "Mia"
    screen.query_one("#signature", TextArea).text = "Hälsningar\nMia, telefontid 8–9"
    screen.query_one("#email-notice", PlainCheckbox).value = True
    screen.query_one("#email", Input).value = "mia@example.se"
    screen.query_one("#sms-notice", PlainCheckbox).value = True
    screen.query_one("#mobile", Input).value = "070-123 45 67"
    screen.query_one("#journal-notice", PlainCheckbox).value = True
    screen.query_one("#case-sorting", PlainCheckbox).value = True
    await pilot.pause()


async def test_settings_are_saved_and_survive_a_restart(sqlite_db):
    build_world()
    op = accepted()
    app = RegionAdminApp(op)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, "installningar")
        assert isinstance(app.screen, SettingsScreen)
        await _fill_settings(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "sparade" in text_of(app.screen, "#message")
        assert AuditEvent.select().where(AuditEvent.action == "settings.save").count() == 1
        # The new Tilltalsnamn is the operator's name from now on, title line included.
        assert app.operator.name == "Mia Andersson"
        assert text_of(app.screen, "#page-title").startswith(
            "Personliga inställningar  ·  Mia Andersson"
        )
        await pilot.press("escape")
        assert "Mia Andersson" in text_of(app.screen, "#page-title")  # the menu too

    again = RegionAdminApp(resolve_operator("anna"))
    async with again.run_test(size=SIZE) as pilot:
        await open_page(pilot, "installningar")
        screen = again.screen
        assert screen.query_one("#preferred-name", Input).value == "Mia"
        assert screen.query_one("#signature", TextArea).text == "Hälsningar\nMia, telefontid 8–9"
        assert screen.query_one("#email", Input).value == "mia@example.se"
        assert screen.query_one("#mobile", Input).value == "+46701234567"
        for box in ("#email-notice", "#sms-notice", "#journal-notice", "#case-sorting"):
            assert screen.query_one(box, PlainCheckbox).value is True
        assert not screen.is_dirty()


async def test_settings_email_defaults_to_the_directory_address(sqlite_db):
    build_world()
    op = accepted()
    app = RegionAdminApp(op)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, "installningar")
        screen = app.screen
        assert screen.query_one("#email", Input).value == "anna.andersson@regionstockholm.se"
        placeholder = str(screen.query_one("#signature", TextArea).placeholder)
        assert placeholder.startswith("Med vänlig hälsning\nAnna Maria Andersson")
        screen.query_one("#email-notice", PlainCheckbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
    view = get_settings(op)
    # The directory's address is not copied: it keeps following the directory.
    assert view.settings.email_notice and view.settings.email == ""


async def test_settings_bad_mobile_shows_one_line_and_saves_nothing(sqlite_db):
    build_world()
    app = RegionAdminApp(accepted())
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, "installningar")
        screen = app.screen
        screen.query_one("#preferred-name", Input).value = "Mia"
        screen.query_one("#sms-notice", PlainCheckbox).value = True
        screen.query_one("#mobile", Input).focus()
        await pilot.press(*"0812")
        # As you type: the hint says the number can never be a mobile number.
        assert "070-123 45 67" in text_of(screen, "#mobile-hint")
        await pilot.press("ctrl+s")
        await settle(pilot)
        message = text_of(screen, "#message")
        assert message.startswith("Mobilnumret ska vara ett svenskt mobilnummer")
        assert screen.query_one("#message").has_class("-error")
        assert app.focused is screen.query_one("#mobile")
    acc = StaffAccount.get(StaffAccount.login_name == "anna")
    assert acc.preferred_name == "" and not acc.sms_notice and acc.notice_mobile == ""
    assert AuditEvent.select().where(AuditEvent.action == "settings.save").count() == 0


async def test_leaving_with_unsaved_changes_asks_first(sqlite_db):
    build_world()
    app = RegionAdminApp(accepted())
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, "installningar")
        app.screen.query_one("#preferred-name", Input).value = "Mia"
        await pilot.press("escape")
        assert isinstance(app.screen, LeaveScreen)
        await pilot.press("a")  # avbryt: stay, the change is still there
        assert isinstance(app.screen, SettingsScreen)
        assert app.screen.query_one("#preferred-name", Input).value == "Mia"

        await pilot.press("escape")
        await pilot.press("k")  # kasta: leave, nothing saved
        assert isinstance(app.screen, MenuScreen)
        assert StaffAccount.get(StaffAccount.login_name == "anna").preferred_name == ""

        await open_page(pilot, "installningar")
        app.screen.query_one("#preferred-name", Input).value = "Mia"
        await pilot.press("escape")
        await pilot.press("s")  # spara: saved, then leave
        await settle(pilot)
        assert isinstance(app.screen, MenuScreen)
        assert StaffAccount.get(StaffAccount.login_name == "anna").preferred_name == "Mia"

        await open_page(pilot, "installningar")
        app.screen.query_one("#sms-notice", PlainCheckbox).value = True  # no number
        await pilot.press("escape")
        await pilot.press("s")  # spara fails: stay, with the one-line reason
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert text_of(app.screen, "#message").startswith("Mobilnumret ska vara")


async def test_leaving_without_changes_does_not_ask(sqlite_db):
    build_world()
    app = RegionAdminApp(accepted())
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, "installningar")
        await pilot.press("escape")
        assert isinstance(app.screen, MenuScreen)


async def test_settings_text_fields_never_blink(sqlite_db):
    build_world()
    app = RegionAdminApp(accepted())
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, "installningar")
        app.screen.query_one("#signature", TextArea).focus()
        await pilot.pause()
        assert app.screen.query_one("#signature", TextArea).cursor_blink is False
        assert all(not i.cursor_blink for i in app.screen.query(Input))


# --- Skaffa konto --------------------------------------------------------------------


async def test_terms_first_then_accept_stores_and_audits(sqlite_db):
    w = build_world()
    app = RegionAdminApp(w.op)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TermsScreen)
        assert app.use_command_palette is False
        await pilot.press("escape")  # Escape does not skip the terms
        assert isinstance(app.screen, TermsScreen)

        app.screen.query_one("#continue").focus()
        await pilot.press("enter")  # not ticked yet
        await settle(pilot)
        assert ACCEPT_LABEL in text_of(app.screen, "#message")
        assert StaffAccount.get(StaffAccount.login_name == "anna").terms_accepted_at is None

        app.screen.query_one("#accept", PlainCheckbox).focus()
        await pilot.press("space", "tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MenuScreen)
        assert app.operator.terms_accepted and app.use_command_palette
    assert StaffAccount.get(StaffAccount.login_name == "anna").terms_accepted_at is not None
    event = AuditEvent.get(AuditEvent.action == "terms.accept")
    assert event.target == "anna" and json.loads(event.after)["terms_version"]


async def test_terms_avsluta_exits_with_a_message_and_stores_nothing(sqlite_db):
    w = build_world()
    app = RegionAdminApp(w.op)
    exits: list[dict] = []
    real_exit = app.exit

    def spy_exit(*args, **kwargs) -> None:
        exits.append(kwargs)
        real_exit(*args, **kwargs)

    app.exit = spy_exit
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#accept", PlainCheckbox).value = True  # ticked, not accepted
        app.screen.query_one("#decline").focus()
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 1
    assert exits == [{"return_code": 1, "message": DECLINED_MESSAGE}]
    assert StaffAccount.get(StaffAccount.login_name == "anna").terms_accepted_at is None
    assert AuditEvent.select().count() == 0


async def test_terms_ctrl_q_stores_nothing(sqlite_db):
    w = build_world()
    app = RegionAdminApp(w.op)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#accept", PlainCheckbox).value = True
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 1  # the same as Avsluta: the message, and a non-zero exit
    assert StaffAccount.get(StaffAccount.login_name == "anna").terms_accepted_at is None
    assert AuditEvent.select().count() == 0


async def test_accepted_terms_are_not_shown_again(sqlite_db):
    build_world()
    app = RegionAdminApp(accepted())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)


# --- Loggar --------------------------------------------------------------------------


async def test_log_shows_an_event_written_a_moment_ago(sqlite_db):
    w = build_world()
    op = accepted()
    units.rename_unit(op, w.active_hsa, "Ängen Nya")
    app = RegionAdminApp(op)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditLogScreen)
        rows = table_rows(screen.query_one("#log", DataTable))
        assert rows[0][1:] == ["Anna Maria Andersson", "Ändra namn", w.active_hsa]
        assert text_of(screen, "#log-status") == "Visar 1–1 av 1"

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AuditEventScreen)
        assert text_of(app.screen, "#event-before") == "Namn: Husläkarmottagningen Ängen"
        assert text_of(app.screen, "#event-after") == "Namn: Ängen Nya"
        await pilot.press("escape")
        assert isinstance(app.screen, AuditLogScreen)


def _events(w) -> None:
    """Fixed events: three actors, two actions, two days; and one of another region."""
    from datetime import date

    from models.timeutil import day_start_epoch

    day1 = day_start_epoch(date(2026, 3, 9)) + 9 * 3600
    day2 = day_start_epoch(date(2026, 3, 10)) + 9 * 3600
    rows = [
        (day1, "Anna Maria Andersson", "unit.rename", w.active_hsa),
        (day1 + 60, "Cecilia Carlsson", "grant.add", w.active_hsa),
        (day2, "Anna Maria Andersson", "unit.activate", w.free_hsa),
        (day2 + 60, "systemägare root", "operator.link", "197001011233"),
    ]
    for at, actor, action, target in rows:
        AuditEvent.create(
            at=at,
            actor=None,
            actor_name=actor,
            region="01",
            action=action,
            target=target,
            after=json.dumps({"at": at}),
        )
    AuditEvent.create(
        at=day2,
        actor=None,
        actor_name="Örjan Öberg",
        region="12",
        action="unit.rename",
        target=w.other_active_hsa,
    )


async def _apply(pilot, selector: str, value: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.value = value
    field.focus()
    await pilot.press("enter")
    await settle(pilot)


async def test_log_filters(sqlite_db):
    w = build_world()
    op = accepted()
    _events(w)
    app = RegionAdminApp(op)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, "loggar")
        screen = app.screen
        table = screen.query_one("#log", DataTable)
        assert table.row_count == 4  # region 12's event is not shown
        assert table_rows(table)[0][0] == "2026-03-10 09:01"  # newest first

        await _apply(pilot, "#f-actor", "cecilia")
        assert [r[2] for r in table_rows(table)] == ["Tilldela behörighet"]

        await _apply(pilot, "#f-actor", "")
        screen.query_one("#f-action", Select).value = "unit.rename"
        await pilot.pause()
        await settle(pilot)
        assert [r[3] for r in table_rows(table)] == [w.active_hsa]

        screen.query_one("#f-action", Select).clear()
        await pilot.pause()
        await settle(pilot)
        await _apply(pilot, "#f-target", w.free_hsa[-6:])
        assert [r[2] for r in table_rows(table)] == ["Aktivera mottagning"]

        await _apply(pilot, "#f-target", "")
        await _apply(pilot, "#f-from", "2026-03-10")
        assert table.row_count == 2
        await _apply(pilot, "#f-to", "2026-03-09")  # from after to: refused, table kept
        assert "Från-datum" in text_of(screen, "#message")
        assert table.row_count == 2
        await _apply(pilot, "#f-from", "2026-03-09")
        assert table.row_count == 2
        assert text_of(screen, "#log-status") == "Visar 1–2 av 2"
        assert text_of(screen, "#message") == ""
        await _apply(pilot, "#f-to", "2026-02-30")
        assert "finns inte i kalendern" in text_of(screen, "#message")


async def test_log_pages_from_the_database(sqlite_db):
    build_world()
    op = accepted()
    start = 1_770_000_000
    AuditEvent.insert_many(
        [
            {
                "at": start + i,
                "actor_name": "Anna Maria Andersson",
                "region": "01",
                "action": "unit.rename",
                "target": f"SE2321000016-{i:04d}",
            }
            for i in range(120)
        ]
    ).execute()
    app = RegionAdminApp(op)
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, "loggar")
        screen = app.screen
        table = screen.query_one("#log", DataTable)
        status = "#log-status"
        assert text_of(screen, status).startswith("Visar 1–50 av 120")
        assert table.row_count == 50 and table_rows(table)[0][3] == "SE2321000016-0119"
        await pilot.press("pagedown")
        await settle(pilot)
        assert text_of(screen, status).startswith("Visar 51–100 av 120")
        assert table_rows(table)[0][3] == "SE2321000016-0069"
        await pilot.press("pagedown")
        await settle(pilot)
        assert text_of(screen, status).startswith("Visar 101–120 av 120")
        assert table.row_count == 20
        await pilot.press("pagedown")  # no page after the last
        await settle(pilot)
        assert text_of(screen, status).startswith("Visar 101–120 av 120")
        await pilot.press("pageup")
        await settle(pilot)
        assert text_of(screen, status).startswith("Visar 51–100 av 120")


# --- Help texts ------------------------------------------------------------------------

MY_PAGES = [
    AdminsScreen,
    CaseBankScreen,
    CaseTypeScreen,
    SettingsScreen,
    TermsScreen,
    AuditLogScreen,
    AuditEventScreen,
]


@pytest.mark.parametrize("page", MY_PAGES, ids=lambda p: p.__name__)
def test_help_with_support_fits_the_help_panel_at_80x24(page):
    # The panel is 12 rows with its border and 76 columns inside: nothing may be cut off.
    lines = with_support(page.HELP).splitlines()
    assert len(lines) <= 10
    assert max(len(line) for line in lines) <= 76


@pytest.mark.parametrize("text", [SUPPORT_TEXT, SUPPORT_TEXT_FULL])
def test_support_text_has_the_manuals_contacts(text):
    flat = " ".join(text.split())
    for fact in (
        "0771-25 10 10",
        "knappval 1",
        "alla dagar kl. 06.00–22.00",
        "www.inera.se/1177-vardguidens-e-tjanster-personal",
        "Kontakta supporten",
        "nätbaserad utbildning",
    ):
        assert fact in flat
    assert max(len(line) for line in text.splitlines()) <= 76


def test_support_is_added_once():
    once = with_support("Hjälp.")
    assert once.endswith(SUPPORT_TEXT) and with_support(once) == once


# --- Idle: nothing is redrawn on a settled page ------------------------------------------


@pytest.mark.parametrize(
    "page_id, focus",
    [
        ("lista-admin", "#admins"),
        ("central-bank", "#bank"),
        ("installningar", "#signature"),
        ("installningar", "#mobile"),
        ("installningar", "#sms-notice"),
        ("loggar", "#f-actor"),
        ("loggar", "#f-action"),
    ],
)
async def test_pages_are_idle(sqlite_db, page_id, focus):
    build_world()
    app = RegionAdminApp(accepted())
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, page_id)
        app.screen.query_one(focus).focus()
        await assert_idle(pilot)


async def test_terms_and_details_are_idle(sqlite_db):
    w = build_world()
    app = RegionAdminApp(w.op)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#accept").focus()
        await assert_idle(pilot)
        await pilot.press("space")
        app.screen.query_one("#continue").focus()
        await pilot.press("enter")
        await open_page(pilot, "central-bank")
        await pilot.press("enter")
        await assert_idle(pilot)
        assert isinstance(app.screen, CaseTypeScreen)
        await open_page(pilot, "loggar")
        await pilot.press("enter")
        assert isinstance(app.screen, AuditEventScreen)
        await assert_idle(pilot)


async def test_loggar_from_the_command_palette(sqlite_db):
    build_world()
    app = RegionAdminApp(accepted())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Loggar")
        await idle_settle(pilot)
        await pilot.press("enter")
        await idle_settle(pilot)
        assert isinstance(app.screen, AuditLogScreen)
        assert text_of(app.screen, "#log-status") == ("Det finns inga händelser i regionens logg.")
