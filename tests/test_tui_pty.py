"""The real program in a pseudo-terminal: what reaches the wire (mouse tracking off)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from models import db as dbmod
from models.operators import accept_terms
from models.schema import init_schema
from tests.factories import build_world

REGIONADMIN = Path(sys.executable).parent / "regionadmin"
MOUSE_ON = (b"\x1b[?1000h", b"\x1b[?1003h", b"\x1b[?1006h")


def _store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'pty.db'}"
    dbmod.open_database(url)
    init_schema()
    accept_terms(build_world().op)
    dbmod.database.obj.close()
    return url


def _first_paint(url: str, *args: str) -> bytes:
    """What the program writes in its first seconds at 80x24, then Ctrl+Q."""
    return _session(url, [(b"", "Vårdmottagningar")], args=args)


@pytest.mark.skipif(not REGIONADMIN.exists(), reason="the console script is not installed")
def test_mouse_tracking_is_off_unless_asked_for(tmp_path):
    url = _store(tmp_path)
    plain = _first_paint(url)
    assert "Vårdmottagningar".encode() in plain
    assert not any(code in plain for code in MOUSE_ON)
    with_mouse = _first_paint(url, "--mouse")
    assert any(code in with_mouse for code in MOUSE_ON)


def _session(
    url: str, steps: list[tuple[bytes, str]], seconds: float = 8.0, args: tuple[str, ...] = ()
) -> bytes:
    """Run the program at 80x24 in a pty; for each (keys, text) write the keys in one write
    once `text` has appeared on the wire (b"" keys: just wait for the text); then Ctrl+Q."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "REGIONADMIN_USER": "anna",
        "REGIONADMIN_DB": url,
        "REGIONADMIN_SCREEN_DIFF": "0",
    }
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [str(REGIONADMIN), *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    out = b""
    try:
        for keys, text in steps:
            deadline = time.monotonic() + seconds
            while text.encode() not in out and time.monotonic() < deadline:
                ready, _, _ = select.select([master], [], [], 0.1)
                if ready:
                    out += os.read(master, 65536)
            mark = len(out)
            if keys:
                os.write(master, keys)
            out = out[:mark] + b"\0" + out[mark:]  # what came after this write
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                out += os.read(master, 65536)
        os.write(master, b"\x11")
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    return out


@pytest.mark.skipif(not REGIONADMIN.exists(), reason="the console script is not installed")
def test_keys_typed_ahead_are_not_lost(tmp_path):
    """Down and Enter in one write from the search field of Visa mottagningsinformation:
    the Enter opens the first unit (it must not land on the field the Down leaves)."""
    url = _store(tmp_path)
    out = _session(
        url, [(b"v", "Vårdmottagningar"), (b"\x1b[B\r", "Visar 1"), (b"", "Aktiv sedan")]
    )
    after = out.split(b"\0")[2]  # what came after Down+Enter
    assert b"Aktiv sedan" in after  # the details page of the first unit
