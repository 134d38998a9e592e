"""What goes on the wire: only the cells that changed, with the shortest colour codes.

Textual writes every update as whole strips: a repainted widget is sent again cell by cell
even where nothing changed, and every run of text carries its full colour code and a reset
(`ESC[0m ESC[1;38;5;195;48;5;32m text ESC[0m`). Over SSH on a slow link those bytes are
the program's cost. ScreenDiff sits between Textual and the terminal, as curses does: it
keeps a copy of what the terminal shows (a shadow screen), reads each update Textual writes
into a copy of it, and writes only the cells that differ, moving the cursor the shortest way
and changing only the colour attributes that change. A frame that repeats what the screen
shows writes nothing.

It is conservative. Anything it does not fully understand (an escape sequence that erases
or scrolls, a hyperlink, a character whose width it cannot tell, text past the edge) is
passed through untouched, and the cells it may have touched count as unknown, so they are
written in full the next time. A resize (SIGWINCH, or a different size at the next write)
forgets the whole shadow, and so does Ctrl+L in the app. REGIONADMIN_SCREEN_DIFF=0 turns
it off.
"""

from __future__ import annotations

import os
import re
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from rich.cells import get_character_cell_size

ENV_SWITCH = "REGIONADMIN_SCREEN_DIFF"
SYNC_BEGIN, SYNC_END = "\x1b[?2026h", "\x1b[?2026l"

# --- SGR (colour and attribute) state ------------------------------------------------------
# An SGR state is a tuple: the on/off attributes in ATTRS order, then fg, then bg (each the
# parameter text that sets it, e.g. "38;5;253", "31", or "" for the terminal's default).
ATTRS = (
    "bold",
    "dim",
    "italic",
    "underline",
    "underline2",
    "blink",
    "blink2",
    "reverse",
    "conceal",
    "strike",
    "frame",
    "encircle",
    "overline",
)
_ON = {1: 0, 2: 1, 3: 2, 4: 3, 21: 4, 5: 5, 6: 6, 7: 7, 8: 8, 9: 9, 51: 10, 52: 11, 53: 12}
_OFF = {
    22: (0, 1),
    23: (2,),
    24: (3, 4),
    25: (5, 6),
    27: (7,),
    28: (8,),
    29: (9,),
    54: (10, 11),
    55: (12,),
}
_ON_CODE = {index: str(code) for code, index in _ON.items()}
# The code that turns an attribute off, and every attribute that code turns off with it.
_OFF_CODE = {index: (str(code), group) for code, group in _OFF.items() for index in group}
FG, BG = len(ATTRS), len(ATTRS) + 1
DEFAULT: tuple = (False,) * len(ATTRS) + ("", "")
UNKNOWN = None  # a terminal state (SGR or cell) we cannot vouch for


class Unsupported(Exception):
    """Input this module does not model: pass the write through and forget the shadow."""


def apply_sgr(state: tuple, params: str) -> tuple:
    """The SGR state after `ESC[{params}m` (raises Unsupported for codes not modelled)."""
    if not params:
        return DEFAULT
    if ":" in params:
        raise Unsupported(params)
    values = [int(p) if p else 0 for p in params.split(";")]
    attrs = list(state[:FG])
    fg, bg = state[FG], state[BG]
    i = 0
    while i < len(values):
        code = values[i]
        if code == 0:
            attrs, fg, bg = list(DEFAULT[:FG]), "", ""
        elif code in _ON:
            attrs[_ON[code]] = True
        elif code in _OFF:
            for index in _OFF[code]:
                attrs[index] = False
        elif 30 <= code <= 37 or 90 <= code <= 97:
            fg = str(code)
        elif 40 <= code <= 47 or 100 <= code <= 107:
            bg = str(code)
        elif code == 39:
            fg = ""
        elif code == 49:
            bg = ""
        elif code in (38, 48):
            kind = values[i + 1] if i + 1 < len(values) else None
            if kind == 5 and i + 2 < len(values):
                colour, i = f"{code};5;{values[i + 2]}", i + 2
            elif kind == 2 and i + 4 < len(values):
                colour = f"{code};2;{values[i + 2]};{values[i + 3]};{values[i + 4]}"
                i += 4
            else:
                raise Unsupported(params)
            if code == 38:
                fg = colour
            else:
                bg = colour
        else:
            raise Unsupported(params)
        i += 1
    return (*attrs, fg, bg)


def _full_codes(state: tuple) -> list[str]:
    codes = [_ON_CODE[i] for i in range(FG) if state[i]]
    if state[FG]:
        codes.append(state[FG])
    if state[BG]:
        codes.append(state[BG])
    return codes


def sgr_change(old: tuple | None, new: tuple) -> str:
    """The shortest SGR sequence that takes the terminal from `old` to `new` ('' if none)."""
    if old == new:
        return ""
    reset = "\x1b[" + ";".join(["0", *_full_codes(new)]) + "m"
    if old is UNKNOWN:
        return "\x1b[0m" if new == DEFAULT else reset
    codes: list[str] = []
    turned_on = set()
    for index in range(FG):
        if old[index] and not new[index]:
            code, group = _OFF_CODE[index]
            if code not in codes:
                codes.append(code)
                # The same code turns its partners off too (22: bold and dim): back on.
                turned_on.update(i for i in group if new[i])
    for index in range(FG):
        if new[index] and (not old[index] or index in turned_on):
            codes.append(_ON_CODE[index])
    if old[FG] != new[FG]:
        codes.append(new[FG] or "39")
    if old[BG] != new[BG]:
        codes.append(new[BG] or "49")
    change = "\x1b[" + ";".join(codes) + "m"
    return change if len(change) <= len(reset) else reset


# --- the screen model ------------------------------------------------------------------
# A cell is (text, sgr state, width): width 1 or 2 for a character, 0 for the right half of
# a wide one (text ""). UNKNOWN: the terminal may show anything there.
Cell = tuple

_TOKEN = re.compile(
    r"(?P<csi>\x1b\[(?P<params>[0-?]*)(?P<inter>[ -/]*)(?P<final>[@-~]))"
    r"|(?P<osc>\x1b\][^\x07\x1b]*(?:\x07|\x1b\\))"
    r"|(?P<esc>\x1b[ -/]*[0-~])"
    r"|(?P<ctrl>[\x00-\x1f\x7f])"
    r"|(?P<text>[^\x00-\x1f\x7f]+)",
    re.DOTALL,
)
# Private modes that switch screens: what the terminal shows is then unknown.
_SCREEN_SWITCH = {"?1049", "?47", "?1047"}


@dataclass
class ScreenDiff:
    """Turns Textual's writes into the smallest writes that leave the same screen."""

    width: int
    height: int
    size_of_terminal: Callable[[], tuple[int, int]] | None = None
    shadow: list[list[Cell | None]] = field(init=False)
    _cursor: tuple[int, int] | None = field(init=False, default=None)  # where ours left it
    _sgr: tuple | None = field(init=False, default=UNKNOWN)  # the terminal's SGR state
    _in_cursor: tuple[int, int] | None = field(init=False, default=None)  # Textual's cursor
    _in_sgr: tuple = field(init=False, default=DEFAULT)  # Textual's idea of the SGR state
    _stale: bool = field(init=False, default=False)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.shadow = self._blank(UNKNOWN)

    def _blank(self, cell: Cell | None) -> list[list[Cell | None]]:
        return [[cell] * self.width for _ in range(self.height)]

    def invalidate(self) -> None:
        """Forget what the terminal shows (after a resize; safe to call from a signal)."""
        self._stale = True

    def _forget(self) -> None:
        self._stale = False
        if self.size_of_terminal is not None:
            try:
                width, height = self.size_of_terminal()
            except OSError:
                width, height = self.width, self.height
            self.width, self.height = max(1, width), max(1, height)
        self.shadow = self._blank(UNKNOWN)
        self._cursor = None
        self._sgr = UNKNOWN

    # --- one write ----------------------------------------------------------------
    def feed(self, data: str) -> str:
        """What to send instead of `data`."""
        with self._lock:
            if self._stale:
                self._forget()
            elif self.size_of_terminal is not None:
                try:
                    size = self.size_of_terminal()
                except OSError:
                    size = (self.width, self.height)
                if size != (self.width, self.height):
                    self._forget()
            saved = (self._cursor, self._sgr, self._in_cursor, self._in_sgr)
            try:
                return self._feed(data)
            except Unsupported:
                # Nothing of the attempt was sent: back to the state before it.
                self._cursor, self._sgr, self._in_cursor, self._in_sgr = saved
                return self._passthrough(data)

    def _passthrough(self, data: str) -> str:
        """Send `data` as it is, from the SGR state Textual assumed; forget the screen."""
        prefix = "" if self._sgr == self._in_sgr else sgr_change(self._sgr, self._in_sgr)
        self.shadow = self._blank(UNKNOWN)
        self._cursor = self._in_cursor = None
        self._sgr = UNKNOWN
        self._in_sgr = DEFAULT  # Textual ends every segment with a reset
        return prefix + data

    def _feed(self, data: str) -> str:
        out: list[str] = []
        pending = [row[:] for row in self.shadow]
        touched = False
        cursor, sgr = self._in_cursor, self._in_sgr
        pos = 0
        for match in _TOKEN.finditer(data):
            if match.start() != pos:
                raise Unsupported("unparsed input")
            pos = match.end()
            kind = match.lastgroup
            if kind == "text":
                cursor = self._put(pending, cursor, sgr, match.group())
                touched = True
            elif kind == "csi":
                params, inter, final = match.group("params", "inter", "final")
                if inter:
                    out.extend(self._flush(pending, touched))
                    touched = False
                    out.append(match.group())
                elif final == "m":
                    sgr = apply_sgr(sgr, params)
                elif final in "Hf" and not params.startswith("?"):
                    row, _, col = params.partition(";")
                    cursor = (int(row or 1) - 1, int(col or 1) - 1)
                elif final in "hl" and params.startswith("?"):
                    out.extend(self._flush(pending, touched))
                    touched = False
                    out.append(match.group())
                    if set(params.split(";")) & _SCREEN_SWITCH:
                        pending = self._blank(UNKNOWN)
                        self.shadow = self._blank(UNKNOWN)
                        self._cursor, self._sgr = None, UNKNOWN
                elif final in "su" and not params:
                    raise Unsupported(match.group())  # SCOSC/SCORC move the cursor
                elif final in "nucptq":
                    # Queries and modes that neither draw nor move what is drawn: DSR, DA,
                    # kitty keyboard flags, window reports.
                    out.extend(self._flush(pending, touched))
                    touched = False
                    out.append(match.group())
                else:
                    raise Unsupported(match.group())  # erase, scroll, insert, delete ...
            elif kind == "osc":
                if match.group().startswith("\x1b]8;"):
                    raise Unsupported("hyperlink")
                out.extend(self._flush(pending, touched))
                touched = False
                out.append(match.group())
            elif kind == "ctrl":
                char = match.group()
                if char == "\r" and cursor is not None:
                    cursor = (cursor[0], 0)
                elif char == "\n" and cursor is not None and cursor[0] + 1 < self.height:
                    cursor = (cursor[0] + 1, cursor[1])
                elif char == "\x07":
                    out.extend(self._flush(pending, touched))
                    touched = False
                    out.append(char)
                else:
                    raise Unsupported(repr(char))
            else:
                raise Unsupported(match.group())
        if pos != len(data):
            raise Unsupported("unparsed input")
        self._in_cursor, self._in_sgr = cursor, sgr
        out.extend(self._flush(pending, touched))
        if out and cursor is not None:
            out.append(self._move(cursor))  # where Textual leaves the cursor (IME)
        return "".join(out)

    def _put(
        self, grid: list[list[Cell | None]], cursor: tuple[int, int] | None, sgr: tuple, text: str
    ) -> tuple[int, int]:
        if cursor is None:
            raise Unsupported("text at an unknown place")
        if "\u200d" in text or "\ufe0f" in text:
            raise Unsupported("joined characters")
        row, col = cursor
        if not 0 <= row < self.height:
            raise Unsupported("text outside the screen")
        line = grid[row]
        for char in text:
            size = get_character_cell_size(char)
            if size == 0:
                if col == 0 or line[col - 1] is None:
                    raise Unsupported("a combining character without a base")
                base = col - 1 if line[col - 1][2] else col - 2  # onto the wide head
                if base < 0 or line[base] is None:
                    raise Unsupported("a combining character without a base")
                text_, style, width = line[base]
                line[base] = (text_ + char, style, width)
                continue
            if col + size > self.width:
                raise Unsupported("text past the right edge")
            self._break_wide(line, col)
            if size == 2:
                self._break_wide(line, col + 1)
                line[col] = (char, sgr, 2)
                line[col + 1] = ("", sgr, 0)
            else:
                line[col] = (char, sgr, 1)
            col += size
        return row, col

    @staticmethod
    def _break_wide(line: list[Cell | None], col: int) -> None:
        """Writing at `col` splits a wide character there: its other half is unknown."""
        cell = line[col]
        if cell is None:
            return
        if cell[2] == 0 and col > 0:
            line[col - 1] = None
        elif cell[2] == 2 and col + 1 < len(line):
            line[col + 1] = None

    # --- output -------------------------------------------------------------------
    def _move(self, target: tuple[int, int]) -> str:
        """The shortest way from our cursor to `target` (row, col)."""
        row, col = target
        here, self._cursor = self._cursor, target
        if here == target:
            return ""
        absolute = f"\x1b[{row + 1}H" if col == 0 else f"\x1b[{row + 1};{col + 1}H"
        if here is not None:
            here_row, here_col = here
            if here_row == row and col > here_col:
                forward = "\x1b[C" if col - here_col == 1 else f"\x1b[{col - here_col}C"
                return min(forward, absolute, key=len)
            if col == 0 and here_row == row:
                return "\r"
            if col == 0 and row == here_row + 1:
                return "\r\n"
        return absolute

    def _flush(self, pending: list[list[Cell | None]], touched: bool) -> list[str]:
        """Write the cells of `pending` that differ from the shadow; it becomes the shadow."""
        if not touched:
            return []
        out: list[str] = []
        for row in range(self.height):
            new, old = pending[row], self.shadow[row]
            if new == old:
                continue
            changed = self._changed(new, old)
            if changed:
                out.extend(self._write_row(row, new, old, changed))
            for col in range(self.width):
                old[col] = new[col]
        return out

    def _changed(self, new: list[Cell | None], old: list[Cell | None]) -> list[int]:
        """Columns to write: cells that differ, widened over wide characters."""
        width = self.width
        marks = [False] * width
        for col in range(width):
            cell = new[col]
            if cell is not None and cell != old[col]:
                marks[col] = True
        # Writing over one half of a wide character on the terminal erases the other half.
        for col in range(width):
            if not marks[col]:
                continue
            previous = old[col]
            if previous is not None and previous[2] == 0 and col > 0:
                marks[col - 1] = True
            if previous is not None and previous[2] == 2 and col + 1 < width:
                marks[col + 1] = True
        for col in range(width):
            cell = new[col]
            if marks[col] and cell is not None and cell[2] == 0 and col > 0:
                marks[col - 1] = True  # a run starts at the character, not its right half
        changed = []
        for col in range(width):
            if marks[col]:
                if new[col] is None:
                    old[col] = None  # erased on the terminal, nothing known to write
                else:
                    changed.append(col)
        return changed

    def _write_row(
        self, row: int, new: list[Cell | None], old: list[Cell | None], changed: list[int]
    ) -> list[str]:
        # Runs of changed columns; a gap of unchanged cells is written again when that is
        # shorter than moving the cursor over it.
        runs: list[list[int]] = []
        for col in changed:
            if runs and col == runs[-1][1]:
                runs[-1][1] = col + 1
            elif runs and self._gap_is_cheap(new, runs[-1][1], col):
                runs[-1][1] = col + 1
            else:
                runs.append([col, col + 1])
        out: list[str] = []
        for start, end in runs:
            for col in range(start, end):
                cell = new[col]
                if cell is None or cell[2] == 0:
                    continue  # the right half of a wide character: written with it
                out.append(self._move((row, col)))
                text, style, width = cell
                out.append(sgr_change(self._sgr, style))
                self._sgr = style
                out.append(text)
                # With autowrap off the cursor stays on the last column after writing
                # there; not counted on: the next move is absolute.
                self._cursor = (row, col + width) if col + width < self.width else None
        return out

    def _gap_is_cheap(self, new: list[Cell | None], start: int, end: int) -> bool:
        if end - start > 6:
            return False
        cost, sgr = 0, self._sgr
        for col in range(start, end):
            cell = new[col]
            if cell is None:
                return False
            if cell[2] == 0:
                continue
            cost += len(sgr_change(sgr, cell[1])) + len(cell[0].encode())
            sgr = cell[1]
        return cost <= 6


def enabled(environ: dict[str, str] | os._Environ = os.environ) -> bool:
    return environ.get(ENV_SWITCH, "1").strip().lower() not in ("0", "no", "off", "false")


def diffing_driver(base: type) -> type:
    """`base` (a Textual Driver class) writing through a ScreenDiff."""

    class DiffingDriver(base):  # type: ignore[misc, valid-type]
        _screen_diff: ScreenDiff | None = None

        def _terminal_size(self) -> tuple[int, int]:
            getter = getattr(self, "_get_terminal_size", None)
            if getter is not None:
                return getter()
            size = os.get_terminal_size()
            return size.columns, size.lines

        def start_application_mode(self) -> None:
            width, height = self._terminal_size()
            self._screen_diff = ScreenDiff(width, height, self._terminal_size)
            super().start_application_mode()
            handler = signal.getsignal(signal.SIGWINCH) if hasattr(signal, "SIGWINCH") else None
            if callable(handler):
                diff = self._screen_diff

                def on_resize(signum, frame) -> None:
                    diff.invalidate()
                    handler(signum, frame)

                signal.signal(signal.SIGWINCH, on_resize)

        def stop_application_mode(self) -> None:
            diff, self._screen_diff = self._screen_diff, None
            if diff is not None:
                # Leave the terminal in the state Textual expects (no colour attributes).
                super().write(sgr_change(diff._sgr, DEFAULT))
            super().stop_application_mode()

        _held_sync = False  # a "begin synchronized update" not sent yet

        def write(self, data: str) -> None:
            diff = self._screen_diff
            if diff is None or not data:
                super().write(data)
                return
            # Textual wraps each frame in begin/end synchronized update (when the terminal
            # has them); a frame that changes nothing then costs neither.
            if data == SYNC_BEGIN:
                self._held_sync = True
                return
            if data == SYNC_END and self._held_sync:
                self._held_sync = False
                return
            data = diff.feed(data)
            if data and self._held_sync:
                self._held_sync = False
                data = SYNC_BEGIN + data
            if data:
                super().write(data)

        def redraw(self) -> None:
            """Forget the shadow: the next frames are written whole (Ctrl+L)."""
            if self._screen_diff is not None:
                self._screen_diff.invalidate()

    DiffingDriver.__name__ = f"Diffing{base.__name__}"
    DiffingDriver.__qualname__ = DiffingDriver.__name__
    return DiffingDriver
