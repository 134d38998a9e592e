"""The command line on both backends, through tui.cli.main with --db as a script would."""

from __future__ import annotations

from pathlib import Path

import pytest

from models import db as dbmod
from models.entities import (
    ADMIN,
    GRANSKARE,
    Grant,
    HsaUnit,
    StaffAccount,
    Unit,
    UnitCaseType,
)
from tests.conftest import acting, one_line, store_as_owner, store_url  # noqa: F401
from tests.factories import PNR_ANNA, PNR_BERTIL, PNR_CECILIA, build_world
from tui import cli


@pytest.fixture
def world(backend, act_as, monkeypatch):
    monkeypatch.delenv("REGIONADMIN_DB", raising=False)
    w = build_world()
    act_as("anna")
    return w


# ---------------------------------------------------------------------------- errors


def test_unknown_os_user_is_refused(world, run, act_as):
    who = act_as("okand")
    code, out, err = run("admins")
    assert (code, out) == (3, "")
    assert one_line(err) == (
        f"Användaren {who} är inte kopplad till något vårdaktörskonto. Be "
        f"systemägaren köra: regionadmin operator link {who} PERSONNUMMER "
        "--region KOD"
    )


def test_account_without_region_grant_is_refused(world, run, act_as):
    act_as("cecilia")
    code, _, err = run("unit", "list")
    assert code == 3 and "har inte behörigheten Landstingsadministratör" in one_line(err)


def test_bad_hsa_id(world, run):
    code, out, err = run("unit", "show", "SE2321000017-1")
    assert (code, out) == (2, "")
    assert one_line(err) == "Organisationsnumret 2321000017 i HSA-id:t har fel kontrollsiffra."
    code, _, err = run("unit", "activate", "SE-1")
    assert code == 2 and one_line(err).startswith("HSA-id ska se ut som SE2321000016-ABC1")


def test_bad_personnummer(world, run):
    code, out, err = run("grant", "add", world.active_hsa, "19700101-1235", "--role", "admin")
    assert (code, out) == (2, "")
    assert one_line(err) == (
        "19700101-1235 är inte ett giltigt personnummer eller samordningsnummer."
    )
    assert Grant.select().where(Grant.unit.is_null(False)).count() == 1


def test_other_regions_unit(world, run):
    code, out, err = run("unit", "show", world.other_active_hsa)
    assert (code, out) == (3, "")
    assert one_line(err) == (
        f"Mottagningen {world.other_active_hsa} tillhör en annan region än din."
    )
    code, out, err = run("unit", "activate", world.other_hsa)
    assert (code, out) == (3, "")
    assert one_line(err) == (
        f"Mottagningen {world.other_hsa} tillhör Region Skåne; du kan "
        "bara aktivera mottagningar i din egen region."
    )
    assert not Unit.select().where(Unit.hsa_id == world.other_hsa).exists()


def test_argparse_speaks_swedish(world, capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(["unit", "rename"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert one_line(err) == (
        "regionadmin unit rename: fel: följande argument saknas: "
        "HSA-ID, NYTT-NAMN (se regionadmin unit rename --help)"
    )
    with pytest.raises(SystemExit):
        cli.main(["grant", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("användning: regionadmin grant") and "visa den här hjälpen" in out


def test_empty_database_says_init(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("REGIONADMIN_USER", "anna")
    code = cli.main(["--db", f"sqlite:///{tmp_path / 'tom.db'}", "admins"])
    assert code == 6
    assert one_line(capsys.readouterr().err).startswith(
        "Databasen är tom. Kör först: regionadmin init"
    )
    dbmod.database.obj.close()


# ---------------------------------------------------------------------------- unit


def test_activate_rename_show_list(world, run):
    code, out, err = run("unit", "activate", world.free_hsa.lower(), "--name", "VC Källan")
    assert (code, err) == (0, "")
    assert "Namn i HSA:     Vårdcentralen Källan" in out
    assert f"Mottagningen VC Källan ({world.free_hsa}) är aktiverad." in out
    code, out, err = run("unit", "activate", world.free_hsa)
    assert code == 5 and one_line(err) == (
        f"Mottagningen {world.free_hsa} (VC Källan) är redan aktiv."
    )
    code, out, _ = run("unit", "rename", world.free_hsa, "Vårdcentralen Källan Norra")
    assert (code, out) == (
        0,
        f"Mottagningen {world.free_hsa} heter nu Vårdcentralen Källan Norra.\n",
    )
    code, _, err = run("unit", "rename", world.free_hsa, "A" * 29)
    assert code == 2 and "max 28 tecken" in one_line(err)
    code, out, _ = run("unit", "list")
    assert code == 0
    assert out.splitlines() == [
        "HSA-id\tNamn\tVårdtyp\tOrt\tStatus",
        f"{world.active_hsa}\tHusläkarmottagningen Ängen\tVårdcentral\tTäby\tAktiv",
        f"{world.free_hsa}\tVårdcentralen Källan Norra\tVårdcentral\tSolna\tAktiv",
    ]
    code, out, _ = run("unit", "list", "täby", "--active")
    assert out.splitlines()[1:] == [
        f"{world.active_hsa}\tHusläkarmottagningen Ängen\tVårdcentral\tTäby\tAktiv"
    ]
    code, out, _ = run("unit", "list", "finns-inte")
    assert (code, out) == (0, "Inga mottagningar matchar ”finns-inte”.\n")


def test_show_cleans_escape_sequences(world, run):
    unit = Unit.get(Unit.hsa_id == world.active_hsa)
    unit.info = "Stängt \x1b[31mi dag\x1b[0m\nRing 08-123"
    unit.save()
    UnitCaseType.create(unit=unit, case_type=1, active=True, terms_text="Villkor \x1b]0;x\x07")
    Grant.create(
        account=StaffAccount.get(StaffAccount.person == world.anna),
        unit=unit,
        role=GRANSKARE,
        granted_at=0,
    )
    code, out, _ = run("unit", "show", world.active_hsa)
    assert code == 0 and "\x1b" not in out
    assert "  Stängt i dag\n  Ring 08-123\n" in out
    assert "  Aktiv   Beställa tid (Standard)\n      Villkor\n" in out
    assert "Prioriterad:            Nej" in out
    assert f"  Cecilia Carlsson, {PNR_CECILIA[:8]}-{PNR_CECILIA[8:]}: Administratör" in out


def test_deactivate_needs_yes_with_open_items(world, run):
    code, out, err = run("unit", "deactivate", world.active_hsa)
    assert code == 0 and "Behörigheter utöver en administratör (tas bort): 0" in out
    assert not Unit.get(Unit.hsa_id == world.active_hsa).active
    run("unit", "activate", world.active_hsa)
    run("grant", "add", world.active_hsa, PNR_BERTIL, "--role", "admin")
    code, out, err = run("unit", "deactivate", world.active_hsa)
    assert code == 5
    assert "Behörigheter utöver en administratör (tas bort): 1" in out
    assert one_line(err) == (
        "Checklistan har öppna punkter; kör igen med --yes för att inaktivera ändå."
    )
    assert Unit.get(Unit.hsa_id == world.active_hsa).active
    code, out, _ = run("unit", "deactivate", world.active_hsa, "--yes")
    assert code == 0 and "är inaktiverad" in out
    assert (
        Grant.select().where(Grant.unit == Unit.get(Unit.hsa_id == world.active_hsa)).count() == 1
    )


# ---------------------------------------------------------------------------- grant, admins


@pytest.mark.parametrize("roles", [["admin+granskare"], ["admin", "granskare"]])
def test_grant_add_and_remove(world, run, roles):
    args = [x for r in roles for x in ("--role", r)]
    code, out, err = run("grant", "add", world.active_hsa, PNR_BERTIL, *args)
    assert (code, err) == (0, "")
    assert out == (
        f"Bertil Berg ({PNR_BERTIL[:8]}-{PNR_BERTIL[8:]}) har nu Administratör + "
        f"Granskare på {world.active_hsa}.\n"
    )
    code, out, _ = run("grant", "remove", world.active_hsa, PNR_BERTIL, "--role", "granskare")
    assert code == 0 and out.endswith("kvar: Administratör.\n")
    code, _, err = run("grant", "add", world.active_hsa, PNR_BERTIL, "--role", "vårdgivare")
    assert code == 2 and one_line(err) == (
        "Rollen ”vårdgivare” finns inte; välj admin eller granskare."
    )
    store_as_owner()
    roles_now = {
        g.role
        for g in Grant.select().where(
            Grant.account == StaffAccount.get(StaffAccount.person == world.bertil)
        )
    }
    assert roles_now == {ADMIN}


def test_admins(world, run):
    code, out, _ = run("admins")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Landstingsadministratörer i Region Stockholm"
    assert lines[1].split() == ["Namn", "Personnummer", "Inloggningsmetod"]
    assert lines[2:] == [f"Anna Maria Andersson  {PNR_ANNA[:8]}-{PNR_ANNA[8:]}  E-tjänstekort"]


# ---------------------------------------------------------------------------- import, export, demo


def test_import_and_export_commands(world, run, tmp_path: Path):
    acting.clear()  # imports and exports are the system owner's (the superuser here)
    good = tmp_path / "units.csv"
    good.write_text(
        "hsa_id;name;care_type;region_code;street;postal_code;city;phone;info\n"
        "SE2321000016-7001;BVC Tallen;Barnavårdscentral;01;;;Nacka;;\n",
        encoding="utf-8",
    )
    code, out, err = run("import", "hsa-units", str(good))
    assert (code, err) == (0, "")
    assert out == (f"Inläst: 1 rader (hsa-units) från {good}, varav 1 nya och 0 uppdaterade.\n")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "hsa_id,name,care_type,region_code,street,postal_code,city,phone,info\n"
        "SE2321000016-7002,A,Vårdcentral,01,,,,,\n"
        "SE2321000016-7003,B,Vårdcentral,77,,,,,\n",
        encoding="utf-8",
    )
    before = HsaUnit.select().count()
    code, out, err = run("import", "hsa-units", str(bad))
    assert (code, out) == (2, "")
    assert one_line(err) == "rad 3, fält region_code: Regionkoden 77 finns inte (01–25)."
    assert HsaUnit.select().count() == before
    code, _, err = run("import", "hsa-units", str(tmp_path / "saknas.csv"))
    assert code == 4 and one_line(err) == f"Filen {tmp_path / 'saknas.csv'} finns inte."
    target = tmp_path / "ut.csv"
    code, out, _ = run("export", "hsa-units", "--output", str(target))
    assert code == 0 and out == f"Exporterat: {before} rader (hsa-units) till {target}.\n"
    assert "SE2321000016-7001,BVC Tallen,Barnavårdscentral,01" in target.read_text("utf-8")
    code, out, err = run("export", "hsa-units", "-o", "-")
    assert code == 0 and out.startswith("hsa_id,name,") and err.startswith("Exporterat: ")


def test_demo_if_empty_on_a_filled_store(world, run):
    acting.clear()  # the system owner's task (the superuser here)
    code, out, _ = run("demo", "--if-empty")
    assert (code, out) == (0, "Databasen har redan mottagningar; ingen demodata lades till.\n")
    code, _, err = run("demo")
    assert code == 5 and "redan mottagningar" in one_line(err)


def test_demo_fills_an_empty_store(backend, run, monkeypatch):
    # The system owner fills the store; demo links whoever runs it (the OS user on SQLite,
    # the superuser's role here on PostgreSQL) and `admins` then runs as them.
    monkeypatch.delenv("REGIONADMIN_USER", raising=False)
    code, out, err = run(
        "demo",
        "--units",
        "8",
        "--cases",
        "200",
        "--logins",
        "300",
        "--today",
        "2026-06-01",
        "--seed",
        "4",
    )
    assert (code, err) == (0, "")
    assert "200 ärenden" in out and "300 inloggningar" in out
    code, out, _ = run("admins")
    assert code == 0 and "Linnea Ekström" in out
    with pytest.raises(SystemExit) as caught:
        run("demo", "--cases", "många")
    assert caught.value.code == 2


# ---------------------------------------------------------------------------- clean errors

PWNED = "\x1b]0;PWNED\x07"


def test_an_import_error_quoting_the_file_cannot_drive_the_terminal(world, run, tmp_path):
    acting.clear()  # the system owner's task (the superuser here)
    bad = tmp_path / "typer.csv"
    bad.write_text(
        f"hsa_id,case_type,kind,active\n{world.active_hsa},Beställa tid,standard,ja{PWNED}\n",
        encoding="utf-8",
    )
    code, out, err = run("import", "unit-casetypes", str(bad))
    assert (code, out) == (2, "")
    assert one_line(err) == "rad 2, fält active: Ska vara true eller false (var ”ja”)."


def test_every_error_sentence_is_cleaned_before_it_is_printed(world, run, monkeypatch):
    """Whatever a service quotes (a name from the database, a value from a file), the CLI
    prints the sentence without escape sequences or control characters."""
    from models import units
    from models.errors import NotFound

    def refuse(*args, **kwargs):
        raise NotFound(f"Mottagningen Ond{PWNED}\x1b[2J finns inte.\r\n")

    monkeypatch.setattr(units, "rename_unit", refuse)
    code, out, err = run("unit", "rename", world.active_hsa, "Nytt namn")
    assert (code, out) == (4, "")
    assert one_line(err) == "Mottagningen Ond finns inte."


def test_two_admins_granting_at_once_get_a_sentence_not_a_traceback(world, run, monkeypatch):
    from models import grants
    from tests.factories import account

    unit = Unit.get(Unit.hsa_id == world.active_hsa)
    bertil = account(world.bertil)
    real_now = grants.now_epoch

    def racing_now() -> int:  # the same grant lands first (as a second session of anna's)
        Grant.insert(
            account=bertil,
            unit=unit,
            role=ADMIN,
            granted_by=world.op.account_id,
            granted_at=real_now(),
        ).execute()
        monkeypatch.setattr(grants, "now_epoch", real_now)
        return real_now()

    monkeypatch.setattr(grants, "now_epoch", racing_now)
    code, out, err = run("grant", "add", world.active_hsa, PNR_BERTIL, "--role", "admin")
    assert (code, out) == (5, "")
    assert one_line(err) == "Någon annan ändrade samma sak samtidigt. Försök igen."
    assert not Grant.select().where(Grant.account == bertil).exists()  # rolled back


def test_version_and_python_dash_m(capsys):
    import subprocess
    import sys

    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("regionadmin 0.")
    done = subprocess.run(
        [sys.executable, "-m", "regionadmin", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout.startswith("regionadmin ")


def test_an_unexpected_error_is_logged_and_told_in_one_sentence(world, run, monkeypatch, tmp_path):
    from models import units

    monkeypatch.setenv("REGIONADMIN_LOG_DIR", str(tmp_path / "logg"))

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(units, "search_units", broken)
    code, out, err = run("unit", "list")
    log = tmp_path / "logg" / "regionadmin.log"
    assert (code, out) == (1, "")
    assert one_line(err) == (
        f"Ett oväntat fel inträffade (ZeroDivisionError); detaljerna finns i loggfilen {log}."
    )
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "ZeroDivisionError: division by zero" in text
    assert oct(log.stat().st_mode & 0o777) == "0o600"


def test_an_older_schema_says_init(tmp_path, capsys, monkeypatch):
    from models import schema

    url = f"sqlite:///{tmp_path / 'gammal.db'}"
    monkeypatch.setenv("REGIONADMIN_USER", "anna")
    assert cli.main(["--db", url, "init"]) == 0
    dbmod.database.execute_sql("UPDATE schema_version SET version = 1")
    dbmod.database.execute_sql("DELETE FROM schema_version WHERE version > 1")
    capsys.readouterr()
    for argv in (["admins"], []):  # the CLI and the TUI's start alike
        assert cli.main(["--db", url, *argv]) == 6
        assert one_line(capsys.readouterr().err) == (
            f"Databasen har schemaversion 1 men programmet behöver {schema.CURRENT_VERSION}. "
            "Uppgradera den med: regionadmin init (som systemägare)."
        )
    dbmod.database.obj.close()


def test_show_has_the_cases_per_week(world, run):
    code, out, _ = run("unit", "show", world.active_hsa)
    line = next(x for x in out.splitlines() if x.startswith("Ärenden per vecka:"))
    assert code == 0 and line.endswith("0 på 52 veckor")
