"""Make text from files and the database safe to show on a terminal."""

from __future__ import annotations

import re

# CSI/OSC/DCS and other ESC sequences, then any C0/C1 control character left over.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[@-Z\\-_]"  # two-character sequences
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROLS_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean(value: object, *, multiline: bool = False) -> str:
    """Return `value` as text without escape sequences or control characters.

    Newlines and tabs survive only when `multiline` is set (help texts, terms texts);
    a one-line field gets them replaced by a space so a name cannot break a table row.
    """
    if value is None:
        return ""
    text = _ESCAPES.sub("", str(value))
    if multiline:
        return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\t", "    "))
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _CONTROLS_ONE_LINE.sub("", text)


def has_control_characters(value: str) -> bool:
    return bool(_CONTROLS_ONE_LINE.search(value)) or "\x1b" in value


_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "é": "e",
                                "è": "e", "ü": "y", "à": "a"})


def swedish_key(value: str) -> str:
    """Sort key for Swedish alphabetical order: å, ä, ö come after z."""
    return value.lower().translate(_SWEDISH_ORDER)
