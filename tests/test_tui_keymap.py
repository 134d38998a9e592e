"""Keys users move in config.toml's [keymap]: every Binding has an id, a moved key works and
is shown in the footer and the help, a bad entry is one Swedish sentence and left out, and
README's list of ids is the bindings' own."""

from __future__ import annotations

import re
from pathlib import Path

from textual.binding import Binding
from textual.keys import KEY_NAME_REPLACEMENTS, Keys
from textual.widgets import Footer, Input

from models import config
from reports import registry
from tests.idle import settle
from tests.tui_support import SIZE, make_app, message, press
from tui import cli
from tui.app import RegionAdminApp
from tui.binding_list import declared_bindings
from tui.keymap import BINDING_IDS, CHARACTER_NAMES, NAMED_KEYS, check_keymap, prose_key
from tui.screens.menu import MenuScreen
from tui.screens.reports import ReportsScreen

README = Path(__file__).resolve().parent.parent / "README.md"


def footer_text(pilot) -> str:
    footer = pilot.app.screen.query_one(Footer)
    return " ".join(str(key.render()) for key in footer.query("FooterKey"))


def test_every_binding_has_a_listed_id():
    found = list(declared_bindings())
    missing = [f"{cls.__name__}: {b.key} -> {b.action}" for cls, b in found if not b.id]
    assert missing == []
    assert {b.id for _, b in found} == set(BINDING_IDS)


def test_the_key_names_are_textuals():
    textual_keys = {key.value for key in Keys}
    assert NAMED_KEYS - {"space"} <= textual_keys
    assert set(CHARACTER_NAMES) == set(KEY_NAME_REPLACEMENTS.values())


def test_bad_entries_are_sentences_and_left_out():
    usable, problems = check_keymap(
        {
            "reports.show": "F9",
            "reports.nope": "f8",
            "page.help": "ctrl+bogus",
            "page.back": "",
            "app.quit": 5,
        }
    )
    assert usable == {"reports.show": "f9"}
    assert problems == [
        "[keymap] reports.nope: inget sådant tangent-id finns; raden används inte "
        "(regionadmin config --keys listar dem).",
        "[keymap] page.help: ctrl+bogus är ingen tangent; raden används inte.",
        "[keymap] page.back: ange en eller flera tangenter åtskilda med komma; raden används inte.",
        "[keymap] app.quit: värdet ska stå inom citattecken; raden används inte.",
    ]
    assert all("\n" not in p for p in problems)


async def test_a_moved_key_works_and_the_footer_and_help_show_it(sqlite_db, tmp_path):
    app = RegionAdminApp(make_app()[0].operator, keymap={"reports.create": "f9"})
    target = tmp_path / "konton.csv"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_page("rapporter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        titles = [m.TITLE for m in registry.REPORTS.values()]
        await press(pilot, *["down"] * titles.index("Användarkonton"), "enter")
        screen.query_one("#output", Input).value = str(target)
        new = app.get_key_display(Binding("f9", "create"))
        old = app.get_key_display(Binding("ctrl+s", "create"))
        assert f"{new} Skapa" in footer_text(pilot)
        assert f"{old} Skapa" not in footer_text(pilot)

        await press(pilot, "ctrl+s")  # the old key does nothing now
        assert not target.exists()
        await press(pilot, "f9")
        assert target.exists()
        assert message(pilot).endswith(f"skrivna till {target}")

        await press(pilot, "f1")
        help_text = str(screen.query_one("#report-help-text").content)
        assert "Ctrl+S" not in help_text
        assert "textfält eller F9)" in help_text
        assert "Ändrade tangenter (config.toml, [keymap]): Skapa: F9." in help_text


async def test_a_moved_page_key_is_in_the_page_help(sqlite_db):
    app = RegionAdminApp(make_app()[0].operator, keymap={"page.back": "backspace"})
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "l")  # Lista admin
        page = app.screen
        assert "Ändrade tangenter (config.toml, [keymap]): Tillbaka: Backspace." in str(
            page.query_one("#help").content
        )
        await press(pilot, "escape")
        assert app.screen is page
        await press(pilot, "backspace")
        assert isinstance(app.screen, MenuScreen)


async def test_bad_entries_are_told_on_the_menu_and_the_rest_works(sqlite_db):
    app = RegionAdminApp(make_app()[0].operator, keymap={"menu.rapporter": "7", "menu.nope": "x"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert message(pilot) == (
            "[keymap] menu.nope: inget sådant tangent-id finns; raden används inte "
            "(regionadmin config --keys listar dem)."
        )
        await press(pilot, "7")
        assert isinstance(app.screen, ReportsScreen)


def test_regionadmin_config_reports_the_keymap(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("REGIONADMIN_DB", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("REGIONADMIN_SITE_CONFIG", str(tmp_path / "site.toml"))
    user = config.user_config_path()
    user.parent.mkdir(parents=True)
    user.write_text('[keymap]\n"reports.show" = "f9"\n"x.y" = "q"\n', encoding="utf-8")
    assert cli.main(["config"]) == 0
    out = capsys.readouterr().out
    assert "Flyttade tangenter ([keymap]):\n  reports.show = f9\n" in out
    assert "[keymap] x.y: inget sådant tangent-id finns; raden används inte" in out
    assert cli.main(["config", "--keys"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^reports\.show +Rapporter: Visa \(flyttad: f9\)$", out, re.M)
    assert len([line for line in out.splitlines() if line and not line.startswith("[")]) == len(
        BINDING_IDS
    )


def keymap_section() -> str:
    """README's table of ids: every id, its keys as shipped, what it does."""
    defaults: dict[str, list[str]] = {}
    for _cls, binding in declared_bindings():
        keys = defaults.setdefault(binding.id or "", [])
        if binding.key not in keys:
            keys.append(binding.key)
    lines = ["| id | tangent | gör |", "|---|---|---|"]
    for binding_id, what in BINDING_IDS.items():
        keys = " eller ".join(prose_key(k) for k in defaults[binding_id])
        lines.append(f"| `{binding_id}` | {keys} | {what} |")
    return "\n".join(lines)


def test_readme_lists_every_id():
    text = README.read_text(encoding="utf-8")
    begin, end = "<!-- keymap-ids -->\n", "\n<!-- /keymap-ids -->"
    assert begin in text and end in text, "README needs the [keymap] section"
    shown = text.split(begin, 1)[1].split(end, 1)[0]
    assert shown == keymap_section(), "README's ids are stale: paste keymap_section()"
