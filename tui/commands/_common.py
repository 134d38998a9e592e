"""Helpers shared by the command modules: the operator, progress on a TTY, plain tables.

Not a command module itself (cli.COMMAND_MODULES does not list it).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from typing import TextIO

from models.errors import DomainError

# The same cell rules as the TUI's tables (cleaned, cut with "…", Swedish digit grouping);
# re-exported for the command modules.
from models.formatting import count_text as number
from models.formatting import fit, yes_no
from models.operators import Operator, resolve_operator
from models.schema import schema_problem
from models.text import clean

__all__ = [
    "Cancelled",
    "Progress",
    "SchemaMissing",
    "Utf8Out",
    "ask",
    "count_arg",
    "current_operator",
    "fit",
    "number",
    "print_table",
    "require_schema",
    "yes_no",
]


class SchemaMissing(DomainError):
    exit_code = 6


class Cancelled(DomainError):
    """The user ended a question with Ctrl-D: nothing was written. 130, as for Ctrl-C."""

    exit_code = 130

    def __init__(self) -> None:
        super().__init__("Avbrutet – ingenting ändrades.")


def ask(prompt: str) -> str:
    """input(), with Ctrl-D (end of input) as Cancelled instead of a traceback."""
    try:
        return input(prompt)
    except EOFError:
        print()  # the prompt's line stays unfinished otherwise
        raise Cancelled() from None


class Utf8Out:
    """Standard out as UTF-8 bytes, whatever the terminal's encoding: CSV written to `-` is
    the same file as one written to a path. Writes straight to the binary buffer (after
    flushing the text layer), so closing or losing this object never closes standard out.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self.stream.flush()
        self.buffer = self.stream.buffer

    def write(self, text: str) -> int:
        self.buffer.write(text.encode("utf-8"))
        return len(text)

    def flush(self) -> None:
        self.buffer.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()


def require_schema() -> None:
    """A clear sentence instead of a driver error when `init` has not been run, or the
    store's schema is older (or newer) than the program's."""
    problem = schema_problem()
    if problem:
        raise SchemaMissing(problem)


def current_operator() -> Operator:
    """The OS user (or REGIONADMIN_USER) as landstingsadministratör, or PermissionDenied."""
    require_schema()
    return resolve_operator()


def count_arg(text: str) -> int:
    """argparse type: a whole number >= 0, with a Swedish message."""
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"ska vara ett heltal 0 eller större (var {text!r})")
    return int(text)


class Progress:
    """Rows done, on stderr, only when stderr is a terminal, at most four times a second."""

    INTERVAL = 0.25

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.last = 0.0
        self.shown = False

    def rows(self, done: int) -> None:
        self._show(f"{number(done)} rader …")

    def stage(self, label: str, done: int, total: int) -> None:
        self._show(f"{label}: {number(done)} av {number(total)} …")

    def _show(self, text: str) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < self.INTERVAL:
            return
        self.last = now
        self.stream.write("\r" + text[:79].ljust(79))
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 79 + "\r")
            self.stream.flush()
            self.shown = False


def print_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[int] | None = None,
    out: TextIO | None = None,
    header: bool = True,
) -> None:
    """Aligned columns; every cell goes through clean(). With `widths`, cells are cut to fit
    an 80-column terminal; without, columns are as wide as their widest cell."""
    out = out or sys.stdout
    cells = [[clean(c) for c in row] for row in rows]
    if widths is None:
        widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    for row in ([list(headers)] if header else []) + cells:
        line = "  ".join(fit(c, w).ljust(w) for c, w in zip(row, widths, strict=True))
        print(line.rstrip(), file=out)
