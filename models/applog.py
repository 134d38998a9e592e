"""The program's log: a rotating file in the user's log directory, private to the user.

An unexpected error is written there with its traceback; the user gets one Swedish
sentence that names the file (support asks for it).
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOGGER = "regionadmin"
MAX_BYTES = 1_000_000
BACKUPS = 3


def log_path() -> Path:
    override = os.environ.get("REGIONADMIN_LOG_DIR")
    if override:
        return Path(override) / "regionadmin.log"
    from platformdirs import user_log_dir

    return Path(user_log_dir("regionadmin", appauthor=False)) / "regionadmin.log"


def logger() -> logging.Logger:
    """The program's logger, writing to log_path() (set up on first use)."""
    log = logging.getLogger(LOGGER)
    path = log_path()
    if not any(getattr(h, "baseFilename", None) == str(path) for h in log.handlers):
        for handler in list(log.handlers):
            log.removeHandler(handler)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        handler = RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
        )
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    return log


def unexpected(error: BaseException, where: str = "") -> str:
    """Log `error` with its traceback; return the sentence for the user."""
    try:
        logger().error(
            "unexpected error%s",
            f" in {where}" if where else "",
            exc_info=(type(error), error, error.__traceback__),
        )
        saved = f"; detaljerna finns i loggfilen {log_path()}"
    except OSError:  # no room for a log either: say what we know
        saved = ""
    return f"Ett oväntat fel inträffade ({type(error).__name__}){saved}."
