"""The one way in to the store: a URL picks SQLite or PostgreSQL at run time."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import peewee
from platformdirs import user_data_dir
from playhouse.db_url import connect as url_connect

from .errors import Conflict

database = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "cache_size": -64000,
    "synchronous": "normal",
}


def default_url() -> str:
    path = Path(user_data_dir("regionadmin", appauthor=False)) / "regionadmin.db"
    return f"sqlite:///{path}"


def resolve_url(url: str | None = None) -> str:
    return url or os.environ.get("REGIONADMIN_DB") or default_url()


def open_database(url: str | None = None) -> peewee.Database:
    """Open the database at `url` (or REGIONADMIN_DB, or the default file) and bind the models."""
    url = resolve_url(url)
    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        path = url[len("sqlite:///"):]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        db: peewee.Database = peewee.SqliteDatabase(
            path, pragmas=SQLITE_PRAGMAS, timeout=10, lock_type="IMMEDIATE"
        )
    elif scheme in ("postgresql", "postgres"):
        db = url_connect(url.replace("postgres://", "postgresql://", 1))
    else:
        raise ValueError(f"Okänd databasadress: {url} (använd sqlite:/// eller postgresql://)")
    if isinstance(database.obj, peewee.Database) and not database.obj.is_closed():
        database.obj.close()
    database.initialize(db)
    return db


def is_postgres() -> bool:
    """PostgreSQL (several administrators at once: row locks needed) rather than SQLite."""
    return isinstance(database.obj, peewee.PostgresqlDatabase)


CONCURRENT_CHANGE = "Någon annan ändrade samma sak samtidigt. Försök igen."


@contextmanager
def transaction():
    """The one transaction of a service call (IMMEDIATE on SQLite, so writers queue).

    A unique index that refuses a row (two administrators granting the same role at the
    same moment on PostgreSQL) rolls the transaction back and becomes a Conflict: one
    Swedish sentence for the TUI and the CLI instead of a driver traceback.
    """
    try:
        with database.atomic():
            yield
    except peewee.IntegrityError as error:
        raise Conflict(CONCURRENT_CHANGE) from error


@contextmanager
def session():
    """A connection for one unit of work on a worker thread, closed afterwards."""
    with database.connection_context():
        yield
