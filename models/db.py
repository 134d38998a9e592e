"""The one way in to the store: a URL picks SQLite or PostgreSQL at run time."""

from __future__ import annotations

import errno
import os
import re
import stat
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, urlparse

import peewee

from .errors import Conflict, DomainError, PermissionDenied

database = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "cache_size": -64000,
    "synchronous": "normal",
}


def resolve_url(url: str | None = None) -> str:
    """`url` (--db), else REGIONADMIN_DB, the user's and the site's config.toml, the default
    file (see models/config.py). A broken config file is a ValidationError."""
    if url:
        return url  # --db wins: no configuration to read (nor to import)
    from .config import resolve_database

    return resolve_database(url)[0]


def _narrow(path: Path, mode: int | None = None) -> None:
    """Take group and other access away from a file or directory of ours (to `mode` if given).
    Best effort: a file we cannot change is left for SQLite to report on."""
    try:
        st = path.stat()
        if st.st_uid == os.getuid() and (st.st_mode & 0o077 or mode is not None):
            wanted = stat.S_IMODE(st.st_mode) & 0o700 if mode is None else mode
            if stat.S_IMODE(st.st_mode) != wanted:
                os.chmod(path, wanted)
    except OSError:
        pass


def prepare_sqlite_file(path: Path) -> None:
    """Make the database private to its owner before SQLite opens it, whatever the umask.

    The default data directory is 0700; the file is created 0600 (SQLite then creates -wal
    and -shm with the file's mode). An existing file (and -wal, -shm, -journal) of ours that
    group or others can reach is narrowed to the owner's bits, so older installs get fixed.
    A directory or file that cannot be made is left for SQLite to report (exit code 6).
    """
    from .config import default_data_dir

    parent = path.parent
    try:
        # The default directory always ends in the program's name: other folders need not
        # ask platformdirs (imported only then).
        if (
            os.name == "posix"
            and parent.name == "regionadmin"
            and os.path.abspath(parent) == os.path.abspath(default_data_dir())
        ):
            created = not parent.exists()
            parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            _narrow(parent, 0o700 if created else None)
        else:
            parent.mkdir(parents=True, exist_ok=True)
        if os.name != "posix":  # no modes to speak of
            return
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    except FileExistsError:
        pass
    except OSError:
        return
    else:
        try:
            os.fchmod(fd, 0o600)  # a umask such as 0o277 must not leave it unwritable
        except OSError:
            pass
        finally:
            os.close(fd)
    for name in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        _narrow(name)


def open_database(url: str | None = None) -> peewee.Database:
    """Open the database at `url` (or REGIONADMIN_DB, or the default file) and bind the models."""
    url = resolve_url(url)
    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        path = url[len("sqlite:///") :]
        if path and path != ":memory:":
            prepare_sqlite_file(Path(path))
        db: peewee.Database = WaitingSqliteDatabase(
            path, pragmas=SQLITE_PRAGMAS, timeout=10, lock_type="IMMEDIATE"
        )
    elif scheme in ("postgresql", "postgres"):
        db = peewee.PostgresqlDatabase(
            **postgres_params(url.replace("postgres://", "postgresql://", 1))
        )
    else:
        raise ValueError(f"Okänd databasadress: {url} (använd sqlite:/// eller postgresql://)")
    if isinstance(database.obj, peewee.Database) and not database.obj.is_closed():
        database.obj.close()
    database.initialize(db)
    return db


def postgres_params(url: str) -> dict[str, object]:
    """The connection parameters of a postgresql:// URL, read as peewee's
    playhouse.db_url.connect reads them (the user and password as written, query values
    true/false/null and numbers converted), without importing it: it loads every
    playhouse backend it could register, about 6 ms of each start."""
    parsed = urlparse(url)
    params: dict[str, object] = {"database": parsed.path[1:]}
    for key, value in (
        ("user", parsed.username),
        ("password", parsed.password),
        ("host", parsed.hostname),
        ("port", parsed.port),
    ):
        if value:
            params[key] = value
    for key, text in parse_qsl(parsed.query, keep_blank_values=True):
        params[key] = _query_value(text)
    if not params.get("database"):
        raise ValueError(
            f"Databasadressen {url} saknar databasnamn: skriv {parsed.scheme}:///namn för "
            f"en databas på den här datorn eller {parsed.scheme}://värd/namn."
        )
    return params


def _query_value(text: str) -> object:
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if text.isdigit():
        return int(text)
    if "." in text and all(part.isdigit() for part in text.split(".", 1)):
        try:
            return float(text)
        except ValueError:
            return text
    if lowered in ("null", "none"):
        return None
    return text


def is_postgres() -> bool:
    """PostgreSQL (several administrators at once: row locks needed) rather than SQLite."""
    return isinstance(database.obj, peewee.PostgresqlDatabase)


def session_role() -> str:
    """PostgreSQL's session_user, the role that authenticated; '' on SQLite.

    Asked once per connection: it cannot change while the connection lives.
    """
    if not is_postgres():
        return ""
    conn = database.connection()
    cached = _session_roles.get(id(conn))
    if cached is None or cached[0] is not conn:
        cached = (conn, database.execute_sql("SELECT session_user").fetchone()[0])
        _session_roles.clear()
        _session_roles[id(conn)] = cached
    return cached[1]


_session_roles: dict[int, tuple[object, str]] = {}


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
    except peewee.DatabaseError as error:
        refused = refusal(error)
        if refused is None:
            raise
        raise refused from error


DB_REFUSED = (
    "PostgreSQL nekade åtgärden: din databasroll har inte behörighet till den "
    "(den får bara röra din egen region; systemägarens uppgifter kräver "
    "systemägargruppen)."
)


def sqlstate(error: BaseException) -> str | None:
    """The SQLSTATE of a driver error that peewee wrapped, if any."""
    for candidate in (error, *error.args[:1], error.__cause__, error.__context__):
        code = getattr(candidate, "sqlstate", None)
        if code:
            return code
    return None


def refusal(error: BaseException) -> PermissionDenied | None:
    """PostgreSQL's "permission denied" or a row-level-security refusal, as the domain's
    PermissionDenied: the database said no where the program would have."""
    if sqlstate(error) == "42501":
        return PermissionDenied(DB_REFUSED)
    return None


@contextmanager
def session():
    """A connection for one unit of work on a worker thread, closed afterwards."""
    with database.connection_context():
        yield


_CONNECT_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r'role "(?P<who>[^"]+)" does not exist'),
        "PostgreSQL känner inte databasrollen {who}; be systemägaren koppla dig med regionadmin "
        "operator link {who} PERSONNUMMER --region KOD.",
    ),
    (
        re.compile(r'database "(?P<who>[^"]+)" does not exist'),
        "Databasen {who} finns inte på servern; kontrollera databasadressen (regionadmin config).",
    ),
    (
        re.compile(r'authentication failed for user "(?P<who>[^"]+)"'),
        "PostgreSQL godtog inte inloggningen som {who}; kontrollera ~/.pgpass, klientcertifikatet "
        "eller att du är inloggad som rätt användare.",
    ),
    (
        re.compile(r"no password supplied"),
        "PostgreSQL vill ha ett lösenord; lägg det i ~/.pgpass (aldrig i databasadressen).",
    ),
    (
        re.compile(r'permission denied for database "?(?P<who>[^"\s]+)'),
        "Din databasroll får inte ansluta till databasen {who}; kontakta systemägaren.",
    ),
)


def unreachable_message(error: BaseException) -> str:
    """One Swedish sentence for a connection that failed; the driver's own words only as
    the detail of the last resort."""
    text = str(error)
    for pattern, sentence in _CONNECT_PROBLEMS:
        found = pattern.search(text)
        if found:
            return sentence.format(**found.groupdict())
    return f"Databasen gick inte att nå: {text}".strip()


# ---------------------------------------------------------------------------- driver errors
# Errors from the database driver (and the operating system under it) that reach the
# caller, as one Swedish sentence with the exit code: never the library's English words.


class DatabaseProblem(DomainError):
    """The store could not do what was asked (a full disk, a broken file): exit code 6."""

    exit_code = 6


WRITE_IN_PROGRESS = "En import eller annan skrivning pågår; försök igen om en stund."
DISK_FULL = "Disken är full; frigör utrymme och försök igen."
WRITE_ABORTED = "Databasen avbröt skrivningen innan den var klar; ingenting sparades. Försök igen."
_DISK_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
# (words in the driver's message, PostgreSQL SQLSTATEs, the exception to raise)
_DRIVER_PROBLEMS: tuple[tuple[tuple[str, ...], tuple[str, ...], Callable[[], DomainError]], ...] = (
    (
        ("database or disk is full", "no space left on device", "disk quota exceeded"),
        ("53100",),
        lambda: DatabaseProblem(DISK_FULL),
    ),
    # SQLite: another connection holds the write lock longer than the busy timeout (an
    # import of many rows is one transaction). PostgreSQL: lock_not_available. Exit 5, a
    # conflict with another writer that goes away by itself, not a broken database (6).
    (
        ("database is locked", "database table is locked"),
        ("55P03",),
        lambda: Conflict(WRITE_IN_PROGRESS),
    ),
    ((), ("40001", "40P01"), lambda: Conflict(CONCURRENT_CHANGE)),  # serialization, deadlock
    (
        ("attempt to write a readonly database", "read-only file system"),
        ("25006",),
        lambda: DatabaseProblem(
            "Databasen går bara att läsa (filen, katalogen eller servern "
            "är skrivskyddad); ingenting sparades."
        ),
    ),
    (
        ("disk i/o error", "input/output error"),
        ("58030",),
        lambda: DatabaseProblem("Disken gav ett läs- eller skrivfel; ingenting sparades."),
    ),
    (
        ("database disk image is malformed", "file is not a database"),
        ("XX001", "XX002"),
        lambda: DatabaseProblem(
            "Databasfilen är skadad eller är ingen databas för "
            "regionadmin (regionadmin config visar vilken fil som används)."
        ),
    ),
    (
        ("unable to open database file",),
        (),
        lambda: DatabaseProblem(
            "Databasfilen går inte att öppna; kontrollera att katalogen "
            "finns och att du får skriva i den (regionadmin config visar "
            "vilken fil som används)."
        ),
    ),
    (
        ("out of memory",),
        ("53200",),
        lambda: DatabaseProblem("Databasen fick slut på minne; ingenting sparades."),
    ),
    (
        (),
        ("57014",),
        lambda: DatabaseProblem(
            "Databasen avbröt frågan (den tog för lång tid); ingenting sparades."
        ),
    ),
)


def _error_chain(error: BaseException) -> list[BaseException]:
    """`error`, the driver error peewee wrapped in it, and what it was raised from or
    while handling ("cannot rollback" hides the full disk it followed), without loops."""
    seen: list[BaseException] = []
    todo = [error]
    while todo and len(seen) < 20:
        current = todo.pop(0)
        if any(current is s for s in seen):
            continue
        seen.append(current)
        # peewee keeps the driver's exception in .orig (and out of args and str()).
        todo += [
            c
            for c in (
                *current.args[:1],
                getattr(current, "orig", None),
                current.__cause__,
                current.__context__,
            )
            if isinstance(c, BaseException)
        ]
    return seen


def database_error(error: BaseException) -> DomainError | None:
    """One Swedish sentence, as the DomainError to show and exit with, for an error from the
    database driver or the disk under it; None for anything else (a bug: let it show).

    Full disk (SQLite's "database or disk is full", OSError ENOSPC, PostgreSQL 53100): 6.
    A write lock held by an import or another writer ("database is locked"): Conflict, 5.
    PostgreSQL's refusals: PermissionDenied, 3 (refusal). Anything else the driver says
    about the connection: unreachable_message, 6.
    """
    refused = refusal(error)
    if refused is not None:
        return refused
    chain = _error_chain(error)
    texts = [str(candidate).lower() for candidate in chain]
    codes = {str(getattr(candidate, "sqlstate", None) or "").upper() for candidate in chain}
    if any(isinstance(c, OSError) and c.errno in _DISK_ERRNOS for c in chain):
        return DatabaseProblem(DISK_FULL)
    for words, states, make in _DRIVER_PROBLEMS:
        if codes.intersection(states) or any(w in text for w in words for text in texts):
            return make()
    if any("cannot rollback - no transaction is active" in text for text in texts):
        return DatabaseProblem(WRITE_ABORTED)  # SQLite rolled back by itself first
    if any(isinstance(c, peewee.OperationalError | peewee.InterfaceError) for c in chain):
        return DatabaseProblem(unreachable_message(error))
    return None


def refresh_statistics() -> None:
    """After a bulk load: the planner's statistics brought up to date at once.

    PostgreSQL without ANALYZE after a load of millions of rows planned the year reports so
    badly that they timed out at 30 s (autovacuum comes later, when it comes). SQLite gets
    `PRAGMA optimize`, which does the same where it is worth it.
    """
    if is_postgres():
        # The tables' owner is a role no person is: ANALYZE through its function.
        database.execute_sql("SELECT ra_analyze()")
    else:
        database.execute_sql("PRAGMA optimize")


# ------------------------------------------------------------- giving up a wait for the lock
# SQLite's own busy handler sleeps through its whole timeout and cannot be interrupted
# (Connection.interrupt() does not end it: measured on 3.40). A caller that may give up (the
# TUI, Escape while an import holds the lock) registers a check for its thread; BEGIN then
# waits in short tries and asks the check between them, up to the same timeout.

WRITE_GIVEN_UP = "Avbrutet medan ändringen väntade; ingenting sparades."
LOCK_TRY_MS = 100
_lock_wait = threading.local()


class WaitGivenUp(DomainError):
    """The admin gave up a write that was still waiting for the write lock: nothing was
    written (the transaction had not begun)."""

    exit_code = 5


@contextmanager
def lock_wait_check(check: Callable[[float], bool]):
    """On this thread, a BEGIN that waits for another writer calls `check(seconds waited)`
    about every LOCK_TRY_MS; True gives the write up (WaitGivenUp)."""
    _lock_wait.check = check
    try:
        yield
    finally:
        _lock_wait.check = None


class WaitingSqliteDatabase(peewee.SqliteDatabase):
    """SQLite whose BEGIN a lock_wait_check may give up while another writer holds the lock."""

    def begin(self, lock_type=None):
        check = getattr(_lock_wait, "check", None)
        if check is None:
            return super().begin(lock_type)
        conn = self.connection()
        started = time.monotonic()
        conn.execute(f"PRAGMA busy_timeout = {LOCK_TRY_MS}")
        try:
            while True:
                try:
                    return super().begin(lock_type)
                except peewee.OperationalError as error:
                    waited = time.monotonic() - started
                    if "locked" not in str(error) or waited >= self._timeout:
                        raise
                    if check(waited):
                        raise WaitGivenUp(WRITE_GIVEN_UP) from error
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
