"""Onboarding from a file: `unit activate --from-file` and `grant add --from-file`."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.entities import ADMIN, GRANSKARE, AuditEvent, Grant, StaffAccount, Unit
from tests.conftest import one_line, store_as_owner
from tests.factories import ORG_01, PNR_BERTIL, build_world, directory_unit, hsa


@pytest.fixture
def world(backend, act_as, monkeypatch):
    monkeypatch.delenv("REGIONADMIN_DB", raising=False)
    w = build_world()
    for i in range(3):
        directory_unit(hsa(ORG_01, f"40{i}"), f"BVC Nummer {i}")
    act_as("anna")
    return w


def _csv(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _state() -> tuple:
    store_as_owner()
    return (Unit.select().count(), Grant.select().count(), AuditEvent.select().count())


def test_activate_and_grant_many_with_a_dry_run_first(world, run, tmp_path):
    units = _csv(
        tmp_path,
        "enheter.csv",
        "hsa_id,name,other_service\n"
        f"{hsa(ORG_01, '400')},,false\n"
        f"{hsa(ORG_01, '401')},Tallens BVC,true\n"
        f"{world.free_hsa},,\n",
    )
    before = _state()
    code, out, err = run("unit", "activate", "--from-file", units, "--dry-run")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"rad 2: Aktiverad: {hsa(ORG_01, '400')} BVC Nummer 0",
        f"rad 3: Aktiverad: {hsa(ORG_01, '401')} Tallens BVC",
        f"rad 4: Aktiverad: {world.free_hsa} Vårdcentralen Källan",
        "Provkörning: 3 ändringar skulle göras; ingenting har ändrats.",
    ]
    assert _state() == before
    code, out, _ = run("unit", "activate", "--from-file", units)
    assert code == 0 and out.endswith("Klart: 3 ändringar, var och en i loggen.\n")
    store_as_owner()
    assert Unit.get(Unit.hsa_id == hsa(ORG_01, "401")).other_service
    assert AuditEvent.select().where(AuditEvent.action == "unit.activate").count() == 3

    grants_file = _csv(
        tmp_path,
        "behorigheter.csv",
        "hsa_id;personnummer;role\n"
        f"{hsa(ORG_01, '400')};{PNR_BERTIL};admin+granskare\n"
        f"{hsa(ORG_01, '401')};{PNR_BERTIL};admin\n",
    )
    code, out, _ = run("grant", "add", "--from-file", grants_file)
    assert code == 0, out
    store_as_owner()
    bertil = StaffAccount.get(StaffAccount.person == world.bertil)
    assert sorted(g.role for g in Grant.select().where(Grant.account == bertil)) == [
        ADMIN,
        ADMIN,
        GRANSKARE,
    ]
    assert AuditEvent.select().where(AuditEvent.action == "grant.add").count() == 3


@pytest.mark.parametrize(
    "body, message",
    [
        (
            "hsa_id,name,other_service\nSE2321000016-400,,false\nSE2321000016-999,,false\n",
            "rad 3, fält hsa_id: HSA-id SE2321000016-999 finns inte i HSA-katalogen.",
        ),
        (
            "hsa_id,name,other_service\nSE2321000016-400,,false\nSE2321000255-2001,,false\n",
            "rad 3, fält hsa_id: Mottagningen SE2321000255-2001 tillhör Region Skåne; du kan bara "
            "aktivera mottagningar i din egen region.",
        ),
        (
            "hsa_id,name,other_service\nSE2321000016-400,Barnavårdscentralsmottagningen,false\n",
            "rad 2, fält name: ",
        ),
        (
            "hsa_id,name,other_service\nSE2321000016-400,,kanske\n",
            "rad 2, fält other_service: Ska vara true eller false (var ”kanske”).",
        ),
        ("hsa_id,namn\nSE2321000016-400,X\n", "rad 1, fält namn: Okänd kolumn."),
    ],
)
def test_a_bad_row_names_line_and_field_and_nothing_is_written(world, run, tmp_path, body, message):
    before = _state()
    code, out, err = run("unit", "activate", "--from-file", _csv(tmp_path, "u.csv", body))
    assert code == 2 and out == ""
    assert one_line(err).startswith(message)
    assert _state() == before


def test_granskare_alone_in_a_grant_file_is_refused_with_the_row(world, run, tmp_path):
    body = f"hsa_id,personnummer,role\n{world.active_hsa},{PNR_BERTIL},granskare\n"
    before = _state()
    code, _, err = run("grant", "add", "--from-file", _csv(tmp_path, "g.csv", body))
    assert code == 2
    assert one_line(err) == (
        "rad 2, fält role: Granskare kan bara tilldelas tillsammans med Administratör."
    )
    assert _state() == before


def test_from_file_and_a_single_hsa_id_do_not_mix(world, run, tmp_path):
    code, _, err = run("unit", "activate", world.free_hsa, "--from-file", "x.csv")
    assert code == 2 and "inte båda" in err
    code, _, err = run("grant", "add", "--dry-run")
    assert code == 2 and "--from-file" in err
