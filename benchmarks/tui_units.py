"""The TUI with many units: first paint and the unit search, program vs floor vs goal.

    .venv/bin/python benchmarks/tui_units.py [--units 10000] [--runs 5] [--db FILE]
        [--size 80x24] [--terms s so sol]

The real program runs in a pseudo-terminal (TERM=xterm-256color, no COLORTERM, as over
ssh) on a SQLite store filled by `regionadmin demo --units N` (the operator is the OS
user, whom demo links; the terms are accepted first). Each figure is the median over
--runs sessions (min and max beside it); times are from the write of a key (or the start
of the process) to the moment the text looked for has arrived ("shown") and to the last
byte before 0.5 s of quiet ("settled"):

| line | program | floor | goal (issue 11) |
| --- | --- | --- | --- |
| first paint, menu | start -> "Vårdmottagningar" | a bare Textual app with a 20-row DataTable and a Footer, start -> its last row | <= 0.7 s |
| open Visa mottagningsinformation | `v` on the menu -> "Visar" | `search_units` of the empty term (the page's query) in this process | - |
| one key in the search (each of --terms, typed one key at a time) | key -> the list settled | `search_units` for the same text in this process | <= 150 ms, wait included |

For a key, "shown" is the first byte back (the character in the field): the screen diff
writes only the cells that change. Also printed: the bytes of each step (the screen diff's cost on the wire). Figures only,
nothing asserted. On a shared 2-core VM single runs move by 20-50 %: compare program and
floor from the same run. --json PATH also writes the medians (seconds) as JSON
(benchmarks/scale.py reads it).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MENU = "Vårdmottagningar".encode()
PAGE = b"Visar "
QUIET = 0.5
GOALS = {"paint": 0.7, "key": 0.150}

ACCEPT = """
import sys
from models import db as dbmod
from models.db import session
from models.operators import accept_terms, resolve_operator

dbmod.open_database(sys.argv[1])
with session():
    accept_terms(resolve_operator())
"""

FLOOR_APP = """
from textual.app import App
from textual.widgets import DataTable, Footer


class Floor(App):
    BINDINGS = [("ctrl+q", "quit", "Avsluta")]

    def compose(self):
        yield DataTable()
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("Namn", "HSA-id", "Vårdtyp", "Ort", "Status")
        for i in range(20):
            table.add_row(f"Mottagning {i:02d}", f"SE2321000016-{i:04d}", "Vårdcentral",
                          "Solna", "Aktiv")


Floor().run(mouse=False)
"""
FLOOR_TEXT = b"Mottagning 19"

QUERY = """
import json, statistics, sys, time
from models import db as dbmod
from models.db import session
from models.operators import resolve_operator
from models.units import search_units

dbmod.open_database(sys.argv[1])
limit = int(sys.argv[2])
out = {}
with session():
    op = resolve_operator()
    for term in sys.argv[3:]:
        times = []
        for _ in range(7):
            start = time.perf_counter()
            page = search_units(op, term, limit=limit)
            times.append(time.perf_counter() - start)
        out[term] = [statistics.median(times), page.total]
print(json.dumps(out))
"""


def regionadmin() -> list[str]:
    script = Path(sys.executable).with_name("regionadmin")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui.cli"]


def make_store(path: Path, units: int) -> None:
    url = f"sqlite:///{path}"
    env = {**os.environ, "REGIONADMIN_DB": url}
    env.pop("REGIONADMIN_USER", None)
    for command in (
        [*regionadmin(), "--db", url, "init"],
        [*regionadmin(), "--db", url, "demo", "--units", str(units), "--cases", "2000"],
        [sys.executable, "-c", ACCEPT, url],
    ):
        done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command[:4])} failed: {done.stderr.strip()}")


class Pty:
    """A program in a pseudo-terminal; reads with timestamps."""

    def __init__(self, command: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            command,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=REPO,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)

    def read_until(
        self, text: bytes, since: float, limit: float = 20.0
    ) -> tuple[float, float, int]:
        """(seconds until `text` arrived, until the last byte before QUIET s of quiet,
        bytes) counted from `since`."""
        out = b""
        shown = None
        last = since
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.002)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    break
                out += chunk
                last = time.monotonic()
                if shown is None and text in out:
                    shown = last
            elif shown is not None and time.monotonic() - last >= QUIET:
                break
        if shown is None:
            raise RuntimeError(f"{text!r} never showed: {out[-300:]!r}")
        return shown - since, last - since, len(out)

    def key(self, data: bytes, text: bytes) -> tuple[float, float, int]:
        moment = time.monotonic()
        os.write(self.master, data)
        return self.read_until(text, moment, limit=10.0)

    def close(self) -> None:
        try:
            os.write(self.master, b"\x11")  # Ctrl+Q
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
        finally:
            os.close(self.master)


def environment(db: Path, home: Path) -> dict[str, str]:
    """As an installed program runs: with compiled bytecode. PYTHONDONTWRITEBYTECODE (set
    on this VM) made every start compile the program's ~70 modules again, about 0.2 s
    that the floor (Textual, compiled in site-packages) never paid. The bytecode goes to a
    temp directory (PYTHONPYCACHEPREFIX), written by a first session that is not counted."""
    env = {**os.environ, "TERM": "xterm-256color", "HOME": str(home)}
    env["REGIONADMIN_DB"] = f"sqlite:///{db}"
    env["PYTHONPYCACHEPREFIX"] = str(home.parent / "pycache")
    for name in (
        "NO_COLOR",
        "COLORTERM",
        "TEXTUAL_COLOR_SYSTEM",
        "REGIONADMIN_USER",
        "PYTHONDONTWRITEBYTECODE",
    ):
        env.pop(name, None)
    return env


def program_session(db: Path, home: Path, size, terms: list[str]) -> dict[str, tuple]:
    session = Pty(regionadmin(), environment(db, home), size)
    found: dict[str, tuple] = {}
    try:
        found["paint"] = session.read_until(MENU, session.started)
        found["open"] = session.key(b"v", PAGE)
        typed = ""
        for term in terms:
            if not term.startswith(typed):
                session.key(b"\x15", b"")  # Ctrl+U empties the field (not counted)
                typed = ""
            for char in term[len(typed) :]:
                typed += char
                # The screen diff writes only the cells that change, so no text is sure to
                # come again: "shown" is the first byte (the character in the field).
                found[f"key {typed!r}"] = session.key(char.encode(), b"")
    finally:
        session.close()
    return found


def floor_session(home: Path, size) -> tuple:
    env = environment(home / "none.db", home)
    session = Pty([sys.executable, "-c", FLOOR_APP], env, size)
    try:
        return session.read_until(FLOOR_TEXT, session.started)
    finally:
        session.close()


def query_floor(db: Path, limit: int, terms: list[str]) -> dict[str, list]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("REGIONADMIN_USER", None)
    done = subprocess.run(
        [sys.executable, "-c", QUERY, f"sqlite:///{db}", str(limit), *terms],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"the query floor failed: {done.stderr.strip()}")
    return json.loads(done.stdout)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def spread(values: list[float]) -> str:
    return f"{ms(statistics.median(values))} ({ms(min(values))}–{ms(max(values))})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=10000, help="demo units (HSA catalogue)")
    parser.add_argument("--runs", type=int, default=5, help="sessions (medians)")
    parser.add_argument("--db", type=Path, help="keep and reuse the store in this file")
    parser.add_argument("--size", default="80x24", help="terminal COLSxROWS")
    parser.add_argument(
        "--terms",
        nargs="+",
        default=["sol", "vårdc", "bvc"],
        help="search texts, typed one key at a time (the field emptied between them)",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    args = parser.parse_args(argv)
    cols, rows = (int(x) for x in args.size.lower().split("x"))
    work = Path(tempfile.mkdtemp(prefix="tui_units_"))
    try:
        db = args.db or work / "units.db"
        if not db.exists():
            print(f"filling a store with {args.units:,} units …", file=sys.stderr, flush=True)
            make_store(db, args.units)
        home = work / "home"
        home.mkdir()
        runs: list[dict[str, tuple]] = []
        floors: list[tuple] = []
        copy = work / "session.db"
        shutil.copyfile(db, copy)
        floor_session(home, (cols, rows))  # writes the bytecode: not counted
        program_session(copy, home, (cols, rows), args.terms[:1])
        for _ in range(args.runs):
            floors.append(floor_session(home, (cols, rows)))
            copy = work / "session.db"
            shutil.copyfile(db, copy)
            runs.append(program_session(copy, home, (cols, rows), args.terms))
        page_rows = rows - 6  # the units page: what its table shows
        typed = [key.split(" ", 1)[1][1:-1] for key in runs[0] if key.startswith("key ")]
        queries = query_floor(db, page_rows, ["", *typed])
        print(
            f"{args.units:,} units; {cols}x{rows}; {args.runs} session(s); "
            "ms: median (min–max); shown = the text looked for arrived, settled = the last "
            f"byte before {QUIET} s of quiet"
        )
        print()
        print(f"{'step':<34}{'shown':>20}{'settled':>20}{'bytes':>8}{'floor':>10}{'goal':>7}")
        paint_floor = statistics.median(f[0] for f in floors)

        def line(name: str, key: str, floor: float | None, goal: float | None) -> None:
            shown = [r[key][0] for r in runs]
            settled = [r[key][1] for r in runs]
            size = statistics.median(r[key][2] for r in runs)
            print(
                f"{name:<34}{spread(shown):>20}{spread(settled):>20}{size:>8,.0f}"
                f"{ms(floor) if floor is not None else '-':>10}"
                f"{ms(goal) if goal is not None else '-':>7}"
            )

        line("first paint, menu", "paint", paint_floor, GOALS["paint"])
        line("open Visa mottagningsinformation", "open", queries[""][0], None)
        for text in typed:
            total = queries[text][1]
            line(
                f"key -> {text!r} ({total:,} hits)", f"key {text!r}", queries[text][0], GOALS["key"]
            )
        keys = [r[k][1] for r in runs for k in r if k.startswith("key ")]
        print()
        print(
            f"one key in the search, all keys: settled median {ms(statistics.median(keys))} ms, "
            f"largest {ms(max(keys))} ms (goal {ms(GOALS['key'])} ms); first paint median "
            f"{ms(statistics.median(r['paint'][0] for r in runs))} ms vs the bare Textual "
            f"app {ms(paint_floor)} ms (goal {ms(GOALS['paint'])} ms)"
        )
        if args.json:
            figures = {
                "units": args.units,
                "size": args.size,
                "paint": statistics.median(r["paint"][0] for r in runs),
                "paint_floor": paint_floor,
                "key_median": statistics.median(keys),
                "key_largest": max(keys),
                "key_floor": statistics.median(queries[t][0] for t in typed),
            }
            args.json.write_text(json.dumps(figures, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
