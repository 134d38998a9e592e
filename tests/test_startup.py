"""What a start of the command line loads (issue 11: a CLI call costs ≤ 0.2 s).

No timings here: the checks are on what is imported. A report written as CSV must not
load the TUI, the other writers, the demo or the interchange code, the other command
modules or the other reports; on SQLite not the PostgreSQL driver either. The parser that
holds only the command's own module must read the arguments as the whole parser does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import store_url
from tests.factories import build_world
from tui import cli

ROOT = Path(__file__).resolve().parent.parent

# Runs the real entry point (regionadmin.entry, as the console script does) and writes
# the exit code and the names in sys.modules at exit to the file named by argv[1].
PROBE = """
import atexit, json, sys
target = sys.argv.pop(1)
sys.argv[0] = "regionadmin"

@atexit.register
def dump():
    with open(target, "w", encoding="utf-8") as out:
        json.dump(sorted(name for name, m in sys.modules.items() if m is not None), out)

from regionadmin import entry
entry()
"""

# Never on a CSV report's way: the TUI, the other formats, the demo, the interchange files.
NOT_FOR_A_CSV_REPORT = (
    "textual",
    "rich",
    "tui.app",
    "tui.screens",
    "tui.widgets",
    "openpyxl",
    "fpdf",
    "reports.writers.pdf",
    "reports.writers.xlsx",
    "models.demo",
    "models.transfer",
    "models.units",  # reports/common.py: only a report for one unit
    "models.catalog",  # reports/common.py: only the per-type lists
    "tui.commands.demo",
    "tui.commands.transfer",
    "tui.commands.unit",
    "tui.commands.grant",
    "tui.commands.completion",
    "playhouse.db_url",  # models.db reads the URL itself
    "tomllib",  # --db given: no configuration file is read
)


def probe(tmp_path: Path, *argv: str, env_db: str | None = None) -> tuple[int, set[str]]:
    """Run `regionadmin argv` in a fresh process: (exit code, modules loaded)."""
    target = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if k != "REGIONADMIN_DB"}
    if env_db:
        env["REGIONADMIN_DB"] = env_db
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(target), *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, set(json.loads(target.read_text(encoding="utf-8")))


def loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules)


def test_a_csv_report_loads_only_what_it_writes_with(backend, act_as, tmp_path, monkeypatch):
    monkeypatch.delenv("REGIONADMIN_DB", raising=False)
    build_world()
    act_as("anna")
    out = tmp_path / "inloggningar.csv"
    code, modules = probe(
        tmp_path,
        "--db",
        store_url(),
        "report",
        "inloggningar",
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-31",
        "--format",
        "csv",
        "--output",
        str(out),
    )
    assert code == 0 and out.read_text(encoding="utf-8").startswith("Kontotyp")
    assert {"reports.inloggningar", "reports.writers.csv"} <= modules
    assert [name for name in NOT_FOR_A_CSV_REPORT if loaded(modules, name)] == []
    # The registry imports the report asked for, not the other nine.
    reports = {m for m in modules if m.startswith("reports.") and m.count(".") == 1}
    assert reports <= {f"reports.{n}" for n in ("inloggningar", "base", "common", "period")} | {
        "reports.registry",
        "reports.writers",
    }
    # On SQLite the PostgreSQL driver is never loaded (peewee would import it at start).
    assert loaded(modules, "psycopg") == (backend == "postgres")


def test_version_and_config_load_no_command_module_and_no_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'none.db'}"
    code, modules = probe(tmp_path, "--db", url, "--version")
    assert code == 0
    assert not loaded(modules, "tui.commands") and not loaded(modules, "peewee")
    code, modules = probe(tmp_path, "--db", url, "config")
    assert code == 0
    assert {m for m in modules if m.startswith("tui.commands.")} == {"tui.commands.config"}
    assert not loaded(modules, "peewee") and not loaded(modules, "textual")


# ------------------------------------------------------- the parser of one command module


def test_the_command_table_is_what_the_modules_register():
    """cli.COMMANDS names, for each command word, the module that registers it, in the
    order of the help: the whole parser and each module alone agree with it."""
    full = cli.build_parser()
    assert list(_words(full)) == list(cli.COMMANDS)
    for module in cli.COMMAND_MODULES:
        with cli.swedish_argparse():
            alone = cli._build_parser((module,))
        assert list(_words(alone)) == [w for w, m in cli.COMMANDS.items() if m == module]


def _words(parser) -> dict:
    import argparse

    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sub.choices


@pytest.mark.parametrize(
    ("argv", "modules"),
    [
        ([], ()),
        (["--mouse"], ()),
        (["--db", "sqlite:///x.db", "--version"], ()),
        (["--db", "sqlite:///x.db", "report", "list"], ("report",)),
        (["--db=sqlite:///x.db", "import", "units", "f.csv"], ("transfer",)),
        (["--d", "report", "export", "units", "-"], ("transfer",)),  # --d is --db; its value
        (["--mouse", "unit", "list"], ("unit",)),
        (["report", "--help"], ("report",)),
        (["-h", "report"], cli.COMMAND_MODULES),
        (["--he"], cli.COMMAND_MODULES),
        (["--db"], ()),
        (["--bogus", "unit"], cli.COMMAND_MODULES),
        (["rapport"], cli.COMMAND_MODULES),
        (["-", "unit"], cli.COMMAND_MODULES),
        (["--", "unit"], cli.COMMAND_MODULES),
    ],
)
def test_which_command_modules_a_start_builds(argv, modules):
    assert cli.command_modules(argv) == modules


@pytest.mark.parametrize(
    "argv",
    [
        ["--db", "sqlite:///x.db", "report", "inloggningar", "--from", "2026-01-01", "-o", "-"],
        ["--db=sqlite:///x.db", "--mouse", "unit", "show", "SE2321000016-A1"],
        ["--d", "sqlite:///x.db", "import", "hsa-units", "f.csv", "--complete"],
        ["grant", "add", "SE2321000016-A1", "191212121212", "--role", "admin"],
        ["demo", "--units", "3", "--if-empty"],
        ["config"],
        ["--version"],
        [],
    ],
)
def test_one_module_parses_as_the_whole_parser(argv):
    with cli.swedish_argparse():
        alone = cli._build_parser(cli.command_modules(argv)).parse_args(argv)
    assert alone == cli.build_parser().parse_args(argv)


def test_a_mistake_is_told_by_the_whole_parser(capsys):
    """An unknown command names every command there is, as before."""
    with pytest.raises(SystemExit) as raised:
        with cli.swedish_argparse():
            cli._build_parser(cli.command_modules(["rapport"])).parse_args(["rapport"])
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert all(f"'{word}'" in err for word in cli.COMMANDS)


# ---------------------------------------------------------------- models.db and registry


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1/regionadmin",
        "postgresql:///regionadmin",
        "postgresql://kalle:hemligt%40x@dbserver:5433/ra?sslmode=require&connect_timeout=10",
        "postgresql://h/db?options=-c%20statement_timeout%3D5s&a=true&b=FALSE&c=1.5&d=null&e=",
        "postgresql://[::1]:5432/db",
    ],
)
def test_the_url_is_read_as_peewees_db_url_reads_it(url):
    from playhouse.db_url import parse

    from models.db import postgres_params

    assert postgres_params(url) == parse(url)


def test_a_url_without_a_database_name_is_refused():
    from models.db import postgres_params

    with pytest.raises(ValueError, match="saknar databasnamn"):
        postgres_params("postgresql://dbserver")


def test_the_registry_imports_one_report_when_asked_for_one():
    """In a fresh process: get(slug) imports that report only; REPORTS all of them."""
    script = (
        "import json, sys\n"
        "from reports import registry\n"
        "registry.get('arendestatus')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('reports.'))))\n"
        "print(len(registry.REPORTS))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    first, count = done.stdout.splitlines()
    imported = set(json.loads(first))
    assert "reports.arendestatus" in imported
    assert not imported & {"reports.inloggningar", "reports.handlaggningstider"}
    assert int(count) == 10


def test_a_report_name_that_is_a_module_but_no_report_is_unknown():
    from models.errors import ValidationError
    from reports import registry

    for slug in ("writers", "base", "common", "registry", "period"):
        with pytest.raises(ValidationError, match=f"Okänd rapport {slug}"):
            registry.get(slug)


def test_the_commands_that_open_no_store_are_those_that_say_so():
    """cli.NO_STORE_MODULES (no PostgreSQL driver loaded for them) are exactly the modules
    whose commands set needs_db=False."""
    import argparse

    def parsers(parser):
        yield parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    yield from parsers(child)

    no_store = {
        module
        for word, module in cli.COMMANDS.items()
        if all(
            p._defaults.get("needs_db", True) is False
            for p in parsers(_words(cli.build_parser())[word])
            if "handler" in p._defaults
        )
    }
    assert no_store == set(cli.NO_STORE_MODULES)


@pytest.mark.parametrize(
    ("argv", "skipped"),
    [
        (["--help"], True),
        (["report", "-h"], True),
        (["--version"], True),
        (["config"], True),
        (["completion", "bash"], True),
        (["report", "list"], False),
        ([], False),  # the TUI
        (["--", "-h"], False),
    ],
)
def test_the_driver_is_left_out_where_no_store_is_opened(argv, skipped):
    assert cli._opens_no_store(argv) is skipped


def test_help_on_a_postgresql_store_loads_no_driver(tmp_path):
    url = "postgresql://ingen@127.0.0.1:1/ingen"
    for argv in (["--help"], ["report", "--help"], ["config"], ["completion", "bash"]):
        code, modules = probe(tmp_path, "--db", url, *argv)
        assert code == 0 and not loaded(modules, "psycopg"), argv


@pytest.mark.parametrize("where", ["default file", "REGIONADMIN_DB", "config.toml"])
def test_sqlite_found_without_db_loads_no_driver(tmp_path, monkeypatch, where):
    """The store named by REGIONADMIN_DB, a config.toml or the default file: on SQLite the
    PostgreSQL driver stays out as it does with --db (finding the default file must not
    import peewee, which would load the driver first)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("REGIONADMIN_SITE_CONFIG", str(tmp_path / "site.toml"))
    url = f"sqlite:///{tmp_path / 'ra.db'}"
    if where == "config.toml":
        (tmp_path / "config" / "regionadmin").mkdir(parents=True)
        (tmp_path / "config" / "regionadmin" / "config.toml").write_text(f'database = "{url}"\n')
    env_db = url if where == "REGIONADMIN_DB" else None
    code, modules = probe(tmp_path, "report", "--list", env_db=env_db)
    assert code == 0
    assert loaded(modules, "peewee") and not loaded(modules, "psycopg")
    if where == "default file":
        assert (tmp_path / "data" / "regionadmin" / "regionadmin.db").exists()


def test_the_collector_is_off_while_loading_and_on_when_the_command_runs(tmp_path):
    """regionadmin.entry() turns the garbage collector off for the start; the command (an
    import of millions of rows) runs with it on again, what loaded before it frozen."""
    script = (
        "import gc, sys\n"
        "import tui.commands.report as report\n"
        "register = report.register\n"
        "def registering(sub):\n"
        "    print('loading', gc.isenabled())\n"
        "    register(sub)\n"
        "def run(args):\n"
        "    print('running', gc.isenabled(), gc.get_freeze_count() > 0)\n"
        "    return 0\n"
        "report.register, report.run = registering, run\n"
        "sys.argv = ['regionadmin', '--db', sys.argv[1], 'report', '--list']\n"
        "from regionadmin import entry\n"
        "entry()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, f"sqlite:///{tmp_path / 'ra.db'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["loading False", "running True True"]


@pytest.mark.parametrize(
    ("argv", "db", "flags", "word"),
    [
        (["--d", "postgresql://h/x", "unit", "list"], "postgresql://h/x", set(), "unit"),
        (["--db=sqlite:///a.db", "--vers"], "sqlite:///a.db", {"--version"}, None),
        (["--mou", "report", "--db", "x"], None, {"--mouse"}, "report"),  # after the word
    ],
)
def test_the_options_before_the_command_are_read_as_argparse_reads_them(argv, db, flags, word):
    leading = cli._leading(argv)
    assert (leading.db, set(leading.flags), leading.word) == (db, flags, word)


def test_a_shortened_db_option_keeps_the_driver_for_postgresql(tmp_path):
    # --d is argparse's prefix of --db: the URL it names is PostgreSQL's, so the driver
    # must not be left out (that ended in an unexpected error instead of this sentence).
    code, modules = probe(tmp_path, "--d", "postgresql://postgres@127.0.0.1:1/none", "unit", "list")
    assert code == 6 and "psycopg" in modules
