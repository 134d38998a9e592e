"""The installed distribution has one top-level name, `regionadmin`.

The source folders models/, reports/ and tui/ go inside it, so another distribution's
`models` or `tui` (a common name) can neither shadow ours nor be overwritten by ours.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COPY_IGNORE = (".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache", "*.db*", "out")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Built from a copy: setuptools builds in the source's build/ folder, and two test
    # processes building at once (pytest -n) tripped over each other there.
    source = tmp_path_factory.mktemp("source") / "regionadmin"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*COPY_IGNORE))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    (built,) = out.glob("regionadmin-*.whl")
    return built


def test_the_wheel_installs_one_top_level_name(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"regionadmin"}
    assert "regionadmin/models/units.py" in names
    assert "regionadmin/reports/writers/pdf.py" in names
    assert "regionadmin/tui/app.tcss" in names


def test_the_installed_program_ignores_another_models_package(wheel: Path, tmp_path: Path) -> None:
    """An unrelated `models` package earlier on the path does not replace ours."""
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    decoy = tmp_path / "work"
    (decoy / "models").mkdir(parents=True)
    (decoy / "models" / "__init__.py").write_text("raise ImportError('the wrong models')\n")
    probe = "import regionadmin, models, tui.cli; print(models.__file__); print(tui.cli.__file__)"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=decoy,
        env={"PYTHONPATH": f"{decoy}:{target}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    models_file, cli_file = done.stdout.split()
    assert models_file == str(target / "regionadmin" / "models" / "__init__.py")
    assert cli_file == str(target / "regionadmin" / "tui" / "cli.py")
    version = subprocess.run(
        [sys.executable, "-m", "regionadmin", "--version"],
        cwd=decoy,
        env={"PYTHONPATH": f"{decoy}:{target}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("regionadmin ")
