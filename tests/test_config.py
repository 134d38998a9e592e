"""Site and user config.toml, the database precedence, `regionadmin config`, private SQLite."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import peewee
import pytest

from models import config
from models import db as dbmod
from models.errors import ValidationError
from tui import cli


@pytest.fixture(autouse=True)
def dirs(tmp_path: Path, monkeypatch) -> dict[str, Path]:
    """Every directory the configuration looks at lives under tmp_path."""
    paths = {
        "user": tmp_path / "xdg-config" / "regionadmin" / "config.toml",
        "site": tmp_path / "etc" / "regionadmin" / "config.toml",
        "data": tmp_path / "xdg-data" / "regionadmin",
    }
    monkeypatch.delenv("REGIONADMIN_DB", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("REGIONADMIN_SITE_CONFIG", str(paths["site"]))
    return paths


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def closed_after() -> Iterator[None]:
    yield
    if dbmod.database.obj is not None and not dbmod.database.obj.is_closed():
        dbmod.database.obj.close()


# ---------------------------------------------------------------------------- precedence


@pytest.mark.skipif(sys.platform != "linux", reason="XDG directories are a Linux matter")
def test_paths_follow_xdg_and_etc(dirs, monkeypatch):
    assert config.user_config_path() == dirs["user"]
    assert config.default_url() == f"sqlite:///{dirs['data'] / 'regionadmin.db'}"
    assert config.site_config_path() == dirs["site"]
    monkeypatch.delenv("REGIONADMIN_SITE_CONFIG")
    assert config.site_config_path() == Path("/etc/regionadmin/config.toml")


def test_precedence_all_five_levels(dirs, monkeypatch):
    write(dirs["site"], 'database = "postgresql://site@db/ra"\n')
    write(dirs["user"], 'database = "postgresql://user@db/ra"\nmouse = false\n')
    monkeypatch.setenv("REGIONADMIN_DB", "postgresql://env@db/ra")
    steps = [
        ("sqlite:///cli.db", ("sqlite:///cli.db", "--db")),
        (None, ("postgresql://env@db/ra", "miljövariabeln REGIONADMIN_DB")),
        (None, ("postgresql://user@db/ra", f"användarens fil {dirs['user']}")),
        (None, ("postgresql://site@db/ra", f"systemets fil {dirs['site']}")),
        (None, (config.default_url(), "standardfilen")),
    ]
    for number, (cli_url, expected) in enumerate(steps):
        if number == 2:
            monkeypatch.delenv("REGIONADMIN_DB")
        if number == 3:
            write(dirs["user"], "mouse = false\n")  # a user file without database
        if number == 4:
            dirs["site"].unlink()
        assert config.resolve_database(cli_url) == expected, number
        assert dbmod.resolve_url(cli_url) == expected[0], number


def test_a_user_database_means_the_site_file_is_not_needed(dirs):
    write(dirs["site"], "database = [\n")
    write(dirs["user"], 'database = "sqlite:///user.db"\n')
    assert config.resolve_database() == ("sqlite:///user.db", f"användarens fil {dirs['user']}")
    with pytest.raises(ValidationError):  # but everything that reads both files says so
        config.load_config()


def test_load_config_merges_mouse_and_keymap(dirs):
    write(dirs["site"], 'mouse = true\ncolour = "blå"\n[keymap]\nquit = "ctrl+q"\nhelp = "f1"\n')
    write(dirs["user"], 'mouse = false\n[keymap]\nquit = "f10"\n')
    loaded = config.load_config()
    assert loaded.mouse is False
    assert loaded.keymap == {"quit": "f10", "help": "f1"}
    assert loaded.database is None
    assert [f.exists for f in loaded.files] == [True, True]
    dirs["user"].unlink()
    dirs["site"].unlink()
    assert config.load_config().mouse is None


@pytest.mark.parametrize(
    "content, wanted",
    [
        ("database = postgresql://x\n", "är inte giltig TOML (rad 1, kolumn 12)."),
        ('database = "sqlite:///x.db\n', "är inte giltig TOML"),
        ("database = 5\n", "database ska vara en databasadress"),
        ('database = ""\n', "database ska vara en databasadress"),
        ('mouse = "ja"\n', "mouse ska vara true eller false."),
        ("keymap = 1\n", "[keymap] ska vara en tabell"),
        (b'database = "sqlite:///\xff.db"\n', "inte i UTF-8"),
    ],
)
def test_broken_file_is_one_swedish_sentence(dirs, capsys, content, wanted):
    write(dirs["user"], content)
    with pytest.raises(ValidationError) as caught:
        config.load_config()
    message = str(caught.value)
    assert caught.value.exit_code == 2
    assert message.startswith(f"Användarens fil {dirs['user']}") and wanted in message
    assert "\n" not in message and message.endswith(".")
    # Every command stops there, before the database is opened, without a traceback.
    assert cli.main(["admins"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == message + "\n"


def test_broken_site_file_through_the_command_line(dirs, capsys):
    write(dirs["site"], "[database\n")
    assert cli.main(["config"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"Systemets fil {dirs['site']} är inte giltig TOML (rad 1, kolumn 10).\n"


# ---------------------------------------------------------------------------- regionadmin config


@pytest.mark.parametrize(
    "url, shown",
    [
        ("postgresql://u:pw@h/db", "postgresql://u:***@h/db"),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
        ("postgres://u:p%40ss@h:5433/db", "postgres://u:***@h:5433/db"),
        ("postgresql://u:p@ss/x@h/db", "postgresql://u:***@h/db"),
        ("postgresql://u:p?s#s@h/db", "postgresql://u:***@h/db"),
        (
            "postgresql://u:pw@h/db?application_name=a@b",
            "postgresql://u:***@h/db?application_name=a@b",
        ),
        (
            "postgresql://u@h/db?sslmode=require&password=pw",
            "postgresql://u@h/db?sslmode=require&password=***",
        ),
        (
            "postgresql://h/db?PASSWORD=pw&sslpassword=k",
            "postgresql://h/db?PASSWORD=***&sslpassword=***",
        ),
        ("sqlite:////home/a@b/x.db", "sqlite:////home/a@b/x.db"),
    ],
)
def test_mask_password(url, shown):
    assert config.mask_password(url) == shown


def test_config_command_names_user_file_and_hides_password(dirs, capsys):
    write(
        dirs["user"],
        'database = "postgresql://kalle:hemligt@127.0.0.1:1/regionadmin?password=hemligt2"\n',
    )
    assert cli.main(["config"]) == 0
    out, err = capsys.readouterr()
    shown = "postgresql://kalle:***@127.0.0.1:1/regionadmin?password=***"
    assert err == ""
    assert out.splitlines() == [
        f"Databas: {shown}",
        f"Källa: användarens fil {dirs['user']}",
        "Konfigurationsfiler:",
        f"  användarens fil {dirs['user']}: finns, database = {shown}",
        f"  systemets fil {dirs['site']}: finns inte",
    ]
    assert "hemligt" not in out


def test_config_command_works_with_an_unreachable_database(dirs, capsys, monkeypatch):
    def unreachable(url=None):
        raise peewee.OperationalError("connection refused")

    monkeypatch.setattr(dbmod, "open_database", unreachable)  # as a connecting driver would
    write(dirs["site"], "mouse = true\n")
    url = "postgresql://kalle:hemligt@127.0.0.1:1/regionadmin"
    assert cli.main(["--db", url, "config"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "hemligt" not in out
    assert out.splitlines()[:2] == [
        "Databas: postgresql://kalle:***@127.0.0.1:1/regionadmin",
        "Källa: --db",
    ]
    assert f"  systemets fil {dirs['site']}: finns, utan database" in out.splitlines()
    monkeypatch.setenv("REGIONADMIN_DB", url)
    assert cli.main(["config"]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines()[1] == "Källa: miljövariabeln REGIONADMIN_DB"


def test_config_command_default_file(dirs, capsys):
    assert cli.main(["config"]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines()[:2] == [
        f"Databas: sqlite:///{dirs['data'] / 'regionadmin.db'}",
        "Källa: standardfilen",
    ]
    assert not dirs["data"].exists()  # the database was not opened


# ---------------------------------------------------------------------------- private SQLite


@pytest.fixture(params=[0o000, 0o022], ids=["umask000", "umask022"])
def umask(request) -> Iterator[int]:
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def write_something(db) -> None:
    db.execute_sql("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
    db.execute_sql("INSERT INTO t VALUES (1)")


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_default_sqlite_file_is_private(dirs, umask, closed_after):
    db = dbmod.open_database()
    write_something(db)
    file = dirs["data"] / "regionadmin.db"
    assert db.database == str(file)
    assert mode(dirs["data"]) == 0o700
    for name in ("regionadmin.db", "regionadmin.db-wal", "regionadmin.db-shm"):
        assert mode(dirs["data"] / name) == 0o600, name


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_existing_install_is_made_private(dirs, umask, closed_after):
    import sqlite3

    dirs["data"].mkdir(parents=True)
    file = dirs["data"] / "regionadmin.db"
    with sqlite3.connect(file) as conn:
        conn.execute("CREATE TABLE t (x INTEGER)")
    conn.close()
    leftover = write(dirs["data"] / "regionadmin.db-wal", b"")
    os.chmod(dirs["data"], 0o755)
    os.chmod(file, 0o644)
    os.chmod(leftover, 0o664)
    db = dbmod.open_database()
    write_something(db)
    assert mode(dirs["data"]) == 0o700
    for name in ("regionadmin.db", "regionadmin.db-wal", "regionadmin.db-shm"):
        assert mode(dirs["data"] / name) == 0o600, name


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_explicit_sqlite_path_gets_its_directory_and_a_private_file(tmp_path, umask, closed_after):
    file = tmp_path / "new" / "sub" / "store.db"
    db = dbmod.open_database(f"sqlite:///{file}")
    write_something(db)
    assert file.parent.is_dir()
    for suffix in ("", "-wal", "-shm"):
        assert mode(Path(f"{file}{suffix}")) == 0o600, suffix
