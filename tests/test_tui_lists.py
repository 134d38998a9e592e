"""Issue 9, by the keys a user presses: the list pages (Visa mottagningsinformation,
Loggar, Lista admin) reach their list from the field and say an empty result in words;
nothing is cut at 80 columns that fits; a log event reads in Swedish; the footer offers
only what works, whole."""

from __future__ import annotations

import json

from textual.widgets import DataTable, Input

from models import grants, units
from models.entities import ADMIN, AuditEvent, Grant, Unit
from tests.factories import (
    ORG_01,
    PNR_BERTIL,
    PNR_CECILIA,
    build_world,
    connected_unit,
    hsa,
)
from tests.idle import assert_idle
from tests.tui_support import SIZE, make_app, message, press, text_of, type_text
from tui.screens.assign_grants import AssignGrantsScreen
from tui.screens.audit_log import AuditEventScreen, AuditLogScreen
from tui.screens.unit_details import UnitDetailsScreen
from tui.widgets.confirm import ConfirmDialog


def screen_lines(pilot) -> list[str]:
    return [strip.text for strip in pilot.app.screen._compositor.render_strips()]


def footer(pilot) -> str:
    return " ".join(screen_lines(pilot)[-1].split())


def rows(pilot, selector: str) -> list[list[str]]:
    table = pilot.app.screen.query_one(selector, DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


# --- Visa mottagningsinformation ----------------------------------------------------------


async def test_units_no_hits_names_the_term(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v")
        await type_text(pilot, "xyz")
        assert text_of(pilot, "#pager-status") == "Inga mottagningar matchar ”xyz”."
        assert "Till listan" not in footer(pilot)
        await press(pilot, "enter", "down")  # nothing to move to: the field keeps focus
        assert isinstance(app.focused, Input)


async def test_units_enter_in_the_field_gives_the_list_and_its_sort_keys(sqlite_db):
    world = build_world()
    connected_unit(hsa(ORG_01, "0999"), "Vårdcentralen Öster", city="Arboga")
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v")
        await type_text(pilot, "SE2321")
        await press(pilot, "enter")  # two hits: the list gets the focus
        assert isinstance(app.focused, DataTable)
        await press(pilot, "2", "2")  # HSA-id, then reversed
        assert [r[1] for r in rows(pilot, "#units")] == [world.active_hsa, hsa(ORG_01, "0999")]
        await press(pilot, "escape", "v")
        assert "↓ Till listan" in footer(pilot)  # offered in the field ...
        await press(pilot, "down")  # ... and Down from the field reaches the list too
        assert isinstance(app.focused, DataTable)


async def test_units_columns_that_fit_are_not_cut(sqlite_db):
    world = build_world()
    # "Vårdcentral" (11) and "Sundbyberg" (10): each one character over the old columns.
    connected_unit(hsa(ORG_01, "1003"), "BVC Sundbyberg", city="Sundbyberg")
    connected_unit(hsa(ORG_01, "1004"), "BVC Sundbyberg Norra", city="Sundbyberg", active=False)
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v")
        await type_text(pilot, "sundbyberg")
        assert rows(pilot, "#units") == [
            ["BVC Sundbyberg", hsa(ORG_01, "1003"), "Vårdcentral", "Sundbyberg", "Aktiv"],
            ["BVC Sundbyberg Norra", hsa(ORG_01, "1004"), "Vårdcentral", "Sundbyberg", "Inaktiv"],
        ]
        assert not any("…" in line for line in screen_lines(pilot))
        # A page whose values do not all fit is cut where it costs least: the name keeps
        # 25 characters, the others lose their last.
        await press(pilot, "ctrl+u")
        assert [
            "Husläkarmottagningen Äng…",
            world.active_hsa,
            "Vårdcentr…",
            "Täby",
            "Aktiv",
        ] in rows(pilot, "#units")


# --- Mottagningsinformation: name, address and e-mail whole --------------------------------


async def test_unit_details_show_name_address_and_email_whole(sqlite_db):
    world = build_world()
    unit = Unit.get(Unit.hsa_id == world.active_hsa)
    unit.name = "Husläkarmottagningen Ängen Täby centrum"  # 39: longer than the old 26
    unit.street, unit.postal_code, unit.city = "Stora Ängsvägen 122", "183 30", "Täby"
    unit.email = "huslakarmottagningen.angen@regionstockholm.se"
    unit.refresh_search_text()
    unit.save()
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v")
        await type_text(pilot, "ängen")
        await press(pilot, "enter")
        assert isinstance(app.screen, UnitDetailsScreen)
        facts = [" ".join(line.split()) for line in text_of(pilot, "#facts").splitlines()]
        assert "Namn Husläkarmottagningen Ängen Täby centrum" in facts
        assert "Adress Stora Ängsvägen 122, 183 30 Täby" in facts
        assert "E-post huslakarmottagningen.angen@regionstockholm.se" in facts
        assert not any("…" in line for line in screen_lines(pilot))
        assert app.screen.query_one("#assign").region.bottom <= SIZE[1] - 1
        await assert_idle(pilot)


# --- Tilldela behörigheter: Ta bort only on a person with the role -----------------------


async def test_remove_keys_are_offered_only_on_a_person_with_the_role(sqlite_db):
    world = build_world()
    connected_unit(hsa(ORG_01, "1003"), "Tomma mottagningen")
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "v")
        await type_text(pilot, "tomma")
        await press(pilot, "enter", "t")
        assert isinstance(app.screen, AssignGrantsScreen)
        assert "f2 Hämta" in footer(pilot)
        await press(pilot, "shift+tab")  # the list: "(ingen ännu)"
        assert isinstance(app.focused, DataTable)
        assert rows(pilot, "#grants") == [["(ingen ännu)", "", ""]]
        assert "Ta bort" not in footer(pilot) and "Hämta" not in footer(pilot)
        await press(pilot, "delete", "g")  # do nothing, say nothing
        assert isinstance(app.screen, AssignGrantsScreen) and message(pilot) == ""

        await press(pilot, "tab")  # back to Personnummer
        await type_text(pilot, PNR_BERTIL)
        await press(pilot, "enter", "enter")  # Hämta, Tilldela (Administratör)
        await press(pilot, "shift+tab")
        assert "Del Ta bort adm." in footer(pilot)
        assert "Ta bort granskare" not in footer(pilot)  # Bertil is no Granskare
        await press(pilot, "g")  # pressed anyway: it says why
        assert not isinstance(app.screen, ConfirmDialog)
        assert "har inte behörigheten Granskare" in message(pilot)
        await press(pilot, "delete")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "j")
        assert (
            not Grant.select()
            .where(Grant.unit == Unit.get(Unit.hsa_id == hsa(ORG_01, "1003")))
            .exists()
        )
        await assert_idle(pilot)


# --- Aktivera: the footer after activation holds every key whole --------------------------


async def test_the_footer_after_activation_is_whole(sqlite_db):
    app, world = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "a")
        await type_text(pilot, world.free_hsa)
        await press(pilot, "enter", "f2", "f2")
        line = footer(pilot)
        for label in ("esc Tillbaka", "f1 Hjälp", "f2 Tilldela", "f3 Aktivera en till"):
            assert label in line, line


# --- Loggar -----------------------------------------------------------------------------


def events(world) -> None:
    """Three events of 01 (and no others: the terms the test app accepted are left out)."""
    AuditEvent.delete().execute()
    rows = [
        (1_773_050_400, "Anna Andersson", "unit.reactivate", world.active_hsa),
        (1_773_050_460, "Cecilia Carlsson", "account.create", world.active_hsa),
        (1_773_136_800, "systemägare root", "operator.link", "197001011233"),
    ]
    for at, actor, action, target in rows:
        AuditEvent.create(
            at=at, actor=None, actor_name=actor, region="01", action=action, target=target
        )


async def open_loggar(pilot) -> AuditLogScreen:
    await press(pilot, "g")
    assert isinstance(pilot.app.screen, AuditLogScreen)
    return pilot.app.screen


async def test_loggar_down_and_enter_in_a_field_reach_the_list(sqlite_db):
    world = build_world()
    app, _ = make_app(world)
    events(world)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_loggar(pilot)
        table = screen.query_one("#log", DataTable)
        await press(pilot, "tab")  # Utförd av
        assert app.focused is screen.query_one("#f-actor")
        assert "↓ Till listan" in footer(pilot)
        await press(pilot, "down")
        assert app.focused is table
        await press(pilot, "tab")
        assert app.focused is screen.query_one("#f-actor")
        await type_text(pilot, "anna")
        await press(pilot, "enter")  # the selection, and the list to move in
        assert app.focused is table and table.row_count == 1
        await press(pilot, "enter")
        assert isinstance(app.screen, AuditEventScreen)
        await assert_idle(pilot)


async def test_loggar_empty_selection_says_which_in_words(sqlite_db):
    world = build_world()
    app, _ = make_app(world)
    events(world)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_loggar(pilot)
        await press(pilot, "tab")
        await type_text(pilot, "zzz")
        await press(pilot, "enter")
        assert text_of(pilot, "#log-status") == "Inga händelser matchar Utförd av ”zzz”."
        assert app.focused is screen.query_one("#f-actor")  # nothing to move to


async def test_loggar_columns_show_actions_and_names_whole(sqlite_db):
    world = build_world()
    app, _ = make_app(world)
    events(world)
    async with app.run_test(size=SIZE) as pilot:
        await open_loggar(pilot)
        shown = rows(pilot, "#log")
        # The widest a page has: 16 + 16 + 21 + 17 characters in the 70 there are.
        assert [r[1:] for r in shown] == [
            ["systemägare root", "Ny landstingsadm.", "197001011233"],
            ["Cecilia Carlsson", "Skapa vårdaktörskonto", world.active_hsa],
            ["Anna Andersson", "Återaktivera", world.active_hsa],
        ]
        assert not any("…" in line for line in screen_lines(pilot))


async def test_a_log_event_reads_in_swedish(sqlite_db):
    world = build_world()
    app, _ = make_app(world)
    op = world.op
    grants.grant_roles(op, world.active_hsa, PNR_BERTIL, [ADMIN])
    units.deactivate_unit(op, world.active_hsa, confirm=True)  # Cecilia's ADMIN stays
    AuditEvent.update(db_role="kalle", os_user="root").where(
        AuditEvent.action == "unit.deactivate"
    ).execute()
    async with app.run_test(size=SIZE) as pilot:
        await open_loggar(pilot)
        assert [r[2] for r in rows(pilot, "#log")] == [
            "Inaktivera mottagning",
            "Tilldela behörighet",
            "Skapa vårdaktörskonto",
            "Acceptera villkoren",
        ]
        await press(pilot, "enter")  # Inaktivera mottagning
        summary = [" ".join(line.split()) for line in text_of(pilot, "#event-summary").splitlines()]
        assert "Databasroll: kalle" in summary and "OS-användare: root" in summary
        assert "Åtgärd: Inaktivera mottagning" in summary
        assert "Utfall: Genomförd" in summary
        after = [" ".join(line.split()) for line in text_of(pilot, "#event-after").splitlines()]
        assert "Aktiv: Nej" in after
        assert "Administratör som behölls: Cecilia Carlsson (19900303-3454)" in after
        assert "Borttagna behörigheter: Bertil Berg (19800202-2344): Administratör" in after
        assert "Region: Region Stockholm" in after
        await press(pilot, "escape", "down", "enter")  # Tilldela behörighet
        before = text_of(pilot, "#event-before").splitlines()
        after = text_of(pilot, "#event-after").splitlines()
        assert [" ".join(line.split()) for line in after] == [
            "Personnummer: 19800202-2344",
            "Namn: Bertil Berg",
            "Roll: Administratör",
        ]
        assert [" ".join(line.split()) for line in before] == [
            "Personnummer: 19800202-2344",
            "Namn: Bertil Berg",
            "Behörigheter: ingen",
        ]
        page = "\n".join(screen_lines(pilot))
        for raw in ("grant.add", "personnummer", "{", '"', "Utfall: ok"):
            assert raw not in page, raw
        await assert_idle(pilot)
    assert json.loads(AuditEvent.get(AuditEvent.action == "grant.add").after)["role"] == ADMIN
    assert PNR_CECILIA  # the kept administrator's personnummer, shown formatted above
