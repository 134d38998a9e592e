"""Avvikelser mot HSA: gone, changed and never-activated units after an hsa-units import."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from models import transfer
from models.entities import HsaUnit, Unit
from models.hsa_drift import CHANGED, GONE, NEVER, hsa_drift
from models.units import activate_unit, rename_unit
from reports import avvikelser_mot_hsa
from reports.base import ReportParams
from reports.writers import write
from tests.factories import ORG_01, build_world, directory_unit, hsa
from tests.test_cli import one_line, store_url
from tui import cli

HEADER = "hsa_id,name,care_type,region_code,street,postal_code,city,phone,info\n"


def _import(tmp_path: Path, rows: str) -> None:
    path = tmp_path / "enheter.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    transfer.import_file("hsa-units", path, actor_name="test", complete=True)


@pytest.fixture
def drift(backend, tmp_path):
    """Three connected units of 01 and one never activated; then HSA's new catalogue of 01
    leaves one out, renames one (in HSA, not in 1177) and moves one to another town."""
    w = build_world()
    ids = [hsa(ORG_01, f"60{i}") for i in range(4)]
    for i, hsa_id in enumerate(ids):
        directory_unit(hsa_id, f"Enhet {i}", city="Solna", street="Gatan 1")
    for hsa_id in ids[:3]:
        activate_unit(w.op, hsa_id)
    rename_unit(w.op, ids[1], "Vårt eget namn")  # 1177's name differs on purpose
    _import(
        tmp_path,
        f"{w.active_hsa},Husläkarmottagningen Ängen,Vårdcentral,01,,,Täby,,\n"
        f"{ids[1]},Enhet 1,Vårdcentral,01,Gatan 1,,Solna,,\n"
        f"{ids[2]},Enhet 2 Nya,Vårdcentral,01,Gatan 1,,Sundbyberg,,\n"
        f"{ids[3]},Enhet 3,Vårdcentral,01,Gatan 1,,Solna,,\n"
        f"{w.free_hsa},Vårdcentralen Källan,Vårdcentral,01,Storgatan 1,,Solna,,\n",
    )
    return w, ids


def test_gone_changed_and_never_activated(drift):
    w, ids = drift
    found = {(d.kind, d.hsa_id): d for d in hsa_drift(w.op)}
    assert set(found) == {(GONE, ids[0]), (CHANGED, ids[2]), (NEVER, ids[3]), (NEVER, w.free_hsa)}
    changed = found[(CHANGED, ids[2])]
    assert changed.changes == ("namn i HSA: Enhet 2 → Enhet 2 Nya", "ort: Solna → Sundbyberg")
    assert changed.name_1177 == "Enhet 2"
    # ids[1]: the 1177 name differs from HSA's on purpose; HSA did not change: no deviation.
    assert HsaUnit.get(HsaUnit.hsa_id == ids[0]).missing_since is not None
    # The other region's catalogue was not in the file: nothing of it is gone.
    assert HsaUnit.get(HsaUnit.hsa_id == w.other_hsa).missing_since is None
    # An inactive unit is not a deviation, whatever HSA says.
    Unit.update(active=False).where(Unit.hsa_id == ids[2]).execute()
    assert (CHANGED, ids[2]) not in {(d.kind, d.hsa_id) for d in hsa_drift(w.op)}


def test_a_partial_file_marks_nothing_gone(backend, tmp_path):
    w = build_world()
    path = tmp_path / "en.csv"
    path.write_text(HEADER + f"{hsa(ORG_01, '700')},Ny,Vårdcentral,01,,,,,\n", encoding="utf-8")
    transfer.import_file("hsa-units", path, actor_name="test")  # not --complete
    assert not HsaUnit.select().where(HsaUnit.missing_since.is_null(False)).exists()
    assert GONE not in {d.kind for d in hsa_drift(w.op)}


def test_a_unit_listed_again_is_back(drift, tmp_path):
    w, ids = drift
    path = tmp_path / "igen.csv"
    path.write_text(
        HEADER + f"{ids[0]},Enhet 0,Vårdcentral,01,Gatan 1,,Solna,,\n", encoding="utf-8"
    )
    transfer.import_file("hsa-units", path, actor_name="test")
    kinds = {(d.kind, d.hsa_id) for d in hsa_drift(w.op)}
    assert (GONE, ids[0]) not in kinds


def test_the_report_in_every_format_and_the_cli(drift, tmp_path, capsys, act_as, monkeypatch):
    w, ids = drift
    result = avvikelser_mot_hsa.run(w.op, ReportParams())
    assert [r[0] for r in result.rows] == [GONE, CHANGED, NEVER, NEVER]
    for fmt in ("pdf", "xlsx", "csv"):
        write(result, fmt, tmp_path / f"avvikelser.{fmt}")
    sheet = openpyxl.load_workbook(tmp_path / "avvikelser.xlsx").active
    values = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert "Avvikelse" in values and GONE in values and ids[0] in values
    assert "Ändrad i HSA" in (tmp_path / "avvikelser.csv").read_text(encoding="utf-8")
    act_as("anna")
    monkeypatch.setenv("COLUMNS", "200")
    code = cli.main(["--db", store_url(), "hsa", "diff"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert "Avvikelser mot HSA" in out and ids[0] in out and "Sundbyberg" in out


def test_hsa_diff_refuses_an_unknown_operator(backend, capsys, act_as):
    build_world()
    act_as("okand")
    code = cli.main(["--db", store_url(), "hsa", "diff"])
    assert code == 3 and "inte kopplad" in one_line(capsys.readouterr().err)
