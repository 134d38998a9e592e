"""regionadmin report: on both backends, through tui.cli.main as a script would call it."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pypdf
import pytest

from models import db as dbmod
from models.timeutil import STOCKHOLM
from tests.conftest import acting_url
from tests.factories import build_world
from tui import cli
from tui.commands.report import last_month


@pytest.fixture
def world(backend, act_as, monkeypatch):
    """The test store stays open: main() must not open REGIONADMIN_DB or the default file.
    On PostgreSQL it is reopened as anna's login role (identity is the session's role)."""
    w = build_world()
    act_as("anna")
    if acting_url():
        dbmod.open_database(acting_url())
    monkeypatch.setattr(dbmod, "open_database", lambda url=None: dbmod.database.obj)
    return w


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["report", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def today() -> str:
    return datetime.now(STOCKHOLM).date().isoformat()


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_good_run_writes_each_format(world, capsys, tmp_path: Path, fmt: str) -> None:
    out_file = tmp_path / f"anslutna.{fmt}"
    code, out, err = run(
        capsys,
        "anslutna-mottagningar",
        "--from",
        "2020-01-01",
        "--to",
        today(),
        "--format",
        fmt,
        "--output",
        str(out_file),
    )
    assert (code, err) == (0, "")
    assert out == f"1 rad skriven till {out_file}\n"
    if fmt == "csv":
        rows = list(csv.reader(out_file.open(encoding="utf-8")))
        assert rows[0] == ["Mottagning", "HSA-id", "Vårdtyp", "Anslutningsdatum", "Aktiv"]
        assert rows[1][:2] == ["Husläkarmottagningen Ängen", world.active_hsa]
    elif fmt == "xlsx":
        ws = openpyxl.load_workbook(out_file).active
        values = [c.value for row in ws.iter_rows() for c in row]
        assert "Husläkarmottagningen Ängen" in values
        assert "Vårdcentralen Malmö" not in values  # region 12 is not Anna's
    else:
        text = pypdf.PdfReader(out_file).pages[0].extract_text()
        assert "Anslutna mottagningar" in text and "Husläkarmottagningen Ängen" in text
        assert "Skapad av Anna" in text


def test_format_from_the_file_name(world, capsys, tmp_path: Path) -> None:
    out_file = tmp_path / "konton.xlsx"
    code, out, _ = run(capsys, "anvandarkonton", "-o", str(out_file))
    assert code == 0 and out.startswith("22 rader skrivna till")
    assert openpyxl.load_workbook(out_file).active["A1"].value == "Användarkonton"


def test_list(world, capsys) -> None:
    for argv in (["--list"], ["list"]):
        code, out, _ = run(capsys, *argv)
        assert code == 0
        lines = out.splitlines()
        assert len(lines) == 10
        assert lines[0].split()[:3] == ["anslutna-mottagningar", "Anslutna", "mottagningar"]
        assert lines[8].startswith("arendetyper-per-mottagning")
        assert lines[9].startswith("avvikelser-mot-hsa")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["anslutna-mottagningar", "--from", "2026-13-01", "--to", "2026-12-31"],
            "Från-datum 2026-13-01 finns inte i kalendern.",
        ),
        (
            ["anslutna-mottagningar", "--from", "1/3 2026", "--to", "2026-12-31"],
            "Från-datum ska skrivas ÅÅÅÅ-MM-DD, till exempel 2026-01-31.",
        ),
        (
            ["anslutna-mottagningar", "--from", "2026-02-01", "--to", "2026-01-01"],
            "Från-datum (2026-02-01) måste vara samma dag som eller före till-datum (2026-01-01).",
        ),
        (["anslutna-mottagningar", "--from", "2026-02-01"], "Ange till-datum för perioden."),
        (["okand-rapport"], "Okänd rapport okand-rapport."),
        (
            ["inloggningar", "--unit", "SE2321000016-1002"],
            "Rapporten Inloggningar har inget val av mottagning.",
        ),
        (
            ["arendetyper-per-mottagning", "--format", "pdf"],
            "Formatet pdf finns inte för rapporten; välj xlsx eller csv.",
        ),
        (
            ["arendestatus", "--format", "doc"],
            "Formatet doc finns inte för rapporten; välj pdf, xlsx eller csv.",
        ),
        (
            ["anslutna-mottagningar", "--care-type", "Tandvård"],
            "Vårdtypen Tandvård finns inte bland regionens mottagningar.",
        ),
    ],
)
def test_bad_parameters_are_one_swedish_line(
    world, capsys, tmp_path: Path, argv: list[str], message: str
) -> None:
    out_file = tmp_path / "r.csv"
    code, out, err = run(capsys, *argv, "--output", str(out_file))
    assert code == 2
    assert out == ""
    assert err.startswith(message) and err.count("\n") == 1
    assert not out_file.exists()


def test_another_regions_unit(world, capsys, tmp_path: Path) -> None:
    out_file = tmp_path / "r.pdf"
    code, _, err = run(
        capsys,
        "arendestatus",
        "--unit",
        world.other_active_hsa,
        "--format",
        "pdf",
        "--output",
        str(out_file),
    )
    assert code == 3  # like `unit show`: one ownership rule for units and reports
    assert err == f"Mottagningen {world.other_active_hsa} tillhör en annan region än din.\n"
    assert not out_file.exists()


def test_the_operator_is_the_os_user(world, capsys, tmp_path: Path, monkeypatch, act_as) -> None:
    who = act_as("okand")
    if acting_url():
        monkeypatch.undo()  # reopen the store as the new role
        dbmod.open_database(acting_url())
        monkeypatch.setattr(dbmod, "open_database", lambda url=None: dbmod.database.obj)
    code, _, err = run(capsys, "anvandarkonton", "--output", str(tmp_path / "r.csv"))
    assert code == 3
    assert who in err and not (tmp_path / "r.csv").exists()


def test_output_and_slug_are_required(world, capsys) -> None:
    code, _, err = run(capsys, "anvandarkonton")
    assert code == 2 and err == "Ange filen rapporten ska skrivas till med --output FIL.\n"
    code, _, err = run(capsys)
    assert code == 2 and "regionadmin report --list" in err


def test_as_of_and_default_period(world, capsys, tmp_path: Path) -> None:
    out_file = tmp_path / "h.csv"
    code, _, err = run(
        capsys, "handlaggningstider", "--as-of", "2026-01-15", "--output", str(out_file)
    )
    assert (code, err) == (0, "")
    assert out_file.read_text(encoding="utf-8").startswith("Ärendetyp,Inkomna,")


def test_last_month() -> None:
    assert last_month(date(2026, 3, 31)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert last_month(date(2026, 1, 1)) == (date(2025, 12, 1), date(2025, 12, 31))


def test_format_table_reads_in_the_terminal_at_its_width(world, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    code, out, err = run(
        capsys,
        "anslutna-mottagningar",
        "--format",
        "table",
        "--from",
        "2000-01-01",
        "--to",
        today(),
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Anslutna mottagningar"
    assert all(len(line) <= 60 for line in lines)
    assert lines[-1].endswith("rader") or lines[-1] == "1 rad"
    assert any(line.startswith("Mottagning") and "HSA-id" in line for line in lines)
    code, _, err = run(capsys, "anvandarkonton", "--format", "table", "--output", "x.pdf")
    assert code == 2 and "--format table" in err
