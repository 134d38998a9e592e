"""Make text from files and the database safe to show on a terminal."""

from __future__ import annotations

import re
import unicodedata

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
# Unicode format characters (category Cf): bidi embeddings, overrides and isolates
# (U+202A–202E, U+2066–2069), zero-width space and joiners (U+200B–200D), word joiner
# (U+2060), BOM (U+FEFF), soft hyphen, invisible operators, tags ... They make lookalike
# names ("Vårdcentralen\u202eX" shows reversed) and break search. Written out as ranges
# (Unicode 15, a superset of Python 3.11's Unicode 14) so that the check is one regex;
# tests/test_properties.py compares it with unicodedata.
FORMAT_CHARACTERS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
)
_FORMAT = re.compile(f"[{FORMAT_CHARACTERS}]")
# Line and paragraph separators: a line break that is not "\n" (a name must not break a row).
_SEPARATORS = re.compile("[\u2028\u2029]")
# What input refuses in names, identifiers and imported fields: both of the above.
_INVISIBLE = re.compile(f"[{FORMAT_CHARACTERS}\u2028\u2029]")


def clean(value: object, *, multiline: bool = False) -> str:
    """Return `value` as text without escape sequences or control characters.

    Newlines and tabs survive only when `multiline` is set (help texts, terms texts);
    a one-line field gets them replaced by a space so a name cannot break a table row.
    Format characters (bidi overrides, zero-width characters, BOM ...) are removed; the line
    and paragraph separators U+2028/U+2029 become a newline, or a space on one line.
    Idempotent: clean(clean(x)) == clean(x).
    """
    if value is None:
        return ""
    text = str(value)
    if text.isprintable():
        # No control, escape, format, separator or surrogate character is printable: the
        # common case (every cell of a big report) needs none of the substitutions below.
        return text
    text = _FORMAT.sub("", text)  # first: "\x1b[3\u200b1m" goes as one sequence
    text = _SURROGATES.sub("\ufffd", _ESCAPES.sub("", text))
    if multiline:
        text = _SEPARATORS.sub("\n", text)
        return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\t", "    "))
    text = _SEPARATORS.sub(" ", text)
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _CONTROLS_ONE_LINE.sub("", text)


def has_control_characters(value: str) -> bool:
    return bool(_CONTROLS_ONE_LINE.search(value))


def invisible_character(value: str) -> str | None:
    """The first format character (category Cf) or line/paragraph separator in `value`,
    written as U+XXXX, or None: what input refuses in names, identifiers and imports."""
    found = _INVISIBLE.search(value)
    return f"U+{ord(found.group()):04X}" if found else None


# Swedish alphabetical order (Svenska Akademiens ordlista): å, ä, ö after z; æ as ä, ø as
# ö, ü as y; every other accented letter as its base letter (é as e, á as a, ç as c).
# Bump SORT_KEY_VERSION when this changes: init recomputes the stored keys.
SORT_KEY_VERSION = "2"
_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "ü": "y"})
_KEEP = frozenset("åäöæøü")


def swedish_key(value: str) -> str:
    """Sort key for Swedish alphabetical order: å, ä, ö come after z."""
    lowered = value.lower()
    if not lowered.isascii():
        lowered = "".join(ch if ch in _KEEP else _base_letter(ch) for ch in lowered)
    return lowered.translate(_SWEDISH_ORDER)


def _base_letter(ch: str) -> str:
    if ch.isascii():
        return ch
    return (
        "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)) or ch
    )
