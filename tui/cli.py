"""The command line: `regionadmin` alone starts the TUI; subcommands are the scriptable twin.

Each command group lives in tui/commands/<name>.py with `register(subparsers)`; a handler
gets the parsed arguments and returns an exit code. Domain errors become one Swedish line
on stderr and the error's exit code.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module

# Each command word and the module that registers it, in the order of the help. A command
# builds only its own module's parser: every command module (and the models behind them)
# was imported at each start, the TUI's too. --help, a word not listed here and
# `completion` build them all; tests/test_startup.py holds this table to what they register.
COMMANDS = {
    "init": "init",
    "demo": "demo",
    "import": "transfer",
    "export": "transfer",
    "unit": "unit",
    "grant": "grant",
    "admins": "admins",
    "operator": "operator",
    "report": "report",
    "hsa": "hsa",
    "config": "config",
    "completion": "completion",
}
COMMAND_MODULES = tuple(dict.fromkeys(COMMANDS.values()))
# The options ahead of the command word (argparse also takes unique prefixes of them).
_VALUE_OPTIONS = ("--db",)
_FLAG_OPTIONS = ("--version", "--mouse")

# argparse's own words, in Swedish (it looks them up through gettext at call time).
_SWEDISH = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "the following arguments are required: %s": "följande argument saknas: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "expected one argument": "ett värde saknas",
    "expected at most one argument": "högst ett värde får anges",
    "expected at least one argument": "minst ett värde krävs",
    "invalid %(type)s value: %(value)r": "ogiltigt värde: %(value)r",
    "not allowed with argument %s": "kan inte kombineras med %s",
    "one of the arguments %s is required": "ett av argumenten %s krävs",
    "ambiguous option: %(option)s could match %(matches)s": "tvetydig flagga: %(option)s kan betyda %(matches)s",
}


@contextmanager
def swedish_argparse() -> Iterator[None]:
    """Swap argparse's gettext for the Swedish table while our parser is built and used,
    so other argparse users in the same process (pytest) keep their own words."""
    original = argparse._
    # Not _SWEDISH.get(text, original(text)): gettext looks for a catalogue (and imports
    # locale) at each call, for words we never show.
    argparse._ = lambda text: _SWEDISH[text] if text in _SWEDISH else original(text)
    try:
        yield
    finally:
        argparse._ = original


class SwedishArgumentParser(argparse.ArgumentParser):
    """Errors as one Swedish line (no usage block) with a pointer to --help."""

    def error(self, message: str):  # type: ignore[override]
        from models.text import clean  # argparse quotes unknown arguments raw: ESC, newlines

        self.exit(2, f"{self.prog}: fel: {clean(message)} (se {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The whole parser, every command in it."""
    with swedish_argparse():
        return _build_parser()


@dataclass(frozen=True)
class _Leading:
    """The options before the command word, read as argparse reads them (unique prefixes,
    --option=value): one reading for every decision made before the parser is built."""

    db: str | None = None
    flags: frozenset[str] = frozenset()
    word: str | None = None
    other: str | None = None  # an option argparse will answer itself (--help) or refuse


def _leading(argv: list[str]) -> _Leading:
    db, flags, pending = None, set(), False
    for arg in argv:
        if pending:
            db, pending = arg, False
            continue
        if not (arg.startswith("-") and arg != "-"):
            return _Leading(db, frozenset(flags), word=arg)
        name, equals, value = arg.partition("=")
        if len(name) < 3 or not name.startswith("--"):
            return _Leading(db, frozenset(flags), other=arg)  # -h, or a short option
        if any(o.startswith(name) for o in _VALUE_OPTIONS):
            if equals:
                db = value
            else:
                pending = True
            continue
        matches = [o for o in _FLAG_OPTIONS if o.startswith(name)]
        if len(matches) != 1:
            return _Leading(db, frozenset(flags), other=arg)  # --help, or refused
        flags.add(matches[0])
    return _Leading(db, frozenset(flags))


def command_modules(argv: list[str]) -> tuple[str, ...]:
    """The command modules the parser needs for `argv`: the one of its command word, none
    without a command (the TUI, --version), all for --help or anything not recognised
    here, so that argparse's own help and messages stay those of the whole parser."""
    leading = _leading(argv)
    if leading.other is not None:
        return COMMAND_MODULES
    if leading.word is None:
        return ()
    module = COMMANDS.get(leading.word)
    return (module,) if module else COMMAND_MODULES


def _build_parser(modules: tuple[str, ...] = COMMAND_MODULES) -> argparse.ArgumentParser:
    parser = SwedishArgumentParser(
        prog="regionadmin",
        description="Landstingsadministratör för 1177 Vårdguidens e-tjänster. Utan kommando "
        "startar terminalprogrammet.",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="databas: sqlite:///sökväg.db eller postgresql://värd/db (utan "
        "användare: anslut som dig själv). Standard: REGIONADMIN_DB, "
        "config.toml (se regionadmin config) eller en fil i din "
        "datakatalog",
    )
    parser.add_argument(
        "--version", action="store_true", help="visa programmets version och avsluta"
    )
    parser.add_argument(
        "--mouse",
        action="store_true",
        default=None,
        help="terminalprogrammet: ta emot musen (av som standard: varje "
        "musrörelse kostar bytes på en långsam länk; slå på med mouse = "
        "true i config.toml)",
    )
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO")
    registered = 0
    for name in modules:
        try:
            module = import_module(f"tui.commands.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"tui.commands.{name}":
                raise
            continue
        module.register(sub)
        registered += 1
    if modules and not registered and modules != COMMAND_MODULES:
        return _build_parser()  # argparse names the commands there are
    return parser


def main(argv: list[str] | None = None) -> int:
    """The entry point: the command, with the process-level guards around it.

    - An argument (or REGIONADMIN_DB/REGIONADMIN_USER) that is not UTF-8 (a Latin-1
      terminal: Python keeps the bytes as surrogates) is one sentence and exit 2.
    - Standard out closed early (`regionadmin unit list | head -1`): no traceback; standard
      out goes to /dev/null and the exit code is 141 (128 + SIGPIPE), what a shell reports
      for a tool the pipe stopped, so `set -o pipefail` scripts still see a cut-off run.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    problem = _not_utf8(argv)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    for stream in (sys.stdout, sys.stderr):  # a non-UTF-8 terminal gets ? for what it lacks
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (OSError, ValueError):
                pass
    try:
        try:
            return _main(argv)
        finally:
            sys.stdout.flush()  # a closed pipe shows here, not as a traceback at exit
    except BrokenPipeError:
        _stdout_to_devnull()
        return 141


def _not_utf8(argv: list[str]) -> str:
    """The sentence for the first argument or variable that is not valid UTF-8, or ''."""
    import os

    advice = "ställ in terminalen på UTF-8 (till exempel LANG=sv_SE.UTF-8) och försök igen."
    for value in argv:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            from models.text import clean

            try:
                shown = value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            except UnicodeEncodeError:  # a surrogate no argv byte makes (main([...]) from code)
                shown = value.encode("utf-8", "backslashreplace").decode("utf-8")
            return f"Argumentet \u201d{clean(shown)}\u201d är inte UTF-8; {advice}"
    for name in ("REGIONADMIN_DB", "REGIONADMIN_USER"):  # the value may hold a password
        try:
            os.environ.get(name, "").encode("utf-8")
        except UnicodeEncodeError:
            return f"Miljövariabeln {name} är inte UTF-8; {advice}"
    return ""


def _stdout_to_devnull() -> None:
    """Point file descriptor 1 at /dev/null, so that flushing what is left at exit does not
    raise again (the usual recipe for BrokenPipeError)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a real file descriptor (a test's capture)


def _main(argv: list[str]) -> int:
    with swedish_argparse():
        parser = _build_parser(command_modules(argv))
        args = parser.parse_args(argv)
    if args.version:
        from importlib.metadata import version

        print(f"regionadmin {version('regionadmin')}")
        return 0
    from models.errors import DomainError
    from models.text import clean

    try:
        try:
            if getattr(args, "needs_db", True):  # `config` sets needs_db=False
                from models.db import open_database

                open_database(args.db)
        except ValueError as error:  # an unknown URL scheme: its message is Swedish
            print(clean(str(error)), file=sys.stderr)
            return 6
        if args.command is None:
            return run_tui(mouse=args.mouse)
        collect_garbage_again()
        return int(args.handler(args) or 0)
    except DomainError as error:
        # The sentence may quote a value from a file or the database: never let it drive
        # the administrator's terminal.
        print(clean(str(error)), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130
    except Exception as error:  # a database that cannot be reached, a full disk ...
        from models.db import database_error

        # PostgreSQL's refusals (3), a write lock held by an import (5), a full disk or a
        # store out of reach (6): one Swedish sentence, never the driver's English.
        problem = database_error(error)
        if problem is not None:
            print(clean(problem.message), file=sys.stderr)
            return problem.exit_code
        if isinstance(error, BrokenPipeError):
            raise  # main() closes quietly with 141
        from models.applog import unexpected

        # Anything else is a bug: the traceback goes to the log, the user gets a sentence.
        print(clean(unexpected(error, " ".join(argv[:2]))), file=sys.stderr)
        return 1


def run_tui(mouse: bool | None = None) -> int:
    from models.config import load_config
    from models.operators import resolve_operator
    from models.schema import schema_problem

    problem = schema_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 6
    operator = resolve_operator()
    from tui.app import RegionAdminApp

    config = load_config()
    if mouse is None:
        mouse = bool(config.mouse)
    app = RegionAdminApp(operator, keymap=config.keymap)
    collect_garbage_again()
    # Mouse tracking off unless asked for: pointer motion then writes nothing on the wire,
    # and the terminal's own text selection works.
    app.run(mouse=mouse)
    return app.return_code or 0


def collect_garbage_again() -> None:
    """regionadmin.entry() starts with the garbage collector off; the command (an import of
    millions of rows, the TUI for hours) runs with it on. What has loaded by then lives as
    long as the process: frozen, so that later collections do not walk it each time."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def entry() -> None:
    """The console script `regionadmin`: main() in a fresh process."""
    _skip_postgres_driver(sys.argv[1:])
    sys.exit(main())


# The command modules whose commands never open the store (they set needs_db=False).
NO_STORE_MODULES = ("config", "completion")


def _skip_postgres_driver(argv: list[str]) -> None:
    """On SQLite, and in a start that never opens the store (help, --version, config,
    completion), this process never needs the PostgreSQL driver, which peewee would import
    at start (about 0.1 s): tell peewee it is not there."""
    if "psycopg" in sys.modules:
        return
    if not _opens_no_store(argv):
        url = _leading(argv).db
        if not url:
            try:
                from models.config import resolve_database  # not models.db: no peewee yet

                url, _ = resolve_database()
            except Exception:  # a broken config file: main() says so in Swedish
                return
        if not url.startswith("sqlite:"):
            return
    sys.modules["psycopg"] = None  # type: ignore[assignment]
    sys.modules["psycopg2"] = None  # type: ignore[assignment]


def _opens_no_store(argv: list[str]) -> bool:
    """argparse ends the process at -h/--help wherever it stands (before a lone --), and
    --version, config and completion answer without the store."""
    options = argv[: argv.index("--")] if "--" in argv else argv
    if "-h" in options or "--help" in options:
        return True
    modules = command_modules(argv)
    if not modules:
        return "--version" in _leading(argv).flags
    return len(modules) == 1 and modules[0] in NO_STORE_MODULES


if __name__ == "__main__":
    entry()
