"""Make text from files and the database safe to show on a terminal."""

from __future__ import annotations

import re

# Escape sequences first (whole, so their parameters do not survive as text), then any C0
# or C1 control character left over. A string sequence (OSC, DCS, SOS, PM, APC) runs to its
# terminator (BEL, ST as ESC \ or the 8-bit 0x9c) or, unterminated, to the end of the text:
# OSC 52 (clipboard), OSC 8 (hyperlinks), DCS and friends lose their payload too.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # strings
    r"|\x1b[ -/]*[0-~]"  # nF, Fp, Fe and Fs sequences: ESC c (RIS), ESC ( B, ESC 7, ESC N ...
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROLS_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Lone surrogates: undecodable bytes from argv, a file name or the environment
# (surrogateescape). They cannot be written to a UTF-8 terminal; show U+FFFD instead.
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def clean(value: object, *, multiline: bool = False) -> str:
    """Return `value` as text without escape sequences or control characters.

    Newlines and tabs survive only when `multiline` is set (help texts, terms texts);
    a one-line field gets them replaced by a space so a name cannot break a table row.
    """
    if value is None:
        return ""
    text = _SURROGATES.sub("\ufffd", _ESCAPES.sub("", str(value)))
    if multiline:
        return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\t", "    "))
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _CONTROLS_ONE_LINE.sub("", text)


def has_control_characters(value: str) -> bool:
    return bool(_CONTROLS_ONE_LINE.search(value))


_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "é": "e",
                                "è": "e", "ü": "y", "à": "a"})


def swedish_key(value: str) -> str:
    """Sort key for Swedish alphabetical order: å, ä, ö come after z."""
    return value.lower().translate(_SWEDISH_ORDER)
