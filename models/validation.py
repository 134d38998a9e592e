"""Input rules from DESIGN.md, each returning the normalised value or raising ValidationError."""

from __future__ import annotations

import re
from datetime import date

from personnummer import personnummer as _pnr

from .errors import ValidationError
from .text import clean, has_control_characters, invisible_character

MAX_WORD = 28
MAX_HSA_ID = 31
MAX_SEARCH = 100  # a search term; SQLite refuses LIKE patterns over 50,000 bytes
# ASCII only: without re.ASCII, \d takes Arabic-Indic and full-width digits and IGNORECASE
# lets "ſ" or the Kelvin sign pass as s and k. Matched before upper-casing, which would turn
# "ß" into "SS" (another unit's HSA-id).
_HSA_CHARS = "0-9A-Za-z '()+,\\-./:=?"
_HSA = re.compile(
    rf"^SE(?:16)?(?P<org>[0-9]{{10}})-(?P<suffix>[{_HSA_CHARS}]+)$", re.ASCII | re.IGNORECASE
)
_HSA_BAD_CHAR = re.compile(rf"[^{_HSA_CHARS}]", re.ASCII)
_MOBILE = re.compile(r"^(?:\+46|0046|0)7[0-9]{8}$", re.ASCII)
_EMAIL = re.compile(
    r"^[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f]+"
    r"\.[^@\s\x00-\x1f\x7f-\x9f]+$"
)


def refuse_invisible(value: str, field: str, label: str) -> None:
    """Bidi overrides, zero-width and other format characters (and U+2028/U+2029) make
    lookalike names and break search: refused in every name and identifier."""
    found = invisible_character(value)
    if found:
        raise ValidationError(
            f"{label} får inte innehålla osynliga tecken eller tecken som "
            f"styr textens riktning (här {found}).",
            field=field,
        )


def luhn_ok(digits: str) -> bool:
    """The Luhn check digit (python-stdnum's, as for organisation numbers)."""
    from stdnum import luhn

    return digits.isdigit() and luhn.is_valid(digits)


def org_number_ok(digits: str) -> bool:
    """A Swedish organisation number (python-stdnum: ten digits, Luhn)."""
    from stdnum.se import orgnr

    return digits.isascii() and orgnr.is_valid(digits)


def hsa_id(value: str | None) -> str:
    """Validate an HSA-id; returned upper-case so comparisons are case-insensitive."""
    text = (value or "").strip()
    if not text:
        raise ValidationError("Ange ett HSA-id.", field="hsa_id")
    if len(text) > MAX_HSA_ID:
        raise ValidationError(
            f"HSA-id får vara högst {MAX_HSA_ID} tecken (du angav {len(text)}).", field="hsa_id"
        )
    match = _HSA.match(text)
    if not match:
        raise ValidationError(
            "HSA-id ska se ut som SE2321000016-ABC1: SE, tio siffror, bindestreck och ett "
            "suffix utan å, ä, ö eller @.",
            field="hsa_id",
        )
    if not org_number_ok(match["org"]):
        raise ValidationError(
            f"Organisationsnumret {match['org']} i HSA-id:t har fel kontrollsiffra.",
            field="hsa_id",
        )
    return text.upper()


def hsa_id_partial(value: str) -> str | None:
    """Why a half-typed HSA-id can never become valid, or None while it still can."""
    text = value.strip()
    if len(text) > MAX_HSA_ID:
        return f"HSA-id får vara högst {MAX_HSA_ID} tecken."
    bad = _HSA_BAD_CHAR.search(text)
    if bad and bad.group() in "åäöÅÄÖ@":
        return "HSA-id får inte innehålla å, ä, ö eller @."
    if bad:
        return "HSA-id får bara innehålla A–Z, 0–9 och '()+,-./:=?."
    if text and not "SE".startswith(text[:2].upper()):
        return "HSA-id börjar med SE."
    return None


def personnummer(value: str | None) -> str:
    """Personnummer or samordningsnummer, stored as 12 digits."""
    text = (value or "").strip().replace(" ", "")
    if not text:
        raise ValidationError("Ange ett personnummer.", field="personnummer")
    if not re.fullmatch(r"[0-9]{6}([0-9]{2})?[-+]?[0-9]{4}", text, re.ASCII):
        raise ValidationError(
            "Personnummer ska skrivas ÅÅMMDD-NNNN eller ÅÅÅÅMMDDNNNN.", field="personnummer"
        )
    try:
        parsed = _pnr.Personnummer(text)
    except _pnr.PersonnummerException:
        raise ValidationError(
            f"{text} är inte ett giltigt personnummer eller samordningsnummer.",
            field="personnummer",
        ) from None
    return parsed.format(True)


def format_personnummer(digits12: str) -> str:
    """12 stored digits shown as ÅÅÅÅMMDD-NNNN."""
    return f"{digits12[:8]}-{digits12[8:]}" if len(digits12) == 12 else digits12


def unit_name(value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError("Ange ett namn på mottagningen.", field="name")
    if has_control_characters(text):
        raise ValidationError("Namnet får inte innehålla styrtecken.", field="name")
    refuse_invisible(value or "", "name", "Namnet")
    if len(text) > 200:
        raise ValidationError("Namnet får vara högst 200 tecken.", field="name")
    for word in text.split():
        if len(word) > MAX_WORD:
            raise ValidationError(
                f"Ett sammanhängande ord får vara max {MAX_WORD} tecken: "
                f"\u201d{word[:MAX_WORD]}…\u201d har {len(word)}.",
                field="name",
            )
    return " ".join(text.split())


def plain_text(
    value: str | None, field: str, label: str, max_len: int = 500, multiline: bool = False
) -> str:
    text = (value or "").strip()
    bad = re.search(
        r"[\x00-\x08\x0b-\x1f\x7f-\x9f]" if multiline else r"[\x00-\x1f\x7f-\x9f]", text
    )
    if bad:
        raise ValidationError(f"{label} får inte innehålla styrtecken.", field=field)
    refuse_invisible(value or "", field, label)
    if len(text) > max_len:
        raise ValidationError(f"{label} får vara högst {max_len} tecken.", field=field)
    return text


def search_term(value: str | None, field: str = "term", label: str = "Sökordet") -> str:
    """A search term (Visa mottagningsinformation, the command palette, unit list)."""
    text = (value or "").strip()
    if len(text) > MAX_SEARCH:
        raise ValidationError(
            f"{label} får vara högst {MAX_SEARCH} tecken (du angav {len(text)}).", field=field
        )
    if has_control_characters(text):
        raise ValidationError(f"{label} får inte innehålla styrtecken.", field=field)
    refuse_invisible(text, field, label)
    return text


def mobile(value: str | None) -> str:
    """A Swedish mobile number in E.164 (+467…), checked by phonenumbers (Google's
    numbering plan data: a number the plan does not give to mobiles is refused)."""
    import phonenumbers

    text = re.sub(r"[\s-]", "", value or "")
    sentence = "Mobilnumret ska vara ett svenskt mobilnummer, till exempel 070-123 45 67."
    if not _MOBILE.match(text):
        raise ValidationError(sentence, field="mobile")
    try:
        number = phonenumbers.parse(text, "SE")
    except phonenumbers.NumberParseException:
        raise ValidationError(sentence, field="mobile") from None
    if not (
        phonenumbers.is_valid_number(number)
        and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    ):
        raise ValidationError(sentence, field="mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# The shapes mobile() accepts once spaces and hyphens are gone; "#" is any digit.
_MOBILE_SHAPES = ("07########", "+467########", "00467########")


def mobile_partial(value: str) -> str | None:
    """Why a half-typed mobile number can never become valid, or None while it still can.

    Short (a hint beside the field); mobile() gives the full sentence on save.
    """
    text = re.sub(r"[\s-]", "", value or "")
    if not re.fullmatch(r"\+?[0-9]*", text):
        return "Bara siffror, mellanslag, bindestreck och +."
    for shape in _MOBILE_SHAPES:
        prefix = shape[: len(text)]
        if len(text) <= len(shape) and all(
            ch == want or (want == "#" and ch in "0123456789")
            for ch, want in zip(text, prefix, strict=True)
        ):
            return None
    return "Ett svenskt mobilnummer, till exempel 070-123 45 67."


def email(value: str | None) -> str:
    """An e-mail address as typed, if its syntax is right (email-validator; no DNS)."""
    from email_validator import EmailNotValidError, validate_email

    text = (value or "").strip()
    refuse_invisible(value or "", "email", "E-postadressen")
    try:
        if len(text) > 254 or not _EMAIL.match(text):
            raise EmailNotValidError("shape")
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(
            f"{clean(text) or 'Tom'} är inte en giltig e-postadress.", field="email"
        ) from None
    return text


def iso_date(value: str | None, field: str = "datum", label: str = "Datum") -> date:
    text = (value or "").strip()
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise ValidationError(
            f"{label} ska skrivas ÅÅÅÅ-MM-DD, till exempel 2026-01-31.", field=field
        )
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{label} {text} finns inte i kalendern.", field=field) from None


def date_range(start: str | date | None, end: str | date | None) -> tuple[date, date]:
    first = start if isinstance(start, date) else iso_date(start, "from", "Från-datum")
    last = end if isinstance(end, date) else iso_date(end, "to", "Till-datum")
    if first > last:
        raise ValidationError(
            f"Från-datum ({first}) måste vara samma dag som eller före till-datum ({last}).",
            field="from",
        )
    return first, last
