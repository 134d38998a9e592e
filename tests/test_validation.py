"""Every input rule of DESIGN.md with good and bad values."""

from datetime import date

import pytest

from models import validation as v
from models.errors import ValidationError
from models.text import clean, swedish_key


@pytest.mark.parametrize(
    "value, expected",
    [
        ("SE2321000016-1001", "SE2321000016-1001"),
        ("  se2321000016-abc1 ", "SE2321000016-ABC1"),
        ("SE162321000016-X", "SE162321000016-X"),
        ("SE2321000016-A b'()+,-./:=?", "SE2321000016-A B'()+,-./:=?"),
        ("SE2120000803-9" + "9" * 17, "SE2120000803-" + "9" * 18),  # 31 characters
    ],
)
def test_hsa_id_good(value, expected):
    assert v.hsa_id(value) == expected


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("", "Ange ett HSA-id"),
        ("SE2321000016-" + "9" * 19, "högst 31 tecken"),
        ("SE2321000017-1001", "kontrollsiffra"),
        ("SE232100001-1001", "SE, tio siffror"),
        ("SE2321000016", "SE, tio siffror"),
        ("SE2321000016-Åre", "utan å, ä, ö"),
        ("SE2321000016-a@b", "utan å, ä, ö"),
        ("DK2321000016-1", "SE, tio siffror"),
        ("SE2321000016-", "SE, tio siffror"),
    ],
)
def test_hsa_id_bad(value, fragment):
    with pytest.raises(ValidationError) as info:
        v.hsa_id(value)
    assert fragment in str(info.value)
    assert info.value.field == "hsa_id"


# Only ASCII digits and letters: \d and IGNORECASE are Unicode-aware by default, and
# upper-casing first would turn "ß" into "SS", the HSA-id of another unit.
@pytest.mark.parametrize(
    "value",
    [
        "SE٢٣٢١٠٠٠٠١٦-1001",  # Arabic-Indic digits
        "SE２３２１００００１６-1001",  # full-width digits
        "SE2321000016-١٠٠١",
        "SE2321000016-ß",
        "SE2321000016-s\u017f",  # long s, which IGNORECASE would take for s
        "SE2321000016-\u212a1",  # Kelvin sign, which IGNORECASE would take for k
        "SE2321000016-é",
        "SE2321000016-1\x1b[31m",
    ],
)
def test_hsa_id_refuses_non_ascii_digits_and_letters(value):
    with pytest.raises(ValidationError) as info:
        v.hsa_id(value)
    assert "SE, tio siffror" in str(info.value)
    assert v.hsa_id_partial(value) is not None


def test_hsa_id_partial():
    assert v.hsa_id_partial("SE23") is None
    assert v.hsa_id_partial("S") is None
    assert "SE" in v.hsa_id_partial("XE2")
    assert "å" in v.hsa_id_partial("SE2321000016-å")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("19121212-1212", "191212121212"),
        ("121212-1212", "201212121212"),
        ("121212+1212", "191212121212"),  # + means a hundred years or older
        ("191212121212", "191212121212"),
        ("701063-2391", "197010632391"),  # samordningsnummer: day + 60
    ],
)
def test_personnummer_good(value, expected):
    assert v.personnummer(value) == expected


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("١٩١٢١٢١٢-١٢١٢", "ÅÅMMDD-NNNN"),  # Arabic-Indic digits: \d would take them
        ("１９１２１２１２-１２１２", "ÅÅMMDD-NNNN"),  # full-width digits
        ("", "Ange ett personnummer"),
        ("19121212-1213", "inte ett giltigt"),
        ("121312-1212", "inte ett giltigt"),
        ("12121-1212", "ÅÅMMDD-NNNN"),
        ("abcdef-ghij", "ÅÅMMDD-NNNN"),
    ],
)
def test_personnummer_bad(value, fragment):
    with pytest.raises(ValidationError) as info:
        v.personnummer(value)
    assert fragment in str(info.value)


def test_unit_name_28_character_word_rule():
    assert v.unit_name("Vårdcentralen  Källan ") == "Vårdcentralen Källan"
    assert v.unit_name("A" * 28 + " B") == "A" * 28 + " B"
    with pytest.raises(ValidationError, match="max 28 tecken"):
        v.unit_name("Barnavårdscentralsmottagningen")  # 30 characters in one word
    with pytest.raises(ValidationError, match="Ange ett namn"):
        v.unit_name("   ")
    with pytest.raises(ValidationError, match="styrtecken"):
        v.unit_name("Ond\x1b[31m mottagning")


def test_dates():
    assert v.iso_date("2026-02-28") == date(2026, 2, 28)
    with pytest.raises(ValidationError, match="finns inte i kalendern"):
        v.iso_date("2026-02-30")
    with pytest.raises(ValidationError, match="ÅÅÅÅ-MM-DD"):
        v.iso_date("28/2 2026")
    assert v.date_range("2026-01-01", "2026-01-01") == (date(2026, 1, 1), date(2026, 1, 1))
    with pytest.raises(ValidationError, match="före till-datum"):
        v.date_range("2026-02-01", "2026-01-31")


def test_mobile_and_email():
    assert v.mobile("070-123 45 67") == "+46701234567"
    assert v.mobile("+46701234567") == "+46701234567"
    with pytest.raises(ValidationError, match="mobilnummer"):
        v.mobile("08-123 45 67")
    assert v.email("a.b@region.se") == "a.b@region.se"
    with pytest.raises(ValidationError, match="giltig e-postadress"):
        v.email("a.b@")
    # Neither a Unicode digit in a number nor a control character in an address passes,
    # and the message quotes the address cleaned.
    with pytest.raises(ValidationError, match="mobilnummer"):
        v.mobile("070-١٢٣ ٤٥ ٦٧")
    assert v.mobile_partial("07١") is not None
    with pytest.raises(ValidationError) as info:
        v.email("a\x1b]0;PWNED\x07@region.se")
    assert str(info.value) == "a@region.se är inte en giltig e-postadress."
    with pytest.raises(ValidationError, match="ÅÅÅÅ-MM-DD"):
        v.iso_date("٢٠٢٦-٠١-٣١")


def test_clean_removes_escape_sequences_and_controls():
    assert clean("Vård\x1b[31mcentral\x1b[0m") == "Vårdcentral"
    assert clean("a\x1b]0;title\x07b") == "ab"
    assert clean("rad1\nrad2\x00") == "rad1 rad2"
    assert clean("rad1\nrad2\x07", multiline=True) == "rad1\nrad2"
    assert clean(None) == ""


def test_swedish_order():
    names = ["Östen", "Åsa", "Ärla", "Zack", "Adam"]
    assert sorted(names, key=swedish_key) == ["Adam", "Zack", "Åsa", "Ärla", "Östen"]
