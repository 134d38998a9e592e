"""Site and user configuration files (`config.toml`) and which database URL is in effect.

Precedence for the database: `--db` > REGIONADMIN_DB > the user's file > the site's file >
the default SQLite file. Only the standard library and platformdirs are imported here, so
reading the configuration stays cheap.

    database = "postgresql://kalle@dbserver/regionadmin"
    mouse = false            # optional, for later use
    [keymap]                 # optional, for later use: binding -> keys
    quit = "ctrl+q"

Unknown keys are ignored. A file that is not valid TOML, or a key of the wrong type, is a
ValidationError (exit code 2) with one Swedish sentence that names the file.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ValidationError

# tomllib, platformdirs and models.files are imported where they are used: a command
# given --db or REGIONADMIN_DB (every script) reads no file and pays for none of them.

APP = "regionadmin"
FILE_NAME = "config.toml"
ENV_DB = "REGIONADMIN_DB"
ENV_SITE_CONFIG = "REGIONADMIN_SITE_CONFIG"

SOURCE_CLI = "--db"
SOURCE_ENV = f"miljövariabeln {ENV_DB}"
SOURCE_DEFAULT = "standardfilen"


def user_config_path() -> Path:
    """`$XDG_CONFIG_HOME/regionadmin/config.toml` on Linux (~/.config/... without it)."""
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP, appauthor=False)) / FILE_NAME


def site_config_path() -> Path:
    """REGIONADMIN_SITE_CONFIG, else /etc/regionadmin/config.toml (not /etc/xdg) on Linux
    and other Unix systems; platformdirs' site directory on Windows and macOS."""
    override = os.environ.get(ENV_SITE_CONFIG)
    if override:
        return Path(override)
    if sys.platform in ("win32", "darwin"):
        from platformdirs import site_config_dir

        return Path(site_config_dir(APP, appauthor=False)) / FILE_NAME
    return Path("/etc") / APP / FILE_NAME


@dataclass(frozen=True)
class ConfigFile:
    """One configuration file as found: `data` is None when the file does not exist."""

    kind: str  # "user" or "site"
    path: Path
    data: dict | None

    @property
    def label(self) -> str:
        who = "användarens" if self.kind == "user" else "systemets"
        return f"{who} fil {self.path}"

    @property
    def exists(self) -> bool:
        return self.data is not None

    @property
    def database(self) -> str | None:
        return None if self.data is None else self.data.get("database")


@dataclass(frozen=True)
class Config:
    """The user's file over the site's, key by key ([keymap] entry by entry)."""

    database: str | None = None
    database_file: ConfigFile | None = None
    mouse: bool | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    files: tuple[ConfigFile, ...] = ()


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_file(kind: str, path: Path) -> ConfigFile:
    """Read and check one file; a missing file gives `data=None`."""
    label = ConfigFile(kind, path, None).label.capitalize()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return ConfigFile(kind, path, None)
    except OSError as error:
        from .files import os_reason

        raise ValidationError(f"{label} går inte att läsa: {os_reason(error)}.") from error
    import tomllib

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ValidationError(f"{label} är inte giltig TOML: den är inte i UTF-8.") from error
    except tomllib.TOMLDecodeError as error:
        match = _TOML_POSITION.search(str(error))
        where = f" (rad {match[1]}, kolumn {match[2]})" if match else ""
        if not match and "at end of document" in str(error):
            where = " (vid filens slut)"
        raise ValidationError(f"{label} är inte giltig TOML{where}.") from error
    _check(label, data)
    return ConfigFile(kind, path, data)


def _check(label: str, data: dict) -> None:
    database = data.get("database")
    if "database" in data and (not isinstance(database, str) or not database.strip()):
        raise ValidationError(
            f"{label}: database ska vara en databasadress inom citattecken, "
            f'till exempel database = "postgresql://användare@värd/db".',
            field="database",
        )
    if "mouse" in data and not isinstance(data["mouse"], bool):
        raise ValidationError(f"{label}: mouse ska vara true eller false.", field="mouse")
    keymap = data.get("keymap")
    if "keymap" in data and not (
        isinstance(keymap, dict) and all(isinstance(v, str) for v in keymap.values())
    ):
        raise ValidationError(
            f"{label}: [keymap] ska vara en tabell med tangenter inom "
            f'citattecken, till exempel quit = "ctrl+q".',
            field="keymap",
        )


def config_files() -> tuple[tuple[str, Path], ...]:
    """The files looked at, strongest first."""
    return (("user", user_config_path()), ("site", site_config_path()))


def load_config() -> Config:
    """Both files merged (the user's wins); raises ValidationError for a broken one."""
    files = tuple(read_file(kind, path) for kind, path in config_files())
    database: str | None = None
    database_file: ConfigFile | None = None
    mouse: bool | None = None
    keymap: dict[str, str] = {}
    for found in reversed(files):  # site first, then the user's on top
        if found.data is None:
            continue
        if found.database is not None:
            database, database_file = found.database, found
        if "mouse" in found.data:
            mouse = found.data["mouse"]
        keymap.update(found.data.get("keymap", {}))
    return Config(database, database_file, mouse, keymap, files)


def resolve_database(cli_url: str | None = None) -> tuple[str, str]:
    """The database URL in effect and where it came from, in Swedish.

    Files are read only as far as needed: with --db or REGIONADMIN_DB set nothing is read,
    and a user file with `database` means the site file is not read.
    """
    if cli_url:
        return cli_url, SOURCE_CLI
    env = os.environ.get(ENV_DB)
    if env:
        return env, SOURCE_ENV
    for kind, path in config_files():
        found = read_file(kind, path)
        if found.database is not None:
            return found.database, found.label
    return default_url(), SOURCE_DEFAULT


def default_data_dir() -> Path:
    """Where the default SQLite file lives (~/.local/share/regionadmin on Linux)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False))


def default_url() -> str:
    """The default store. Here, not in models.db: reading it must not import peewee, which
    would load the PostgreSQL driver before tui.cli can tell it SQLite needs none."""
    return f"sqlite:///{default_data_dir() / 'regionadmin.db'}"


_USERINFO_PASSWORD = re.compile(r"^([^:@]*):.*$", re.DOTALL)
_QUERY_PASSWORD = re.compile(r"(^|[?&;])([^=&;?]*password)=[^&;]*", re.IGNORECASE)


def mask_password(url: str) -> str:
    """The URL with any password replaced by ***: `postgresql://u:***@h/db`, `?password=***`.

    The user information ends at the last `@` ahead of the first `/` (libpq's reading, with
    `?` or `#` in an unencoded password) or ahead of the first `?` (a `/` in it), whichever
    comes later: an unencoded password is hidden whole, at worst with some of the host.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    if rest and not rest.startswith("/"):  # sqlite:///path has no user information
        at = max(rest.partition("/")[0].rfind("@"), rest.partition("?")[0].rfind("@"))
        if at >= 0:
            rest = _USERINFO_PASSWORD.sub(r"\1:***", rest[:at]) + rest[at:]
    query_at = rest.find("?")
    if query_at >= 0:
        rest = rest[:query_at] + _QUERY_PASSWORD.sub(r"\1\2=***", rest[query_at:])
    return f"{scheme}{sep}{rest}"
