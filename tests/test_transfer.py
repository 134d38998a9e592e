"""Interchange files on both backends: every kind, every rule, all-or-nothing, round trip."""

from __future__ import annotations

import io
import os
from datetime import date, datetime
from pathlib import Path

import pytest

from models import demo, transfer
from models.entities import (
    ALL_MODELS,
    KIND_OWN,
    AuditEvent,
    Case,
    CaseType,
    CitizenAccount,
    HsaPerson,
    HsaUnit,
    Login,
    LoginDaily,
    StaffAccount,
    Unit,
    UnitCaseType,
)
from models.errors import ImportRowError, NotFound, ValidationError
from models.timeutil import STOCKHOLM, to_epoch
from tests.conftest import owner_role, wipe_store
from tests.factories import (
    ORG_01,
    PNR_ANNA,
    PNR_BERTIL,
    PNR_CECILIA,
    build_world,
    case_indexes,
    hsa,
    make_pnr,
)
from tests.test_reports_support import rebuilt_summaries, summaries

HEAD = {kind: ",".join(columns) for kind, columns in transfer.COLUMNS.items()}


def write(tmp_path: Path, text: str, name: str = "in.csv", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def counts() -> dict[str, int]:
    return {m.__name__: m.select().count() for m in ALL_MODELS}


def local(text: str) -> int:
    return to_epoch(datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM))


def import_text(tmp_path: Path, kind: str, body: str, **kw) -> transfer.ImportResult:
    return transfer.import_file(kind, write(tmp_path, HEAD[kind] + "\n" + body), **kw)


def assert_refused(tmp_path: Path, kind: str, body: str, message: str) -> None:
    """The exact "rad N, fält X: ..." sentence, and not one row changed anywhere.

    Batches of one row: the good rows before the bad one have been written when it is
    read, so an unchanged store proves the rollback, not just late writing.
    """
    before = counts()
    with pytest.raises(ImportRowError) as caught:
        import_text(tmp_path, kind, body, actor_name="test", batch_size=1)
    assert str(caught.value) == message
    assert counts() == before


# ---------------------------------------------------------------------------- hsa-units


def test_hsa_units_insert_and_update(backend, tmp_path):
    w = build_world()
    new = hsa(ORG_01, "3001")
    body = (
        f"{new},Vårdcentralen Tallen,Vårdcentral,01,Tallvägen 2,123 45,Nacka,"
        f'08-123 45 67,"Öppet 8–17, drop-in"\n'
        f"{w.free_hsa.lower()},Vårdcentralen Källan Nya,Vårdcentral,1,,,Solna,,\n"
    )
    result = import_text(tmp_path, "hsa-units", body, actor_name="systemagaren")
    assert (result.rows, result.created, result.updated) == (2, 1, 1)
    tallen = HsaUnit.get(HsaUnit.hsa_id == new)
    assert (tallen.city, tallen.info, tallen.region_id) == ("Nacka", "Öppet 8–17, drop-in", "01")
    assert HsaUnit.get(HsaUnit.hsa_id == w.free_hsa).name == "Vårdcentralen Källan Nya"
    event = AuditEvent.get(AuditEvent.action == "import")
    assert event.actor_name == "systemägare systemagaren" and event.target == "hsa-units"
    assert '"rows": 2' in event.after and '"created": 1' in event.after


@pytest.mark.parametrize(
    "row, message",
    [
        (
            "SE2321000017-1,X,Vårdcentral,01,,,,,",
            "rad 3, fält hsa_id: Organisationsnumret 2321000017 i HSA-id:t har fel kontrollsiffra.",
        ),
        (
            "SE2321000016-Å1,X,Vårdcentral,01,,,,,",
            "rad 3, fält hsa_id: HSA-id ska se ut som SE2321000016-ABC1: SE, tio siffror, "
            "bindestreck och ett suffix utan å, ä, ö eller @.",
        ),
        (
            "SE2321000016-9,X,Vårdcentral,99,,,,,",
            "rad 3, fält region_code: Regionkoden 99 finns inte (01–25).",
        ),
        (
            "SE2321000016-9,X,Vårdcentral,,,,,,",
            "rad 3, fält region_code: Ange en regionkod (01–25).",
        ),
        ("SE2321000016-9, ,Vårdcentral,01,,,,,", "rad 3, fält name: Namnet får inte vara tomt."),
        (
            "SE2321000016-9,A\x1b[31mB,Vårdcentral,01,,,,,",
            "rad 3, fält name: Namnet får inte innehålla styrtecken.",
        ),
        (
            "SE2321000016-9,X,Vårdcentral,01,,,Solna",
            "rad 3, fält phone: Raden har 7 fält men rubrikraden har 9.",
        ),
    ],
)
def test_hsa_units_bad_row_writes_nothing(backend, tmp_path, row, message):
    build_world()
    good = f"{hsa(ORG_01, '3001')},Vårdcentralen Tallen,Vårdcentral,01,,,,,\n"
    assert_refused(tmp_path, "hsa-units", good + row + "\n", message)
    assert not HsaUnit.select().where(HsaUnit.hsa_id == hsa(ORG_01, "3001")).exists()


def test_semicolon_separator_bom_and_quoted_newlines(backend, tmp_path):
    build_world()
    text = (
        "hsa_id;name;care_type;region_code;street;postal_code;city;phone;info\n"
        f"{hsa(ORG_01, '3001')};Vårdcentralen Tallen;Vårdcentral;01;;;Nacka;;"
        '"Rad ett\nRad två; med semikolon, och komma"\n'
        f"{hsa(ORG_01, '3002')};BVC Tallen;Barnavårdscentral;01;;;Nacka;;\n"
    )
    transfer.import_file("hsa-units", write(tmp_path, text, bom=True), actor_name="t")
    info = HsaUnit.get(HsaUnit.hsa_id == hsa(ORG_01, "3001")).info
    assert info == "Rad ett\nRad två; med semikolon, och komma"
    assert HsaUnit.get(HsaUnit.hsa_id == hsa(ORG_01, "3002")).care_type == "Barnavårdscentral"


def test_line_numbers_count_physical_lines(backend, tmp_path):
    """Blank lines and a quoted field over two lines still give the file's line number."""
    build_world()
    body = (
        f'{hsa(ORG_01, "3001")},A,Vårdcentral,01,,,,,"två\nrader"\n'
        "\n"
        f"{hsa(ORG_01, '3002')},B,Vårdcentral,42,,,,,\n"
    )
    assert_refused(
        tmp_path, "hsa-units", body, "rad 5, fält region_code: Regionkoden 42 finns inte (01–25)."
    )


@pytest.mark.parametrize(
    "header, message",
    [
        (
            "hsa_id,name,care_type,region_code,street,postal_code,city,phone",
            "rad 1, fält info: Kolumnen saknas i rubrikraden. Kolumnerna för hsa-units är: "
            "hsa_id, name, care_type, region_code, street, postal_code, city, phone, info.",
        ),
        (
            "hsa_id,namn,care_type,region_code,street,postal_code,city,phone,info",
            "rad 1, fält namn: Okänd kolumn. Kolumnerna för hsa-units är: "
            "hsa_id, name, care_type, region_code, street, postal_code, city, phone, info.",
        ),
        (
            "",
            "rad 1, fält (rubrikrad): Filen är tom; första raden ska vara rubrikraden med "
            "kolumnernas namn.",
        ),
    ],
)
def test_header_problems(backend, tmp_path, header, message):
    before = counts()
    with pytest.raises(ImportRowError) as caught:
        transfer.import_file("hsa-units", write(tmp_path, header + "\n"), actor_name="t")
    assert str(caught.value) == message
    assert counts() == before


def test_columns_in_any_order_and_any_case(backend, tmp_path):
    build_world()
    text = (
        "INFO,City,name,hsa_id,care_type,region_code,street,postal_code,phone\n"
        f"Öppet,Nacka,Vårdcentralen Tallen,{hsa(ORG_01, '3001')},Vårdcentral,01,,,\n"
    )
    transfer.import_file("hsa-units", write(tmp_path, text), actor_name="t")
    unit = HsaUnit.get(HsaUnit.hsa_id == hsa(ORG_01, "3001"))
    assert (unit.info, unit.city, unit.name) == ("Öppet", "Nacka", "Vårdcentralen Tallen")


def test_unknown_kind_and_missing_file(backend, tmp_path):
    with pytest.raises(ValidationError, match="Okänd filtyp units"):
        transfer.import_file("units", tmp_path / "x.csv")
    with pytest.raises(NotFound, match="finns inte"):
        transfer.import_file("hsa-units", tmp_path / "saknas.csv")


def test_not_utf8_is_a_row_error(backend, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (HEAD["hsa-units"] + "\nSE2321000016-1,V\xe5rdcentral,,01,,,,,\n").encode("latin-1")
    )
    with pytest.raises(ImportRowError, match="inte kodad i UTF-8"):
        transfer.import_file("hsa-units", path, actor_name="t")


# ---------------------------------------------------------------------------- hsa-persons


def test_hsa_persons_insert_update_and_samordningsnummer(backend, tmp_path):
    build_world()
    coordination = make_pnr("19850765", "111")  # day 05 + 60
    body = (
        f"{coordination[2:8]}-{coordination[8:]},Łukasz,,Wiśniewski,Läkare,"
        "lukasz@example.se,070-123 45 67,01\n"
        f"{PNR_BERTIL},Bertil Ove,Bertil,Berg,Överläkare,,,\n"
    )
    result = import_text(tmp_path, "hsa-persons", body, actor_name="t")
    assert (result.created, result.updated) == (1, 1)
    lukasz = HsaPerson.get(HsaPerson.personnummer == coordination)
    assert (lukasz.mobile, lukasz.region_id) == ("+46701234567", "01")
    bertil = HsaPerson.get(HsaPerson.personnummer == PNR_BERTIL)
    assert (bertil.title, bertil.region_id, bertil.preferred_name) == ("Överläkare", None, "Bertil")


@pytest.mark.parametrize(
    "row, message",
    [
        (
            "19700101-1235,A,,B,,,,01",
            "rad 3, fält personnummer: 19700101-1235 är inte ett giltigt personnummer eller "
            "samordningsnummer.",
        ),
        (
            "1970-01-01,A,,B,,,,01",
            "rad 3, fält personnummer: Personnummer ska skrivas ÅÅMMDD-NNNN eller ÅÅÅÅMMDDNNNN.",
        ),
        (
            f"{PNR_BERTIL},A,,B,,inte-en-adress,,01",
            "rad 3, fält email: inte-en-adress är inte en giltig e-postadress.",
        ),
        (
            f"{PNR_BERTIL},A,,B,,,08-123 45 67,01",
            "rad 3, fält mobile: Mobilnumret ska vara ett svenskt mobilnummer, till exempel "
            "070-123 45 67.",
        ),
        (f"{PNR_BERTIL},A,,,,,,01", "rad 3, fält surname: Efternamnet får inte vara tomt."),
        (f"{PNR_BERTIL},A,,B,,,,26", "rad 3, fält region_code: Regionkoden 26 finns inte (01–25)."),
    ],
)
def test_hsa_persons_bad_row_writes_nothing(backend, tmp_path, row, message):
    build_world()
    good = f"{make_pnr('19991231', '222')},Ny,,Person,,,,01\n"
    assert_refused(tmp_path, "hsa-persons", good + row + "\n", message)


# ---------------------------------------------------------------------------- unit-casetypes


def test_unit_casetypes_creates_own_types_and_upserts(backend, tmp_path):
    w = build_world()
    body = (
        f"{w.active_hsa},Beställa tid,standard,true\n"
        f"{w.active_hsa},Vaccination inför resa,own,true\n"
        f"{w.active_hsa},Tidbok – TakeCare,integration,false\n"
        f"{w.active_hsa},Beställa tid,STANDARD,FALSE\n"
    )
    result = import_text(tmp_path, "unit-casetypes", body, actor_name="t")
    assert (result.rows, result.created) == (4, 3)
    assert CaseType.get(CaseType.name == "Vaccination inför resa").kind == KIND_OWN
    states = {u.case_type.name: u.active for u in UnitCaseType.select()}
    assert states == {
        "Beställa tid": False,
        "Vaccination inför resa": True,
        "Tidbok – TakeCare": False,
    }
    import_text(
        tmp_path, "unit-casetypes", f"{w.active_hsa},Beställa tid,standard,true\n", actor_name="t"
    )
    assert UnitCaseType.select().count() == 3
    assert UnitCaseType.get(
        UnitCaseType.case_type == CaseType.get(CaseType.name == "Beställa tid")
    ).active


@pytest.mark.parametrize(
    "row, message",
    [
        (
            "{free},Beställa tid,standard,true",
            "rad 3, fält hsa_id: Det finns ingen ansluten mottagning med HSA-id {free}.",
        ),
        (
            "{active},Boka om tiden,standard,true",
            "rad 3, fält case_type: Ärendetypen ”Boka om tiden” finns inte i den centrala banken.",
        ),
        (
            "{active},Beställa tid,egen,true",
            "rad 3, fält kind: Ska vara standard eller own eller integration (var ”egen”).",
        ),
        (
            "{active},Beställa tid,standard,ja",
            "rad 3, fält active: Ska vara true eller false (var ”ja”).",
        ),
    ],
)
def test_unit_casetypes_bad_row_writes_nothing(backend, tmp_path, row, message):
    w = build_world()
    good = f"{w.active_hsa},Ny egen ärendetyp,own,true\n"  # would create a CaseType
    fill = {"free": w.free_hsa, "active": w.active_hsa}
    assert_refused(
        tmp_path, "unit-casetypes", good + row.format(**fill) + "\n", message.format(**fill)
    )
    assert not CaseType.select().where(CaseType.name == "Ny egen ärendetyp").exists()


# ---------------------------------------------------------------------------- cases


def test_cases_import_times_assignee_and_upsert(backend, tmp_path):
    w = build_world()
    body = (
        f"17,{w.active_hsa},Förnya recept,2026-03-01T10:00,2026-03-01 11:00:00+01:00,"
        f"2026-03-01T10:30:00Z,,,{PNR_CECILIA}\n"
        f"18,{w.active_hsa},Kontakta mig,2026-07-01T09:00:00+02:00,,,,,\n"
    )
    result = import_text(tmp_path, "cases", body, actor_name="t")
    assert (result.rows, result.created) == (2, 2)
    case = Case.get_by_id(17)
    assert case.received_at == local("2026-03-01T10:00")
    assert case.assigned_at == local("2026-03-01T11:00")
    assert case.started_at == local("2026-03-01T11:30")
    assert case.assignee.person.personnummer == PNR_CECILIA
    assert case.closed_at is None and Case.get_by_id(18).assignee is None
    closing = f"17,{w.active_hsa},Förnya recept,2026-03-01T10:00,,,,2026-03-02T08:00,\n"
    result = import_text(tmp_path, "cases", closing, actor_name="t")
    assert (result.created, result.updated) == (0, 1)
    case = Case.get_by_id(17)
    assert (case.closed_at, case.assigned_at, case.assignee) == (
        local("2026-03-02T08:00"),
        None,
        None,
    )


@pytest.mark.parametrize(
    "row, message",
    [
        (
            "20,{active},Förnya recept,2026-03-02T10:00,,,,2026-03-01T10:00,",
            "rad 3, fält closed_at: Ärendet kan inte avslutas före det inkom (received_at).",
        ),
        (
            "20,{active},Förnya recept,2026-03-02 kl 10,,,,,",
            "rad 3, fält received_at: Ska vara en tidpunkt enligt ISO 8601, till exempel "
            "2026-01-31T14:05:00+01:00 (var ”2026-03-02 kl 10”).",
        ),
        ("20,{active},Förnya recept,,,,,,", "rad 3, fält received_at: Ange en tidpunkt."),
        (
            "x20,{active},Förnya recept,2026-03-02T10:00,,,,,",
            "rad 3, fält case_id: Ska vara ett positivt heltal (var ”x20”).",
        ),
        (
            "20,{other},Förnya recept,2026-03-02T10:00,,,,,",
            "rad 3, fält hsa_id: Det finns ingen ansluten mottagning med HSA-id {other}.",
        ),
        (
            "20,{active},Förnya receptet,2026-03-02T10:00,,,,,",
            "rad 3, fält case_type: Ärendetypen ”Förnya receptet” finns varken i banken eller som "
            "egen ärendetyp.",
        ),
        (
            "20,{active},Förnya recept,2026-03-02T10:00,2026-03-02T11:00,,,,{bertil}",
            "rad 3, fält assignee_personnummer: {bertil_fmt} har inget vårdaktörskonto.",
        ),
    ],
)
def test_cases_bad_row_writes_nothing(backend, tmp_path, row, message):
    w = build_world()
    fill = {
        "active": w.active_hsa,
        "other": w.free_hsa,
        "bertil": PNR_BERTIL,
        "bertil_fmt": f"{PNR_BERTIL[:8]}-{PNR_BERTIL[8:]}",
    }
    good = f"19,{w.active_hsa},Förnya recept,2026-03-01T10:00,,,,,\n"
    assert_refused(tmp_path, "cases", good + row.format(**fill) + "\n", message.format(**fill))


def test_case_type_name_prefers_the_bank(backend, tmp_path):
    """A name is looked up among the standard types first, then own ones."""
    w = build_world()
    own = CaseType.create(kind=KIND_OWN, name="Beställa tid")
    CaseType.create(kind=KIND_OWN, name="Bara egen")
    body = (
        f"1,{w.active_hsa},Beställa tid,2026-03-01T10:00,,,,,\n"
        f"2,{w.active_hsa},Bara egen,2026-03-01T10:00,,,,,\n"
    )
    import_text(tmp_path, "cases", body, actor_name="t")
    assert Case.get_by_id(1).case_type.kind == "standard" and Case.get_by_id(1).case_type != own
    assert Case.get_by_id(2).case_type.kind == KIND_OWN


# ---------------------------------------------------------------------------- accounts


def test_accounts_citizen_and_staff(backend, tmp_path):
    build_world()
    body = (
        "inv-1,citizen,,,2025-01-01T00:00:00+01:00\n"
        f"inv-2,citizen,{PNR_ANNA},12,2025-01-02T00:00:00+01:00\n"
        f"va-bertil,staff,{PNR_BERTIL},01,2025-01-03T00:00\n"
        f"va-{PNR_CECILIA},staff,{PNR_CECILIA},01,2024-01-01T00:00\n"
    )
    result = import_text(tmp_path, "accounts", body, actor_name="t")
    assert (result.rows, result.created, result.updated) == (4, 3, 1)
    assert CitizenAccount.get(CitizenAccount.account_id == "inv-1").region_id is None
    bertil = StaffAccount.get(StaffAccount.account_id == "va-bertil")
    assert bertil.person.personnummer == PNR_BERTIL and bertil.login_name is None
    cecilia = StaffAccount.get(StaffAccount.account_id == f"va-{PNR_CECILIA}")
    assert cecilia.created_at == local("2024-01-01T00:00") and cecilia.login_name == "cecilia"


@pytest.mark.parametrize(
    "row, message",
    [
        ("va-x,staff,,01,2025-01-01T00:00", "rad 3, fält personnummer: Ange ett personnummer."),
        (
            "va-x,staff,{unknown},01,2025-01-01T00:00",
            "rad 3, fält personnummer: {unknown_fmt} finns inte i personalkatalogen (HSA).",
        ),
        (
            "va-other,staff,{cecilia},01,2025-01-01T00:00",
            "rad 3, fält personnummer: Cecilia Carlsson har redan vårdaktörskontot va-{cecilia}.",
        ),
        (
            "inv-9,invånare,,01,2025-01-01T00:00",
            "rad 3, fält kind: Ska vara citizen eller staff (var ”invånare”).",
        ),
        ("inv-9,citizen,,01,", "rad 3, fält created_at: Ange en tidpunkt."),
        (",citizen,,01,2025-01-01T00:00", "rad 3, fält account_id: Kontots id får inte vara tomt."),
    ],
)
def test_accounts_bad_row_writes_nothing(backend, tmp_path, row, message):
    build_world()
    unknown = make_pnr("19771111", "999")
    fill = {
        "unknown": unknown,
        "unknown_fmt": f"{unknown[:8]}-{unknown[8:]}",
        "cecilia": PNR_CECILIA,
    }
    good = f"va-bertil,staff,{PNR_BERTIL},01,2025-01-03T00:00\n"
    assert_refused(tmp_path, "accounts", good + row.format(**fill) + "\n", message.format(**fill))


# ---------------------------------------------------------------------------- logins


def rollup() -> dict:
    return {
        (
            r.day if isinstance(r.day, date) else date.fromisoformat(r.day),
            r.region_id,
            r.kind,
            r.method,
        ): (r.succeeded, r.failed)
        for r in LoginDaily.select()
    }


LOGINS = (
    "2026-03-28T23:30:00+01:00,citizen,BankID,true,01\n"
    "2026-03-29T01:30,citizen,BankID,false,01\n"  # the night summer time starts
    "2026-03-28T23:10:00Z,citizen,BankID,true,01\n"  # 00:10 Stockholm: the 29th
    "2026-03-29T12:00,staff,E-tjänstekort,true,01\n"
    "2026-03-29T12:05,citizen,Freja eID+,false,\n"
)


def test_logins_append_and_keep_the_rollup_in_step(backend, tmp_path):
    import_text(tmp_path, "logins", LOGINS, actor_name="t")
    expected = {
        (date(2026, 3, 28), "01", "citizen", "BankID"): (1, 0),
        (date(2026, 3, 29), "01", "citizen", "BankID"): (1, 1),
        (date(2026, 3, 29), "01", "staff", "E-tjänstekort"): (1, 0),
        (date(2026, 3, 29), None, "citizen", "Freja eID+"): (0, 1),
    }
    assert rollup() == expected
    # Logins are events: the same file again adds its rows again, roll-up included.
    result = import_text(tmp_path, "logins", LOGINS, actor_name="t")
    assert (result.created, result.updated) == (5, 0)
    assert Login.select().count() == 10
    assert rollup() == {k: (s * 2, f * 2) for k, (s, f) in expected.items()}
    assert transfer.rebuild_login_rollup() == 4
    assert rollup() == {k: (s * 2, f * 2) for k, (s, f) in expected.items()}


@pytest.mark.parametrize(
    "row, message",
    [
        (
            "2026-03-29T12:00,citizen,BankID,ja,01",
            "rad 3, fält success: Ska vara true eller false (var ”ja”).",
        ),
        (
            "29/3 2026,citizen,BankID,true,01",
            "rad 3, fält at: Ska vara en tidpunkt enligt ISO 8601, till exempel "
            "2026-01-31T14:05:00+01:00 (var ”29/3 2026”).",
        ),
        (
            "2026-03-29T12:00,robot,BankID,true,01",
            "rad 3, fält kind: Ska vara citizen eller staff (var ”robot”).",
        ),
    ],
)
def test_logins_bad_row_writes_nothing(backend, tmp_path, row, message):
    assert_refused(
        tmp_path, "logins", "2026-03-29T12:00,citizen,BankID,true,01\n" + row + "\n", message
    )
    assert LoginDaily.select().count() == 0


# ---------------------------------------------------------------------------- batches, streams


def test_batches_progress_and_repeated_keys(backend, tmp_path):
    w = build_world()
    rows = [f"{n},{w.active_hsa},Kontakta mig,2026-01-0{1 + n % 9}T10:00,,,,," for n in range(1, 8)]
    rows.append(f"3,{w.active_hsa},Förnya recept,2026-01-05T10:00,,,,,")  # again, later batch
    rows.append(f"8,{w.active_hsa},Kontakta mig,2026-01-05T10:00,,,,,")
    rows.append(f"8,{w.active_hsa},Rådgivning,2026-01-05T10:00,,,,,")  # twice in one batch
    seen: list[int] = []
    result = import_text(
        tmp_path,
        "cases",
        "\n".join(rows) + "\n",
        actor_name="t",
        progress=seen.append,
        batch_size=3,
    )
    assert (result.rows, result.created, result.updated) == (10, 8, 2)
    assert seen[-1] == 10 and seen == sorted(seen) and len(seen) >= 3
    assert Case.get_by_id(3).case_type.name == "Förnya recept"
    assert Case.get_by_id(8).case_type.name == "Rådgivning"


def test_import_from_an_open_stream(backend):
    stream = io.BytesIO(
        ("\ufeff" + HEAD["logins"] + "\n2026-01-01T10:00,staff,BankID,true,01\n").encode("utf-8")
    )
    assert transfer.import_file("logins", stream, actor_name="t").rows == 1


# ---------------------------------------------------------------------------- export


def export_all() -> dict[str, bytes]:
    files = {}
    for kind in transfer.KINDS:
        buffer = io.StringIO()
        transfer.export_file(kind, buffer)
        files[kind] = buffer.getvalue().encode("utf-8")
    return files


def test_export_columns_and_formats(backend, tmp_path):
    w = build_world()
    import_text(
        tmp_path,
        "cases",
        f"5,{w.active_hsa},Förnya recept,2026-07-01T10:00,,,,2026-07-02T10:00,{PNR_CECILIA}\n",
        actor_name="t",
    )
    import_text(tmp_path, "logins", "2026-01-15T10:00,staff,BankID,false,\n", actor_name="t")
    target = tmp_path / "cases.csv"
    assert transfer.export_file("cases", target) == 1
    assert target.read_text(encoding="utf-8") == (
        HEAD["cases"] + "\n"
        f"5,{w.active_hsa},Förnya recept,2026-07-01T10:00:00+02:00,,,,"
        f"2026-07-02T10:00:00+02:00,{PNR_CECILIA}\n"
    )
    logins = io.StringIO()
    transfer.export_file("logins", logins)
    assert logins.getvalue() == HEAD["logins"] + "\n2026-01-15T10:00:00+01:00,staff,BankID,false,\n"
    assert not (tmp_path / "cases.csv.tmp").exists()


def test_round_trip_export_import_export_is_identical(backend, tmp_path):
    """Demo data (escape sequences, Ł, samordningsnummer, open cases, null regions) plus a
    multi-line info text: export, import into a fresh store, export again: same bytes."""
    demo.generate_demo(
        seed=3, units=10, cases=400, logins=600, today=date(2026, 6, 1), login_name="demo"
    )
    HsaUnit.update(info='Rad ett\nRad två; "citat", komma').where(
        HsaUnit.id == HsaUnit.select().order_by(HsaUnit.id).first().id
    ).execute()
    first = export_all()
    # Connected units are not an interchange kind: carry them over as the TUI would have.
    units = [
        {k: v for k, v in u.__data__.items() if k != "id"} for u in Unit.select().order_by(Unit.id)
    ]
    wipe_store()
    assert Case.select().count() == 0
    for unit in units:
        Unit.create(**unit)
    order = ("hsa-units", "hsa-persons", "accounts", "unit-casetypes", "cases", "logins")
    for kind in order:
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(first[kind])
        transfer.import_file(kind, path, actor_name="t")
    second = export_all()
    for kind in order:
        assert second[kind] == first[kind], kind
    assert first["cases"].count(b"\n") == 401 and first["logins"].count(b"\n") == 601
    assert b"\x1b[31m" in first["hsa-units"]


# ---------------------------------------------------------------------------- review fixes

PWNED = "\x1b]0;PWNED\x07"


@pytest.mark.parametrize(
    "kind, row, message",
    [
        (
            "unit-casetypes",
            "{active},Beställa tid,standard,ja" + PWNED,
            "rad 2, fält active: Ska vara true eller false (var ”ja”).",
        ),
        (
            "unit-casetypes",
            "{active},Beställa tid,eg\x1b[2Jen,true",
            "rad 2, fält kind: Ska vara standard eller own eller integration (var ”egen”).",
        ),
        (
            "cases",
            "20,{active},Förnya recept,igår" + PWNED + ",,,,,",
            "rad 2, fält received_at: Ska vara en tidpunkt enligt ISO 8601, till exempel "
            "2026-01-31T14:05:00+01:00 (var ”igår”).",
        ),
        (
            "cases",
            "2" + PWNED + "0,{active},Förnya recept,2026-03-02T10:00,,,,,",
            "rad 2, fält case_id: Ska vara ett positivt heltal (var ”20”).",
        ),
        (
            "cases",
            "٢٠,{active},Förnya recept,2026-03-02T10:00,,,,,",
            "rad 2, fält case_id: Ska vara ett positivt heltal (var ”٢٠”).",
        ),
        (
            "hsa-units",
            "{free},Källan,Vårdcentral,7" + PWNED + ",,,,,",
            "rad 2, fält region_code: Regionkoden 7 finns inte (01–25).",
        ),
        (
            "hsa-units",
            "{free},Källan,Vårdcentral,٠١,,,,,",
            "rad 2, fält region_code: Regionkoden ٠١ finns inte (01–25).",
        ),
        (
            "hsa-persons",
            f"{PNR_BERTIL},Bertil,,Berg,,b{PWNED}@x.se,,01",
            "rad 2, fält email: b@x.se är inte en giltig e-postadress.",
        ),
        (
            "logins",
            "2026-01-15T10:00,staff,BankID,nej" + "x" * 100 + ",",
            "rad 2, fält success: Ska vara true eller false (var ”nej" + "x" * 36 + "…”).",
        ),
    ],
)
def test_file_values_in_messages_are_cleaned_and_cut(backend, tmp_path, kind, row, message):
    """A value quoted from the file reaches the administrator's terminal: no escape
    sequence, no control character, no screenful of one cell."""
    w = build_world()
    fill = {"active": w.active_hsa, "free": w.free_hsa}
    assert_refused(tmp_path, kind, row.format(**fill) + "\n", message)


def test_unknown_column_in_the_header_is_cleaned(backend, tmp_path):
    header = HEAD["logins"].replace("method", "met" + PWNED + "hod")
    with pytest.raises(ImportRowError) as caught:
        transfer.import_file("logins", write(tmp_path, header + "\n"), actor_name="t")
    assert str(caught.value).startswith("rad 1, fält method: Okänd kolumn.")


def test_an_unreadable_file_is_one_sentence_with_the_reason(backend, tmp_path, monkeypatch):
    """Any OSError on opening (not only a missing file or a folder) names the file and the
    system's reason. Tests run as root, where chmod 000 does not stop reading: a path
    through a plain file and a refused open() stand in for it."""
    blocker = write(tmp_path, "x", "fil.csv")
    with pytest.raises(ValidationError) as caught:
        transfer.import_file("hsa-units", blocker / "in.csv", actor_name="t")
    assert (
        str(caught.value)
        == f"Filen {blocker / 'in.csv'} kunde inte läsas (en del av sökvägen är inte en mapp)."
    )

    source = write(tmp_path, HEAD["hsa-units"] + "\n")

    def refused(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refused)
    with pytest.raises(ValidationError) as caught:
        transfer.import_file("hsa-units", source, actor_name="t")
    assert str(caught.value) == f"Filen {source} kunde inte läsas (åtkomst nekad)."
    assert not AuditEvent.select().exists()


def test_an_unwritable_export_names_the_path_and_the_reason(backend, tmp_path):
    build_world()
    out = tmp_path / "ut"
    out.mkdir()
    blocker = write(out, "x", "fil")
    with pytest.raises(ValidationError) as caught:
        transfer.export_file("hsa-units", blocker / "ut.csv")
    assert (
        str(caught.value)
        == f"Filen {blocker / 'ut.csv'} kunde inte skrivas (en del av sökvägen är inte en mapp)."
    )
    with pytest.raises(ValidationError) as caught:
        transfer.export_file("hsa-units", "/proc/ut.csv")  # a folder that exists, read-only
    assert str(caught.value).startswith("Filen /proc/ut.csv kunde inte skrivas (")
    with pytest.raises(NotFound, match="Katalogen .*saknas finns inte"):
        transfer.export_file("hsa-units", out / "saknas" / "ut.csv")
    assert sorted(p.name for p in out.iterdir()) == ["fil"]


def test_export_is_private_keeps_an_old_files_mode_and_leaves_no_temporary(backend, tmp_path):
    build_world()
    (tmp_path / "ut").mkdir()
    target = tmp_path / "ut" / "hsa-persons.csv"
    old_umask = os.umask(0o022)  # a shared jump host's usual umask
    try:
        transfer.export_file("hsa-persons", target)
    finally:
        os.umask(old_umask)
    assert target.stat().st_mode & 0o777 == 0o600  # names and personnummer: owner only
    target.chmod(0o640)  # the owner chose to share it with the group: an export keeps that
    transfer.export_file("hsa-persons", target)
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in target.parent.iterdir()] == ["hsa-persons.csv"]


def test_a_failed_export_keeps_the_old_file(backend, tmp_path, monkeypatch):
    build_world()
    (tmp_path / "ut").mkdir()
    target = tmp_path / "ut" / "hsa-units.csv"
    target.write_text("gammal\n", encoding="utf-8")

    def broken():
        yield ("SE2321000016-1", "A", "", "01", "", "", "", "", "")
        raise RuntimeError("databasen försvann")

    monkeypatch.setitem(transfer._EXPORTERS, "hsa-units", broken)
    with pytest.raises(RuntimeError):
        transfer.export_file("hsa-units", target)
    assert target.read_text(encoding="utf-8") == "gammal\n"
    assert [p.name for p in target.parent.iterdir()] == ["hsa-units.csv"]


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)  # SQLite: PRAGMA optimize
def test_an_import_brings_the_planner_statistics_up_to_date(backend, tmp_path):
    """PostgreSQL right after a bulk load planned the year reports badly enough to time
    out: whatever loads data runs ANALYZE on what it loaded."""
    from models.db import database

    build_world()
    import_text(tmp_path, "hsa-units", f"{hsa(ORG_01, '3001')},Tallen,Vårdcentral,01,,,,,\n")
    row = database.execute_sql(
        "SELECT last_analyze FROM pg_stat_user_tables WHERE schemaname = current_schema() "
        "AND relname = 'hsa_unit'"
    ).fetchone()
    assert row is not None and row[0] is not None


# ---------------------------------------------------------------------------- bulk loads


def case_lines(w, ids: list[int], variant: int = 0) -> str:
    """One row per id (in the order given): units of two regions, several case types,
    open and closed cases, with and without an assignee; `variant` shifts the values."""
    types = ("Förnya recept", "Kontakta mig", "Rådgivning")
    rows = []
    for n, case_id in enumerate(ids):
        k = case_id + variant
        unit = w.active_hsa if k % 3 else w.other_active_hsa
        day = 1 + k % 27
        closed = f"2026-02-{day:02d}T16:{k % 60:02d}:00+01:00" if k % 4 else ""
        assignee = PNR_CECILIA if k % 2 and unit == w.active_hsa else ""
        assigned = f"2026-02-{day:02d}T11:00:{n % 60:02d}" if assignee else ""
        rows.append(
            f"{case_id},{unit},{types[k % 3]},2026-02-{day:02d}T10:{k % 60:02d}:00Z,"
            f"{assigned},,,{closed},{assignee}"
        )
    return "\n".join(rows) + "\n"


def cases_export() -> str:
    buffer = io.StringIO()
    transfer.export_file("cases", buffer)
    return buffer.getvalue()


def test_a_first_load_and_a_load_over_older_cases_give_the_same_store(backend, tmp_path):
    """A load into the empty table (plain inserts, indexes built after it) and the same
    file over older versions of some of its cases (merges) end with the same cases; ids
    out of order and repeated across batches take the last row, as an upsert does."""
    w = build_world()
    indexes = case_indexes()
    ids = [*range(1, 40), 7, 3, *range(60, 45, -1), 20]
    body = case_lines(w, ids)
    first = import_text(tmp_path, "cases", body, actor_name="t", batch_size=6)
    assert (first.rows, first.created, first.updated) == (57, 54, 3)
    assert case_indexes() == indexes
    loaded = cases_export()
    Case.delete().execute()
    older = import_text(tmp_path, "cases", case_lines(w, ids[::3], variant=1), actor_name="t")
    assert older.created == len(set(ids[::3]))
    again = import_text(tmp_path, "cases", body, actor_name="t", batch_size=6)
    assert (again.created, again.updated) == (54 - older.created, len(ids) - again.created)
    assert cases_export() == loaded
    assert case_indexes() == indexes


def test_a_merge_overwrites_every_field_and_moves_the_region(backend, tmp_path):
    from models.db import is_postgres

    w = build_world()
    import_text(tmp_path, "cases", case_lines(w, [5, 6, 7]), actor_name="t")
    moved = (
        f"6,{w.other_active_hsa},Rådgivning,2026-03-01T10:00:00+01:00,,,,,\n"
        f"5,{w.active_hsa},Kontakta mig,2026-03-02T10:00:00+01:00,2026-03-02T11:00:00+01:00,"
        f"2026-03-02T12:00:00+01:00,2026-03-02T13:00:00+01:00,2026-03-02T14:00:00+01:00,"
        f"{PNR_CECILIA}\n"
    )
    result = import_text(tmp_path, "cases", moved, actor_name="t")
    assert (result.created, result.updated) == (0, 2)
    six, five = Case.get_by_id(6), Case.get_by_id(5)
    assert six.unit.hsa_id == w.other_active_hsa and six.case_type.name == "Rådgivning"
    assert (six.assigned_at, six.closed_at, six.assignee) == (None, None, None)
    assert five.closed_at == local("2026-03-02T14:00") and five.assignee is not None
    if is_postgres():  # the row-security key follows the unit
        assert (six.region, five.region) == ("12", "01")


@pytest.mark.parametrize("filled", [False, True])
def test_a_bad_row_deep_in_a_bulk_load_names_line_and_field_and_writes_nothing(
    backend, tmp_path, filled
):
    w = build_world()
    if filled:
        import_text(tmp_path, "cases", case_lines(w, [2, 4, 6]), actor_name="t")
    indexes, before, stored = case_indexes(), counts(), cases_export()
    rows = case_lines(w, list(range(1, 31))).splitlines()
    rows[24] = f"25,{w.active_hsa},Kontakta mig,2026-02-26T10:25:00Z,2026-13-01T10:00,,,,"
    with pytest.raises(ImportRowError) as caught:
        import_text(tmp_path, "cases", "\n".join(rows) + "\n", actor_name="t", batch_size=4)
    assert str(caught.value) == (
        "rad 26, fält assigned_at: Ska vara en tidpunkt enligt ISO 8601, till exempel "
        "2026-01-31T14:05:00+01:00 (var ”2026-13-01T10:00”)."
    )
    assert (counts(), cases_export(), case_indexes()) == (before, stored, indexes)


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_an_owner_group_role_imports_through_the_staging_table(backend, tmp_path, monkeypatch):
    """PostgreSQL: the system owner's own role (no table of its own, no superuser) loads
    and merges cases: the staging table is a temporary one of its session."""
    from models import db as dbmod
    from tests.conftest import pg_url_as, store_as_owner

    w = build_world()
    role = owner_role("importer")
    merges: list[int] = []
    merge = transfer._CaseWriter._merge
    monkeypatch.setattr(
        transfer._CaseWriter,
        "_merge",
        lambda self, rows: merges.append(len(rows)) or merge(self, rows),
    )
    indexes = case_indexes()
    dbmod.open_database(pg_url_as(role))
    try:
        import_text(tmp_path, "cases", case_lines(w, list(range(1, 11))), actor_name="t")
        assert merges == []  # a first load: plain COPY
        result = import_text(
            tmp_path, "cases", case_lines(w, list(range(5, 15)), variant=2), actor_name="t"
        )
        assert (result.created, result.updated, merges) == (4, 6, [10])
        # COPY FROM refuses a table under row-level security: logins are staged too.
        assert import_text(tmp_path, "logins", LOGINS, actor_name="t").created == 5
    finally:
        store_as_owner()
    assert Case.select().count() == 14 and case_indexes() == indexes
    assert sum(s + f for s, f in rollup().values()) == Login.select().count() == 5
    assert Case.get_by_id(5).case_type.name == "Kontakta mig"  # the second file's


def test_timestamps_from_the_hour_cache_equal_a_full_parse():
    """The importers parse each hour once and add minutes and seconds: every value gives
    what datetime.fromisoformat gives, errors and the window included (summer time
    changes, offsets, Z, fractions, nonsense), the first time and from the cache."""
    import random

    from models.timeutil import event_window

    first, end = event_window()

    def reference(value: str, required: bool) -> object:
        value = value.strip()
        if not value:
            return "Ange" if required else None
        try:
            epoch = to_epoch(datetime.fromisoformat(value))
        except ValueError:
            return "ISO 8601"
        return epoch if first <= epoch < end else "mellan"

    stamps = transfer._Timestamps()

    def imported(value: str, required: bool) -> object:
        try:
            return stamps({"c": value}, "c", required)
        except transfer._FieldError as error:
            return next(w for w in ("Ange", "ISO 8601", "mellan") if w in error.message)

    rng = random.Random(11)
    values = [
        "2026-03-29T02:30:00",  # does not exist: summer time starts
        "2026-10-25T02:30:00",  # twice: summer time ends
        "2026-03-29T01:59:59Z",
        "2026-03-01 10:00:00+01:00",
        "2026-03-01T10:00:00.5+01:00",
        "2026-03-01T24:00:00",
        "2026-02-30T10:00:00",
        "1999-12-31T23:59:59",
        "2000-01-01T00:00:00",
        "  2026-03-01T10:00:00  ",
        "2026-W09-1T10:00:00",
        "",
    ]
    for _ in range(3000):
        values.append(
            f"{rng.choice((1999, 2000, 2026, 2040))}-{rng.randint(0, 13):02d}-"
            f"{rng.randint(0, 32):02d}{rng.choice('T ')}{rng.randint(0, 25):02d}:"
            f"{rng.randint(0, 61):02d}:{rng.randint(0, 61):02d}"
            + rng.choice(("", "+01:00", "Z", "-03:30", ".25", "+0100", "x", "+14:00"))
        )
    # A whole column at once (the batch paths): each value as cached() gives it once the
    # hours are known, never another epoch than the full parse.
    column = transfer._Timestamps().column(values)
    for value, epoch in zip(values, column, strict=True):
        assert epoch is None or epoch == reference(value, True), value
    for value in values * 2:
        for required in (False, True):
            assert imported(value, required) == reference(value, required), value
    assert [stamps.cached(v) for v in values] == column
    assert sum(e is not None for e in column) > 100


def test_a_case_id_of_thousands_of_digits_is_a_row_error(backend, tmp_path):
    w = build_world()
    huge = "9" * 5000
    with pytest.raises(ImportRowError, match="rad 2, fält case_id: Ska vara ett positivt heltal"):
        import_text(
            tmp_path, "cases", f"{huge},{w.active_hsa},Kontakta mig,2026-03-01T10:00,,,,,\n"
        )
    assert Case.select().count() == 0


# ------------------------------------------------------- re-imports and the fast row paths


@pytest.mark.parametrize("batch_size", [5000, 4, 1])
def test_a_reimport_in_small_batches_keeps_the_summaries_equal_to_a_rebuild(
    backend, tmp_path, batch_size
):
    """Each stored case leaves the summaries once (its stored version, before its first
    overwrite) and comes back once at the end in its final version: a case changed twice
    in one file, changed and then changed back, unchanged, or new."""
    w = build_world()
    ids = list(range(1, 25))
    import_text(tmp_path, "cases", case_lines(w, ids), actor_name="t", batch_size=batch_size)
    assert summaries() == rebuilt_summaries() and summaries()[0]
    stored = case_lines(w, ids).splitlines(keepends=True)
    body = "".join(
        [
            case_lines(w, [3, 5, 7, 9], variant=1),  # changed
            *(stored[i - 1] for i in (1, 2, 4, 6)),  # unchanged
            case_lines(w, [3, 5], variant=2),  # changed again, in a later batch
            stored[7 - 1],  # changed back to what was stored
            case_lines(w, [30, 31, 9, 30], variant=3),  # new, changed, new twice
        ]
    )
    result = import_text(tmp_path, "cases", body, actor_name="t", batch_size=batch_size)
    assert (result.rows, result.created) == (len(body.splitlines()), 2)
    assert summaries() == rebuilt_summaries()
    expected = io.StringIO()
    Case.delete().execute()
    import_text(tmp_path, "cases", case_lines(w, ids) + body, actor_name="t", batch_size=5000)
    transfer.export_file("cases", expected)
    assert cases_export() == expected.getvalue()


@pytest.mark.parametrize("temporary", [True, False])
def test_a_reimport_sets_the_stored_versions_aside_or_takes_them_out_per_batch(
    backend, tmp_path, monkeypatch, temporary
):
    """With temporary tables the stored versions wait in one until the end of the import;
    without (a PostgreSQL role without TEMPORARY) they leave the summaries per batch.
    Either way the summaries end equal to a rebuild."""
    from models import case_summary

    w = build_world()
    ids = list(range(1, 21))
    import_text(tmp_path, "cases", case_lines(w, ids), actor_name="t")
    monkeypatch.setattr(transfer, "may_use_temporary_tables", lambda: temporary)
    calls: list[str] = []
    for name in ("remove", "remove_versions"):
        real = getattr(case_summary, name)
        monkeypatch.setattr(
            case_summary, name, lambda arg, n=name, f=real: calls.append(n) or f(arg)
        )
    body = case_lines(w, ids, variant=1) + case_lines(w, [3, 30], variant=2)
    import_text(tmp_path, "cases", body, actor_name="t", batch_size=3)
    assert summaries() == rebuilt_summaries() and summaries()[0]
    # 20 stored cases changed in batches of 3: one pass at the end, or one per batch.
    assert calls == (["remove_versions"] if temporary else ["remove"] * 7)


def test_a_reimport_writes_only_the_cases_it_changes(backend, tmp_path, monkeypatch):
    """A case stored exactly as the file has it is neither written again nor taken out of
    the summaries; the result still counts it as updated."""
    from models import case_summary
    from models.db import database

    w = build_world()
    ids = list(range(1, 13))
    import_text(tmp_path, "cases", case_lines(w, ids), actor_name="t")
    removed: list[list[int]] = []
    added: list[list[int]] = []
    remove, add = case_summary.remove_versions, case_summary.add

    def remove_versions(table: str) -> None:  # the stored versions set aside, by id
        cursor = database.execute_sql(f"SELECT id FROM {table} ORDER BY id")
        removed.append([row[0] for row in cursor.fetchall()])
        remove(table)

    monkeypatch.setattr(case_summary, "remove_versions", remove_versions)

    def add_ids(ids: list[int] | str) -> None:  # a list, or a subquery of ids
        if isinstance(ids, str):
            added.append(sorted(row[0] for row in database.execute_sql(ids).fetchall()))
        else:
            added.append(list(ids))
        add(ids)

    monkeypatch.setattr(case_summary, "add", add_ids)
    same = import_text(tmp_path, "cases", case_lines(w, ids), actor_name="t", batch_size=5)
    assert (same.created, same.updated, removed, added) == (0, 12, [], [])
    lines = case_lines(w, ids).splitlines(keepends=True)
    body = "".join([*lines[:7], case_lines(w, [8], variant=1), *lines[8:]])
    one = import_text(tmp_path, "cases", body, actor_name="t", batch_size=5)
    assert (one.created, one.updated, removed, added) == (0, 12, [[8]], [[8]])
    assert summaries() == rebuilt_summaries()
    assert AuditEvent.select().where(AuditEvent.action == "import").count() == 3


def _export(kind: str) -> str:
    buffer = io.StringIO()
    transfer.export_file(kind, buffer)
    return buffer.getvalue()


def test_the_fast_row_paths_store_what_the_checked_path_stores(backend, tmp_path, monkeypatch):
    """Cases and logins take a known row straight from its cells; the same files through
    the record-by-record path (add) give the same store, roll-up and summaries. The files
    mix forms the fast path hands on: spaces, a one-digit region, a new hour, columns in
    another order."""
    w = build_world()
    cases = "\n".join(
        [
            "assignee_personnummer,case_type,hsa_id,case_id,received_at,assigned_at,"
            "started_at,answered_at,closed_at",
            *(
                f"{p},{t},{u},{n},2026-02-{d:02d}T10:{n % 60:02d}:00+01:00,"
                f"{a},, ,2026-02-{d:02d}T12:{n % 60:02d}:00+01:00"
                for n, (p, t, u, d, a) in enumerate(
                    [
                        (PNR_CECILIA, "Kontakta mig", w.active_hsa, 3, ""),
                        ("", "Rådgivning", w.other_active_hsa, 3, "2026-02-03T11:00:00+01:00"),
                        ("", " Rådgivning", w.active_hsa, 4, ""),
                        ("", "Kontakta mig", f" {w.active_hsa}", 3, " 2026-02-03T11:00"),
                        (PNR_CECILIA, "Kontakta mig", w.active_hsa, 3, "2026-02-03T11:59:59Z"),
                    ]
                    * 3,
                    start=1,
                )
            ),
        ]
    )
    logins = (
        LOGINS
        + (
            "2026-03-29T12:06,citizen,BankID,true,1\n"
            " 2026-03-29T12:07,citizen,BankID,true,01\n"
            "2026-03-29T12:08,citizen, BankID,true,01\n"
            "2026-03-29T12:09:00+02:00,staff,E-tjänstekort,FALSE,01\n"
        )
        * 3
    )

    def load() -> tuple:
        transfer.import_file("cases", write(tmp_path, cases + "\n", "c.csv"), batch_size=4)
        transfer.import_file("logins", write(tmp_path, HEAD["logins"] + "\n" + logins, "l.csv"))
        state = (_export("cases"), _export("logins"), rollup(), summaries())
        for model in (Case, Login, LoginDaily):
            model.delete().execute()
        from models import case_summary

        case_summary.rebuild()
        return state

    fast = load()
    for importer in (transfer._Cases, transfer._Logins):
        monkeypatch.setattr(importer, "add_rows", transfer._Importer.add_rows)
    row_by_row = load()
    for importer in (transfer._Cases, transfer._Logins):
        monkeypatch.setattr(importer, "add_row", transfer._Importer.add_row)
    checked = load()
    assert fast == row_by_row == checked
    assert fast[0].count("\n") == 16 and fast[1].count("\n") == 18


def test_the_batch_paths_store_what_the_checked_path_stores(backend, tmp_path, monkeypatch):
    """Batches whose every row is known are taken a column at a time; files that mix such
    batches with rows the batch path hands on (spaces, a new combination, a time of a new
    form, an id repeated across batches) give the same store as the record path."""
    w = build_world()
    ids = [*range(1, 60), 7, 3, *range(80, 65, -1), 20]
    cases = case_lines(w, ids).splitlines()
    cases[40] = cases[40].replace("Z,", "+01:00,", 1)
    cases[50] = " " + cases[50]
    logins = logins_lines(400).splitlines() + LOGINS.splitlines()
    logins[200] = logins[200].replace("BankID", "Freja eID+")
    logins[300] = logins[300].replace(":00,", ":00+02:00,", 1)
    taken: list[str] = []
    by_rows = transfer._Importer.add_rows

    def counted(self: transfer._Importer, lines: list[int], rows: list[list[str]]) -> None:
        taken.append(type(self).__name__)
        by_rows(self, lines, rows)

    def load() -> tuple:
        head = {k: v + "\n" for k, v in HEAD.items()}
        body = head["cases"] + "\n".join(cases) + "\n"
        transfer.import_file("cases", write(tmp_path, body, "c.csv"), batch_size=7)
        body = head["logins"] + "\n".join(logins) + "\n"
        transfer.import_file("logins", write(tmp_path, body, "l.csv"), batch_size=50)
        state = (_export("cases"), _export("logins"), rollup(), summaries())
        for model in (Case, Login, LoginDaily):
            model.delete().execute()
        from models import case_summary

        case_summary.rebuild()
        return state

    monkeypatch.setattr(transfer._Importer, "add_rows", counted)
    batched = load()
    # Most batches went a column at a time (each row-by-row batch is counted here).
    assert 0 < taken.count("_Cases") < len(ids) // 7 / 2
    assert 0 < taken.count("_Logins") < len(logins) // 50 / 2
    for importer in (transfer._Cases, transfer._Logins):
        monkeypatch.setattr(importer, "add_rows", by_rows)
        monkeypatch.setattr(importer, "add_row", transfer._Importer.add_row)
    checked = load()
    assert batched == checked
    assert batched[0].count("\n") == len(set(ids)) + 1


@pytest.mark.parametrize(
    "rows, message",
    [
        (
            ["2026-03-29T12:00,citizen,BankID,ja,01", "2026-03-29T12:00,citizen,BankID,true"],
            "rad 3, fält success: Ska vara true eller false (var ”ja”).",
        ),
        (
            ["2026-03-29T12:00,citizen,BankID,true", "2026-03-29T12:00,citizen,BankID,ja,01"],
            "rad 3, fält region_code: Raden har 4 fält men rubrikraden har 5.",
        ),
        (
            ["2026-03-29T12:00,robot,BankID,true,01", '2026-03-29T12:00,citizen,"Bank"ID,true,'],
            "rad 3, fält kind: Ska vara citizen eller staff (var ”robot”).",
        ),
        (
            ['2026-03-29T12:00,citizen,"Bank"ID,true,', "2026-03-29T12:00,robot,BankID,true,01"],
            "rad 3, fält (hela raden): Raden går inte att läsa som CSV (ett citattecken "
            "avslutar fältet men följs inte av avgränsaren; ett citattecken inne i ett fält "
            "skrivs dubbelt).",
        ),
        (
            ["29/3,citizen,BankID,true,01", "2026-03-29T12:00,citizen,Bank\u200bID,true,01"],
            "rad 3, fält at: Ska vara en tidpunkt enligt ISO 8601, till exempel "
            "2026-01-31T14:05:00+01:00 (var ”29/3”).",
        ),
        (
            ["2026-03-29T12:00,citizen,Bank\u200bID,true,01", "29/3,citizen,BankID,true,01"],
            "rad 3, fält method: Fältet får inte innehålla osynliga tecken eller tecken som "
            "styr textens riktning (här U+200B).",
        ),
    ],
)
def test_the_first_bad_row_of_a_batch_is_named_whatever_follows_it(
    backend, tmp_path, rows, message
):
    """A batch is read whole before its rows are checked: a row the reader refuses after a
    row with a bad field (or before it) still leaves the first fault of the file named."""
    body = "2026-03-29T11:00,citizen,BankID,true,01\n" + "\n".join(rows) + "\n"
    with pytest.raises(ImportRowError) as caught:
        import_text(tmp_path, "logins", body, actor_name="t")
    assert str(caught.value) == message
    assert Login.select().count() == 0


# ------------------------------------------------------------ bulk loads on PostgreSQL


def bulk_shapes() -> dict[str, tuple[list, list]]:
    from models.db import database
    from models.pgsecurity import BULK_TABLES
    from tests.factories import table_shape

    return {table: table_shape(database.execute_sql, table) for table in BULK_TABLES}


def bulk_records() -> int:
    """Rows left in the keeper's record of bulk loads (always none after a commit)."""
    from models.db import database
    from models.pgsecurity import BULK_STORE

    return database.execute_sql(f"SELECT count(*) FROM {BULK_STORE}").fetchone()[0]


class _AsRole:
    """Run the program connected as `role` (None: the superuser of the test store)."""

    def __init__(self, role: str | None) -> None:
        self.role = role

    def __enter__(self) -> None:
        from models import db as dbmod
        from tests.conftest import pg_url_as

        if self.role:
            dbmod.open_database(pg_url_as(self.role))

    def __exit__(self, *exc: object) -> None:
        from tests.conftest import store_as_owner

        store_as_owner()


def logins_lines(count: int) -> str:
    return "".join(
        f"2026-03-{1 + n % 27:02d}T{n % 24:02d}:{n % 60:02d}:00,"
        f"{'citizen' if n % 5 else 'staff'},BankID,{'true' if n % 7 else 'false'},"
        f"{'01' if n % 3 else '12' if n % 11 else ''}\n"
        for n in range(count)
    )


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
@pytest.mark.parametrize("who", ["superuser", "owner"])
def test_a_first_load_on_postgresql_is_a_bulk_load_that_puts_everything_back(
    backend, tmp_path, monkeypatch, who
):
    """The system owner's role and the superuser load an empty case or login table without
    its foreign keys and secondary indexes; after the import the table has exactly the
    constraints and indexes it had, the summaries and the roll-up equal a rebuild."""
    from models import pgsecurity

    w = build_world()
    role = owner_role("bulk_owner") if who == "owner" else None
    taken: list[tuple[str, bool]] = []
    begin = pgsecurity.bulk_begin
    monkeypatch.setattr(
        pgsecurity, "bulk_begin", lambda table: taken.append((table, begin(table))) or taken[-1][1]
    )
    streams: list[str] = []
    stream = transfer.bulk_stream
    monkeypatch.setattr(
        transfer,
        "bulk_stream",
        lambda model, fields: streams.append(model._meta.table_name) or stream(model, fields),
    )
    shapes = bulk_shapes()
    with _AsRole(role):
        cases = import_text(tmp_path, "cases", case_lines(w, list(range(1, 31))), batch_size=4)
        logins = import_text(tmp_path, "logins", logins_lines(40), batch_size=6)
        again = import_text(tmp_path, "logins", logins_lines(3))  # not empty: no bulk load
    assert taken == [("case", True), ("login", True)]
    assert streams == ["case", "login"]  # one stream for all the batches of a first load
    assert (cases.created, logins.created, again.created) == (30, 40, 3)
    assert bulk_shapes() == shapes and bulk_records() == 0
    assert summaries() == rebuilt_summaries() and summaries()[0]
    assert sum(s + f for s, f in rollup().values()) == Login.select().count() == 43
    stored = cases_export()
    Case.delete().execute()
    monkeypatch.setattr(pgsecurity, "bulk_begin", lambda table: False)  # row by row
    import_text(tmp_path, "cases", case_lines(w, list(range(1, 31))), batch_size=4)
    assert cases_export() == stored


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
@pytest.mark.parametrize("who", ["superuser", "owner"])
def test_a_failed_first_load_leaves_the_table_as_it_was(backend, tmp_path, who):
    """A bad row late in the file (after several batches were written without the
    constraints): the import's own sentence, nothing written, every constraint and index
    back. An unknown unit is refused by the import itself, before the foreign key."""
    w = build_world()
    role = owner_role("bulk_owner") if who == "owner" else None
    shapes, before = bulk_shapes(), counts()
    rows = case_lines(w, list(range(1, 31))).splitlines()
    rows[24] = f"25,{hsa(ORG_01, '9999')},Kontakta mig,2026-02-26T10:25:00Z,,,,,"
    logins = logins_lines(30).splitlines()
    logins[26] = "2026-03-01T10:00:00,citizen,BankID,true,99"
    with _AsRole(role):
        with pytest.raises(ImportRowError) as caught:
            import_text(tmp_path, "cases", "\n".join(rows) + "\n", batch_size=4)
        with pytest.raises(ImportRowError) as refused:
            import_text(tmp_path, "logins", "\n".join(logins) + "\n", batch_size=4)
    assert str(caught.value) == (
        f"rad 26, fält hsa_id: Det finns ingen ansluten mottagning med HSA-id "
        f"{hsa(ORG_01, '9999')}."
    )
    assert str(refused.value) == "rad 28, fält region_code: Regionkoden 99 finns inte (01–25)."
    assert (counts(), bulk_shapes(), bulk_records()) == (before, shapes, 0)


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_the_foreign_keys_put_back_refuse_a_reference_the_import_let_through(
    backend, tmp_path, monkeypatch
):
    """The import checks units, case types and assignees itself; should a row still name
    a unit that is not there (a unit gone meanwhile), the foreign key added back at the
    end of the load refuses the whole import."""
    from models.errors import Conflict

    w = build_world()
    role = owner_role("bulk_owner")
    shapes, before = bulk_shapes(), counts()
    write_rows = transfer.bulk_write

    def unit_gone(model, fields, rows, *args, **kwargs):
        if model is Case:
            rows = [(r[0], 10**9, *r[2:]) if r[0] == 17 else r for r in rows]
        return write_rows(model, fields, rows, *args, **kwargs)

    monkeypatch.setattr(transfer, "bulk_write", unit_gone)
    with _AsRole(role), pytest.raises(Conflict):
        import_text(tmp_path, "cases", case_lines(w, list(range(1, 31))), batch_size=4)
    assert (counts(), bulk_shapes(), bulk_records()) == (before, shapes, 0)
