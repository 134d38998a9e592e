"""PostgreSQL as the wall: group roles, privileges, row-level security, append-only audit.

The program's own checks (models/operators.authorize and the services) stay; this module
makes PostgreSQL refuse the same things to anyone who connects with an administrator's
role, whatever client they use (psql included).

Design (README, "Drift på en hoppserver"):
- Two group roles, made by `regionadmin init`: the system-owner group owns every table but
  the audit log (so its members bypass row-level security: imports, exports, demo, `operator
  link`), and the administrator group, whose members (one login role per
  landstingsadministratör, made by `operator link`) see and change only their own region.
- `ra_region()` (SECURITY DEFINER, owned by the owner group) maps `session_user` to the
  region of its LANDSTINGSADMIN grant; every policy compares with it, wrapped as
  `(SELECT ra_region())` so it runs once per statement, not once per row.
- The audit log is owned by whoever ran the first `init` (the DBA, a superuser): nobody else
  owns it, so no one but a superuser can drop the trigger that refuses UPDATE, DELETE and
  TRUNCATE.
- Roles are made and dropped only through SECURITY DEFINER functions that the owner group
  may execute; an administrator calling them gets PostgreSQL's "permission denied".

Every statement is idempotent: `init` may run any number of times.
"""

from __future__ import annotations

import os
import re

import peewee

from .db import database

# Bumped whenever the SQL below changes: init re-applies it when the stored value differs.
REVISION = "5"
DEFAULT_PREFIX = "regionadmin"
PREFIX_ENV = "REGIONADMIN_PG_GROUP_PREFIX"

_ROLE_RE = re.compile(r"^[a-z0-9_][a-z0-9._-]{0,62}$")

# Tables an administrator may read whole: the national directory and reference data.
READ_ALL = ("region", "hsa_unit", "hsa_person", "schema_version", "site_option")

# Columns of an own staff account that an administrator may change (Personliga
# inställningar and the accepted terms), nothing else.
OWN_ACCOUNT_COLUMNS = ("preferred_name", "signature", "email_notice", "notice_email",
                       "sms_notice", "notice_mobile", "journal_notice", "case_sorting",
                       "terms_accepted_at")

MY_UNITS = "(SELECT u.id FROM unit u WHERE u.region_id = (SELECT ra_region()))"
GRANTABLE = "('ADMIN', 'GRANSKARE')"


def group_names(prefix: str | None = None) -> tuple[str, str]:
    """(owner group, administrator group) for a prefix: `regionadmin_owner`, `..._admin`."""
    prefix = (prefix or os.environ.get(PREFIX_ENV) or DEFAULT_PREFIX).strip().lower()
    if not _ROLE_RE.match(prefix) or len(prefix) > 50:
        raise ValueError(f"Ogiltigt prefix för databasroller: {prefix!r}")
    return f"{prefix}_owner", f"{prefix}_admin"


def valid_role_name(name: str) -> bool:
    return bool(_ROLE_RE.match(name))


def _q(ident: str) -> str:
    return '"' + ident.replace('"', '""') + '"'


def _policies(admin: str) -> list[tuple[str, str, str, str | None, str | None]]:
    """(table, policy, command, USING, WITH CHECK) for the administrator group."""
    mine = "(SELECT ra_region())"
    return [
        ("unit", "ra_unit_read", "SELECT", f"region_id = {mine}", None),
        ("unit", "ra_unit_insert", "INSERT", None,
         f"region_id = {mine} AND EXISTS (SELECT 1 FROM hsa_unit h WHERE h.hsa_id = "
         "unit.hsa_id AND h.region_id = unit.region_id)"),
        ("unit", "ra_unit_update", "UPDATE", f"region_id = {mine}",
         f"region_id = {mine} AND EXISTS (SELECT 1 FROM hsa_unit h WHERE h.hsa_id = "
         "unit.hsa_id AND h.region_id = unit.region_id)"),
        ("unit_case_type", "ra_uct_all", "ALL", f"unit_id IN {MY_UNITS}",
         f"unit_id IN {MY_UNITS}"),
        ("case", "ra_case_read", "SELECT", f"region_id = {mine}", None),
        ("case_type", "ra_case_type_read", "SELECT",
         "kind = 'standard' OR id IN (SELECT t.case_type_id FROM unit_case_type t "
         f"WHERE t.unit_id IN {MY_UNITS})", None),
        ("grant", "ra_grant_read", "SELECT",
         f"unit_id IN {MY_UNITS} OR (role = 'LANDSTINGSADMIN' AND region_id = {mine})", None),
        ("grant", "ra_grant_insert", "INSERT", None,
         f"role IN {GRANTABLE} AND region_id IS NULL AND unit_id IN {MY_UNITS}"),
        ("grant", "ra_grant_delete", "DELETE", f"role IN {GRANTABLE} AND unit_id IN {MY_UNITS}",
         None),
        ("staff_account", "ra_account_read", "SELECT",
         f"login_name = session_user OR region_id = {mine} "
         'OR id IN (SELECT g.account_id FROM "grant" g)', None),
        ("staff_account", "ra_account_insert", "INSERT", None,
         f"login_name IS NULL AND terms_accepted_at IS NULL AND region_id = {mine}"),
        ("staff_account", "ra_account_update", "UPDATE", "login_name = session_user",
         "login_name = session_user"),
        ("login", "ra_login_read", "SELECT", f"region_id = {mine}", None),
        ("login_daily", "ra_login_daily_read", "SELECT", f"region_id = {mine}", None),
        ("audit_event", "ra_audit_read", "SELECT", f"region_id = {mine}", None),
        ("audit_event", "ra_audit_insert", "INSERT", None,
         f"region_id = {mine} AND db_role = session_user "
         "AND actor_id IS NOT DISTINCT FROM (SELECT ra_account())"),
    ]


RLS_TABLES = ("unit", "unit_case_type", "case", "case_type", "grant", "staff_account",
              "citizen_account", "login", "login_daily", "audit_event")


def _functions(schema: str, owner: str, admin: str) -> list[str]:
    path = f"SET search_path = {_q(schema)}, pg_temp"
    return [
        # PARALLEL SAFE: a policy calling a parallel-unsafe function turns off parallel
        # query for every statement it guards (measured: the year reports took twice as
        # long as the superuser's).
        f"""CREATE OR REPLACE FUNCTION ra_region() RETURNS varchar
        LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER {path} AS $$
          SELECT g.region_id FROM "grant" g JOIN staff_account s ON s.id = g.account_id
          WHERE s.login_name = session_user AND g.role = 'LANDSTINGSADMIN'
          ORDER BY g.granted_at, g.id LIMIT 1 $$""",
        f"""CREATE OR REPLACE FUNCTION ra_account() RETURNS bigint
        LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER {path} AS $$
          SELECT s.id FROM staff_account s WHERE s.login_name = session_user $$""",
        # Hämta: whether a person has an account, also when it belongs to another region
        # (the id only: its settings stay unreadable).
        f"""CREATE OR REPLACE FUNCTION ra_account_of(person bigint) RETURNS bigint
        LANGUAGE sql STABLE SECURITY DEFINER {path} AS $$
          SELECT s.id FROM staff_account s WHERE s.person_id = person $$""",
        # Användarkonton is nationwide: counts cross regions, rows do not.
        f"""CREATE OR REPLACE FUNCTION ra_account_counts()
        RETURNS TABLE(kind text, region varchar, n bigint)
        LANGUAGE sql STABLE SECURITY DEFINER {path} AS $$
          SELECT 'citizen', c.region_id, count(*) FROM citizen_account c GROUP BY c.region_id
          UNION ALL
          SELECT 'staff', s.region_id, count(*) FROM staff_account s GROUP BY s.region_id $$""",
        f"""CREATE OR REPLACE FUNCTION ra_create_login(login text) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
        BEGIN
          IF login !~ '^[a-z0-9_][a-z0-9._-]{{0,62}}$' THEN
            RAISE EXCEPTION 'invalid login name %', login USING ERRCODE = '22023';
          END IF;
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
            EXECUTE format('CREATE ROLE %I LOGIN', login);
          END IF;
          EXECUTE format('GRANT %I TO %I', {_lit(admin)}, login);
        END $$""",
        f"""CREATE OR REPLACE FUNCTION ra_drop_login(login text) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
            EXECUTE format('REVOKE %I FROM %I', {_lit(admin)}, login);
          END IF;
        END $$""",
        f"""CREATE OR REPLACE FUNCTION ra_case_region() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
        BEGIN
          NEW.region_id := (SELECT u.region_id FROM unit u WHERE u.id = NEW.unit_id);
          RETURN NEW;
        END $$""",
        # HSA moved a connected unit to the caller's region: what the caller may know of
        # it before re-activating it (its name, whether it is still active elsewhere).
        f"""CREATE OR REPLACE FUNCTION ra_unit_elsewhere(key text)
        RETURNS TABLE(name varchar, active boolean)
        LANGUAGE sql STABLE SECURITY DEFINER {path} AS $$
          SELECT u.name, u.active FROM unit u JOIN hsa_unit h ON h.hsa_id = u.hsa_id
          WHERE u.hsa_id = key AND h.region_id = ra_region()
            AND u.region_id IS DISTINCT FROM h.region_id $$""",
        # Re-activation of such a unit: it becomes the caller's (then the trigger below
        # moves its cases); only when closed and HSA says so.
        f"""CREATE OR REPLACE FUNCTION ra_claim_unit(key text) RETURNS void
        LANGUAGE sql SECURITY DEFINER {path} AS $$
          UPDATE unit u SET region_id = h.region_id FROM hsa_unit h
          WHERE u.hsa_id = key AND h.hsa_id = u.hsa_id AND h.region_id = ra_region()
            AND u.region_id IS DISTINCT FROM h.region_id AND NOT u.active $$""",
        # A unit that changes region (re-activated after HSA moved it) takes its cases
        # along, so case.region_id always is the unit's region, as the reports count.
        f"""CREATE OR REPLACE FUNCTION ra_unit_moved() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
        BEGIN
          UPDATE "case" SET region_id = NEW.region_id WHERE unit_id = NEW.id;
          RETURN NULL;
        END $$""",
        f"""CREATE OR REPLACE FUNCTION ra_audit_append_only() RETURNS trigger
        LANGUAGE plpgsql {path} AS $$
        BEGIN
          RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = '42501';
        END $$""",
    ]


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _role_exists(name: str) -> bool:
    return bool(database.execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s",
                                     (name,)).fetchone())


def _is_superuser() -> bool:
    row = database.execute_sql(
        "SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
    return bool(row and row[0])


def install(prefix: str | None = None) -> tuple[str, str]:
    """Make the group roles and apply privileges, policies and triggers to this schema.

    Runs inside init's transaction. Returns (owner group, administrator group).
    """
    from .entities import ALL_MODELS, SiteOption

    stored = {o.name: o.value for o in SiteOption.select()}
    owner, admin = (stored.get("owner_group"), stored.get("admin_group"))
    if not owner or not admin:
        owner, admin = group_names(prefix)
    schema = database.execute_sql("SELECT current_schema()").fetchone()[0]
    sql = database.execute_sql
    superuser = _is_superuser()
    for group, extra in ((owner, " CREATEROLE"), (admin, "")):
        if not _role_exists(group):
            # CREATEROLE on the owner group: its definer functions make administrators'
            # login roles; no person needs the attribute.
            sql(f"CREATE ROLE {_q(group)} NOLOGIN{extra if superuser else ''}")
    if not superuser:
        sql(f"GRANT {_q(owner)} TO CURRENT_USER")
    sql(f"GRANT USAGE ON SCHEMA {_q(schema)} TO {_q(owner)}, {_q(admin)}")
    sql(f"GRANT CREATE ON SCHEMA {_q(schema)} TO {_q(owner)}")
    for statement in _functions(schema, owner, admin):
        sql(statement.replace("%", "%%"))  # psycopg reads a bare % as a placeholder
    tables = [m._meta.table_name for m in ALL_MODELS]
    for table in tables:
        sql(f"REVOKE ALL ON {_q(table)} FROM PUBLIC")
        if table != "audit_event":
            sql(f"ALTER TABLE {_q(table)} OWNER TO {_q(owner)}")
    for fn in ("ra_region()", "ra_account()", "ra_account_of(bigint)", "ra_account_counts()",
               "ra_create_login(text)", "ra_drop_login(text)", "ra_case_region()",
               "ra_unit_moved()", "ra_unit_elsewhere(text)", "ra_claim_unit(text)"):
        sql(f"ALTER FUNCTION {fn} OWNER TO {_q(owner)}")
        sql(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    for fn in ("ra_region()", "ra_account()", "ra_account_of(bigint)", "ra_account_counts()",
               "ra_unit_elsewhere(text)", "ra_claim_unit(text)"):
        sql(f"GRANT EXECUTE ON FUNCTION {fn} TO {_q(owner)}, {_q(admin)}")
    for fn in ("ra_create_login(text)", "ra_drop_login(text)"):
        sql(f"GRANT EXECUTE ON FUNCTION {fn} TO {_q(owner)}")
    # The audit log: the owner group may read and append, like the administrators.
    sql(f"GRANT SELECT, INSERT ON audit_event TO {_q(owner)}")
    sql(f"GRANT USAGE, SELECT ON SEQUENCE audit_event_id_seq TO {_q(owner)}, {_q(admin)}")
    _admin_privileges(admin)
    _row_security(owner, admin)
    _append_only()
    _case_region_trigger()
    for name, value in (("owner_group", owner), ("admin_group", admin),
                        ("pg_security", REVISION)):
        SiteOption.insert(name=name, value=value).on_conflict(
            conflict_target=[SiteOption.name], update={SiteOption.value: value}).execute()
    return owner, admin


def _admin_privileges(admin: str) -> None:
    sql = database.execute_sql
    a = _q(admin)
    for table in READ_ALL + ("case", "case_type", "login", "login_daily", "grant",
                             "unit", "unit_case_type", "staff_account", "audit_event"):
        sql(f"GRANT SELECT ON {_q(table)} TO {a}")
    sql(f"GRANT INSERT, UPDATE ON unit TO {a}")
    sql(f"GRANT INSERT, UPDATE, DELETE ON unit_case_type TO {a}")
    sql(f'GRANT INSERT, DELETE ON "grant" TO {a}')
    sql(f"GRANT INSERT ON staff_account, audit_event TO {a}")
    sql(f"GRANT UPDATE ({', '.join(OWN_ACCOUNT_COLUMNS)}) ON staff_account TO {a}")
    for seq in ("unit_id_seq", "unit_case_type_id_seq", "grant_id_seq",
                "staff_account_id_seq"):
        sql(f"GRANT USAGE, SELECT ON SEQUENCE {_q(seq)} TO {a}")


def _row_security(owner: str, admin: str) -> None:
    sql = database.execute_sql
    for table in RLS_TABLES:
        sql(f"ALTER TABLE {_q(table)} ENABLE ROW LEVEL SECURITY")
    # The audit log is not owned by the owner group: give it its own policies.
    for name, command, clause in (("ra_audit_owner_read", "SELECT", "USING (true)"),
                                  ("ra_audit_owner_insert", "INSERT", "WITH CHECK (true)")):
        sql(f"DROP POLICY IF EXISTS {name} ON audit_event")
        sql(f"CREATE POLICY {name} ON audit_event FOR {command} TO {_q(owner)} {clause}")
    for table, name, command, using, check in _policies(admin):
        sql(f"DROP POLICY IF EXISTS {name} ON {_q(table)}")
        parts = [f"CREATE POLICY {name} ON {_q(table)} FOR {command} TO {_q(admin)}"]
        if using:
            parts.append(f"USING ({using})")
        if check:
            parts.append(f"WITH CHECK ({check})")
        sql(" ".join(parts))


def _case_region_trigger() -> None:
    """Whatever writes a case (an import, the demo, psql) gets its region filled; a
    writer that sets it (or keeps the unit) skips the lookup."""
    sql = database.execute_sql
    sql('DROP TRIGGER IF EXISTS ra_case_region ON "case"')
    sql('CREATE TRIGGER ra_case_region BEFORE INSERT ON "case" FOR EACH ROW '
        "WHEN (NEW.region_id IS NULL) EXECUTE FUNCTION ra_case_region()")
    sql("DROP TRIGGER IF EXISTS ra_unit_moved ON unit")
    sql("CREATE TRIGGER ra_unit_moved AFTER UPDATE OF region_id ON unit FOR EACH ROW "
        "WHEN (NEW.region_id IS DISTINCT FROM OLD.region_id) EXECUTE FUNCTION ra_unit_moved()")
    sql('DROP TRIGGER IF EXISTS ra_case_moved ON "case"')
    sql('CREATE TRIGGER ra_case_moved BEFORE UPDATE OF unit_id ON "case" FOR EACH ROW '
        "WHEN (NEW.unit_id IS DISTINCT FROM OLD.unit_id) EXECUTE FUNCTION ra_case_region()")


def _append_only() -> None:
    sql = database.execute_sql
    sql("DROP TRIGGER IF EXISTS ra_audit_no_change ON audit_event")
    sql("CREATE TRIGGER ra_audit_no_change BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION ra_audit_append_only()")
    sql("DROP TRIGGER IF EXISTS ra_audit_no_truncate ON audit_event")
    sql("CREATE TRIGGER ra_audit_no_truncate BEFORE TRUNCATE ON audit_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION ra_audit_append_only()")


def installed_revision() -> str | None:
    from .entities import SiteOption

    try:
        row = SiteOption.get_or_none(SiteOption.name == "pg_security")
    except peewee.DatabaseError:
        return None
    return row.value if row else None


def create_login(login: str) -> None:
    """operator link: the login role, a member of the administrator group (owner only)."""
    database.execute_sql("SELECT ra_create_login(%s)", (login,))


def drop_login(login: str) -> None:
    database.execute_sql("SELECT ra_drop_login(%s)", (login,))


def account_of(person_id: int) -> int | None:
    row = database.execute_sql("SELECT ra_account_of(%s)", (person_id,)).fetchone()
    return row[0] if row else None


def account_counts() -> list[tuple[str, str | None, int]]:
    return [(k, r, int(n)) for k, r, n in
            database.execute_sql("SELECT kind, region, n FROM ra_account_counts()")]


def is_system_owner() -> bool:
    """The session's role is a superuser or a member of the system-owner group."""
    from .entities import SiteOption

    owner = SiteOption.get_or_none(SiteOption.name == "owner_group")
    row = database.execute_sql(
        "SELECT rolsuper OR (%s::text IS NOT NULL AND pg_has_role(session_user, %s, 'MEMBER')) "
        "FROM pg_roles WHERE rolname = session_user",
        (owner.value if owner else None, owner.value if owner else "public")).fetchone()
    return bool(row and row[0])


def unit_elsewhere(hsa_id: str) -> tuple[str, bool] | None:
    """(name, active) of a connected unit that HSA has moved to the caller's region but
    that still belongs to another (so row security hides it), or None."""
    row = database.execute_sql("SELECT name, active FROM ra_unit_elsewhere(%s)",
                               (hsa_id,)).fetchone()
    return (row[0], bool(row[1])) if row else None


def claim_unit(hsa_id: str) -> None:
    """Inside the re-activation's transaction: make such a closed unit the caller's."""
    database.execute_sql("SELECT ra_claim_unit(%s)", (hsa_id,))
