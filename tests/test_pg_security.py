"""PostgreSQL is the wall: what each role may do once connected, whatever client it uses.

An owner and two landstingsadministratörer of two regions (01 and 12), each connected as
their own role (trust auth on the test server lets a test connect as any role; the point
is what each may do once connected). Every check is made with plain SQL, as psql would,
and through the program itself.
"""

from __future__ import annotations

import json

import psycopg
import pytest

from models import db as dbmod
from models import pgsecurity
from models.entities import (
    ADMIN,
    KIND_OWN,
    AuditEvent,
    Case,
    CaseType,
    CitizenAccount,
    Grant,
    Login,
    LoginDaily,
    SiteOption,
    StaffAccount,
    Unit,
    UnitCaseType,
)
from models.errors import PermissionDenied
from models.operators import link_operator, resolve_operator
from models.pgsecurity import RLS_TABLES
from models.timeutil import now_epoch
from tests.conftest import PG_URL, TEST_ROLE_PREFIX, group_role, pg_schema, pg_url_as
from tests.factories import PNR_ANNA, PNR_ORJAN, build_world, make_pnr, person, table_shape
from tui.cli import main

pytestmark = pytest.mark.parametrize("backend", ["postgres"], indirect=True)

ANNA = f"{TEST_ROLE_PREFIX}anna"
ORJAN = f"{TEST_ROLE_PREFIX}orjan"
OWNER = f"{TEST_ROLE_PREFIX}owner"


def _connect(role: str) -> psycopg.Connection:
    return psycopg.connect(
        PG_URL, user=role, options=f"-csearch_path={pg_schema()}", autocommit=True
    )


def _superuser() -> psycopg.Connection:
    return psycopg.connect(PG_URL, options=f"-csearch_path={pg_schema()}", autocommit=True)


def _as_superuser_again() -> None:
    """The program's connection back to the superuser, after a test connected as a role."""
    from tests.conftest import _pg_url

    dbmod.open_database(_pg_url())


def _groups() -> tuple[str, str]:
    opts = {o.name: o.value for o in SiteOption.select()}
    return opts["owner_group"], opts["admin_group"]


class Wall:
    """Ids of region 01's rows, made as the superuser through the models."""

    def __init__(self) -> None:
        self.world = build_world()
        now = now_epoch()
        # The two administrators get their own login roles through the program.
        link_operator(ANNA, PNR_ANNA, "01", system_owner="test")
        link_operator(ORJAN, PNR_ORJAN, "12", system_owner="test")
        group_role(OWNER, "owner_group")
        self.unit = Unit.get(Unit.hsa_id == self.world.active_hsa)
        self.other_unit = Unit.get(Unit.hsa_id == self.world.other_active_hsa)
        own = CaseType.create(kind=KIND_OWN, name="Stockholms egen", terms_text="x")
        other_own = CaseType.create(kind=KIND_OWN, name="Skånes egen", terms_text="y")
        self.own_type = own.id
        UnitCaseType.create(unit=self.unit, case_type=own)
        UnitCaseType.create(unit=self.other_unit, case_type=other_own)
        for i, unit in enumerate((self.unit, self.other_unit)):
            Case.create(
                id=100 + i,
                unit=unit,
                case_type=own if i == 0 else other_own,
                received_at=now - 3600,
            )
            Login.create(
                at=now - 60,
                kind="citizen",
                method="BankID",
                success=True,
                region="01" if i == 0 else "12",
            )
            LoginDaily.create(
                day="2026-11-30",
                region="01" if i == 0 else "12",
                kind="citizen",
                method="BankID",
                succeeded=5,
            )
            CitizenAccount.create(
                account_id=f"inv-{i}",
                personnummer=make_pnr("19990101", f"{i + 1:03d}"),
                region="01" if i == 0 else "12",
                created_at=now,
            )
        cecilia = StaffAccount.get(StaffAccount.person == self.world.cecilia)
        cecilia.signature = "Hemlig signatur"
        cecilia.save()
        self.cecilia = cecilia.id
        anna = resolve_operator(ANNA)
        from models.units import rename_unit

        rename_unit(anna, self.world.active_hsa, "Ängen Norra")  # an audit event of 01
        self.audit_01 = AuditEvent.select().where(AuditEvent.region == "01").count()
        assert self.audit_01 >= 1


@pytest.fixture
def wall(backend) -> Wall:
    return Wall()


# (table, SQL condition picking region 01's rows) — what region 12's administrator must
# neither see nor change.
REGION_01_ROWS = {
    "unit": "region_id = '01'",
    "unit_case_type": "unit_id IN (SELECT id FROM unit WHERE region_id = '01')",
    "case": "unit_id IN (SELECT id FROM unit WHERE region_id = '01')",
    "case_type": "kind = 'own' AND name = 'Stockholms egen'",
    "grant": "(unit_id IN (SELECT id FROM unit WHERE region_id = '01')) OR region_id = '01'",
    "staff_account": "region_id = '01'",
    "citizen_account": "region_id = '01'",
    "login": "region_id = '01'",
    "login_daily": "region_id = '01'",
    "audit_event": "region_id = '01'",
}

# A change to try on each table's region-01 rows: column = value.
CHANGES = {
    "unit": "name = 'Kapad'",
    "unit_case_type": "active = false",
    "case": "closed_at = 1",
    "case_type": "terms_text = 'kapad'",
    "grant": "role = 'LANDSTINGSADMIN'",
    "staff_account": "signature = 'kapad'",
    "citizen_account": "personnummer = ''",
    "login": "success = false",
    "login_daily": "succeeded = 0",
    "audit_event": "outcome = 'kapad'",
}


def _snapshot(table: str) -> list:
    with _superuser() as conn:
        return conn.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()


def _try(conn: psycopg.Connection, sql: str) -> int | str:
    """Rows changed, or the SQLSTATE of the refusal."""
    try:
        return conn.execute(sql).rowcount
    except psycopg.Error as error:
        return error.sqlstate or "error"


def _region_01_visible(role: str, table: str) -> int:
    with _connect(role) as conn:
        try:
            return conn.execute(
                f'SELECT count(*) FROM "{table}" WHERE {REGION_01_ROWS[table]}'
            ).fetchone()[0]
        except psycopg.errors.InsufficientPrivilege:
            return 0


@pytest.mark.parametrize("table", sorted(REGION_01_ROWS))
def test_other_region_can_neither_read_nor_change_a_table(wall, table):
    with _superuser() as conn:
        total = conn.execute(
            f'SELECT count(*) FROM "{table}" WHERE {REGION_01_ROWS[table]}'
        ).fetchone()[0]
    assert total > 0, "the test world must have region 01 rows here"
    assert _region_01_visible(ORJAN, table) == 0
    if table != "citizen_account":  # no administrator reads invånarkonton, only counts
        assert _region_01_visible(ANNA, table) > 0
    before = {t: _snapshot(t) for t in REGION_01_ROWS}
    with _connect(ORJAN) as conn:
        where = REGION_01_ROWS[table]
        assert _try(conn, f'UPDATE "{table}" SET {CHANGES[table]} WHERE {where}') in (0, "42501")
        assert _try(conn, f'DELETE FROM "{table}" WHERE {where}') in (0, "42501")
        assert _try(conn, f'TRUNCATE "{table}" CASCADE') == "42501"
    assert {t: _snapshot(t) for t in REGION_01_ROWS} == before


INSERTS_INTO_01 = {
    "unit": "INSERT INTO unit (hsa_id, name, care_type, region_id, active, first_activated_at,"
    " other_service, prioritized, street, postal_code, city, phone, email, info,"
    " search_text, sort_name) VALUES ('SE2321000016-1001', 'Kapad', '', '01', true, 0,"
    " false, false, '', '', '', '', '', '', '', '')",
    "unit_case_type": "INSERT INTO unit_case_type (unit_id, case_type_id, active, terms_text)"
    " VALUES ({unit}, 2, true, '')",
    "grant": 'INSERT INTO "grant" (account_id, unit_id, role, granted_at) SELECT s.id, '
    "{unit}, 'ADMIN', 0 FROM staff_account s WHERE s.login_name = session_user",
    "audit_event": "INSERT INTO audit_event (at, actor_name, region_id, action, target,"
    " outcome, db_role, os_user) VALUES (0, 'x', '01', 'unit.rename', '', 'ok',"
    " session_user, '')",
    "staff_account": "INSERT INTO staff_account (account_id, person_id, login_method,"
    " region_id, created_at, preferred_name, signature, email_notice,"
    " notice_email, sms_notice, notice_mobile, journal_notice, case_sorting)"
    " VALUES ('va-x', {bertil}, '', '01', 0, '', '', false, '', false, '',"
    " false, false)",
}


@pytest.mark.parametrize("table", sorted(INSERTS_INTO_01))
def test_other_region_cannot_insert_into_the_first(wall, table):
    sql = INSERTS_INTO_01[table].format(unit=wall.unit.id, bertil=wall.world.bertil.id)
    before = _snapshot(table)
    with _connect(ORJAN) as conn:
        assert _try(conn, sql) == "42501"
    assert _snapshot(table) == before


@pytest.mark.parametrize("role", [ANNA, ORJAN, OWNER], ids=["anna", "orjan", "owner"])
def test_the_audit_log_is_append_only_for_every_role(wall, role):
    before = _snapshot("audit_event")
    with _connect(role) as conn:
        assert _try(conn, "UPDATE audit_event SET outcome = 'x'") in ("42501",)
        assert _try(conn, "DELETE FROM audit_event") in ("42501",)
        assert _try(conn, "TRUNCATE audit_event") == "42501"
        assert _try(conn, "DROP TRIGGER ra_audit_no_change ON audit_event") == "42501"
        assert _try(conn, "ALTER TABLE audit_event DISABLE TRIGGER ALL") == "42501"
    assert _snapshot("audit_event") == before


@pytest.mark.parametrize(
    "sql",
    [
        # the role no administrator may give, also in the own region
        "INSERT INTO \"grant\" (account_id, region_id, role, granted_at) SELECT id, '01', "
        "'LANDSTINGSADMIN', 0 FROM staff_account WHERE login_name = session_user",
        "UPDATE region SET name = 'Kapad'",
        "UPDATE case_type SET terms_text = 'kapad' WHERE kind = 'standard'",
        "INSERT INTO case_type (kind, name, description, questions, terms_text, position) "
        "VALUES ('standard', 'Ny', '', '[]', '', 99)",
        "UPDATE hsa_unit SET name = 'Kapad'",
        "DELETE FROM hsa_person",
        # an own account may change its settings, not who it is or what it may do
        "UPDATE staff_account SET login_name = 'ny' WHERE login_name = session_user",
        "UPDATE staff_account SET region_id = '12' WHERE login_name = session_user",
        "SELECT ra_create_login('rt_kapad')",
        "SELECT * FROM citizen_account",
        "UPDATE site_option SET value = 'x'",
    ],
)
def test_an_administrator_cannot_do_what_only_the_system_owner_may(wall, sql):
    tables = (
        "grant",
        "region",
        "case_type",
        "hsa_unit",
        "hsa_person",
        "staff_account",
        "site_option",
    )
    before = {t: _snapshot(t) for t in tables}
    with _connect(ANNA) as conn:
        result = _try(conn, sql)
    assert result == "42501" or result == 0, result
    assert {t: _snapshot(t) for t in tables} == before
    with _superuser() as conn:
        assert not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'rt_kapad'").fetchone()


def test_own_settings_may_be_changed_in_plain_sql(wall):
    with _connect(ANNA) as conn:
        assert (
            _try(conn, "UPDATE staff_account SET signature = 'Ny' WHERE login_name = session_user")
            == 1
        )
        # Cecilia's settings (same region) stay hers.
        assert _try(
            conn, f"UPDATE staff_account SET signature = 'x' WHERE id = {wall.cecilia}"
        ) in (0, "42501")
    assert StaffAccount.get_by_id(wall.cecilia).signature == "Hemlig signatur"


def test_operator_link_by_an_administrator_is_refused_by_postgresql(wall):
    dbmod.open_database(pg_url_as(ANNA))
    grants = Grant.select().count()
    with pytest.raises(PermissionDenied, match="PostgreSQL nekade"):
        link_operator(f"{TEST_ROLE_PREFIX}mallory", PNR_ORJAN, "12", system_owner="anna")
    assert Grant.select().count() == grants
    with _superuser() as conn:
        assert not conn.execute(
            "SELECT 1 FROM pg_roles WHERE rolname = %s", (f"{TEST_ROLE_PREFIX}mallory",)
        ).fetchone()


def test_operator_link_and_unlink_through_the_cli_as_the_system_owner(wall, capsys):
    login = f"{TEST_ROLE_PREFIX}bertil"
    bertil_url = pg_url_as(login)
    code = main(
        [
            "--db",
            pg_url_as(OWNER),
            "operator",
            "link",
            login,
            wall.world.bertil.personnummer,
            "--region",
            "01",
        ]
    )
    assert code == 0, capsys.readouterr().err
    _, admin_group = _groups()
    with _superuser() as conn:
        assert conn.execute(
            "SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (login,)
        ).fetchone()[0]
        assert conn.execute(
            "SELECT pg_has_role(%s, %s, 'MEMBER')", (login, admin_group)
        ).fetchone()[0]
    capsys.readouterr()
    assert main(["--db", bertil_url, "admins"]) == 0
    assert "Bertil Berg" in capsys.readouterr().out
    # Run by an administrator, PostgreSQL refuses and the program says so in Swedish.
    code = main(["--db", pg_url_as(ANNA), "operator", "unlink", login])
    assert code == 3
    assert "PostgreSQL nekade" in capsys.readouterr().err
    assert main(["--db", pg_url_as(OWNER), "operator", "unlink", login]) == 0
    capsys.readouterr()
    assert main(["--db", bertil_url, "admins"]) != 0
    _as_superuser_again()
    event = AuditEvent.select().where(AuditEvent.action == "operator.unlink").get()
    assert event.db_role == OWNER
    assert json.loads(event.before)["login_name"] == login


def test_regionadmin_user_is_refused_on_postgresql_and_nothing_is_written(
    wall, capsys, monkeypatch
):
    monkeypatch.setenv("REGIONADMIN_USER", ANNA)
    events = AuditEvent.select().count()
    code = main(["--db", pg_url_as(ORJAN), "unit", "rename", wall.world.active_hsa, "Kapad"])
    assert code == 3
    err = capsys.readouterr().err
    assert "REGIONADMIN_USER" in err and len(err.strip().splitlines()) == 1
    _as_superuser_again()
    assert Unit.get_by_id(wall.unit.id).name == "Ängen Norra"
    assert AuditEvent.select().count() == events


def test_the_cli_acts_as_the_database_role_and_audits_it(wall, capsys, monkeypatch):
    monkeypatch.delenv("REGIONADMIN_USER", raising=False)
    assert (
        main(["--db", pg_url_as(ANNA), "unit", "rename", wall.world.active_hsa, "Ängen Södra"]) == 0
    )
    _as_superuser_again()
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    assert (event.action, event.db_role, event.actor_name) == (
        "unit.rename",
        ANNA,
        "Anna Maria Andersson",
    )
    # The other region's unit: refused, unchanged.
    assert (
        main(["--db", pg_url_as(ANNA), "unit", "rename", wall.world.other_active_hsa, "Kapad"]) != 0
    )
    _as_superuser_again()
    assert Unit.get_by_id(wall.other_unit.id).name == "Vårdcentralen Malmö"


def test_every_service_works_for_an_administrator_connected_as_their_role(wall, tmp_path):
    """The policies refuse the other region, not the own: every flow, as anna's role."""
    from models import grants, settings, units
    from models.auditlog import list_events
    from models.catalog import list_case_types
    from models.operators import accept_terms

    dbmod.open_database(pg_url_as(ANNA))
    op = resolve_operator()
    assert op.login_name == ANNA and op.region_code == "01"
    op = accept_terms(op)
    units.activate_unit(op, wall.world.free_hsa, "Källan")
    info = grants.grant_roles(
        op, wall.world.free_hsa, wall.world.bertil.personnummer, (ADMIN, "GRANSKARE")
    )
    assert set(info.roles_on_unit) == {ADMIN, "GRANSKARE"}
    grants.revoke_role(op, wall.world.free_hsa, wall.world.bertil.personnummer, "GRANSKARE")
    assert [a.personnummer.replace("-", "") for a in grants.list_region_admins(op)] == [PNR_ANNA]
    details = units.unit_details(op, wall.world.free_hsa)
    assert [g.name for g in details.grants] == ["Bertil Berg"]
    view = settings.get_settings(op)
    settings.save_settings(
        op, view.settings.__class__(**{**view.settings.__dict__, "signature": "Anna"})
    )
    assert units.search_units(op, "").total == 2
    assert list_case_types(op)
    assert list_events(op).total >= 4
    units.deactivate_unit(op, wall.world.free_hsa, confirm=True)
    assert not Unit.get(Unit.hsa_id == wall.world.free_hsa).active
    # A person of another region's directory, whose account region 12 made, gets a role
    # on a unit of 01: the account is found by id (its settings stay hidden).
    _as_superuser_again()
    doris = person(make_pnr("19770707", "222"), "Doris", "Dahl", region="12")
    StaffAccount.create(
        account_id="va-doris",
        person=doris,
        region="12",
        created_at=now_epoch(),
        signature="Doris hemliga",
    )
    dbmod.open_database(pg_url_as(ANNA))
    assert grants.find_person(op, doris.personnummer).has_account
    grants.grant_roles(op, wall.world.active_hsa, doris.personnummer)
    assert "Doris Dahl" in [g.name for g in units.unit_details(op, wall.world.active_hsa).grants]


def test_reports_as_the_role_equal_the_reports_as_the_superuser(wall):
    from reports.base import ReportParams
    from reports.registry import REPORTS

    op = resolve_operator(ANNA)
    from datetime import date

    period = {"date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)}

    def results() -> dict:
        out = {}
        for slug, report in REPORTS.items():
            wanted = {k: v for k, v in period.items() if "period" in report.PARAMETERS}
            result = report.run(op, ReportParams(**wanted))
            out[slug] = (result.rows, result.totals)
        return out

    as_superuser = results()
    dbmod.open_database(pg_url_as(ANNA))
    as_role = results()
    assert as_role == as_superuser
    # Användarkonton is nationwide: region 12's counts are there for anna too.
    rows = dict((r[0], r[1:]) for r in as_role["anvandarkonton"][0])
    assert rows["Region Skåne"] == (1, 1)
    assert rows["Region Stockholm"][0] == 1


def test_init_runs_again_and_upgrades_a_version_1_store(wall):
    """A store made before the wall (schema 1) upgrades with init and keeps every row."""
    from models.schema import CURRENT_VERSION, SchemaVersion, init_schema

    counts = {t: len(_snapshot(t)) for t in REGION_01_ROWS}
    with _superuser() as conn:
        conn.execute(
            "ALTER TABLE audit_event DROP COLUMN db_role CASCADE, DROP COLUMN os_user CASCADE"
        )
        conn.execute('ALTER TABLE "case" DROP COLUMN region_id CASCADE')
        conn.execute("ALTER TABLE unit DROP COLUMN hsa_name")
        conn.execute("ALTER TABLE hsa_unit DROP COLUMN missing_since")
        conn.execute("DROP TABLE site_option")
        for table in RLS_TABLES:  # schema 1 had no row security
            conn.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
        conn.execute("DELETE FROM schema_version")
        conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (1, 0)")
    assert init_schema() == (1, CURRENT_VERSION)
    assert init_schema() == (CURRENT_VERSION, CURRENT_VERSION)
    assert {t: len(_snapshot(t)) for t in REGION_01_ROWS} == counts
    assert SiteOption.get_by_id("pg_security").value == pgsecurity.REVISION
    assert SchemaVersion.select().count() == CURRENT_VERSION
    with _superuser() as conn:  # the cases got their region back from their units
        assert conn.execute('SELECT count(*) FROM "case" WHERE region_id IS NULL').fetchone() == (
            0,
        )
    assert _region_01_visible(ORJAN, "unit") == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "cases", "--output", "-"],
        ["import", "hsa-units", "-"],
        ["demo", "--if-empty"],
    ],
)
def test_system_owner_tasks_are_refused_to_an_administrator_up_front(wall, capsys, argv):
    assert main(["--db", pg_url_as(ANNA), *argv]) == 3
    out, err = capsys.readouterr()
    assert out == "" and "systemägarens uppgift" in err
    assert main(["--db", pg_url_as(OWNER), "export", "cases", "--output", "-"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3  # header + both regions' cases


def test_a_unit_that_moves_region_takes_its_cases_along(wall):
    """HSA moves a closed unit to region 12; its re-activation there moves the cases'
    row-security key too, so reports and policies agree with the unit's region."""
    from models.entities import HsaUnit
    from models.errors import Conflict
    from models.units import activate_unit, deactivate_unit, lookup_for_activation

    HsaUnit.update(region="12").where(HsaUnit.hsa_id == wall.world.active_hsa).execute()
    dbmod.open_database(pg_url_as(ORJAN))
    with pytest.raises(Conflict, match="redan aktiv"):  # still active in 01
        activate_unit(resolve_operator(), wall.world.active_hsa)
    _as_superuser_again()
    deactivate_unit(resolve_operator(ANNA), wall.world.active_hsa, confirm=True)
    dbmod.open_database(pg_url_as(ORJAN))
    shown = lookup_for_activation(resolve_operator(), wall.world.active_hsa)
    assert shown.reactivation and shown.current_name == "Ängen Norra"
    activate_unit(resolve_operator(), wall.world.active_hsa)
    _as_superuser_again()
    with _superuser() as conn:
        assert conn.execute(
            'SELECT region_id FROM "case" WHERE unit_id = %s', (wall.unit.id,)
        ).fetchall() == [("12",)]
    with _connect(ORJAN) as conn:
        assert conn.execute(
            'SELECT count(*) FROM "case" WHERE unit_id = %s', (wall.unit.id,)
        ).fetchone() == (1,)
    with _connect(ANNA) as conn:
        assert conn.execute(
            'SELECT count(*) FROM "case" WHERE unit_id = %s', (wall.unit.id,)
        ).fetchone() == (0,)


# --- holes a second read found (an attacker with psql), each closed ----------------------


@pytest.mark.parametrize(
    "sql",
    [
        # another account's personal settings, in the own region or any other
        "SELECT signature, notice_email, notice_mobile FROM staff_account "
        "WHERE login_name IS DISTINCT FROM session_user",
        # another region's own case types, linked to an own unit to make them visible
        "INSERT INTO unit_case_type (unit_id, case_type_id, active, terms_text) "
        "SELECT {unit}, id, false, '' FROM case_type WHERE kind <> 'standard'",
        # squatting ids the sequences will hand out (blocks everyone's next write)
        "INSERT INTO audit_event (id, at, actor_id, actor_name, region_id, action, target, "
        "outcome, db_role, os_user) VALUES (999999, extract(epoch FROM now())::bigint, "
        "ra_account(), 'x', '12', 'x', '', 'ok', session_user, '')",
        "SELECT last_value FROM grant_id_seq",
        # an account for somebody, with notice addresses of the attacker's choosing
        "INSERT INTO staff_account (account_id, person_id, login_method, region_id, created_at, "
        "preferred_name, signature, email_notice, notice_email, sms_notice, notice_mobile, "
        "journal_notice, case_sorting) VALUES ('va-squat', {bertil}, '', '12', 0, '', 'M', true, "
        "'mallory@example.org', false, '', false, false)",
        # a grant that names another administrator as the one who gave it
        'INSERT INTO "grant" (account_id, unit_id, role, granted_by_id, granted_at) '
        "VALUES (ra_account(), {other_unit}, 'ADMIN', {cecilia}, 0)",
        # locking a shared table for everyone
        "LOCK TABLE unit IN ACCESS EXCLUSIVE MODE",
    ],
)
def test_what_a_second_read_found_is_refused(wall, sql):
    sql = sql.format(
        unit=wall.other_unit.id,
        other_unit=wall.other_unit.id,
        bertil=wall.world.bertil.id,
        cecilia=wall.cecilia,
    )
    tables = ("grant", "unit_case_type", "audit_event", "staff_account")
    before = {t: _snapshot(t) for t in tables}
    with _connect(ORJAN) as conn:
        with conn.transaction(force_rollback=True):
            result = _try(conn, sql)
    assert result == "42501", result
    assert {t: _snapshot(t) for t in tables} == before


def test_accounts_made_visible_by_a_grant_still_hide_their_settings(wall):
    """A role given on an own unit shows the account (its name and personnummer, for the
    unit's list), never its personal settings."""
    with _connect(ORJAN) as conn:
        with conn.transaction(force_rollback=True):
            conn.execute(
                'INSERT INTO "grant" (account_id, unit_id, role, granted_by_id, granted_at) '
                "SELECT ra_account_of(p.id), %s, 'GRANSKARE', ra_account(), "
                "extract(epoch FROM now())::bigint FROM hsa_person p "
                "WHERE ra_account_of(p.id) IS NOT NULL",
                (wall.other_unit.id,),
            )
            seen = conn.execute("SELECT count(*) FROM staff_account").fetchone()[0]
            assert seen >= 3
            assert _try(conn, "SELECT signature FROM staff_account") == "42501"


@pytest.mark.parametrize(
    "sql",
    [
        "GRANT pg_execute_server_program TO {owner}",
        "ALTER ROLE {anna} PASSWORD 'x'",
        "CREATE FUNCTION trojan() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        "CREATE TRIGGER zz BEFORE INSERT ON site_option FOR EACH ROW "
        "EXECUTE FUNCTION ra_audit_append_only()",
        "ALTER TABLE unit DISABLE ROW LEVEL SECURITY",
        "INSERT INTO audit_event (at, actor_name, region_id, action, target, outcome, db_role, "
        "os_user) VALUES (0, 'x', '01', 'x', '', 'ok', 'someone_else', '')",
    ],
)
def test_a_system_owner_cannot_become_more(wall, sql):
    with _connect(OWNER) as conn:
        assert _try(conn, sql.format(owner=f'"{OWNER}"', anna=f'"{ANNA}"')) == "42501"


def test_the_system_owner_still_imports_exports_and_analyzes(wall, tmp_path, capsys):
    path = tmp_path / "enheter.csv"
    path.write_text(
        "hsa_id,name,care_type,region_code,street,postal_code,city,phone,info\n"
        "SE2321000016-7001,BVC Tallen,Barnavårdscentral,01,,,Nacka,,\n",
        encoding="utf-8",
    )
    assert main(["--db", pg_url_as(OWNER), "import", "hsa-units", str(path)]) == 0
    assert main(["--db", pg_url_as(OWNER), "export", "cases", "--output", "-"]) == 0
    assert "Inläst: 1 rader" in capsys.readouterr().out


def test_init_refuses_a_schema_with_objects_it_did_not_make(wall):
    from models.schema import init_schema

    with _superuser() as conn:
        conn.execute(
            "CREATE FUNCTION trojan() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RETURN NEW; END $$"
        )
        conn.execute(
            "CREATE TRIGGER zz BEFORE INSERT ON site_option FOR EACH ROW EXECUTE FUNCTION trojan()"
        )
        conn.execute("UPDATE site_option SET value = 'old' WHERE name = 'pg_security'")
    try:
        with pytest.raises(PermissionDenied, match="objekt som regionadmin inte har skapat"):
            init_schema()
    finally:
        with _superuser() as conn:
            conn.execute("DROP TRIGGER zz ON site_option")
            conn.execute("DROP FUNCTION trojan()")
    init_schema()
    assert SiteOption.get_by_id("pg_security").value == pgsecurity.REVISION


# What an older version's owner (who owned the tables) or anyone with CREATE on the schema
# could have left: each runs code as whoever runs init next or as the keeper (an index
# rebuilt by ra_bulk_finish_case, a default filled by a definer function's insert).
PLANTED = {
    "a trigger named like init's": (
        [
            "CREATE FUNCTION ra_planted() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RETURN NEW; END $$",
            "CREATE TRIGGER ra_planted BEFORE INSERT ON site_option "
            "FOR EACH ROW EXECUTE FUNCTION ra_planted()",
        ],
        ["DROP TRIGGER ra_planted ON site_option", "DROP FUNCTION ra_planted()"],
    ),
    "an expression index": (
        ['CREATE INDEX planted_idx ON "case" (abs(id))'],
        ["DROP INDEX planted_idx"],
    ),
    "a partial index": (
        ['CREATE INDEX planted_idx ON "case" (id) WHERE id > 0'],
        ["DROP INDEX planted_idx"],
    ),
    "a default that calls a function": (
        ["ALTER TABLE unit ALTER COLUMN hsa_name SET DEFAULT current_user"],
        ["ALTER TABLE unit ALTER COLUMN hsa_name SET DEFAULT ''"],
    ),
    "a check constraint": (
        ["ALTER TABLE unit ADD CONSTRAINT planted CHECK (id > 0)"],
        ["ALTER TABLE unit DROP CONSTRAINT planted"],
    ),
}


@pytest.mark.parametrize("planted", list(PLANTED))
def test_init_refuses_what_it_did_not_make_even_under_its_own_names(wall, planted):
    from models.schema import init_schema

    plant, remove = PLANTED[planted]
    with _superuser() as conn:
        for statement in plant:
            conn.execute(statement)
        conn.execute("UPDATE site_option SET value = 'old' WHERE name = 'pg_security'")
    try:
        with pytest.raises(PermissionDenied, match="objekt som regionadmin inte har skapat"):
            init_schema()
    finally:
        with _superuser() as conn:
            for statement in remove:
                conn.execute(statement)
    init_schema()
    assert SiteOption.get_by_id("pg_security").value == pgsecurity.REVISION


def test_init_takes_its_functions_back_from_another_owner(wall):
    from models.schema import init_schema

    owner_group, admin_group = _groups()
    with _superuser() as conn:
        for function in ("ra_region()", "ra_audit_append_only()"):
            conn.execute(f'ALTER FUNCTION {function} OWNER TO "{admin_group}"')
        conn.execute("UPDATE site_option SET value = 'old' WHERE name = 'pg_security'")
    init_schema()
    with _superuser() as conn:
        owners = dict(
            conn.execute(
                "SELECT proname, pg_get_userbyid(proowner) FROM pg_proc "
                "WHERE proname IN ('ra_region', 'ra_audit_append_only') "
                "AND pronamespace = current_schema()::regnamespace"
            ).fetchall()
        )
    assert owners == {
        "ra_region": pgsecurity.keeper_name(owner_group),
        "ra_audit_append_only": "postgres",
    }


def test_init_drops_a_policy_it_did_not_make(wall):
    from models.schema import init_schema

    with _superuser() as conn:
        conn.execute('CREATE POLICY planted_read ON "case" FOR SELECT TO PUBLIC USING (true)')
        conn.execute("UPDATE site_option SET value = 'old' WHERE name = 'pg_security'")
    init_schema()
    with _superuser() as conn:
        policies = {name for (name,) in conn.execute("SELECT policyname FROM pg_policies")}
    assert "planted_read" not in policies and "ra_owner_all" in policies
    with _connect(ANNA) as conn:  # region 01 reads no other region's case
        assert {r for (r,) in conn.execute('SELECT DISTINCT region_id FROM "case"')} <= {"01"}


# ---------------------------------------------------------------------- bulk loads


def _bulk_shapes() -> dict[str, tuple[list, list]]:
    with _superuser() as conn:
        return {t: table_shape(conn.execute, t) for t in pgsecurity.BULK_TABLES}


def _emptied() -> None:
    """The bulk tables emptied (the wall filled them), as for a first load."""
    with _superuser() as conn:
        conn.execute('DELETE FROM "case"')
        conn.execute("DELETE FROM login")


def _in_transaction(role: str, *statements: str) -> tuple[int | str, str] | None:
    """Run `statements` in one transaction as `role` and commit: None, or (the number of
    the statement refused, counted from 1, or "commit", its SQLSTATE)."""
    steps = [*enumerate(statements, 1), ("commit", "")]
    with psycopg.connect(PG_URL, user=role, options=f"-csearch_path={pg_schema()}") as conn:
        for step, statement in steps:
            try:
                conn.execute(statement) if statement else conn.commit()
            except psycopg.Error as error:
                conn.rollback()
                return step, error.sqlstate or "error"
    return None


@pytest.mark.parametrize("role", [ANNA, ORJAN], ids=["anna", "orjan"])
def test_an_administrator_cannot_take_a_table_for_a_bulk_load(wall, role):
    _emptied()
    shapes = _bulk_shapes()
    for function in pgsecurity.BULK_FUNCTIONS:
        with _connect(role) as conn:
            assert _try(conn, f"SELECT {function}") == "42501", function
    with _connect(role) as conn:
        assert _try(conn, f"SELECT * FROM {pgsecurity.BULK_STORE}") == "42501"
        assert (
            _try(conn, f"INSERT INTO {pgsecurity.BULK_STORE} VALUES ('case', 'x', '', '')")
            == "42501"
        )
    assert _bulk_shapes() == shapes


def test_the_bulk_functions_are_fixed_definer_functions_for_the_owner_group_only(wall):
    owner_group, admin_group = _groups()
    with _superuser() as conn:
        for function in (*pgsecurity.BULK_FUNCTIONS, "ra_bulk_unfinished()"):
            definer, config, owner = conn.execute(
                "SELECT prosecdef, proconfig, pg_get_userbyid(proowner) FROM pg_proc "
                "WHERE oid = %s::regprocedure",
                (function,),
            ).fetchone()
            assert definer and owner == pgsecurity.keeper_name(owner_group), function
            assert f"search_path={pg_schema()}, pg_temp" in config, function
            assert conn.execute(
                "SELECT has_function_privilege('public', %s, 'EXECUTE'), "
                "has_function_privilege(%s, %s, 'EXECUTE')",
                (function, admin_group, function),
            ).fetchone() == (False, False)
        # No argument at all: nothing of the caller's reaches the dynamic SQL.
        assert conn.execute(
            "SELECT count(*) FROM pg_proc WHERE proname LIKE 'ra\\_bulk\\_%%' AND pronargs > 0"
        ).fetchone() == (0,)
        assert pgsecurity._foreign_objects(pg_schema()) == []


def test_a_bulk_load_needs_an_empty_table(wall):
    shapes = _bulk_shapes()
    for table in pgsecurity.BULK_TABLES:
        assert _in_transaction(OWNER, f"SELECT ra_bulk_begin_{table}()") == (1, "55000")
    # A temporary table of the same name does not stand in for the real one.
    assert _in_transaction(
        OWNER,
        'CREATE TEMPORARY TABLE "case" (id bigint)',
        "SET search_path = pg_temp",
        f"SELECT {pg_schema()}.ra_bulk_begin_case()",
    ) == (3, "55000")
    assert _bulk_shapes() == shapes


def test_a_bulk_load_that_is_not_finished_cannot_commit(wall):
    _emptied()
    shapes = _bulk_shapes()
    for table in pgsecurity.BULK_TABLES:
        assert _in_transaction(OWNER, f"SELECT ra_bulk_begin_{table}()") == ("commit", "55000")
        # Nor begun twice, nor finished without a beginning.
        assert _in_transaction(
            OWNER, f"SELECT ra_bulk_begin_{table}()", f"SELECT ra_bulk_begin_{table}()"
        ) == (2, "55000")
        assert _in_transaction(OWNER, f"SELECT ra_bulk_finish_{table}()") == (1, "55000")
    assert _bulk_shapes() == shapes
    with _superuser() as conn:
        assert conn.execute(f"SELECT count(*) FROM {pgsecurity.BULK_STORE}").fetchone() == (0,)


def test_a_bulk_load_runs_at_read_committed_only(wall):
    # A REPEATABLE READ snapshot taken before the lock would not see rows another session
    # committed meanwhile: "empty" must be checked on the newest rows.
    _emptied()
    shapes = _bulk_shapes()
    for table in pgsecurity.BULK_TABLES:
        assert _in_transaction(
            OWNER,
            "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
            f"SELECT ra_bulk_begin_{table}()",
        ) == (2, "55000")
    assert _bulk_shapes() == shapes


def test_a_finished_bulk_load_puts_back_the_schemas_own_constraints(wall):
    _emptied()
    shapes = _bulk_shapes()
    with _superuser() as conn:
        (staff,) = conn.execute("SELECT min(id) FROM staff_account").fetchone()
    good = (
        f'INSERT INTO "case" (id, unit_id, case_type_id, received_at, assignee_id, region_id) '
        f"VALUES (1, {wall.unit.id}, {wall.own_type}, 0, {staff}, '01')"
    )
    assert (
        _in_transaction(
            OWNER,
            "SELECT ra_bulk_begin_case()",
            good,
            "SELECT ra_bulk_finish_case()",
            "SELECT ra_bulk_begin_login()",
            "INSERT INTO login (at, kind, method, success, region_id) "
            "VALUES (0, 'citizen', 'BankID', true, '01')",
            "SELECT ra_bulk_finish_login()",
        )
        is None
    )
    assert _bulk_shapes() == shapes
    assert Case.select().count() == 1 and Login.select().count() == 1


@pytest.mark.parametrize(
    "bad",
    [
        'INSERT INTO "case" (id, unit_id, case_type_id, received_at, region_id) '
        "VALUES (1, 999999999, {type}, 0, '01')",
        'INSERT INTO "case" (id, unit_id, case_type_id, received_at, region_id) '
        "VALUES (1, {unit}, 999999999, 0, '01')",
        'INSERT INTO "case" (id, unit_id, case_type_id, received_at, assignee_id, region_id) '
        "VALUES (1, {unit}, {type}, 0, 999999999, '01')",
    ],
    ids=["unit", "case type", "assignee"],
)
def test_the_foreign_keys_put_back_refuse_a_bad_reference(wall, bad):
    _emptied()
    shapes = _bulk_shapes()
    statement = bad.format(unit=wall.unit.id, type=wall.own_type)
    refused = _in_transaction(
        OWNER, "SELECT ra_bulk_begin_case()", statement, "SELECT ra_bulk_finish_case()"
    )
    assert refused == (3, "23503")  # foreign_key_violation, when the key is added back
    login = _in_transaction(
        OWNER,
        "SELECT ra_bulk_begin_login()",
        "INSERT INTO login (at, kind, method, success, region_id) "
        "VALUES (0, 'citizen', 'BankID', true, '99')",
        "SELECT ra_bulk_finish_login()",
    )
    assert login == (3, "23503")
    assert _bulk_shapes() == shapes and Case.select().count() == 0


def test_init_makes_the_bulk_record_anew(wall):
    """ra_bulk_finish_<table> executes what the keeper's record holds: a table of that
    name that someone else left (with a planted statement) is replaced, never taken over."""
    from models.schema import init_schema

    owner_group, _ = _groups()
    store = pgsecurity.BULK_STORE
    with _superuser() as conn:
        conn.execute(f"DROP TABLE {store}")
        conn.execute(f"CREATE TABLE {store} (tbl text, kind text, name text, definition text)")
        conn.execute(
            f"INSERT INTO {store} VALUES ('case', 'begun', '', ''), "
            "('case', 'index', 'x', 'CREATE ROLE rt_planted SUPERUSER')"
        )
        conn.execute("UPDATE site_option SET value = 'old' WHERE name = 'pg_security'")
    init_schema()
    with _superuser() as conn:
        assert conn.execute(f"SELECT count(*) FROM {store}").fetchone() == (0,)
        assert conn.execute(
            "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = %s::regclass", (store,)
        ).fetchone() == (pgsecurity.keeper_name(owner_group),)
    assert _in_transaction(OWNER, "SELECT ra_bulk_finish_case()") == (1, "55000")
    with _superuser() as conn:
        assert not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'rt_planted'").fetchone()
