"""Fixtures: every store test runs on SQLite and on PostgreSQL.

PostgreSQL comes from REGIONADMIN_TEST_PG (e.g. postgresql://postgres@127.0.0.1:5432/test).
Each test process gets its own schema there, emptied before every test. Under CI=true a
missing PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

from models import db as dbmod
from models import pgsecurity
from models.entities import ALL_MODELS
from models.schema import init_schema

PG_URL = os.environ.get("REGIONADMIN_TEST_PG", "")
_pg_schema = f"ra_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
_pg_ready = False
# Roles are cluster-wide: this process's group roles carry its schema's name and are
# dropped at the end (models/pgsecurity.py reads the prefix when init makes the groups).
os.environ[pgsecurity.PREFIX_ENV] = _pg_schema
KEEP_TABLES = {"schema_version", "site_option"}
# Bugs a test provokes are logged in a folder of the run's, not the user's log file.
os.environ.setdefault("REGIONADMIN_LOG_DIR", tempfile.mkdtemp(prefix="regionadmin-log-"))
_roles_before: set[str] = set()


def _pg_url(role: str | None = None) -> str:
    """The test store's URL; with `role`, connecting as that role (trust auth on the
    test server lets a test act as any administrator)."""
    base = PG_URL
    if role:
        parts = urlsplit(PG_URL)
        host = parts.netloc.rsplit("@", 1)[-1]
        base = urlunsplit(parts._replace(netloc=f"{role}@{host}"))
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{_pg_schema}"


def pg_url_as(role: str) -> str:
    return _pg_url(role)


def pg_schema() -> str:
    return _pg_schema


def _open_pg() -> None:
    global _pg_ready
    import psycopg

    if not _pg_ready:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA IF NOT EXISTS {_pg_schema}")
            _roles_before.update(r for (r,) in conn.execute("SELECT rolname FROM pg_roles"))
        _pg_ready = True
    dbmod.open_database(_pg_url())
    _truncate_pg()


def _truncate_pg() -> None:
    db = dbmod.database
    tables = [m._meta.table_name for m in ALL_MODELS if m._meta.table_name not in KEEP_TABLES]
    existing = [t for t in tables if db.table_exists(t)]
    if existing:
        # The schema, its privileges and policies stay; the data goes. The audit log's
        # append-only triggers do not fire for a superuser in replica mode.
        with db.atomic():
            db.execute_sql("SET LOCAL session_replication_role = replica")
            db.execute_sql(
                "TRUNCATE " + ", ".join(f'"{t}"' for t in existing) + " RESTART IDENTITY CASCADE"
            )


def wipe_store() -> None:
    """Empty the open test store and seed it again, on either backend."""
    if dbmod.is_postgres():
        _truncate_pg()
    else:
        for model in reversed(ALL_MODELS):
            model.delete().execute()
    init_schema()


def pytest_sessionfinish(session, exitstatus) -> None:
    if _pg_ready:
        import psycopg

        try:
            if not dbmod.database.obj.is_closed():
                dbmod.database.obj.close()
        except Exception:
            pass
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {_pg_schema} CASCADE")
            drop_test_roles(conn, _pg_schema)


def drop_test_roles(conn, prefix: str) -> None:
    """Drop this run's group roles and the login roles made under them (operator link in
    a test makes them); roles that existed before the run only leave the groups."""
    groups = [f"{prefix}_owner", f"{prefix}_admin", f"{prefix}_keeper"]
    members = conn.execute(
        "SELECT DISTINCT m.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
        "JOIN pg_roles m ON m.oid = a.member WHERE g.rolname = ANY(%s)",
        (groups,),
    ).fetchall()
    for (member,) in members:
        if member not in _roles_before:
            conn.execute(f'DROP OWNED BY "{member}"')
            conn.execute(f'DROP ROLE IF EXISTS "{member}"')
        else:
            for group in groups:
                conn.execute(f'REVOKE "{group}" FROM "{member}"')
    # Login roles a test made under its own prefix and that left the groups again
    # (operator unlink) are this run's too.
    for (role,) in conn.execute(
        "SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)", (TEST_ROLE_PREFIX,)
    ).fetchall():
        conn.execute(f'DROP OWNED BY "{role}"')
        conn.execute(f'DROP ROLE IF EXISTS "{role}"')
    for group in groups:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)).fetchone()
        if exists:
            conn.execute(f'DROP OWNED BY "{group}"')
            conn.execute(f'DROP ROLE "{group}"')


# Login roles that tests make on purpose start with this (and the process id): unique in
# the cluster while the run lasts.
TEST_ROLE_PREFIX = f"rt{os.getpid()}_"


def _pg_available() -> bool:
    if not PG_URL:
        return False
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3):
            return True
    except Exception:
        return False


_PG_OK: bool | None = None


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request, tmp_path) -> Iterator[str]:
    """An empty, initialised store on each backend; yields the backend's name."""
    global _PG_OK
    if request.param == "postgres":
        if _PG_OK is None:
            _PG_OK = _pg_available()
        if not _PG_OK:
            if os.environ.get("CI") == "true":
                pytest.fail(
                    "PostgreSQL saknas: sätt REGIONADMIN_TEST_PG till en databas som går att nå."
                )
            pytest.skip("REGIONADMIN_TEST_PG not set or not reachable")
        _open_pg()
    else:
        dbmod.open_database(f"sqlite:///{tmp_path / 'test.db'}")
    init_schema()
    yield request.param
    dbmod.database.obj.close()


@pytest.fixture
def sqlite_db(tmp_path) -> Iterator[str]:
    """SQLite only: for the TUI tests, whose store behaviour the backend tests already cover."""
    url = f"sqlite:///{tmp_path / 'tui.db'}"
    dbmod.open_database(url)
    init_schema()
    yield url
    dbmod.database.obj.close()


def group_role(role: str, group_option: str) -> None:
    """PostgreSQL: the login role `role`, made if missing, a member of this run's group
    named by the site option `group_option` ("admin_group" or "owner_group")."""
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True, options=f"-csearch_path={_pg_schema}") as conn:
        (group,) = conn.execute(
            "SELECT value FROM site_option WHERE name = %s", (group_option,)
        ).fetchone()
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
            conn.execute(f'CREATE ROLE "{role}" LOGIN')
        conn.execute(f'GRANT "{group}" TO "{role}"')


def owner_role(name: str) -> str:
    """PostgreSQL: a login role of the system-owner group: it owns no table and is under
    row-level security (its own all-rows policies)."""
    role = f"{TEST_ROLE_PREFIX}{name}"
    group_role(role, "owner_group")
    return role


def login_role(login: str) -> str:
    """PostgreSQL: the login role that plays the test login `login` (a member of this run's
    administrator group), with the staff account of that login renamed to it. Identity on
    PostgreSQL is the session's role, so a test acts as an administrator by connecting as
    one."""
    import psycopg

    role = f"{TEST_ROLE_PREFIX}{login}"
    group_role(role, "admin_group")
    with psycopg.connect(PG_URL, autocommit=True, options=f"-csearch_path={_pg_schema}") as conn:
        conn.execute(
            "UPDATE staff_account SET login_name = %s WHERE login_name = %s", (role, login)
        )
    return role


@pytest.fixture
def act_as(backend, monkeypatch):
    """act_as(login): run the program as that login; returns the name the program sees.

    SQLite: REGIONADMIN_USER (one's own file). PostgreSQL: a login role, connected as by
    `acting_url()` (REGIONADMIN_USER is refused there)."""
    acting.clear()

    def use(login: str) -> str:
        if backend == "postgres":
            monkeypatch.delenv("REGIONADMIN_USER", raising=False)
            acting["role"] = login_role(login)
            return acting["role"]
        monkeypatch.setenv("REGIONADMIN_USER", login)
        return login

    yield use
    acting.clear()


acting: dict[str, str] = {}


def acting_url() -> str | None:
    """The URL to connect as the role act_as() chose, or None (SQLite, or nobody)."""
    role = acting.get("role")
    return _pg_url(role) if role else None


def store_as_owner() -> None:
    """After main() connected as an administrator's role, point the models back at the
    test store as the superuser (a no-op on SQLite), so a test reads the whole store."""
    if dbmod.is_postgres():
        dbmod.open_database(_pg_url())


def store_url() -> str:
    """The URL of the test store the `backend` fixture opened (on PostgreSQL as the role
    that act_as() chose): what a command-line test passes as --db."""
    import peewee

    db = dbmod.database.obj
    if isinstance(db, peewee.SqliteDatabase):
        return f"sqlite:///{db.database}"
    if acting_url():
        return acting_url()
    options = db.connect_params["options"]  # the per-process search_path
    return f"{PG_URL}{'&' if '?' in PG_URL else '?'}options={quote(options)}"


@pytest.fixture
def run(capsys):
    """run(*argv) -> (exit code, stdout, stderr) of `regionadmin --db <store> argv`."""
    from tui import cli

    def call(*argv: str) -> tuple[int, str, str]:
        code = cli.main(["--db", store_url(), *argv])
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return code, out, err

    return call


def one_line(err: str) -> str:
    """The one line a failing command writes on stderr."""
    assert err.endswith("\n") and err.count("\n") == 1, err
    return err.strip()
