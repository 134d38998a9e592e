"""Tab completion: the bash script made from the parser completes what a user would type."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash saknas")


@pytest.fixture(scope="module")
def script(tmp_path_factory: pytest.TempPathFactory) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "regionadmin", "completion", "bash"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    path = tmp_path_factory.mktemp("completion") / "regionadmin.bash"
    path.write_text(done.stdout)
    return str(path)


def complete(script: str, line: str, cwd: str | None = None) -> list[str]:
    """What bash offers after `line` (a trailing space means a new, empty word)."""
    words = line.split(" ")
    probe = (
        f"source {script}; COMP_WORDS=({' '.join(repr(w) for w in words)}); "
        f"COMP_CWORD={len(words) - 1}; _regionadmin_complete; "
        'printf "%s\\n" "${COMPREPLY[@]}"'
    )
    done = subprocess.run(
        ["bash", "-c", probe], capture_output=True, text=True, timeout=30, cwd=cwd
    )
    assert done.returncode == 0, done.stderr
    return [word for word in done.stdout.splitlines() if word]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("regionadmin un", ["unit"]),
        ("regionadmin unit ", ["activate", "deactivate", "rename", "show", "list"]),
        ("regionadmin unit list --", ["--help", "--all", "--sort"]),
        ("regionadmin report arendes", ["arendestatus"]),
        ("regionadmin report anslutna-mottagningar --format ", ["pdf", "xlsx", "csv", "table"]),
        ("regionadmin --db x report arendestatus --format x", ["xlsx"]),
        ("regionadmin export ", ["hsa-units", "hsa-persons", "unit-casetypes", "cases"]),
        ("regionadmin completion ", ["bash"]),
    ],
)
def test_tab_offers_commands_flags_and_values(script: str, line: str, expected: list[str]) -> None:
    offered = complete(script, line)
    assert set(expected) <= set(offered), offered


def test_after_a_kind_and_after_an_output_flag_the_shell_completes_files(
    script: str, tmp_path
) -> None:
    (tmp_path / "ut.csv").write_text("")
    # Nothing of ours after the kind: `complete -o default` lets bash offer files.
    assert complete(script, "regionadmin import cases ", cwd=str(tmp_path)) == []
    assert complete(script, "regionadmin export cases --output ", cwd=str(tmp_path)) == ["ut.csv"]
