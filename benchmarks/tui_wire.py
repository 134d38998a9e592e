"""Bytes the TUI writes to the terminal, step by step, against the slow-link budgets.

    .venv/bin/python benchmarks/tui_wire.py [--runs 3] [--scenarios ...] [--colours default]
        [--size 80x24] [--details] [--json FILE] [--compare FILE] [--source DIR]
        [--report-cases 4000000] [--ptybench PATH]

Users work over SSH on slow links, so bytes on the wire are the TUI's cost. The real program
runs in a pseudo-terminal through /work/shared/tools/ptybench.py (found as
../shared/tools/ptybench.py beside the repository, or --ptybench) on a temp SQLite store
filled with `regionadmin demo` (the operator is the OS user, whom demo links). Every
session starts from a fresh copy of that store, so the flows that write (Aktivera, Inaktivera,
Ändra namn) always meet the same data.

Each scenario is a key plan; each key press counts toward one budget line (or none: keys
that only get somewhere). Per line the script prints the median and the largest step, each
step the median over --runs sessions, and the budget:

| line | what counts |
| --- | --- |
| first paint | the first screen: the terms screen (terms not accepted) and the menu |
| open a page / Escape back | each of the nine pages from the menu, and Escape back to it (Rapporter in the reports plan, with 1 s of quiet: its first open imports the nine reports) |
| Tab | Tab and Shift+Tab between fields (Skaffa konto, Rapporter, Personliga inställningar) |
| cursor move in a list | Down in the menu, the menu with F1 open, the palette's hits, the units, the report list |
| one character in a search field | a character typed in the unit search (these presses wait 0.7 s of quiet: the search once waited 0.3 s for a pause, and a --source before that still does) and in the palette |
| Ctrl+P / F1 open | the palette from the menu; the help text on the menu and on Rapporter |
| whole flows | every press of Aktivera + Tilldela, Inaktivera, Ändra namn, summed per session |
| while a report runs | bytes per second over 3 s, from 3 s after Skapa (when the rows are being written), while Obesvarade ärenden is written as PDF from a bigger store (--report-cases 4,000,000: about 70,000 rows, 8–10 s here since the writers got faster; the window must end before the report does, or the closing message is counted) |
| idle | the bytes written in --idle seconds after the last key of every scenario (the palette, a dialog, the help, a form ...): must be 0 |

colour modes (--colours): default (TERM=xterm-256color, no COLORTERM, as over ssh; the
budgets are for this one), standard (TEXTUAL_COLOR_SYSTEM=standard, 16 colours), no_color
(NO_COLOR=1). The floor of the old script, one screen of plain text (cols x rows bytes), is
printed for scale. Figures only, no assertions; a line over budget is marked OVER.

--source DIR runs the program from another copy of the source (PYTHONPATH=DIR, e.g. an
earlier commit exported with `git archive`): with --json and --compare that gives a
before/after table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PTYBENCH = REPO.parent / "shared" / "tools" / "ptybench.py"
MENU_TEXT = "Vårdmottagningar"  # on the start menu; the terms screen does not show it
TERMS_TEXT = "Skaffa konto"
KB = 1000


@dataclass(frozen=True)
class Line:
    id: str
    title: str
    budget: float  # bytes (bytes per second for the report)
    kind: str  # "press": each press a step; "sum": the session's presses summed;
    # "paint": the first paint; "rate": idle bytes per second; "idle": idle bytes
    median_budget: float | None = None  # lists: a budget for the median step as well


LINES = (
    Line("paint_terms", "first paint, terms screen", 10 * KB, "paint"),
    Line("paint_menu", "first paint, menu", 10 * KB, "paint"),
    Line("open_page", "open a page", 8 * KB, "press"),
    Line("escape_back", "Escape back", 5 * KB, "press"),
    Line("tab", "Tab between fields", 1 * KB, "press"),
    Line("list_move", "cursor move in a list", 1.5 * KB, "press", median_budget=600),
    Line("search_char", "one character in a search field", 2 * KB, "press"),
    Line("palette_open", "Ctrl+P open", 8 * KB, "press"),
    Line("help_open", "F1 open", 4 * KB, "press"),
    Line("flow_activate", "whole Aktivera + Tilldela", 30 * KB, "sum"),
    Line("flow_deactivate", "whole Inaktivera", 25 * KB, "sum"),
    Line("flow_rename", "whole Ändra namn", 15 * KB, "sum"),
    Line("report_run", "while a report runs (B/s)", 40, "rate"),
    Line("idle", "idle, every screen and dialog", 0, "idle"),
)
LINES_BY_ID = {line.id: line for line in LINES}


@dataclass(frozen=True)
class Step:
    line: str | None  # the budget line its presses count toward; None: only gets there
    keys: str  # ptybench tokens


@dataclass(frozen=True)
class Scenario:
    name: str
    steps: tuple[Step, ...]
    paint_line: str | None = "paint_menu"
    store: str = "menu"  # "menu": terms accepted; "terms": not yet; "report": big store
    quiet_ms: float = 300
    idle_line: str = "idle"
    expect: str = MENU_TEXT


def _s(line: str | None, keys: str) -> Step:
    return Step(line, keys)


def scenarios(data: dict[str, str]) -> dict[str, Scenario]:
    """The key plans; `data` names the store's rows the flows need."""
    pages = []
    # Rapporter is opened and left in its own scenario below.
    for key in "ainvlbpg":
        pages += [_s("open_page", f"text:{key}"), _s("escape_back", "esc")]
    found = [
        Scenario(
            "terms",
            (_s("tab", "tab*3"), _s("tab", "shift+tab*2")),
            paint_line="paint_terms",
            store="terms",
            expect=TERMS_TEXT,
        ),
        Scenario(
            "menu",
            (
                _s("list_move", "down*10"),
                _s("help_open", "f1"),
                _s("list_move", "down*10"),
                _s(None, "f1"),
                _s("palette_open", "ctrl+p"),
                _s("search_char", "text:v"),
                _s("search_char", "text:å"),
                _s("list_move", "down*5"),
            ),
        ),
        Scenario("pages", tuple(pages)),
        Scenario(
            "reports",
            (
                _s("open_page", "text:r"),
                _s("list_move", "down*8"),
                _s(None, "enter"),
                _s("tab", "tab*6"),
                _s("tab", "shift+tab*2"),
                _s("help_open", "f1"),
                _s(None, "f1"),
                _s("escape_back", "esc"),
            ),
            # The page's first open imports the nine reports: on a busy machine that takes
            # longer than 0.3 s, and its frame was counted to the next key.
            quiet_ms=1000,
        ),
        Scenario("settings", (_s(None, "text:p"), _s("tab", "tab*8"))),
        Scenario(
            "units",
            (
                _s(None, "text:v"),
                _s(None, "down"),
                _s("list_move", "down*15"),
                _s(None, "enter"),
                _s(None, "enter"),
            ),
        ),
        Scenario(
            "search",
            (
                _s(None, "text:v"),
                *(_s("search_char", f"text:{c}") for c in "Vårdc"),
                _s("search_char", "backspace"),
            ),
            quiet_ms=700,
        ),
        Scenario(
            "activate",
            tuple(
                _s("flow_activate", keys)
                for keys in (
                    "text:a",
                    f"text:{data['new_unit']}",
                    "enter",
                    "enter",
                    "enter",
                    "enter",
                    f"text:{data['person']}",
                    "enter",
                    "enter",
                    "esc",
                    "esc",
                )
            ),
        ),
        Scenario(
            "deactivate",
            tuple(
                _s("flow_deactivate", keys)
                for keys in (
                    "text:i",
                    f"text:{data['old_unit']}",
                    "enter",
                    "f2",
                    "text:j",
                    "f2",
                    "esc",
                )
            ),
        ),
        Scenario(
            "rename",
            tuple(
                _s("flow_rename", keys)
                for keys in ("text:n", "down", "enter", "text:-Nord", "enter", "esc")
            ),
        ),
        Scenario(
            "report",
            (
                _s(None, "text:r"),
                _s(None, "down*6"),
                _s(None, "enter"),
                _s(None, "ctrl+s"),
                _s(None, "wait:3"),
            ),
            store="report",
            quiet_ms=200,
            idle_line="report_run",
        ),
    ]
    return {s.name: s for s in found}


COLOURS: dict[str, dict[str, str]] = {
    "default": {},
    "standard": {"TEXTUAL_COLOR_SYSTEM": "standard"},
    "no_color": {"NO_COLOR": "1"},
}
ALWAYS_UNSET = (
    "NO_COLOR",
    "TEXTUAL_COLOR_SYSTEM",
    "COLORTERM",
    "TEXTUAL",
    "REGIONADMIN_THEME",
    "REGIONADMIN_SCREEN_DIFF",
    "REGIONADMIN_USER",
    "XDG_CONFIG_HOME",
)


def regionadmin_command(source: Path | None) -> list[str]:
    """The venv's entry point beside this Python, else the module (always the module for
    --source, so that PYTHONPATH decides which code runs)."""
    script = Path(sys.executable).with_name("regionadmin")
    if script.exists() and source is None:
        return [str(script)]
    return [sys.executable, "-m", "tui.cli"]


# --- stores ----------------------------------------------------------------------------
# Run in the program's own Python (with --source: that copy of the source), so a store
# always has the schema of the program that will open it.
PICK = """
import json, sys
from models import db as dbmod
from models.entities import ADMIN, Grant, HsaPerson, HsaUnit, Unit
from models.operators import accept_terms, resolve_operator

dbmod.open_database(sys.argv[1])
operator = resolve_operator()
if sys.argv[2] == "accept":
    operator = accept_terms(operator)
region = operator.region_code
connected = {u.hsa_id for u in Unit.select(Unit.hsa_id)}
new_unit = next(h.hsa_id for h in HsaUnit.select().order_by(HsaUnit.hsa_id)
                if h.hsa_id not in connected and h.region_id == region)
with_admin = (Unit.select().join(Grant, on=(Grant.unit == Unit.id))
              .where(Unit.active & (Grant.role == ADMIN)).order_by(Unit.hsa_id))
granted = {g.account.person.personnummer for g in Grant.select()}
person = next(p.personnummer for p in HsaPerson.select().order_by(HsaPerson.id)
              if p.region_id == region and p.personnummer not in granted)
print(json.dumps({"login": operator.login_name, "new_unit": new_unit,
                  "old_unit": with_admin.first().hsa_id, "person": person}))
"""


def make_store(path: Path, cases: int, accept: bool, source: Path | None) -> dict[str, str]:
    """`regionadmin demo` into `path`; accept the operator's terms if asked. Returns the
    rows the flows use: a directory unit to activate, a person to grant, a unit to
    inactivate (active, with an administrator to keep)."""
    url = f"sqlite:///{path}"
    env = {**os.environ, "REGIONADMIN_DB": url}
    env.pop("REGIONADMIN_USER", None)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    done = subprocess.run(
        [*regionadmin_command(source), "--db", url, "demo", "--cases", str(cases)],
        env=env,
        cwd=source or REPO,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"regionadmin demo failed ({done.returncode}): {done.stderr.strip()}")
    picked = subprocess.run(
        [sys.executable, "-c", PICK, url, "accept" if accept else "keep"],
        env=env,
        cwd=source or REPO,
        capture_output=True,
        text=True,
    )
    if picked.returncode != 0:
        raise SystemExit(f"preparing the store failed: {picked.stderr.strip()}")
    return json.loads(picked.stdout)


# --- one session ----------------------------------------------------------------------
def run_session(
    args: argparse.Namespace, scenario: Scenario, colours: str, store: Path, work: Path
) -> dict:
    """One ptybench session on a fresh copy of `store`."""
    db = work / "session.db"
    shutil.copyfile(store, db)
    home = work / "home"  # no config of the user's, and a report file never there before
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    plan = ",".join(step.keys for step in scenario.steps)
    idle = 3.0 if scenario.idle_line == "report_run" else args.idle
    command = [
        sys.executable,
        str(args.ptybench),
        "--cols",
        str(args.cols),
        "--rows",
        str(args.rows),
        "--term",
        "xterm-256color",
        "--keys",
        plan,
        "--idle",
        str(idle),
        "--quiet-ms",
        str(scenario.quiet_ms),
        "--key-timeout",
        "1.5",
        "--startup-timeout",
        "20",
        "--expect",
        scenario.expect,
        "--per-key",
        "--indent",
        "0",
        "--env",
        f"REGIONADMIN_DB=sqlite:///{db}",
        "--env",
        f"HOME={home}",
    ]
    for name in ALWAYS_UNSET:
        command += ["--unset", name]
    for name, value in COLOURS[colours].items():
        command += ["--env", f"{name}={value}"]
    if args.source is not None:
        command += ["--env", f"PYTHONPATH={args.source}"]
    command += ["--", *regionadmin_command(args.source)]
    done = subprocess.run(command, cwd=args.source or REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"ptybench failed ({done.returncode}): {done.stderr.strip()}")
    return json.loads(done.stdout)


@dataclass
class Samples:
    """Per budget line: one list of values per step position, a value per session."""

    steps: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, line: str, position: str, value: float) -> None:
        self.steps.setdefault(line, {}).setdefault(position, []).append(value)


def collect(scenario: Scenario, out: dict, samples: Samples, colours: str) -> None:
    tag = f"{scenario.name}/{colours}"
    paint = out["first_paint"]
    if not paint.get("expect_found"):
        samples.notes.append(f"{tag}: {scenario.expect!r} never showed (start error?)")
    elif paint.get("timed_out"):
        samples.notes.append(f"{tag}: the first paint did not settle")
    if scenario.paint_line:
        samples.add(scenario.paint_line, tag, paint["bytes"])
    presses = out.get("keys", {}).get("per_key", [])
    index = 0
    sums: dict[str, float] = {}
    for step_no, step in enumerate(scenario.steps):
        count = sum(
            int(t.partition("*")[2] or 1) for t in step.keys.split(",") if not t.startswith("wait:")
        )
        mine = presses[index : index + count]
        index += count
        if len(mine) < count:
            samples.notes.append(f"{tag}: the session ended before {step.keys!r}")
        if step.line is None:
            continue
        line = LINES_BY_ID[step.line]
        for n, press in enumerate(mine):
            if line.kind == "sum":
                sums[step.line] = sums.get(step.line, 0) + press["bytes"]
            else:
                samples.add(step.line, f"{tag} #{step_no}.{n} {press['key']}", press["bytes"])
    for line_id, total in sums.items():
        samples.add(line_id, tag, total)
    idle = out.get("idle", {})
    if scenario.idle_line == "report_run":
        seconds = idle.get("seconds") or 1
        samples.add("report_run", tag, idle.get("bytes", 0) / seconds)
    else:
        samples.add("idle", tag, idle.get("bytes", 0))
    exit_code = out.get("shutdown", {}).get("exit_code")
    expected = 1 if scenario.store == "terms" else 0  # Ctrl+Q on the terms is Avsluta
    if exit_code != expected and scenario.idle_line != "report_run":
        samples.notes.append(f"{tag}: exit code {exit_code} after Ctrl+Q")


def summary(samples: Samples) -> dict[str, dict]:
    """Per line: each step's median over sessions, then the median and the worst step."""
    result = {}
    for line in LINES:
        positions = samples.steps.get(line.id)
        if not positions:
            continue
        per_step = {pos: statistics.median(values) for pos, values in positions.items()}
        if line.kind == "idle":
            per_step = {pos: max(values) for pos, values in positions.items()}
        values = list(per_step.values())
        result[line.id] = {
            "median": statistics.median(values),
            "max": max(values),
            "steps": per_step,
        }
    return result


def verdict(line: Line, figures: dict) -> str:
    over = figures["max"] > line.budget
    if line.median_budget is not None:
        over = over or figures["median"] > line.median_budget
    return "OVER" if over else "ok"


def _bytes(value: float, line: Line) -> str:
    if line.kind == "rate":
        return f"{value:,.0f} B/s"
    return f"{value:,.0f}"


def show(
    result: dict[str, dict], before: dict[str, dict] | None, details: bool, screen: int
) -> None:
    head = f"{'line':<34}{'budget':>12}{'median':>10}{'max':>10}  "
    if before:
        head += f"{'before med':>11}{'before max':>11}  "
    print("\n" + head + "verdict")
    for line in LINES:
        figures = result.get(line.id)
        if figures is None:
            continue
        budget = _bytes(line.budget, line)
        if line.median_budget is not None:
            budget = f"{line.median_budget:,.0f}/{budget}"
        row = (
            f"{line.title:<34}{budget:>12}{_bytes(figures['median'], line):>10}"
            f"{_bytes(figures['max'], line):>10}  "
        )
        if before:
            old = before.get(line.id)
            row += (
                f"{_bytes(old['median'], line):>11}{_bytes(old['max'], line):>11}  "
                if old
                else f"{'-':>11}{'-':>11}  "
            )
        print(row + verdict(line, figures))
    print(
        f"(bytes; a screen of plain text is {screen:,} B; 'max' is the largest step, each "
        "step the median over the sessions)"
    )
    if details:
        for line in LINES:
            figures = result.get(line.id)
            if figures is None:
                continue
            print(f"\n{line.title}:")
            for position, value in figures["steps"].items():
                print(f"  {position:<44}{_bytes(value, line):>10}")


def parse_size(text: str) -> tuple[int, int]:
    cols, _, rows = text.lower().partition("x")
    return int(cols), int(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scenarios",
        nargs="+",
        default=None,
        help="terms menu pages reports settings units search activate "
        "deactivate rename report (default: all)",
    )
    parser.add_argument("--colours", nargs="+", choices=COLOURS, default=["default"])
    parser.add_argument("--runs", type=int, default=3, help="sessions per scenario (medians)")
    parser.add_argument("--idle", type=float, default=3.0, help="idle seconds (default 3)")
    parser.add_argument("--cases", type=int, default=5000, help="demo cases (default 5000)")
    parser.add_argument(
        "--report-cases",
        type=int,
        default=4_000_000,
        help="demo cases of the store the running report reads",
    )
    parser.add_argument("--size", type=parse_size, default=(80, 24), metavar="COLSxROWS")
    parser.add_argument("--details", action="store_true", help="every step's bytes")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--compare", type=Path, help="figures of an earlier --json run")
    parser.add_argument(
        "--source", type=Path, default=None, help="run the program from this copy of the source"
    )
    parser.add_argument("--ptybench", type=Path, default=PTYBENCH)
    args = parser.parse_args(argv)
    args.cols, args.rows = args.size
    if args.source is not None:
        args.source = args.source.resolve()
    if not args.ptybench.exists():
        print(
            f"tui_wire skipped: {args.ptybench} is missing (it lives in the shared tools "
            "beside the repository)."
        )
        return 0
    with tempfile.TemporaryDirectory(prefix="regionadmin-tui-") as tmp:
        work = Path(tmp)
        data = make_store(work / "menu.db", args.cases, True, args.source)
        chosen = scenarios(data)
        names = args.scenarios or list(chosen)
        unknown = [n for n in names if n not in chosen]
        if unknown:
            parser.error(f"unknown scenarios: {', '.join(unknown)}")
        stores = {"menu": work / "menu.db"}
        if any(chosen[n].store == "terms" for n in names):
            make_store(work / "terms.db", args.cases, False, args.source)
            stores["terms"] = work / "terms.db"
        if any(chosen[n].store == "report" for n in names):
            print(
                f"filling a store with {args.report_cases:,} cases for the running report …",
                flush=True,
            )
            make_store(work / "report.db", args.report_cases, True, args.source)
            stores["report"] = work / "report.db"
        print(
            f"operator {data['login']}; {args.cols}x{args.rows}; {args.runs} session(s) per "
            f"scenario; colours {', '.join(args.colours)}"
            + (f"; source {args.source}" if args.source else "")
        )
        results = {}
        for colours in args.colours:
            samples = Samples()
            for name in names:
                scenario = chosen[name]
                for _ in range(args.runs):
                    out = run_session(args, scenario, colours, stores[scenario.store], work)
                    collect(scenario, out, samples, colours)
            results[colours] = summary(samples)
            before = None
            if args.compare is not None:
                before = json.loads(args.compare.read_text()).get(colours)
            print(f"\ncolours: {colours}")
            show(results[colours], before, args.details, args.cols * args.rows)
            for note in dict.fromkeys(samples.notes):
                print(f"note: {note}")
            idle = results[colours].get("idle")
            if idle and idle["max"]:
                print(
                    "WARNING: something was written while idle; an idle screen must write "
                    "nothing (blinking cursor, timer, spinner?)"
                )
        if args.json is not None:
            args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
