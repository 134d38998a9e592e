"""Fixtures: every store test runs on SQLite and on PostgreSQL.

PostgreSQL comes from REGIONADMIN_TEST_PG (e.g. postgresql://postgres@127.0.0.1:5432/test).
Each test process gets its own schema there, emptied before every test. Under CI=true a
missing PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from models import db as dbmod
from models.entities import ALL_MODELS
from models.schema import init_schema

PG_URL = os.environ.get("REGIONADMIN_TEST_PG", "")
_pg_schema = f"ra_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
_pg_ready = False


def _pg_url() -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{_pg_schema}"


def _open_pg() -> None:
    global _pg_ready
    import psycopg

    if not _pg_ready:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA IF NOT EXISTS {_pg_schema}")
        _pg_ready = True
    db = dbmod.open_database(_pg_url())
    tables = [m._meta.table_name for m in ALL_MODELS]
    existing = [t for t in tables if db.table_exists(t)]
    if existing:
        db.execute_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in existing)
                       + " RESTART IDENTITY CASCADE")
        db.execute_sql('DELETE FROM "schema_version"')
        db.execute_sql('DROP TABLE IF EXISTS "schema_version"')
        # A dropped version table makes init_schema create the rest with safe=True.


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
                pytest.fail("PostgreSQL saknas: sätt REGIONADMIN_TEST_PG till en databas som går "
                            "att nå.")
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
