"""Hardening: where --output may write, non-UTF-8 arguments, escapes on the CLI, tracebacks
that should be sentences, and formulas in report CSV.

Never aimed at the real /dev/null or /dev/full: devices are made with mknod in a temp
folder (/dev/null's numbers), FIFOs with mkfifo and read from a thread.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import pty
import select
import signal
import stat
import subprocess
import sys
import threading
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from models import db as dbmod
from models import files, transfer
from models.entities import HsaUnit, Region, Unit
from models.errors import NotFound, ValidationError
from models.schema import init_schema
from models.text import clean
from models.timeutil import STOCKHOLM, stockholm_today
from reports.base import Column, ReportResult
from reports.writers import write
from tests.conftest import acting_url
from tests.factories import build_world
from tui import cli

ROOT = Path(__file__).resolve().parents[1]
REGIONADMIN = ROOT / ".venv" / "bin" / "regionadmin"

COLUMNS = [
    Column("Mottagning"),
    Column("HSA-id"),
    Column("Inkomna", "int"),
    Column("Handl tid", "hours"),
]


def result(rows: list[tuple]) -> ReportResult:
    return ReportResult(
        slug="testrapport",
        title="Testrapport",
        parameters=[],
        columns=COLUMNS,
        rows=rows,
        totals=None,
        made_by="Anna",
        made_at=datetime(2026, 11, 2, 9, 5, tzinfo=STOCKHOLM),
    )


ROWS = [("Vårdcentralen Ängen", "SE2321000016-1002", 3, Decimal("2.5"))]


def null_device(folder: Path) -> Path:
    """A character device with /dev/null's numbers, in a temp folder (root only)."""
    path = folder / "nolla"
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("mknod needs root")
    return path


def is_null_device(path: Path) -> bool:
    info = os.lstat(path)
    return stat.S_ISCHR(info.st_mode) and info.st_rdev == os.makedev(1, 3)


class FifoReader:
    """Reads a FIFO to its end on a thread (the writer's open blocks until it runs)."""

    def __init__(self, folder: Path, name: str = "ror") -> None:
        self.path = folder / name
        os.mkfifo(self.path)
        self.data = b""
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        with open(self.path, "rb") as handle:
            self.data = handle.read()

    def result(self) -> bytes:
        self.thread.join(10)
        assert not self.thread.is_alive()
        return self.data


def only(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ---------------------------------------------------------------------------- 1. --output


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_a_report_to_a_character_device_writes_into_it(
    tmp_path: Path, fmt: str, monkeypatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "ut").mkdir()
    device = null_device(tmp_path / "ut")
    assert write(result(ROWS), fmt, device) == 1
    assert is_null_device(device)  # not replaced by a regular file
    assert only(device.parent) == ["nolla"]
    if fmt == "xlsx":  # openpyxl's scratch file went to our private cache and is gone
        assert only(tmp_path / "cache" / "regionadmin") == []


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_report_into_a_fifo(tmp_path: Path, fmt: str, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    reader = FifoReader(tmp_path)
    write(result(ROWS), fmt, reader.path)
    data = reader.result()
    assert stat.S_ISFIFO(os.lstat(reader.path).st_mode)
    if fmt == "csv":
        assert data.decode("utf-8").splitlines()[1] == "Vårdcentralen Ängen,SE2321000016-1002,3,2.5"
    else:
        ws = openpyxl.load_workbook(io.BytesIO(data)).active
        assert "Vårdcentralen Ängen" in [c.value for row in ws.iter_rows() for c in row]
    assert [name for name in only(tmp_path) if name != "cache"] == ["ror"]


def test_an_export_to_a_device_or_a_fifo(backend, tmp_path: Path) -> None:
    build_world()
    out = tmp_path / "ut"
    out.mkdir()
    device = null_device(out)
    assert transfer.export_file("hsa-units", device) == 4
    assert is_null_device(device)
    reader = FifoReader(out)
    transfer.export_file("hsa-units", reader.path)
    text = reader.result().decode("utf-8")
    assert text.startswith("hsa_id,name,care_type,") and "Husläkarmottagningen Ängen" in text
    assert only(out) == ["nolla", "ror"]


def test_directories_and_sockets_are_refused(backend, tmp_path: Path) -> None:
    import socket

    build_world()
    sock_path = tmp_path / "s"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(sock_path))
        for target in (sock_path, tmp_path):
            with pytest.raises(ValidationError) as caught:
                transfer.export_file("hsa-units", target)
            assert "ange ett filnamn" in str(caught.value)
        with pytest.raises(ValidationError, match="är en socket och skrivs inte över"):
            write(result(ROWS), "csv", sock_path)
        assert stat.S_ISSOCK(os.lstat(sock_path).st_mode)
    finally:
        sock.close()


def test_a_symbolic_link_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("gammal\n")
    (tmp_path / "link.csv").symlink_to("real.csv")
    write(result(ROWS), "csv", tmp_path / "link.csv")
    assert (tmp_path / "link.csv").is_symlink()
    assert "Vårdcentralen Ängen" in real.read_text(encoding="utf-8")
    assert only(tmp_path) == ["link.csv", "real.csv"]


def test_a_killed_write_leaves_named_temporaries_that_the_next_write_removes(
    tmp_path: Path,
) -> None:
    """A real SIGKILL in the middle of an Excel report: its temporaries (the file and
    openpyxl's sheet) lie beside the target with recognisable names, none in TMPDIR, and
    the next write into the folder removes them."""
    out, own_tmp = tmp_path / "ut", tmp_path / "tmpdir"
    out.mkdir()
    own_tmp.mkdir()
    script = f"""
import sys, time
from datetime import datetime
from reports.base import Column, ReportResult
from reports.writers import write
rows = [(f"Mottagning {{i}}", "SE2321000016-1", i, None) for i in range(2000)]
res = ReportResult(slug="t", title="T", parameters=[], columns=[Column("M"), Column("H"),
                   Column("I", "int"), Column("T", "hours")], rows=rows, totals=None,
                   made_by="A", made_at=datetime(2026, 1, 1))
def progress(done, total):
    if done >= 500:
        print("halfway", flush=True)
        time.sleep(60)
write(res, "xlsx", {str(out / "r.xlsx")!r}, progress=progress)
"""
    env = {**os.environ, "TMPDIR": str(own_tmp), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    child = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, env=env, stdout=subprocess.PIPE
    )
    try:
        assert child.stdout.readline() == b"halfway\n"
    finally:
        child.kill()
        child.wait()
    left = only(out)
    assert len(left) == 2 and all(files.is_temp_name(name) for name in left), left
    assert all(name.startswith(".r.xlsx.regionadmin-tmp-") for name in left)
    assert any(name.endswith(".sheet") for name in left)
    assert only(own_tmp) == []  # openpyxl did not use the temp folder
    assert all(os.stat(out / name).st_mode & 0o077 == 0 for name in left)  # private

    write(result(ROWS), "csv", out / "annan.csv")  # another write into the same folder
    assert only(out) == ["annan.csv"]


def test_a_running_writers_temporaries_are_not_swept(tmp_path: Path) -> None:
    mine = tmp_path / f".r.csv{files.TEMP_MARK}{os.getpid()}.{files._HOST}.abcdefgh"
    mine.write_text("pågår")
    other_host = tmp_path / f".r.csv{files.TEMP_MARK}1.annan-dator.abcdefgh"
    other_host.write_text("pågår där")
    write(result(ROWS), "csv", tmp_path / "r.csv")
    assert only(tmp_path) == sorted(["r.csv", mine.name, other_host.name])


def test_a_missing_folder_is_an_error_for_the_cli_not_made(tmp_path: Path) -> None:
    with pytest.raises(NotFound) as caught:
        write(result(ROWS), "csv", tmp_path / "saknas" / "r.csv", make_parents=False)
    assert str(caught.value) == f"Katalogen {tmp_path / 'saknas'} finns inte."
    assert only(tmp_path) == []


def test_format_and_extension_must_agree(tmp_path: Path) -> None:
    from reports.writers import check_extension

    with pytest.raises(ValidationError) as caught:
        check_extension("pdf", tmp_path / "x.xlsx")
    assert str(caught.value) == (
        "Filnamnet slutar på .xlsx men formatet är PDF; ändra filnamnet eller formatet."
    )
    with pytest.raises(ValidationError):
        check_extension("xlsx", "rapport.CSV")
    check_extension("csv", "utan-andelse")  # no extension: fine
    check_extension("csv", "rapport.txt")  # an extension that names no format: fine
    check_extension("xlsx", "rapport.xlsx")


# ---------------------------------------------------------------------------- the CLI, live


@pytest.fixture
def store(tmp_path: Path):
    """A SQLite file with the factories' world, and the environment to run the installed
    `regionadmin` against it as anna."""
    url = f"sqlite:///{tmp_path / 'x.db'}"
    dbmod.open_database(url)
    init_schema()
    world = build_world()
    dbmod.database.obj.close()
    env = {
        **os.environ,
        "REGIONADMIN_DB": url,
        "REGIONADMIN_USER": "anna",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "LC_ALL": "C.UTF-8",
    }
    env.pop("REGIONADMIN_TEST_PG", None)
    return world, env


def live(
    env: dict[str, str],
    *argv: str | bytes,
    stdout=subprocess.PIPE,
    cwd=None,
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [bytes(REGIONADMIN), *argv],
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
        cwd=cwd,
        timeout=60,
    )


def test_cli_report_and_export_to_standard_out_and_devices(store, tmp_path: Path) -> None:
    world, env = store
    got = live(
        env,
        "report",
        "anslutna-mottagningar",
        "--from",
        "2020-01-01",
        "--to",
        stockholm_today().isoformat(),
        "--format",
        "csv",
        "--output",
        "-",
    )
    assert got.returncode == 0, got.stderr
    rows = list(csv.reader(io.StringIO(got.stdout.decode("utf-8"))))
    assert rows[0][0] == "Mottagning" and rows[1][:2] == [
        "Husläkarmottagningen Ängen",
        world.active_hsa,
    ]
    assert got.stderr.decode() == "1 rad skriven till standard ut\n"
    for fmt in ("pdf", "xlsx"):
        got = live(env, "report", "anslutna-mottagningar", "--format", fmt, "--output", "-")
        assert (got.returncode, got.stdout) == (2, b"")
        assert got.stderr.decode() == (
            "Bara CSV kan skrivas till standard ut (--output -); ange en fil för PDF och Excel.\n"
        )
    device = null_device(tmp_path)
    for argv in (["report", "anslutna-mottagningar", "--format", "pdf"], ["export", "cases"]):
        got = live(env, *argv, "--output", str(device))
        assert got.returncode == 0, got.stderr
        assert is_null_device(device)
    got = live(
        env,
        "report",
        "anslutna-mottagningar",
        "--format",
        "pdf",
        "--output",
        str(tmp_path / "saknas" / "r.pdf"),
    )
    assert got.returncode == 4
    assert got.stderr.decode() == f"Katalogen {tmp_path / 'saknas'} finns inte.\n"
    assert not (tmp_path / "saknas").exists()
    got = live(
        env,
        "report",
        "anslutna-mottagningar",
        "--format",
        "pdf",
        "--output",
        str(tmp_path / "x.xlsx"),
    )
    assert got.returncode == 2 and b"formatet \xc3\xa4r PDF" in got.stderr
    assert not (tmp_path / "x.xlsx").exists()


# ---------------------------------------------------------------------------- 3. not UTF-8


def test_an_argument_that_is_not_utf8_is_one_sentence(store) -> None:
    world, env = store
    got = live(env, b"unit", b"rename", world.active_hsa.encode(), b"V\xe5rd")
    assert (got.returncode, got.stdout) == (2, b"")
    assert got.stderr.decode("utf-8") == (
        "Argumentet \u201dV\\xe5rd\u201d är inte UTF-8; ställ in terminalen på UTF-8 (till "
        "exempel LANG=sv_SE.UTF-8) och försök igen.\n"
    )


def test_main_refuses_surrogates_before_anything_else(capsys, monkeypatch) -> None:
    monkeypatch.setattr(dbmod, "open_database", lambda url=None: pytest.fail("opened"))
    assert cli.main(["unit", "rename", "SE2321000016-1002", "V\udce5rd"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("Argumentet \u201dV\\xe5rd\u201d är inte UTF-8;")
    monkeypatch.setenv("REGIONADMIN_USER", "\udce5sa")
    assert cli.main(["unit", "list"]) == 2
    assert capsys.readouterr().err.startswith("Miljövariabeln REGIONADMIN_USER är inte UTF-8;")


# ---------------------------------------------------------------------------- 4. escapes

ATTACKS = {
    "OSC 52": ("a\x1b]52;c;cm0gLXJmIH4=\x07b", "ab"),
    "OSC 52, ST": ("a\x1b]52;c;cm0gLXJmIH4=\x1b\\b", "ab"),
    "OSC 8": ("\x1b]8;;https://evil.example/\x1b\\klicka\x1b]8;;\x1b\\", "klicka"),
    "DCS": ("a\x1bP+q544e\x1b\\b", "ab"),
    "RIS": ("a\x1bcb", "ab"),
    "8-bit CSI": ("a\x9b2Jb", "ab"),
    "8-bit OSC": ("a\x9d52;c;eA==\x9cb", "ab"),
    "8-bit DCS": ("a\x90q\x9cb", "ab"),
    "C1": (
        "a"
        + "".join(
            chr(c) for c in range(0x80, 0xA0) if c not in (0x90, 0x98, 0x9B, 0x9D, 0x9E, 0x9F)
        )
        + "b",
        "ab",
    ),
    "charset": ("a\x1b(0b", "ab"),
    "surrogate": ("V\udce5rd", "V\ufffdrd"),
}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_clean_removes_every_sequence_whole(name: str) -> None:
    raw, shown = ATTACKS[name]
    assert clean(raw) == shown


def act_as_anna(act_as, monkeypatch) -> None:
    """In-process CLI as anna on either backend (tests/test_report_cli.py's pattern): on
    PostgreSQL the store is reopened as anna's login role."""
    act_as("anna")
    if acting_url():
        dbmod.open_database(acting_url())
    monkeypatch.setattr(dbmod, "open_database", lambda url=None: dbmod.database.obj)


@pytest.fixture
def world(backend, act_as, monkeypatch):
    w = build_world()
    act_as_anna(act_as, monkeypatch)
    return w


def test_admins_and_units_never_print_escapes(backend, act_as, monkeypatch, capsys) -> None:
    world = build_world()
    evil = "\x1b]52;c;cm0gLXJmIH4=\x07Region\x9b2J \x1bcStockholm\x1b]8;;http://x\x1b\\"
    Region.update(name=evil).where(Region.code == "01").execute()
    Unit.update(name="Ängen\x1b]52;c;eA==\x07\x9b31m").where(
        Unit.hsa_id == world.active_hsa
    ).execute()
    act_as_anna(act_as, monkeypatch)
    assert cli.main(["admins"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Landstingsadministratörer i Region Stockholm"
    for argv in (
        ["unit", "show", world.active_hsa],
        ["unit", "list"],
        ["unit", "deactivate", world.active_hsa, "--yes"],
    ):
        assert cli.main(argv) == 0
        out = capsys.readouterr().out
        assert not any(ch in out for ch in "\x1b\x9b\x9c\x9d\x07"), (argv, out)


def test_argparse_does_not_echo_raw_escapes(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["unit", "list", "\x1b]52;c;eA==\x07x\ny", "--bogus\x1bc"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err and "\x07" not in err
    assert "okända argument:" in err


# ---------------------------------------------------------------------------- 6. tracebacks


def closed_pipe() -> int:
    """A pipe's write end whose read end is already closed: every write is EPIPE."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    return write_end


@pytest.mark.parametrize(
    "argv",
    [
        ["unit", "list"],
        ["export", "cases", "--output", "-"],
        ["report", "anvandarkonton", "--format", "csv", "--output", "-"],
    ],
)
def test_a_closed_pipe_exits_quietly(store, argv: list[str]) -> None:
    _, env = store
    write_end = closed_pipe()
    try:
        got = live(env, *argv, stdout=write_end)
    finally:
        os.close(write_end)
    assert got.returncode == 141, got.stderr
    assert b"Traceback" not in got.stderr and b"Exception ignored" not in got.stderr
    assert got.stderr == b""


def test_ctrl_d_at_the_deactivate_prompt(world, capsys, monkeypatch) -> None:
    from tests.factories import PNR_BERTIL

    assert cli.main(["grant", "add", world.active_hsa, PNR_BERTIL, "--role", "admin"]) == 0
    capsys.readouterr()
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)

    def end_of_input(prompt: str) -> str:
        print(prompt, end="")
        raise EOFError

    monkeypatch.setattr("builtins.input", end_of_input)
    assert cli.main(["unit", "deactivate", world.active_hsa]) == 130
    out, err = capsys.readouterr()
    assert out.endswith("Inaktivera ändå? [j/N] \n")
    assert err == "Avbrutet – ingenting ändrades.\n"
    assert Unit.get(Unit.hsa_id == world.active_hsa).active


def test_ctrl_d_on_a_real_terminal(store) -> None:
    world, env = store
    from tests.factories import PNR_BERTIL

    assert (
        live(env, "grant", "add", world.active_hsa, PNR_BERTIL, "--role", "admin").returncode == 0
    )
    master, slave = pty.openpty()
    child = subprocess.Popen(
        [str(REGIONADMIN), "unit", "deactivate", world.active_hsa],
        env=env,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
    )
    os.close(slave)
    seen = b""
    try:
        deadline = time.monotonic() + 30
        while b"[j/N]" not in seen and time.monotonic() < deadline:
            if select.select([master], [], [], 1)[0]:
                seen += os.read(master, 4096)
        assert b"[j/N]" in seen, seen
        os.write(master, b"\x04")  # Ctrl-D
        assert child.wait(30) == 130
        while select.select([master], [], [], 0.2)[0]:
            try:
                seen += os.read(master, 4096)
            except OSError:
                break
    finally:
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
        os.close(master)
    text = seen.decode("utf-8")
    assert "Avbrutet – ingenting ändrades." in text and "Traceback" not in text
    dbmod.open_database(env["REGIONADMIN_DB"])
    try:
        assert Unit.get(Unit.hsa_id == world.active_hsa).active
    finally:
        dbmod.database.obj.close()


def test_an_import_header_field_over_the_csv_limit(
    backend, tmp_path: Path, capsys, monkeypatch
) -> None:
    build_world()
    monkeypatch.setattr(dbmod, "open_database", lambda url=None: dbmod.database.obj)
    source = tmp_path / "in.csv"
    source.write_text('"' + "a" * 140_000 + '",name\n', encoding="utf-8")
    assert cli.main(["import", "hsa-units", str(source)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "rad 1, fält (rubrikrad): Rubrikraden går inte att läsa som CSV (ett fält "
        "är längre än 131\u00a0072 tecken).\n"
    )


# ---------------------------------------------------------------------------- 9. formulas


def test_report_csv_neutralises_formulas_and_keeps_numbers(tmp_path: Path) -> None:
    rows = [
        ('=HYPERLINK("http://evil.example","Klicka")', "=cmd|' /C calc'!A0", 1, None),
        ("@SUM(A1:A9)", "+46701234567", -2, Decimal("-1.5")),
        ("  =1+1", "-1", 0, None),
        ("Vanligt namn", "SE2321000016-1", 3, Decimal("0.5")),
    ]
    path = tmp_path / "r.csv"
    write(result(rows), "csv", path)
    got = list(csv.reader(path.open(encoding="utf-8", newline="")))
    assert got[1:] == [
        ['\'=HYPERLINK("http://evil.example","Klicka")', "'=cmd|' /C calc'!A0", "1", ""],
        ["'@SUM(A1:A9)", "'+46701234567", "-2", "-1.5"],
        ["'  =1+1", "'-1", "0", ""],
        ["Vanligt namn", "SE2321000016-1", "3", "0.5"],
    ]


def test_exports_stay_exact_and_say_so(backend, tmp_path: Path, capsys) -> None:
    build_world()
    formula = '=HYPERLINK("http://evil.example","Klicka")'
    HsaUnit.update(info=formula).where(HsaUnit.hsa_id.endswith("1001")).execute()
    target = tmp_path / "hsa-units.csv"
    transfer.export_file("hsa-units", target)
    assert f',"{formula.replace(chr(34), chr(34) * 2)}"\n' in target.read_text(encoding="utf-8")
    transfer.import_file("hsa-units", target, actor_name="t")
    assert HsaUnit.get(HsaUnit.hsa_id.endswith("1001")).info == formula
    with pytest.raises(SystemExit):
        cli.main(["export", "--help"])
    assert "skyddas text som börjar med = + - @ inte" in capsys.readouterr().out


def test_file_errors_give_the_reason_in_swedish(tmp_path: Path) -> None:
    """The OS's own reasons are English on our jump hosts; the sentence must not be."""
    from models.files import os_reason, unreadable

    folder = tmp_path / "mapp"
    folder.mkdir()
    try:
        folder.read_bytes()
    except OSError as error:
        assert (
            str(unreadable(folder, error)) == f"Filen {folder} kunde inte läsas (det är en mapp)."
        )
    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == "disken är full"
    # A cause without its own words is named by its code, never in English.
    assert os_reason(OSError(errno.ECHILD, "No child processes")) == "systemfel ECHILD"
    assert os_reason(OSError("something")) == "systemfel OSError"
