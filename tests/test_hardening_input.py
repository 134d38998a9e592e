"""Hardening of input and of what the program writes, on both backends:

- 2. times outside 2000-01-01 – tomorrow are refused at import; one put in with direct SQL
  is a sentence naming the row in exports and reports, never a traceback;
- 5. bidi, zero-width and other format characters are refused in names, identifiers,
  search terms and every imported field, and removed by clean() on output;
- 7. exit codes and Swedish sentences for a huge search term, a full disk, csv errors;
- 8. a write while SQLite is locked by an import says so (exit 5);
- 10. a demo store exports, imports into a fresh store and exports again byte for byte.
"""

from __future__ import annotations

import errno
import io
import sqlite3
from datetime import date, datetime, timedelta

import peewee
import pytest

from models import db as dbmod
from models import demo, settings, transfer, units, validation
from models.entities import (
    ALL_MODELS,
    Case,
    CitizenAccount,
    Login,
    StaffAccount,
    Unit,
)
from models.errors import Conflict, ImportRowError, ValidationError
from models.text import clean
from models.timeutil import STOCKHOLM, TimestampOutOfRange, format_day, format_ts
from tests.conftest import acting, one_line, store_url, wipe_store
from tests.factories import PNR_BERTIL, PNR_CECILIA, build_world
from tui import cli

HEAD = {kind: ",".join(columns) for kind, columns in transfer.COLUMNS.items()}
YEAR_ONE = -62135596800  # 0001-01-01T00:00:00Z: fits a BIGINT, not a datetime in Stockholm


@pytest.fixture
def world(backend, act_as, monkeypatch):
    monkeypatch.delenv("REGIONADMIN_DB", raising=False)
    w = build_world()
    act_as("anna")
    return w


def counts() -> dict[str, int]:
    return {m.__name__: m.select().count() for m in ALL_MODELS}


def import_text(kind: str, body: str, **kw) -> transfer.ImportResult:
    return transfer.import_file(kind, io.StringIO(HEAD[kind] + "\n" + body), actor_name="t", **kw)


def refused(kind: str, body: str) -> str:
    """The sentence an import refuses `body` with; nothing may have changed."""
    before = counts()
    with pytest.raises(ImportRowError) as caught:
        import_text(kind, body, batch_size=1)
    assert counts() == before
    return str(caught.value)


def tomorrow() -> date:
    return datetime.now(STOCKHOLM).date() + timedelta(days=1)


# ---------------------------------------------------------------------------- 2. times


def window() -> str:
    return f"mellan 2000-01-01 och {tomorrow().isoformat()}"


@pytest.mark.parametrize(
    "kind, row, field, value",
    [
        ("cases", "20,{hsa},Förnya recept,0001-01-01,,,,,", "received_at", "0001-01-01"),
        (
            "cases",
            "20,{hsa},Förnya recept,2026-03-02T10:00,,,,9999-12-31T23:59:59-14:00,",
            "closed_at",
            "9999-12-31T23:59:59-14:00",
        ),
        (
            "cases",
            "20,{hsa},Förnya recept,1999-12-31T23:59:59,,,,,",
            "received_at",
            "1999-12-31T23:59:59",
        ),
        ("accounts", "inv-1,citizen,,01,0001-01-01", "created_at", "0001-01-01"),
        ("logins", "0001-01-01,citizen,BankID,true,01", "at", "0001-01-01"),
        (
            "logins",
            "9999-12-31T23:59:59-14:00,citizen,BankID,true,01",
            "at",
            "9999-12-31T23:59:59-14:00",
        ),
        ("logins", "{after},citizen,BankID,true,01", "at", "{after}"),
    ],
)
def test_import_refuses_times_outside_the_window(backend, kind, row, field, value):
    w = build_world()
    after = (tomorrow() + timedelta(days=1)).isoformat() + "T00:00"
    body = row.format(hsa=w.active_hsa, after=after)
    assert refused(kind, body) == (
        f"rad 2, fält {field}: Tidpunkten ska ligga {window()} (var ”{value.format(after=after)}”)."
    )


def test_import_takes_the_edges_of_the_window(backend):
    build_world()
    last = tomorrow().isoformat() + "T23:59:59"
    result = import_text(
        "logins", f"2000-01-01T00:00,citizen,BankID,true,01\n{last},staff,BankID,true,01\n"
    )
    assert result.rows == 2
    buffer = io.StringIO()
    transfer.export_file("logins", buffer)
    assert "2000-01-01T00:00:00+01:00" in buffer.getvalue()


def test_cli_import_of_a_year_one_case_is_refused(world, run, tmp_path):
    acting.clear()  # imports are the system owner's (the superuser here)
    source = tmp_path / "cases.csv"
    source.write_text(
        f"{HEAD['cases']}\n20,{world.active_hsa},Förnya recept,0001-01-01,,,,,\n", encoding="utf-8"
    )
    code, out, err = run("import", "cases", str(source))
    assert (code, out) == (2, "")
    assert one_line(err) == (
        f"rad 2, fält received_at: Tidpunkten ska ligga {window()} (var ”0001-01-01”)."
    )
    assert Case.select().count() == 0


def bad_rows_by_sql(w) -> None:
    """A case, a citizen account and a login whose times were set with direct SQL."""
    import_text(
        "cases",
        f"20,{w.active_hsa},Förnya recept,2026-03-02T10:00,,,,,\n"
        f"21,{w.active_hsa},Förnya recept,2026-03-02T11:00,,,,,",
    )
    import_text("accounts", "inv-1,citizen,,01,2026-01-01T10:00")
    import_text("logins", "2026-01-15T10:00,citizen,BankID,true,01")
    Case.update(received_at=YEAR_ONE).where(Case.id == 21).execute()
    CitizenAccount.update(created_at=YEAR_ONE).execute()
    Login.update(at=253402300799 + 14 * 3600).execute()  # 9999-12-31T23:59:59-14:00


def test_exports_name_the_row_of_a_time_put_in_with_sql(world, run, tmp_path):
    bad_rows_by_sql(world)
    acting.clear()
    expected = {
        "cases": "Ärende 21, fält received_at: tidpunkten -62135596800 (sekunder sedan "
        "1970-01-01) ligger inte mellan",
        "accounts": "Invånarkontot inv-1, fält created_at: tidpunkten -62135596800",
        "logins": "fält at: tidpunkten 253402351199 (sekunder sedan 1970-01-01) ligger inte",
    }
    for kind, start in expected.items():
        target = tmp_path / f"{kind}.csv"
        code, out, err = run("export", kind, "--output", str(target))
        assert (code, out) == (6, ""), err
        line = one_line(err)
        assert start in line and line.endswith(
            f"{window()}, så den kan inte exporteras; rätta värdet i databasen."
        ), line
        assert not target.exists()  # no half file
    # A time inside the years a datetime knows but before 2000: named too (it would not
    # import again).
    Case.update(received_at=0).where(Case.id == 21).execute()
    code, _, err = run("export", "cases", "--output", str(tmp_path / "c.csv"))
    assert code == 6 and one_line(err).startswith(
        "Ärende 21, fält received_at: tidpunkten 1970-01-01T01:00:00+01:00 ligger inte mellan"
    )


def test_the_unanswered_report_names_the_case(world, run, tmp_path):
    bad_rows_by_sql(world)
    code, out, err = run(
        "report", "obesvarade-arenden", "--format", "csv", "--output", str(tmp_path / "r.csv")
    )
    assert (code, out) == (6, "")
    assert one_line(err) == (
        "Ärende 21: tidpunkten -62135596800 (sekunder sedan 1970-01-01) "
        "i databasen ligger utanför de år som går att visa."
    )


def test_tui_formatting_helpers_do_not_fail():
    assert format_ts(YEAR_ONE) == format_day(YEAR_ONE) == "ogiltig tidpunkt"
    assert format_ts(10**20) == "ogiltig tidpunkt"
    assert format_day(0) == "1970-01-01"
    with pytest.raises(TimestampOutOfRange):
        transfer.iso_local(YEAR_ONE)


# ---------------------------------------------------------------------------- 5. invisible

INVISIBLE = [
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
]


@pytest.mark.parametrize("char", INVISIBLE)
def test_validators_refuse_invisible_characters(char):
    code = f"U+{ord(char):04X}"
    with pytest.raises(ValidationError) as caught:
        validation.unit_name(f"Vårdcentralen{char}Solna")
    assert str(caught.value) == (
        "Namnet får inte innehålla osynliga tecken eller tecken som "
        f"styr textens riktning (här {code})."
    )
    with pytest.raises(ValidationError, match=rf"Tilltalsnamn .*här U\+{ord(char):04X}"):
        validation.plain_text(f"Ann{char}a", "preferred_name", "Tilltalsnamn", 60)
    with pytest.raises(ValidationError, match=rf"Sökordet .*här U\+{ord(char):04X}"):
        validation.search_term(f"sol{char}na")
    with pytest.raises(ValidationError, match="E-postadressen"):
        validation.email(f"anna{char}@x.se")


def test_services_refuse_invisible_names_settings_and_search_terms(backend):
    w = build_world()
    before = counts()
    with pytest.raises(ValidationError, match="Namnet får inte"):
        units.rename_unit(w.op, w.active_hsa, "Ängen\u202eX")
    with pytest.raises(ValidationError, match="Namnet får inte"):
        units.activate_unit(w.op, w.free_hsa, new_name="Källan\u200b")
    with pytest.raises(ValidationError, match="Signaturen får inte"):
        settings.save_settings(w.op, settings.Settings(signature="Hälsningar\u2067\nAnna"))
    with pytest.raises(ValidationError, match="Tilltalsnamn får inte"):
        settings.save_settings(w.op, settings.Settings(preferred_name="An\u200dna"))
    with pytest.raises(ValidationError, match="Sökordet får inte"):
        units.search_units(w.op, "Ängen\u2066")
    assert counts() == before
    assert [r.name for r in units.search_units(w.op, "ängen").rows] == [
        "Husläkarmottagningen Ängen"
    ]


GOOD_ROWS = {
    "hsa-units": "{free},Källan,Vårdcentral,01,Storgatan 1,111 22,Solna,08-123 45,Öppet",
    "hsa-persons": f"{PNR_BERTIL},Bertil,Bert,Berg,Läkare,bertil@x.se,0701234567,01",
    "unit-casetypes": "{active},Beställa tid,standard,true",
    "cases": f"20,{{active}},Förnya recept,2026-03-02T10:00,2026-03-02T11:00,,,,{PNR_CECILIA}",
    "accounts": f"inv-1,citizen,{PNR_BERTIL},01,2026-01-01T10:00",
    "logins": "2026-01-15T10:00,staff,BankID,true,01",
}


@pytest.mark.parametrize(
    "kind, column",
    [(kind, column) for kind, columns in transfer.COLUMNS.items() for column in columns],
)
def test_every_imported_field_refuses_invisible_characters(backend, kind, column):
    w = build_world()
    cells = GOOD_ROWS[kind].format(free=w.free_hsa, active=w.active_hsa).split(",")
    index = transfer.COLUMNS[kind].index(column)
    cells[index] = cells[index][:2] + "\u202e" + cells[index][2:]
    assert refused(kind, ",".join(cells)) == (
        f"rad 2, fält {column}: Fältet får inte innehålla osynliga tecken eller tecken som "
        "styr textens riktning (här U+202E)."
    )
    import_text(kind, GOOD_ROWS[kind].format(free=w.free_hsa, active=w.active_hsa))


def test_clean_neutralises_invisible_characters():
    assert clean("Ängen\u202eX\u200b\u2066Y\u2069\ufeff") == "ÄngenXY"
    assert clean("rad ett\u2028rad två\nrad tre") == "rad ett rad två rad tre"
    assert clean("rad ett\u2028rad två\nrad tre", multiline=True) == "rad ett\nrad två\nrad tre"
    assert clean("\x1b[3\u200b1mröd") == "röd"  # the sequence goes whole


def test_cli_refuses_an_invisible_unit_name(world, run):
    code, out, err = run("unit", "rename", world.active_hsa, "Ängen\u202eX")
    assert (code, out) == (2, "")
    assert one_line(err) == (
        "Namnet får inte innehålla osynliga tecken eller tecken som styr "
        "textens riktning (här U+202E)."
    )
    assert Unit.get(Unit.hsa_id == world.active_hsa).name == "Husläkarmottagningen Ängen"


# ---------------------------------------------------------------------------- 7. exit codes


def test_a_huge_search_term_is_input_not_a_database_failure(world, run):
    code, out, err = run("unit", "list", "a" * 60_000)
    assert (code, out) == (2, "")
    assert one_line(err) == "Sökordet får vara högst 100 tecken (du angav 60000)."
    code, out, _ = run("unit", "list", "ä" * 100)
    assert (code, out) == (0, f"Inga mottagningar matchar ”{'ä' * 100}”.\n")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_full_disk_during_import_says_so(backend, tmp_path, capsys, monkeypatch):
    """SQLite's "database or disk is full" (a page limit stands in for the disk)."""
    build_world()
    pages = dbmod.database.execute_sql("PRAGMA page_count").fetchone()[0]
    monkeypatch.setitem(dbmod.SQLITE_PRAGMAS, "max_page_count", pages + 2)
    source = tmp_path / "units.csv"
    source.write_text(
        HEAD["hsa-units"]
        + "\n"
        + "".join(
            f"SE2321000016-X{i:05d},Enhet {i} {'x' * 100},Vårdcentral,01,,,,,\n"
            for i in range(3000)
        ),
        encoding="utf-8",
    )
    before = counts()
    code = cli.main(["--db", store_url(), "import", "hsa-units", str(source)])
    out, err = capsys.readouterr()
    assert (code, out) == (6, "")
    assert err == "Disken är full; frigör utrymme och försök igen.\n"
    monkeypatch.delitem(dbmod.SQLITE_PRAGMAS, "max_page_count")
    dbmod.open_database(store_url())
    assert counts() == before


def test_no_space_left_on_device_is_swedish(world, run, tmp_path, monkeypatch):
    import tui.commands.transfer as command

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(command, "import_file", full)
    acting.clear()
    code, out, err = run("import", "cases", str(tmp_path / "x.csv"))
    assert (code, out) == (6, "")
    assert one_line(err) == "Disken är full; frigör utrymme och försök igen."


def test_driver_errors_map_to_swedish_sentences():
    def chained(outer: Exception, inner: Exception) -> Exception:
        try:
            try:
                raise inner
            except Exception:
                raise outer  # noqa: B904 - as peewee's rollback does
        except Exception as error:
            return error

    full = sqlite3.OperationalError("database or disk is full")
    rollback = chained(
        peewee.OperationalError("cannot rollback - no transaction is active"),
        peewee.OperationalError(full),
    )
    cases = [
        (rollback, 6, "Disken är full; frigör utrymme och försök igen."),
        (full, 6, "Disken är full; frigör utrymme och försök igen."),
        (
            OSError(errno.ENOSPC, "No space left on device"),
            6,
            "Disken är full; frigör utrymme och försök igen.",
        ),
        (
            peewee.OperationalError("cannot rollback - no transaction is active"),
            6,
            dbmod.WRITE_ABORTED,
        ),
        (
            peewee.OperationalError(sqlite3.OperationalError("database is locked")),
            5,
            "En import eller annan skrivning pågår; försök igen om en stund.",
        ),
        (
            peewee.OperationalError("attempt to write a readonly database"),
            6,
            "Databasen går bara att läsa (filen, katalogen eller servern är skrivskyddad); "
            "ingenting sparades.",
        ),
    ]
    for error, code, sentence in cases:
        mapped = dbmod.database_error(error)
        assert (mapped.exit_code, mapped.message) == (code, sentence), error
    pg_full = type("DiskFull", (Exception,), {"sqlstate": "53100"})("could not extend file")
    assert dbmod.database_error(peewee.OperationalError(pg_full)).message == dbmod.DISK_FULL
    assert isinstance(dbmod.database_error(peewee.OperationalError("database is locked")), Conflict)
    assert dbmod.database_error(KeyError("x")) is None  # a bug stays a traceback


@pytest.mark.parametrize(
    "body, reason",
    [
        (
            '"abc"x,,,,,,,,\n',
            "ett citattecken avslutar fältet men följs inte av avgränsaren; ett "
            "citattecken inne i ett fält skrivs dubbelt",
        ),
        (
            '"abc,,,,,,,,\n',
            "filen tar slut inne i ett fält med citattecken (det avslutande saknas)",
        ),
    ],
)
def test_csv_errors_are_swedish(backend, body, reason):
    assert refused("hsa-units", body) == (
        f"rad 2, fält (hela raden): Raden går inte att läsa som CSV ({reason})."
    )


# ---------------------------------------------------------------------------- 8. locked


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_write_during_a_long_import_says_what_is_going_on(backend, tmp_path, capsys, monkeypatch):
    """SQLite: an import holds the write lock for its whole transaction; a grant meanwhile
    waits out the busy timeout (10 s; shortened here) and then says why, exit 5."""
    w = build_world()
    monkeypatch.setenv("REGIONADMIN_USER", "anna")
    monkeypatch.setitem(dbmod.SQLITE_PRAGMAS, "busy_timeout", 50)
    path = dbmod.database.obj.database
    importer = sqlite3.connect(path, isolation_level=None)
    importer.execute("BEGIN IMMEDIATE")  # what import_file's transaction holds
    try:
        code = cli.main(
            [
                "--db",
                f"sqlite:///{path}",
                "grant",
                "add",
                w.active_hsa,
                PNR_BERTIL,
                "--role",
                "admin",
            ]
        )
    finally:
        importer.execute("ROLLBACK")
        importer.close()
    out, err = capsys.readouterr()
    assert (code, out) == (5, "")
    assert err == "En import eller annan skrivning pågår; försök igen om en stund.\n"
    assert not StaffAccount.select().where(StaffAccount.person == w.bertil).exists()


# ---------------------------------------------------------------------------- 10. demo


def export_all() -> dict[str, bytes]:
    out = {}
    for kind in transfer.KINDS:
        buffer = io.StringIO()
        transfer.export_file(kind, buffer)
        out[kind] = buffer.getvalue().encode("utf-8")
    return out


def test_a_demo_store_exports_imports_and_exports_again_unchanged(backend, tmp_path):
    """Everything the program writes passes its own rules: the demo's personnummer (no
    serial 000), names (no bidi characters), times (2000 to tomorrow)."""
    demo.generate_demo(seed=3, units=8, cases=3000, logins=500, login_name="demo")
    first = export_all()
    units_ = [
        {k: v for k, v in u.__data__.items() if k != "id"} for u in Unit.select().order_by(Unit.id)
    ]
    wipe_store()
    for unit in units_:
        Unit.create(**unit)
    order = ("hsa-units", "hsa-persons", "accounts", "unit-casetypes", "cases", "logins")
    for kind in order:
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(first[kind])
        transfer.import_file(kind, path, actor_name="t")
    second = export_all()
    for kind in order:
        assert second[kind] == first[kind], kind
    assert first["cases"].count(b"\n") == 3001 and first["logins"].count(b"\n") == 501


def test_demo_refuses_a_day_whose_data_would_not_import(backend):
    latest = tomorrow()
    for day in (date(2007, 12, 31), latest + timedelta(days=1)):
        with pytest.raises(ValidationError, match=f"mellan 2008-01-01 och {latest}"):
            demo.generate_demo(seed=1, units=5, cases=0, logins=0, today=day, login_name="demo")
    assert not Unit.select().exists()
