"""The slow link: what the program writes to the terminal (see benchmarks/tui_wire.py for the
figures). Timing-independent invariants only:

- tui.widgets.wire.ScreenDiff leaves exactly the screen Textual meant, writes nothing for a
  frame that changes nothing and only the changed cells otherwise;
- a focus change (Tab) repaints the fields concerned, not the screen, and the footer is
  rebuilt only when its keys change; a page and the data it asks for as it opens are drawn
  as one frame; a dialog leaves the page below untinted;
- the shell, the dialogs and the frame of every page fit and work at 60x20, and a resize
  lays them out again;
- through a real pseudo-terminal: a Tab costs well under 2 KB and idle nothing, a resize
  about one screen, plain terminals (TERM=linux, vt100, screen, dumb) start, and TERM=dumb
  gets no 24-bit colour.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rich.cells import get_character_cell_size
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.command import CommandInput
from textual.widgets import Button, DataTable, Footer

from models import db as dbmod
from models.operators import accept_terms
from models.schema import init_schema
from tests.factories import build_world
from tests.idle import settle
from tests.tui_support import SIZE, make_app, press
from tui.app import RegionAdminApp
from tui.pages import PAGES
from tui.screens.menu import MenuScreen
from tui.screens.rename import RenameScreen
from tui.widgets import wire
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.quiet_footer import QuietFooter
from tui.widgets.text_dialog import TextDialog
from tui.widgets.wire import DEFAULT, ScreenDiff, apply_sgr, sgr_change

SMALL = (60, 20)


# --- a small terminal, independent of tui.widgets.wire ----------------------------------
class Term:
    """Enough of a VT100 to check what a stream leaves on the screen: CUP, CUF, CR, LF,
    SGR (attributes and colours), wide characters, modes ignored; anything else fails."""

    SEQ = re.compile(
        r"\x1b\[([0-?]*)([ -/]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
        r"|([\r\n\x07])|([^\x00-\x1f\x7f\x1b]+)"
    )

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.cells = [[(" ", ()) for _ in range(width)] for _ in range(height)]
        self.row = self.col = 0
        self.style: dict[str, str] = {}

    def feed(self, data: str) -> None:
        pos = 0
        for m in self.SEQ.finditer(data):
            assert m.start() == pos, f"unexpected input {data[pos : pos + 20]!r}"
            pos = m.end()
            params, inter, final, ctrl, text = m.groups()
            if text:
                self._text(text)
            elif ctrl == "\r":
                self.col = 0
            elif ctrl == "\n":
                self.row = min(self.row + 1, self.height - 1)
            elif final == "H":
                row, _, col = (params or "").partition(";")
                self.row, self.col = int(row or 1) - 1, int(col or 1) - 1
            elif final == "C" and not inter:
                self.col = min(self.col + int(params or 1), self.width - 1)
            elif final == "m":
                self._sgr(params)
        assert pos == len(data), f"unexpected input {data[pos : pos + 20]!r}"

    def _sgr(self, params: str) -> None:
        codes = [int(p) if p else 0 for p in params.split(";")] if params else [0]
        i = 0
        names = {1: "bold", 2: "dim", 3: "italic", 4: "underline", 7: "reverse", 9: "strike"}
        offs = {
            22: ("bold", "dim"),
            23: ("italic",),
            24: ("underline",),
            27: ("reverse",),
            29: ("strike",),
        }
        while i < len(codes):
            code = codes[i]
            if code == 0:
                self.style = {}
            elif code in names:
                self.style[names[code]] = "on"
            elif code in offs:
                for name in offs[code]:
                    self.style.pop(name, None)
            elif code in (38, 48):
                n = 3 if codes[i + 1] == 5 else 5
                self.style["fg" if code == 38 else "bg"] = ";".join(map(str, codes[i : i + n]))
                i += n - 1
            elif code in (39, 49):
                self.style.pop("fg" if code == 39 else "bg", None)
            elif 30 <= code <= 37 or 90 <= code <= 97:
                self.style["fg"] = str(code)
            elif 40 <= code <= 47 or 100 <= code <= 107:
                self.style["bg"] = str(code)
            else:
                raise AssertionError(f"SGR {code} not modelled")
            i += 1

    def _text(self, text: str) -> None:
        style = tuple(sorted(self.style.items()))
        line = self.cells[self.row]
        for char in text:
            size = get_character_cell_size(char)
            if self.col >= self.width:
                self.col = self.width - 1
            for col in (self.col, self.col + size - 1):  # break wide characters under it
                if line[col][0] == "" and col > 0:
                    line[col - 1] = (" ", line[col - 1][1])
                if col + 1 < self.width and line[col + 1][0] == "":
                    line[col + 1] = (" ", line[col + 1][1])
            line[self.col] = (char, style)
            if size == 2:
                line[self.col + 1] = ("", style)
            self.col = min(self.col + size, self.width)

    def screen(self) -> list[list[tuple]]:
        return [row[:] for row in self.cells]


def frame(lines: list[str], sgr: str = "\x1b[38;5;253;48;5;234m") -> str:
    """A full frame the way Textual writes one: a move per line, styled runs, resets."""
    out = []
    for y, text in enumerate(lines):
        out.append(f"\x1b[{y + 1};1H{sgr}{text}\x1b[0m")
    return "".join(out)


def through(diff: ScreenDiff, *writes: str) -> tuple[Term, Term, list[str]]:
    """The same writes straight and through `diff`: both terminals and the filtered writes."""
    straight, filtered = Term(diff.width, diff.height), Term(diff.width, diff.height)
    outs = []
    for data in writes:
        straight.feed(data)
        out = diff.feed(data)
        filtered.feed(out)
        outs.append(out)
        assert filtered.screen() == straight.screen()
    return straight, filtered, outs


# --- ScreenDiff --------------------------------------------------------------------------
def test_a_first_frame_is_written_whole_and_the_same_frame_again_writes_nothing():
    diff = ScreenDiff(20, 3)
    first = frame(["Vårdmottagningar".ljust(20), "  [a] Aktivera".ljust(20), " " * 20])
    _, _, outs = through(diff, first, first)
    assert "Vårdmottagningar" in outs[0] and "Aktivera" in outs[0]
    assert len(outs[0].encode()) < len(first.encode())  # one colour code, not one a run
    assert outs[1] == ""


def test_only_changed_cells_are_written():
    diff = ScreenDiff(30, 4)
    lines = [
        "Rapporter".ljust(30),
        "Från 2026-11-01".ljust(30),
        "Till 2026-11-30".ljust(30),
        " " * 30,
    ]
    changed = lines[:]
    changed[2] = "Till 2026-11-29".ljust(30)
    _, _, outs = through(diff, frame(lines), frame(changed))
    assert "9" in outs[1] and "Till" not in outs[1] and "Rapporter" not in outs[1]
    assert len(outs[1]) < 20


def test_colour_changes_are_the_shortest_sgr():
    bold_blue = apply_sgr(DEFAULT, "1;38;5;195;48;5;32")
    blue = apply_sgr(DEFAULT, "38;5;195;48;5;32")
    assert sgr_change(bold_blue, blue) == "\x1b[22m"
    assert sgr_change(blue, bold_blue) == "\x1b[1m"
    assert sgr_change(blue, blue) == ""
    dim_bold = apply_sgr(DEFAULT, "1;2")
    assert Term_after(dim_bold, apply_sgr(DEFAULT, "2")) == {"dim": "on"}
    assert sgr_change(None, DEFAULT) == "\x1b[0m"
    assert sgr_change(apply_sgr(DEFAULT, "7"), DEFAULT) in ("\x1b[27m", "\x1b[0m")


def Term_after(old: tuple, new: tuple) -> dict:  # noqa: N802 - reads like the Term it uses
    """The style a terminal ends with after `old`'s codes and then sgr_change(old, new)."""
    term = Term(4, 1)
    term.feed("\x1b[0;" + ";".join(c for c in wire._full_codes(old)) + "m")
    term.feed(sgr_change(old, new))
    return term.style


def test_wide_characters_and_their_halves():
    diff = ScreenDiff(10, 2)
    through(
        diff,
        frame(["漢字abcdef", "x" * 10]),
        frame(["a漢字bcdef", "x" * 10]),
        frame(["ab" + "c" * 8, "x" * 10]),
        frame(["漢字abcdef", "y" * 10]),
    )


def test_escape_sequences_it_does_not_model_pass_through_and_the_screen_is_forgotten():
    diff = ScreenDiff(10, 2)
    first = frame(["a" * 10, "b" * 10])
    through(diff, first)
    cleared = diff.feed("\x1b[2J")
    assert cleared == "\x1b[0m\x1b[2J" or cleared.endswith("\x1b[2J")
    again = diff.feed(first)
    assert "a" * 10 in again and "b" * 10 in again  # written whole: the screen is unknown


def test_a_write_it_gives_up_on_halfway_goes_out_whole_from_the_right_colours():
    diff = ScreenDiff(10, 2)
    first = frame(["a" * 10, "b" * 10])
    # A mode switch (flushed on the way), then an erase it does not model.
    second = "\x1b[?25l" + frame(["c" * 10, "d" * 10]) + "\x1b[2J\x1b[1;1H\x1b[1mX\x1b[0m"
    through(diff, first)
    out = diff.feed(second)
    assert out.endswith(second) and len(out) - len(second) <= len("\x1b[0m")
    through(diff, first)  # and it starts again from an unknown screen


def test_modes_and_queries_pass_through_in_order():
    diff = ScreenDiff(10, 1)
    out = diff.feed("\x1b[?25l\x1b[1;1Habc\x1b[?2026$p")
    assert out.startswith("\x1b[?25l") and out.index("abc") < out.index("\x1b[?2026$p")


def test_a_resize_or_ctrl_l_forgets_the_screen():
    size = [10, 2]
    diff = ScreenDiff(10, 2, lambda: tuple(size))
    first = frame(["a" * 10, "b" * 10])
    assert diff.feed(first)
    assert diff.feed(first) == ""
    size[:] = [8, 2]
    assert "a" * 8 in diff.feed(frame(["a" * 8, "b" * 8]))
    diff.invalidate()
    assert "a" * 8 in diff.feed(frame(["a" * 8, "b" * 8]))


class _FakeDriver:
    def __init__(self) -> None:
        self.written: list[str] = []

    def _get_terminal_size(self) -> tuple[int, int]:
        return 10, 2

    def start_application_mode(self) -> None:
        pass

    def stop_application_mode(self) -> None:
        pass

    def write(self, data: str) -> None:
        self.written.append(data)


def test_synchronized_updates_around_a_frame_that_changes_nothing_are_dropped():
    driver = wire.diffing_driver(_FakeDriver)()
    driver.start_application_mode()
    first = frame(["a" * 10, "b" * 10])
    for data in (wire.SYNC_BEGIN, first, wire.SYNC_END):
        driver.write(data)
    assert driver.written[0].startswith(wire.SYNC_BEGIN) and driver.written[-1] == wire.SYNC_END
    sent = len(driver.written)
    for data in (wire.SYNC_BEGIN, first, wire.SYNC_END):
        driver.write(data)
    assert len(driver.written) == sent  # nothing at all for the same frame
    driver.stop_application_mode()
    assert driver.written[-1] == "\x1b[0m"  # colours back to the terminal's default


def test_the_switch_turns_it_off():
    assert wire.enabled({})
    assert not wire.enabled({wire.ENV_SWITCH: "0"})


# --- Pilot: what Textual repaints ---------------------------------------------------------
@contextmanager
def updates(app: RegionAdminApp) -> Iterator[list[int]]:
    """The number of cells in each screen update sent towards the terminal."""
    cells: list[int] = []
    original = app._display

    def display(screen, renderable) -> None:
        if isinstance(renderable, LayoutUpdate):
            cells.append(renderable.region.area)
        elif isinstance(renderable, ChopsUpdate):
            cells.append(sum(x2 - x1 for _y, x1, x2 in renderable.spans))
        original(screen, renderable)

    app._display = display  # type: ignore[method-assign]
    try:
        yield cells
    finally:
        del app._display


async def test_tab_repaints_the_fields_not_the_screen(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "r", "enter")  # Rapporter, into the form
        for key in ("tab", "tab", "shift+tab"):
            with updates(app) as cells:
                await press(pilot, key)
            # The whole screen is 1,920 cells; two field rows are about 100.
            assert cells and sum(cells) < 480, (key, cells)


async def test_a_move_in_the_report_list_keeps_the_form_in_place(sqlite_db):
    """The form of the highlighted report follows each move, but Format, Fil and the
    buttons keep their lines (the parameters always take three) and the hidden help text is
    written when the help opens, not on every move."""
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "r")
        screen = app.screen
        help_text = screen.query_one("#report-help-text")
        written: list[str] = []
        update = help_text.update

        def counted(*args, **kwargs):
            written.append(str(args[0]) if args else "")
            return update(*args, **kwargs)

        help_text.update = counted  # type: ignore[method-assign]
        lines = {
            selector: screen.query_one(selector).region.y
            for selector in ("#row-format", "#row-output", "#form-buttons")
        }
        titles = set()
        for _ in range(8):
            await press(pilot, "down")
            titles.add(str(screen.query_one("#form-title").content))
            for selector, y in lines.items():
                assert screen.query_one(selector).region.y == y, selector
        assert len(titles) == 8 and not written
        await press(pilot, "f1")
        assert written and "Ärendetyper per mottagning" in written[-1]


async def test_the_footer_is_rebuilt_only_when_its_keys_change(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "r", "enter")
        footer = app.screen.query_one(QuietFooter)
        rebuilt = []
        original = footer.recompose

        async def recompose() -> None:
            rebuilt.append(1)
            await original()

        footer.recompose = recompose  # type: ignore[method-assign]
        await press(pilot, "tab", "tab", "tab")
        assert not rebuilt
        await press(pilot, "escape", "a")  # Aktivera: F2 is Visa on the first step
        footer = app.screen.query_one(Footer)
        assert isinstance(footer, QuietFooter)
        assert "Visa" in _footer_text(footer)


def _footer_text(footer: Footer) -> str:
    return " ".join(str(key.render()) for key in footer.query("FooterKey"))


async def test_steps_change_the_footer(sqlite_db):
    app, world = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "a")
        await pilot.press(*world.free_hsa)
        await press(pilot, "enter")
        text = _footer_text(app.screen.query_one(Footer))
        assert "Gå vidare" in text and "Visa" not in text.replace("Visa som", "")


async def test_a_page_and_its_data_are_drawn_as_one_frame(sqlite_db):
    """Ändra namn asks for its units as it opens: no frame shows its table empty."""
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows_when_drawn: list[int] = []
        original = app._display

        def display(screen, renderable) -> None:
            # Held (a batch): Textual drops the frame, nothing reaches the terminal.
            if renderable is not None and isinstance(screen, RenameScreen) and not app._batch_count:
                rows_when_drawn.append(screen.query_one(DataTable).row_count)
            original(screen, renderable)

        app._display = display  # type: ignore[method-assign]
        try:
            await press(pilot, "n")
            await pilot.press("escape")  # the menu again: the units page resumes below
            await press(pilot, "n")
        finally:
            del app._display
        assert rows_when_drawn and all(rows_when_drawn), rows_when_drawn


async def test_a_dialog_leaves_the_page_below_as_it_is(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ConfirmDialog("Inaktivera?"))
        await settle(pilot)
        # Untinted: the menu's cells stay as they are, so the wire diff writes the dialog
        # box alone (Textual still sends a full frame).
        assert app.screen.styles.background.a == 0
        menu_title = app.screen_stack[-2].query_one("#page-title")
        assert app.screen.get_style_at(1, 0).bgcolor == menu_title.rich_style.bgcolor


async def test_a_resize_recomputes_the_layout(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "f1")
        await pilot.resize_terminal(*SMALL)
        await settle(pilot)
        screen = app.screen
        for selector in ("#page-title", "#help", "#menu", "Footer"):
            assert _inside(screen.query_one(selector), SMALL), selector
        assert screen.query_one("#help").region.width == SMALL[0]


# --- 60x20 ------------------------------------------------------------------------------
def _inside(widget, size: tuple[int, int]) -> bool:
    region = widget.region
    return (
        region.width > 0
        and region.height > 0
        and region.x >= 0
        and region.y >= 0
        and region.right <= size[0]
        and region.bottom <= size[1]
    )


async def test_a_body_taller_than_the_terminal_scrolls_to_the_focused_button(sqlite_db):
    app, world = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "i")
        await pilot.press(*world.active_hsa)
        await press(pilot, "enter")  # the checklist: taller than 20 rows
        assert isinstance(app.screen.focused, Button)
        assert _inside(app.screen.focused, SMALL)
        title = app.screen.query_one("#page-title")
        assert str(title.render()) == "Inaktivera mottagning  ·  Region Stockholm"
        footer = app.screen.query_one(QuietFooter)
        assert "Inaktivera" in _footer_text(footer) and "Sök/gå till" not in _footer_text(
            footer
        )  # packed closer, without the palette's key, so the page's keys fit


async def test_the_shell_at_60x20(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MenuScreen)
        for selector in ("#page-title", "#menu", "Footer"):
            assert _inside(screen.query_one(selector), SMALL), selector
        await press(pilot, "f1")
        help_panel = screen.query_one("#help")
        assert _inside(help_panel, SMALL) and help_panel.region.height <= 10
        assert _inside(screen.query_one("#menu"), SMALL)
        # The menu scrolls under the help text: its last page is reachable and in sight.
        await press(pilot, "up")  # from the first page round to the last
        menu = screen.query_one("#menu")
        assert menu.highlighted == menu.option_count - 1
        line = menu._index_to_line[menu.highlighted]
        assert menu.scroll_offset.y <= line < menu.scroll_offset.y + menu.size.height


async def test_dialogs_fit_60x20(sqlite_db):
    app, _ = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.push_screen(
            ConfirmDialog(
                "Inaktivera Vårdcentralen Källan (SE2321000016-1001)?\n"
                + "Mottagningen har kvar ärendetyper: 12. " * 4
            )
        )
        await settle(pilot)
        dialog = app.screen.query_one("#dialog")
        assert _inside(dialog, SMALL)
        for button in app.screen.query(Button):
            assert _inside(button, SMALL), button.id
        await press(pilot, "escape")
        app.push_screen(TextDialog("Villkorstext", "\n".join(f"Rad {i}" for i in range(60))))
        await settle(pilot)
        assert _inside(app.screen.query_one("#dialog"), SMALL)
        assert _inside(app.screen.query_one("#dialog-keys"), SMALL)
        await press(pilot, "escape")
        await press(pilot, "ctrl+p")
        assert _inside(app.screen.query_one(CommandInput), SMALL)
        await press(pilot, "escape")


async def test_every_page_opens_at_60x20_with_its_focus_in_sight(sqlite_db):
    """The frame (title, body, footer) at 60x20 and the focused field in sight; how a page
    lays out its body is its own (benchmarks/README.md lists what they need)."""
    app, _ = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        for page in PAGES:
            await press(pilot, page.key)
            screen = app.screen
            for selector in ("#page-title", "Footer"):
                assert _inside(screen.query_one(selector), SMALL), (page.id, selector)
            body = screen.query_one("#page-body")
            assert body.region.bottom <= SMALL[1] - 1, page.id
            if screen.focused is not None:
                assert _inside(screen.focused, SMALL), (page.id, screen.focused)
            # No table wider than its room: a horizontal scrollbar would hide a column.
            for table in screen.query(DataTable):
                if table.display and table.region.width:
                    room = table.scrollable_content_region.width
                    assert table.virtual_size.width <= room, (page.id, table.id)
            await press(pilot, "escape")


# --- the real program in a pseudo-terminal -------------------------------------------------
REGIONADMIN = Path(sys.executable).parent / "regionadmin"
needs_script = pytest.mark.skipif(
    not REGIONADMIN.exists(), reason="the console script is not installed"
)


def _store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'wire.db'}"
    dbmod.open_database(url)
    init_schema()
    accept_terms(build_world().op)
    dbmod.database.obj.close()
    return url


class Session:
    """regionadmin in a pty: bytes per key press, waiting for 0.3 s of quiet."""

    def __init__(self, url: str, term: str = "xterm-256color", size=SIZE, **env: str) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        environ = {
            **os.environ,
            "TERM": term,
            "REGIONADMIN_USER": "anna",
            "REGIONADMIN_DB": url,
            **env,
        }
        for name in (
            "NO_COLOR",
            "COLORTERM",
            "TEXTUAL_COLOR_SYSTEM",
            "REGIONADMIN_THEME",
            "REGIONADMIN_SCREEN_DIFF",
        ):
            if name not in env:
                environ.pop(name, None)
        self.proc = subprocess.Popen(
            [str(REGIONADMIN)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=environ,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)

    def read(self, quiet: float = 0.3, limit: float = 15.0, until: bytes = b"") -> bytes:
        out = b""
        deadline = time.monotonic() + limit
        last = time.monotonic()
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
                last = time.monotonic()
            elif out and until in out and time.monotonic() - last >= quiet:
                break
        return out

    def key(self, data: bytes, quiet: float = 0.3) -> bytes:
        os.write(self.master, data)
        return self.read(quiet, limit=5.0)

    def close(self) -> None:
        try:
            os.write(self.master, b"\x11")  # Ctrl+Q
            self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            os.close(self.master)


MENU = "Vårdmottagningar".encode()


@needs_script
@pytest.mark.parametrize("diff", ["1", "0"], ids=["screen-diff", "textual-frames"])
def test_a_tab_costs_well_under_2_kb_and_idle_costs_nothing(tmp_path, diff):
    """Also with Textual's own frames written as they are: no full screen (7 KB) per Tab."""
    session = Session(_store(tmp_path), REGIONADMIN_SCREEN_DIFF=diff)
    try:
        assert MENU in session.read(until=MENU)
        session.key(b"r")
        session.key(b"\r")  # into the form
        for key in (b"\t", b"\t", b"\x1b[Z"):
            assert len(session.key(key)) < 2000
        assert session.read(quiet=2.0, limit=2.0) == b""
    finally:
        session.close()


@needs_script
@pytest.mark.parametrize("term", ["linux", "vt100", "screen", "dumb"])
def test_plain_terminals_start_and_dumb_gets_no_24_bit_colour(tmp_path, term):
    session = Session(_store(tmp_path), term=term)
    try:
        first = session.read(until=MENU)
        assert MENU in first, first[-300:]
        moved = session.key(b"\x1b[B")
        assert moved
        written = first + moved
        assert not re.search(rb"\x1b\[[0-9;]*[34]8;2;", written), "24-bit colour"
        if term == "dumb":
            assert not re.search(rb"\x1b\[[0-9;]*[34]8;5;", written), "256 colours"
            # No colours, but attributes: the highlighted line and the title still show.
            assert re.search(rb"\x1b\[(?:[0-9;]*;)?[147](?:;[0-9;]*)?m", written)
    finally:
        session.close()


@needs_script
def test_a_resize_writes_about_one_screen(tmp_path):
    session = Session(_store(tmp_path))
    try:
        first = session.read(until=MENU)
        assert MENU in first
        fcntl.ioctl(session.master, termios.TIOCSWINSZ, struct.pack("HHHH", 20, 60, 0, 0))
        os.kill(session.proc.pid, signal.SIGWINCH)
        after = session.read(quiet=0.5, limit=5.0)
        assert MENU in after  # drawn again, whole: the old screen is not trusted
        assert len(after) < 1.3 * len(first), (len(after), len(first))
        assert session.read(quiet=1.0, limit=1.0) == b""
    finally:
        session.close()
