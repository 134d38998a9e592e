"""Files the program writes for the user: written whole or not at all, private by default.

Used by the interchange exports (models.transfer) and the report writers (reports.writers).

What `--output` may name (output_file):
- a regular file, new or old: written to a temporary file beside it and renamed into place
  at the end, so a failed or killed write never leaves half a file and never destroys the
  old one; a symbolic link to a file stays a link (the file it points to is replaced);
- a character device or a FIFO (/dev/null, a named pipe, a terminal): written straight
  into; nothing is ever renamed over it;
- anything else (a directory, a socket, a block device): refused with a sentence.
A missing folder is an error unless the caller asks for it to be made (the TUI's default
report folder).

Temporary files are named `.NAME.regionadmin-tmp-PID.HOST.XXXXXXXX` (openpyxl's scratch
copy of a sheet adds `.XXXXXXXX.sheet`). A write that was killed cannot remove its own; the
next write into the same folder removes those whose process is gone (same host, PID not
running), so they never pile up. Scratch files for a device or FIFO target (which has no
folder of its own to write beside) go to the user's private cache folder instead, never to
the shared /tmp, and are swept the same way.
"""

from __future__ import annotations

import errno
import os
import re
import socket
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from platformdirs import user_cache_dir

from .errors import NotFound, ValidationError
from .text import clean

TEMP_MARK = ".regionadmin-tmp-"
_TEMP_RE = re.compile(r"^\..*" + re.escape(TEMP_MARK) + r"(\d+)\.([A-Za-z0-9-]*)\.")
_HOST = re.sub(r"[^A-Za-z0-9-]", "", socket.gethostname())[:40]
_NAME_KEEP = 100  # of the target's name in a temporary name (file names end at 255 bytes)

NEW, FILE, STREAM = "new", "file", "stream"


# The operating system's reasons in Swedish: its own words are English whatever the
# locale on our jump hosts. The code name (ENOENT…) keeps a rare one searchable.
_OS_REASONS = {
    errno.ENOENT: "filen eller mappen finns inte",
    errno.ENOTDIR: "en del av sökvägen är inte en mapp",
    errno.EISDIR: "det är en mapp",
    errno.EACCES: "åtkomst nekad",
    errno.EPERM: "åtgärden är inte tillåten",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
    errno.EFBIG: "filen är för stor",
    errno.ENAMETOOLONG: "namnet är för långt",
    errno.ELOOP: "för många symboliska länkar i sökvägen",
    errno.EEXIST: "filen finns redan",
    errno.EBUSY: "filen är upptagen",
    errno.ETXTBSY: "filen är upptagen",
    errno.EMFILE: "för många öppna filer",
    errno.ENFILE: "för många öppna filer",
    errno.EIO: "in- eller utmatningsfel på disken",
    errno.ENXIO: "ingen läser i andra änden",
    errno.EPIPE: "mottagaren har stängt",
    errno.EXDEV: "filen kan inte flyttas mellan filsystem",
    errno.ENODEV: "enheten finns inte",
    errno.EINVAL: "ogiltig åtgärd för den här filen",
}


def os_reason(error: OSError) -> str:
    """Why `error` happened, in Swedish; unknown causes by their code name (e.g. EXDEV)."""
    if error.errno in _OS_REASONS:
        return _OS_REASONS[error.errno]
    if error.errno:
        return f"systemfel {errno.errorcode.get(error.errno, error.errno)}"
    return f"systemfel {type(error).__name__}"


def unwritable(target: Path | str, error: OSError) -> ValidationError:
    return ValidationError(
        f"Filen {clean(target)} kunde inte skrivas ({os_reason(error)}).", field="output"
    )


def unreadable(source: Path | str, error: OSError) -> ValidationError:
    return ValidationError(
        f"Filen {clean(source)} kunde inte läsas ({os_reason(error)}).", field="file"
    )


def keep_mode(target: Path, tmp: Path) -> None:
    """A replaced file keeps its permissions; a new one stays readable by its owner only
    (mkstemp's 0600): exports and reports name patients and staff, and jump hosts are
    shared."""
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        return
    tmp.chmod(mode)


# ---------------------------------------------------------------------------- temporaries


def temp_prefix(target: Path) -> str:
    return f".{target.name[:_NAME_KEEP]}{TEMP_MARK}{os.getpid()}.{_HOST}."


def is_temp_name(name: str) -> bool:
    """True for the name of one of our temporary files (or a sheet scratch file)."""
    return _TEMP_RE.match(name) is not None


def _running(pid: int) -> bool:
    if pid <= 0:
        return True  # not a process id we wrote; leave the file alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it runs, as another user
        return True
    return True


def sweep_stale(directory: Path) -> list[str]:
    """Remove the temporary files in `directory` left by killed writes on this host (the
    PID in the name no longer runs); returns their names. Best effort: a file that cannot
    be removed is left for the next time."""
    removed: list[str] = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        found = _TEMP_RE.match(entry.name)
        if found is None or found.group(2) != _HOST or _running(int(found.group(1))):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(entry.name)
    return removed


def scratch_dir() -> Path:
    """The user's private cache folder (mode 0700), for scratch files that have no target
    folder to lie beside; stale ones there are swept on every use."""
    folder = Path(user_cache_dir("regionadmin"))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    sweep_stale(folder)
    return folder


def scratch_file(beside: Path, suffix: str) -> Path:
    """A new private (0600) scratch file for a writer whose output is `beside`: next to it
    when `beside` is one of our temporary files, else (a device or a FIFO) in scratch_dir().
    The caller removes it; if the process is killed, the next write sweeps it."""
    if is_temp_name(beside.name):
        folder, prefix = beside.parent, beside.name + "."
    else:
        folder, prefix = scratch_dir(), temp_prefix(beside)
    try:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    except OSError as error:
        raise unwritable(beside, error) from None
    os.close(fd)
    return Path(name)


# ---------------------------------------------------------------------------- targets


def output_kind(target: Path) -> str:
    """NEW (nothing there yet), FILE (a regular file) or STREAM (a character device or a
    FIFO); a ValidationError for anything else or a path that cannot be looked at."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return NEW
    except OSError as error:  # a file where a folder should be, no permission, a loop
        raise unwritable(target, error) from None
    if stat.S_ISREG(info.st_mode):
        return FILE
    if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
        return STREAM
    if stat.S_ISDIR(info.st_mode):
        raise ValidationError(f"{clean(target)} är en katalog; ange ett filnamn.", field="output")
    what = (
        "en socket"
        if stat.S_ISSOCK(info.st_mode)
        else "en blockenhet"
        if stat.S_ISBLK(info.st_mode)
        else "ingen vanlig fil"
    )
    raise ValidationError(
        f"{clean(target)} är {what} och skrivs inte över; ange ett filnamn.", field="output"
    )


@contextmanager
def output_file(target: Path | str, *, make_parents: bool = False) -> Iterator[Path]:
    """The path to write `target`'s content to; see the module's docstring.

    A regular (or new) target gets a temporary file beside it that replaces it when the
    block ends without an error; a character device or a FIFO is yielded itself. An
    OSError becomes one ValidationError naming `target` and the system's reason; a missing
    folder is NotFound ("Katalogen X finns inte.") unless `make_parents`.
    """
    target = Path(target)
    kind = output_kind(target)
    if kind == STREAM:
        try:
            yield target
        except OSError as error:
            raise unwritable(target, error) from None
        return
    if target.is_symlink():  # write the file the link points to; the link stays
        target = Path(os.path.realpath(target))
    parent = target.parent
    if not parent.exists():
        if not make_parents:
            raise NotFound(f"Katalogen {clean(parent)} finns inte.")
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise unwritable(target, error) from None
    sweep_stale(parent)
    with atomic_write(target) as tmp:
        yield tmp


@contextmanager
def atomic_write(target: Path) -> Iterator[Path]:
    """A temporary file beside `target` (mode 0600, a unique, recognisable name) to write to
    instead.

    When the block ends without an error the temporary file replaces `target` (keeping an
    existing target's mode); otherwise it is removed, so a failed or cancelled write never
    leaves half a file and never destroys the old one. Only a regular file (or nothing) is
    ever replaced. An OSError, from creating, writing or renaming, becomes one
    ValidationError naming `target` and the system's reason.
    """
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(target), dir=target.parent)
    except OSError as error:
        raise unwritable(target, error) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        # Checked again just before the rename: something else may have appeared there.
        try:
            info = os.lstat(target)
        except FileNotFoundError:
            pass
        else:
            if not stat.S_ISREG(info.st_mode):
                raise ValidationError(
                    f"{clean(target)} är inte längre en vanlig fil och skrivs inte över.",
                    field="output",
                )
        keep_mode(target, tmp)
        os.replace(tmp, target)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise unwritable(target, error) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
