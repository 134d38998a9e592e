"""Files the program writes for the user: written whole or not at all, private by default.

Used by the interchange exports (models.transfer) and the report writers (reports.writers).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import ValidationError
from .text import clean


def os_reason(error: OSError) -> str:
    """The operating system's own words for `error` (os.strerror of its errno)."""
    if error.errno:
        return os.strerror(error.errno)
    return error.strerror or type(error).__name__


def unwritable(target: Path | str, error: OSError) -> ValidationError:
    return ValidationError(f"Filen {clean(target)} kunde inte skrivas ({os_reason(error)}).",
                           field="output")


def unreadable(source: Path | str, error: OSError) -> ValidationError:
    return ValidationError(f"Filen {clean(source)} kunde inte läsas ({os_reason(error)}).",
                           field="file")


def keep_mode(target: Path, tmp: Path) -> None:
    """A replaced file keeps its permissions; a new one stays readable by its owner only
    (mkstemp's 0600): exports and reports name patients and staff, and jump hosts are
    shared."""
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        return
    tmp.chmod(mode)


@contextmanager
def atomic_write(target: Path) -> Iterator[Path]:
    """A temporary file beside `target` (mode 0600, a unique name) to write to instead.

    When the block ends without an error the temporary file replaces `target` (keeping an
    existing target's mode); otherwise it is removed, so a failed or cancelled write never
    leaves half a file and never destroys the old one. An OSError, from creating, writing
    or renaming, becomes one ValidationError naming `target` and the system's reason.
    """
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                        dir=target.parent)
    except OSError as error:
        raise unwritable(target, error) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        keep_mode(target, tmp)
        os.replace(tmp, target)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise unwritable(target, error) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
