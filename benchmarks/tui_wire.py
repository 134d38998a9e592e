"""Measure what the TUI writes to an 80x24 terminal: first paint, per key, and idle.

    .venv/bin/python benchmarks/tui_wire.py [--scripts menu units reports]
        [--colours default standard no_color] [--idle 3] [--quiet-ms 200]
        [--cases 5000] [--size 80x24] [--runs 1] [--ptybench PATH]

Users work over SSH on slow links, so bytes on the wire are the TUI's cost. A temp SQLite
store is filled with `regionadmin demo` (the operator is the OS user, whom demo links) and
the operator's terms are accepted through the models, so the app opens on the menu. Then
/work/shared/tools/ptybench.py (found as ../shared/tools/ptybench.py beside the repo, or
--ptybench) runs `regionadmin` under a pseudo-terminal for each key script and colour mode:

- menu:    the start menu, down x20 (the menu wraps, so every press moves);
- units:   "v" opens Visa mottagningsinformation, then down x20 and pagedown x3;
- reports: "r" opens Rapporter, then down x10 through the report list;

colour modes:
- default:  TERM=xterm-256color, no COLORTERM (ssh does not pass it on), no NO_COLOR;
- standard: the same with TEXTUAL_COLOR_SYSTEM=standard (16 colours);
- no_color: the same with NO_COLOR=1.

Printed per run: first-paint bytes, the bytes of the key that opens the page, the median
bytes of the other presses, and the bytes written while idle for --idle seconds after the
last key. The floor is one full screen of plain text (cols x rows bytes): "x screen" is
bytes / floor, so 1.0 means a press cost as much as redrawing every cell once without any
colour or cursor codes. Idle bytes must be 0; anything else prints a WARNING line.
Figures only, no assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PTYBENCH = REPO.parent / "shared" / "tools" / "ptybench.py"
MENU_TEXT = "Vårdmottagningar"  # on the start menu; the terms screen does not show it


@dataclass(frozen=True)
class Script:
    name: str
    open_key: str | None  # the press that opens the page, reported apart from the rest
    keys: str  # ptybench key plan after the open key


SCRIPTS = {
    "menu": Script("menu", None, "down*20"),
    "units": Script("units", "text:v", "down*20,pagedown*3"),
    "reports": Script("reports", "text:r", "down*10"),
}
# Environment per colour mode: (variables to set, variables to remove).
COLOURS: dict[str, dict[str, str]] = {
    "default": {},
    "standard": {"TEXTUAL_COLOR_SYSTEM": "standard"},
    "no_color": {"NO_COLOR": "1"},
}
ALWAYS_UNSET = ("NO_COLOR", "TEXTUAL_COLOR_SYSTEM", "COLORTERM", "TEXTUAL", "REGIONADMIN_THEME")


def regionadmin_command() -> list[str]:
    """The venv's entry point beside this Python, else the module."""
    script = Path(sys.executable).with_name("regionadmin")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "tui.cli"]


def prepare_store(url: str, cases: int) -> str:
    """`regionadmin demo` into a new store, then accept the terms for its operator."""
    env = {**os.environ, "REGIONADMIN_DB": url}
    done = subprocess.run([*regionadmin_command(), "--db", url, "demo", "--cases", str(cases)],
                          env=env, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"regionadmin demo failed ({done.returncode}): {done.stderr.strip()}")
    from models import db as dbmod
    from models.operators import accept_terms, resolve_operator

    dbmod.open_database(url)
    try:
        operator = accept_terms(resolve_operator())
    finally:
        dbmod.database.close()
    return operator.login_name


def run_ptybench(tool: Path, script: Script, colours: str, args: argparse.Namespace,
                 url: str) -> list[dict]:
    plan = ",".join(k for k in (script.open_key, script.keys) if k)
    command = [sys.executable, str(tool), "--cols", str(args.cols), "--rows", str(args.rows),
               "--term", "xterm-256color", "--keys", plan, "--idle", str(args.idle),
               "--quiet-ms", str(args.quiet_ms), "--key-timeout", "1",
               "--startup-timeout", "20", "--expect", MENU_TEXT, "--per-key",
               "--runs", str(args.runs), "--indent", "0",
               "--env", f"REGIONADMIN_DB={url}"]
    for name in ALWAYS_UNSET:
        command += ["--unset", name]
    for name, value in COLOURS[colours].items():
        command += ["--env", f"{name}={value}"]
    command += ["--", *regionadmin_command()]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"ptybench failed ({done.returncode}): {done.stderr.strip()}")
    out = json.loads(done.stdout)
    return out["runs"] if "runs" in out else [out]


@dataclass
class Row:
    script: str
    colours: str
    paint_bytes: float
    paint_s: float | None
    open_bytes: float | None
    key_median: float
    key_ms: float | None
    idle_bytes: int
    problems: list[str]


def summarise(script: Script, colours: str, run: dict) -> Row:
    presses = run.get("keys", {}).get("per_key", [])
    opening = presses[0] if script.open_key and presses else None
    rest = presses[1:] if opening else presses
    paint = run["first_paint"]
    problems = []
    if not paint.get("expect_found"):
        problems.append(f"the menu ({MENU_TEXT!r}) never showed: terms screen or start error")
    elif paint.get("timed_out"):
        problems.append("the first paint did not settle")
    silent = sum(1 for k in rest if k["bytes"] == 0)
    if silent:
        problems.append(f"{silent} of {len(rest)} presses wrote nothing (end of a list?)")
    exit_code = run.get("shutdown", {}).get("exit_code")
    if exit_code != 0:
        problems.append(f"exit code {exit_code} after Ctrl+Q")
    times = [k["done_ms"] for k in rest if k.get("done_ms") is not None]
    return Row(script.name, colours, paint["bytes"], paint.get("paint_done_s"),
               opening["bytes"] if opening else None,
               statistics.median([k["bytes"] for k in rest]) if rest else 0.0,
               statistics.median(times) if times else None,
               run.get("idle", {}).get("bytes", 0), problems)


def _median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def combine(rows: list[Row]) -> Row:
    """Several sessions: the median of each figure, but the worst idle (it must be 0)."""
    if len(rows) == 1:
        return rows[0]
    problems = list(dict.fromkeys(p for r in rows for p in r.problems))
    return Row(rows[0].script, rows[0].colours, _median([r.paint_bytes for r in rows]),
               _median([r.paint_s for r in rows]), _median([r.open_bytes for r in rows]),
               _median([r.key_median for r in rows]), _median([r.key_ms for r in rows]),
               max(r.idle_bytes for r in rows), problems)


def show(rows: list[Row], screen: int) -> None:
    print(f"\n{'script':<9}{'colours':<10}{'paint B':>9}{'x scr':>7}{'open B':>8}{'x scr':>7}"
          f"{'key B':>8}{'x scr':>7}{'idle B':>8}{'paint s':>9}{'key ms':>8}")
    for r in rows:
        opened = (f"{r.open_bytes:>8,}{r.open_bytes / screen:>7.2f}" if r.open_bytes is not None
                  else f"{'-':>8}{'-':>7}")
        paint_s = f"{r.paint_s:>9.2f}" if r.paint_s is not None else f"{'-':>9}"
        key_ms = f"{r.key_ms:>8.1f}" if r.key_ms is not None else f"{'-':>8}"
        print(f"{r.script:<9}{r.colours:<10}{r.paint_bytes:>9,}{r.paint_bytes / screen:>7.2f}"
              f"{opened}{r.key_median:>8,.0f}{r.key_median / screen:>7.2f}{r.idle_bytes:>8,}"
              f"{paint_s}{key_ms}")
    for r in rows:
        if r.idle_bytes:
            print(f"WARNING: {r.script}/{r.colours} wrote {r.idle_bytes:,} bytes while idle; "
                  "an idle screen must write nothing (blinking cursor, timer, spinner?)")
        for problem in r.problems:
            print(f"note: {r.script}/{r.colours}: {problem}")


def parse_size(text: str) -> tuple[int, int]:
    cols, _, rows = text.lower().partition("x")
    return int(cols), int(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scripts", nargs="+", choices=SCRIPTS, default=list(SCRIPTS))
    parser.add_argument("--colours", nargs="+", choices=COLOURS, default=list(COLOURS))
    parser.add_argument("--idle", type=float, default=3.0, help="idle seconds (default 3)")
    parser.add_argument("--quiet-ms", type=float, default=200.0,
                        help="silence that ends a paint (default 200 ms)")
    parser.add_argument("--cases", type=int, default=5000, help="demo cases (default 5000)")
    parser.add_argument("--size", type=parse_size, default=(80, 24), metavar="COLSxROWS",
                        help="terminal size (default 80x24)")
    parser.add_argument("--runs", type=int, default=1,
                        help="sessions per script and mode: medians, and the worst idle")
    parser.add_argument("--ptybench", type=Path, default=PTYBENCH)
    args = parser.parse_args(argv)
    args.cols, args.rows = args.size
    if not args.ptybench.exists():
        print(f"tui_wire skipped: {args.ptybench} is missing (it lives in the shared tools "
              "beside the repository).")
        return 0
    with tempfile.TemporaryDirectory(prefix="regionadmin-tui-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'tui.db'}"
        login = prepare_store(url, args.cases)
        screen = args.cols * args.rows
        print(f"operator {login}; {args.cols}x{args.rows}; floor = one screen of plain text = "
              f"{screen:,} bytes; idle {args.idle:g} s after the last key; quiet "
              f"{args.quiet_ms:g} ms ends a paint")
        print("paint = first paint, open = the key that opens the page, key = median of the "
              "other presses, x scr = bytes / floor")
        rows = []
        for script in (SCRIPTS[s] for s in args.scripts):
            for colours in args.colours:
                runs = run_ptybench(args.ptybench, script, colours, args, url)
                rows.append(combine([summarise(script, colours, run) for run in runs]))
        show(rows, screen)
    return 0


if __name__ == "__main__":
    sys.exit(main())
