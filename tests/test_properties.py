"""Property-based tests (Hypothesis), SQLite only and bounded (the file runs in seconds):

- the validators (HSA-id, personnummer, unit name, dates, search terms) either return a
  value that obeys the input rules or raise ValidationError, and are idempotent;
- clean() lets no escape sequence, C0/C1 control (newline/tab only where allowed), bidi
  or other format character through, and is idempotent;
- every importer, fed rows built from strategies (bad times, bidi characters, long
  fields, wrong column counts, broken quoting), either imports or raises a DomainError,
  and after a failed import the store exports byte for byte as before;
- the command line with generated arguments exits with a documented code only, never a
  traceback, and never writes a raw control or format character.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import unicodedata
from datetime import date

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from models import db as dbmod
from models import transfer, validation
from models.entities import ALL_MODELS
from models.errors import DomainError, ValidationError
from models.schema import init_schema
from models.text import _FORMAT, clean
from tests.factories import (
    ORG_01,
    PNR_ANNA,
    PNR_BERTIL,
    PNR_CECILIA,
    build_world,
    make_pnr,
)
from tui import cli

# REGIONADMIN_PROPERTY_EXAMPLES=2000 for a longer hunt; 60 keeps the file under ten seconds.
BOUNDED = settings(
    max_examples=int(os.environ.get("REGIONADMIN_PROPERTY_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Characters that matter here, mixed into arbitrary text: escapes and their parts, C0 and
# C1 controls, bidi, zero-width and other format characters, separators, lone surrogates.
SPECIAL = [
    "\x1b",
    "\x1b[",
    "\x1b]",
    "\x1bP",
    "\x1b\\",
    "\x07",
    "\x9b",
    "\x9c",
    "\x9d",
    "\x90",
    "\x00",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "\x7f",
    "\x85",
    "\u202e",
    "\u202a",
    "\u2066",
    "\u2069",
    "\u200b",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u2028",
    "\u2029",
    "\u00ad",
    "\U000e0041",
    "\ud800",
    "\udcff",
    "31m",
    "0;",
    "2J",
    ";",
    ",",
    '"',
    "å",
    "Ł",
]
fragments = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=6))
messy_text = st.lists(fragments, max_size=12).map("".join)

C0_C1 = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")


def invisible(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) == "Cf" or c in "\u2028\u2029"]


# ---------------------------------------------------------------------------- clean()


def test_the_format_character_list_covers_unicode():
    """models.text lists format characters as ranges; Python's Unicode must not know more."""
    missing = [
        f"U+{c:04X}"
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) == "Cf" and not _FORMAT.match(chr(c))
    ]
    assert missing == []


@BOUNDED
@given(messy_text)
def test_clean_lets_nothing_through_and_is_idempotent(value):
    for multiline in (False, True):
        out = clean(value, multiline=multiline)
        assert "\x1b" not in out
        assert not C0_C1.search(out), repr(out)
        assert "\t" not in out
        if not multiline:
            assert "\n" not in out
        assert invisible(out) == [], repr(out)
        assert not SURROGATE.search(out)
        assert clean(out, multiline=multiline) == out


@BOUNDED
@given(st.lists(st.sampled_from(["a", "b c", "\n", "\r\n", "\u2028", "\t"]), max_size=8))
def test_clean_keeps_lines_only_where_asked(parts):
    value = "".join(parts)
    lines = value.replace("\r\n", "\n").replace("\u2028", "\n").count("\n")
    assert clean(value, multiline=True).count("\n") == lines
    assert clean(value).count("\n") == 0


# ---------------------------------------------------------------------------- validators

HSA_SUFFIX = st.text(
    alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz '()+,-./:=?", min_size=1, max_size=18
)


def luhn_digit(body: str) -> str:
    return next(str(d) for d in range(10) if validation.luhn_ok(body + str(d)))


@st.composite
def valid_hsa_ids(draw) -> str:
    body = draw(st.text(alphabet="0123456789", min_size=9, max_size=9))
    org = body + luhn_digit(body)
    prefix = draw(st.sampled_from(["SE", "se", "SE16"]))
    suffix = draw(HSA_SUFFIX.filter(lambda s: s.strip()))
    text = f"{prefix}{org}-{suffix}"
    assume(len(text.strip()) <= validation.MAX_HSA_ID)
    return text


@BOUNDED
@given(st.one_of(messy_text, valid_hsa_ids(), st.text(max_size=40)))
def test_hsa_id_rule(value):
    try:
        result = validation.hsa_id(value)
    except ValidationError:
        return
    shape = re.fullmatch(r"SE(?:16)?([0-9]{10})-[0-9A-Z '()+,\-./:=?]+", result, re.ASCII)
    assert shape and validation.luhn_ok(shape[1])
    assert len(result) <= validation.MAX_HSA_ID and result == result.strip()
    assert validation.hsa_id(result) == result


@BOUNDED
@given(valid_hsa_ids())
def test_valid_hsa_ids_are_accepted(value):
    assert validation.hsa_id(value) == value.strip().upper()


@st.composite
def valid_pnrs(draw) -> str:
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)))
    serial = draw(st.integers(1, 999))
    return make_pnr(born.strftime("%Y%m%d"), f"{serial:03d}")


@BOUNDED
@given(st.one_of(messy_text, valid_pnrs(), st.text(alphabet="0123456789-+ ", max_size=14)))
def test_personnummer_rule(value):
    try:
        result = validation.personnummer(value)
    except ValidationError:
        return
    assert re.fullmatch(r"[0-9]{12}", result, re.ASCII)
    assert validation.luhn_ok(result[2:])
    assert result[8:11] != "000"
    assert validation.personnummer(result) == result


@BOUNDED
@given(valid_pnrs())
def test_valid_personnummer_in_both_forms(pnr):
    assert validation.personnummer(pnr) == pnr
    # Ten digits: "+" once the person has had a 100th birthday year ("-" means younger).
    sep = "+" if date.today().year - int(pnr[:4]) >= 100 else "-"
    assert validation.personnummer(f"{pnr[2:8]}{sep}{pnr[8:]}") == pnr


@BOUNDED
@given(
    st.one_of(
        messy_text,
        st.text(max_size=80),
        st.lists(st.text(alphabet="abcåäö", min_size=1, max_size=35), max_size=5).map(" ".join),
    )
)
def test_unit_name_rule(value):
    try:
        result = validation.unit_name(value)
    except ValidationError as error:
        assert error.field == "name"
        return
    assert result and result == result.strip() and len(result) <= 200
    assert not C0_C1.search(result) and invisible(result) == []
    assert all(len(word) <= validation.MAX_WORD for word in result.split())
    assert validation.unit_name(result) == result


@BOUNDED
@given(
    st.one_of(
        st.dates().map(date.isoformat), messy_text, st.text(alphabet="0123456789-", max_size=12)
    )
)
def test_date_rule(value):
    try:
        result = validation.iso_date(value)
    except ValidationError:
        return
    assert result.isoformat() == value.strip()


@BOUNDED
@given(st.dates(), st.dates())
def test_date_range_rule(first, last):
    if first > last:
        with pytest.raises(ValidationError):
            validation.date_range(first.isoformat(), last.isoformat())
    else:
        assert validation.date_range(first.isoformat(), last.isoformat()) == (first, last)


@BOUNDED
@given(st.one_of(messy_text, st.text(min_size=90, max_size=120)))
def test_search_term_rule(value):
    try:
        result = validation.search_term(value)
    except ValidationError:
        return
    assert len(result) <= validation.MAX_SEARCH
    assert not C0_C1.search(result) and invisible(result) == []


# ---------------------------------------------------------------------------- importers


@pytest.fixture
def store(tmp_path):
    url = f"sqlite:///{tmp_path / 'prop.db'}"
    dbmod.open_database(url)
    init_schema()
    world = build_world()
    yield world, url
    dbmod.database.obj.close()


def export_all() -> dict[str, str]:
    out = {}
    for kind in transfer.KINDS:
        buffer = io.StringIO()
        transfer.export_file(kind, buffer)
        out[kind] = buffer.getvalue()
    return out


def counts() -> dict[str, int]:
    return {m.__name__: m.select().count() for m in ALL_MODELS}


BAD_TIMES = [
    "0001-01-01",
    "9999-12-31T23:59:59-14:00",
    "1999-12-31T23:59:59",
    "2026-13-01",
    "2026-02-30T10:00",
    "igår",
    "2026-01-01T25:00",
    "+002026-01-01",
    "20260101T1000",
    "2999-01-01",
    "1970-01-01T00:00:00+00:00",
    "2026-01-01T10:00\u202e",
]
GOOD_TIMES = [
    "2026-03-02T10:00",
    "2026-01-15T10:00:00+01:00",
    "2025-06-30 23:59:59",
    "2024-02-29T12:00:00Z",
    "2000-01-01T00:00",
]
LONG = ["x" * 300, "å" * 5000, "y" * 140_000]


def cell_pool(world, kind: str) -> dict[str, list[str]]:
    """Good values per column (a few wrong ones too, so that some rows fail late)."""
    pool = {
        "hsa_id": [world.active_hsa, world.other_active_hsa, "se2321000016-1002 "],
        "assignee_personnummer": [PNR_CECILIA, ""],
        "personnummer": [PNR_BERTIL, PNR_CECILIA, f"{PNR_BERTIL[2:8]}-{PNR_BERTIL[8:]}"],
        "name": ["Källan", "Vårdcentralen Ängen", "Ł"],
        "given_names": ["Bertil", "Åsa"],
        "surname": ["Berg", "Öberg"],
        "care_type": ["Vårdcentral", ""],
        "region_code": ["01", "12", "1"],
        "case_type": ["Förnya recept", "Beställa tid"],
        "active": ["true", "false"],
        "success": ["true", "false"],
        "case_id": ["1", "2", "20", "9223372036854775807"],
        "account_id": ["inv-1", "inv-2", "inv-3"],
        "method": ["BankID", "Freja eID+"],
        "email": ["a@b.se", ""],
        "mobile": ["0701234567", ""],
    }
    pool["kind"] = {
        "unit-casetypes": ["standard", "own", "integration"],
        "accounts": ["citizen"],
        "logins": ["citizen", "staff"],
    }.get(kind, [""])
    if kind == "hsa-units":
        pool["hsa_id"] += [world.free_hsa, f"SE{ORG_01}-NY1"]
    if kind == "accounts":
        pool["personnummer"] += [""]
    return pool


@st.composite
def import_files(draw, world, kind: str) -> str:
    columns = list(transfer.COLUMNS[kind])
    pool = cell_pool(world, kind)
    junk = st.one_of(messy_text, st.sampled_from(BAD_TIMES + LONG), st.text(max_size=20))

    def cell(column: str, plausible: bool) -> str:
        if column in (
            "received_at",
            "assigned_at",
            "started_at",
            "answered_at",
            "closed_at",
            "created_at",
            "at",
        ):
            good = st.sampled_from(GOOD_TIMES + [""])
        else:
            good = st.sampled_from(pool.get(column, ["", "Text"]))
        return draw(good if plausible else st.one_of(good, good, junk))

    header = columns[:]
    if draw(st.booleans()):
        header = draw(st.permutations(columns))
    if draw(st.integers(0, 9)) == 0:  # a header with a missing or unknown column
        header = header[:-1] + draw(st.sampled_from([[], ["okänd"], [header[-1].upper()]]))
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        plausible = draw(st.booleans())  # half the rows have a fair chance to import
        row = [cell(column, plausible) for column in header]
        shape = draw(st.integers(0, 12))
        if shape == 0:
            row = row[:-1]  # too few fields
        elif shape == 1:
            row = row + ["extra"]  # too many
        rows.append(row)
    delimiter = draw(st.sampled_from([",", ";"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    if draw(st.integers(0, 9)) == 0:  # broken quoting or a raw fragment
        text += draw(st.sampled_from(['"open,', '"a"b,c\n', "\x00,\n", "a\rb\n"]))
    return text


@pytest.mark.parametrize("kind", transfer.KINDS)
def test_importers_raise_only_domain_errors_and_roll_back(store, kind):
    world, _ = store

    @BOUNDED
    @given(st.data())
    def check(data):
        text = data.draw(import_files(world, kind))
        before, rows_before = export_all(), counts()
        try:
            transfer.import_file(kind, io.StringIO(text), actor_name="prop", batch_size=2)
        except DomainError:
            assert export_all() == before
            assert counts() == rows_before
        else:
            assert counts()["AuditEvent"] == rows_before["AuditEvent"] + 1

    check()


# ---------------------------------------------------------------------------- the CLI

DOCUMENTED_EXIT_CODES = {0, 2, 3, 4, 5, 6, 130, 141}
# Arguments a shell could pass: no NUL (argv cannot hold one) and no "/" (every file the
# commands write stays in the test's folder).
arg_text = (
    st.lists(
        st.one_of(st.sampled_from([s for s in SPECIAL if s != "\x00"]), st.text(max_size=8)),
        max_size=6,
    )
    .map("".join)
    .map(lambda s: s.replace("\x00", "").replace("/", ""))
)
REPORTS = [
    "anslutna-mottagningar",
    "arenden-per-mottagning",
    "arenden-per-arendetyp",
    "anvandarkonton",
    "handlaggningstider",
    "inloggningar",
    "obesvarade-arenden",
    "arendestatus",
    "arendetyper-per-mottagning",
]
FLAGS = [
    "--yes",
    "--all",
    "--active",
    "--sort",
    "--desc",
    "--name",
    "--other-service",
    "--role",
    "--from",
    "--to",
    "--unit",
    "--care-type",
    "--only-active",
    "--as-of",
    "--format",
    "--output",
    "-o",
    "--region",
    "--list",
    "--help",
    "-h",
]


@st.composite
def cli_arguments(draw, world) -> list[str]:
    """Mostly well-formed commands with plausible or generated values (so the services
    run, not only argparse), sometimes a jumble of flags and values."""

    def one(*good: str) -> str:
        return draw(st.one_of(st.sampled_from(good), st.sampled_from(good), arg_text))

    hsa = lambda: one(  # noqa: E731
        world.active_hsa,
        world.free_hsa,
        world.other_active_hsa,
        world.other_hsa,
        "se2321000016-1002 ",
    )
    pnr = lambda: one(PNR_BERTIL, PNR_CECILIA, PNR_ANNA, PNR_BERTIL[2:8] + "-" + PNR_BERTIL[8:])  # noqa: E731
    day = lambda: one("2026-01-01", "2026-11-30", "2000-01-01", "2099-12-31", "2026-02-30")  # noqa: E731
    out = lambda: one("r.csv", "r.pdf", "r.xlsx", "ut.csv", "-", "r.txt")  # noqa: E731
    optional = lambda *args: list(args) if draw(st.booleans()) else []  # noqa: E731
    choice = draw(st.integers(0, 12))
    if choice == 0:
        argv = ["unit", "show", hsa()]
    elif choice == 1:
        argv = ["unit", "rename", hsa(), one("Nytt namn", "Ängen " + "x" * 30, "A\u202eB")]
    elif choice == 2:
        argv = [
            "unit",
            "activate",
            hsa(),
            *optional("--name", one("Källan", "Ny")),
            *optional("--other-service"),
        ]
    elif choice == 3:
        argv = ["unit", "deactivate", hsa(), *optional("--yes")]
    elif choice == 4:
        argv = [
            "unit",
            "list",
            *optional(one("ängen", "SE", "%", "_", "a" * 101)),
            *optional(draw(st.sampled_from(["--all", "--active"]))),
            *optional("--sort", one("namn", "hsa-id", "ort", "status")),
            *optional("--desc"),
        ]
    elif choice == 5:
        argv = [
            "grant",
            one("add", "remove"),
            hsa(),
            pnr(),
            "--role",
            one("admin", "granskare", "vårdgivare"),
        ]
    elif choice == 6:
        argv = [draw(st.sampled_from(["admins", "config"]))]
    elif choice == 7:
        argv = [
            "report",
            one(*REPORTS),
            *optional("--from", day()),
            *optional("--to", day()),
            *optional("--unit", hsa()),
            *optional("--care-type", one("Vårdcentral")),
            *optional("--only-active"),
            *optional("--as-of", day()),
            *optional("--format", one("csv", "pdf", "xlsx")),
            *optional("--output", out()),
        ]
    elif choice == 8:
        argv = ["export", one(*transfer.KINDS), "--output", out()]
    elif choice == 9:
        argv = ["import", one(*transfer.KINDS), one("ut.csv", "r.csv", "saknas.csv")]
    elif choice == 10:
        argv = [
            "operator",
            "link",
            one("kalle", "anna", ""),
            pnr(),
            "--region",
            one("01", "12", "99"),
        ]
    elif choice == 11:
        argv = ["operator", "unlink", one("kalle", "okänd")]  # anna stays: she runs the rest
    else:
        argv = draw(
            st.lists(
                st.one_of(st.sampled_from(FLAGS + ["unit", "grant", "report"]), arg_text),
                max_size=6,
            )
        )
        argv = argv or ["okänt"]  # no command at all would start the TUI
    if draw(st.integers(0, 9)) == 0:
        argv.append(draw(st.one_of(st.sampled_from(FLAGS), arg_text)))
    return argv


def test_cli_exits_with_documented_codes_only(store, tmp_path, monkeypatch, capsys):
    world, url = store
    dbmod.database.obj.close()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REGIONADMIN_USER", "anna")
    monkeypatch.delenv("REGIONADMIN_DB", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8"))

    @BOUNDED
    @given(cli_arguments(world))
    def check(argv):
        try:
            code = cli.main(["--db", url, *argv])
        except SystemExit as done:  # --help, and argparse's own errors
            code = done.code
        out, err = capsys.readouterr()
        event(f"exit {code}")
        assert code in DOCUMENTED_EXIT_CODES, (argv, code, err)
        assert "Traceback" not in err
        for stream in (out, err):
            assert not C0_C1.search(stream), (argv, stream)
            assert invisible(stream) == [], (argv, stream)
        if code != 0:
            assert err.strip(), argv  # a failure always says why

    check()
