"""PostgreSQL as the wall: group roles, privileges, row-level security, append-only audit.

The program's own checks (models/operators.authorize and the services) stay; this module
makes PostgreSQL refuse the same things to anyone who connects with an administrator's
role, whatever client they use (psql included).

Design (README, "Drift på en hoppserver"):
- Three group roles, made by `regionadmin init` (run as the database's superuser):
  * the keeper (`<prefix>_keeper`, NOLOGIN, nobody is a member): owns the tables and the
    SECURITY DEFINER functions, and holds CREATEROLE for the one function that makes login
    roles. Nobody can act as it except through those fixed functions.
  * the system-owner group (`<prefix>_owner`): imports, exports, demo data, `operator
    link`. It reads and writes every row (its own policies), but owns nothing and may
    create nothing in the schema: no trigger, view or function of its can ever run with
    the rights of the superuser who runs `init`.
  * the administrator group (`<prefix>_admin`): one login role per landstingsadministratör
    (made by `operator link`), confined to the own region by row-level security.
- `ra_region()` maps `session_user` to the region of its LANDSTINGSADMIN grant; every
  policy compares with it, as `(SELECT ra_region())` so it runs once per statement.
- Personal settings are column privileges: an administrator may not SELECT another
  account's signature or notice addresses (`ra_own_account()` returns one's own).
- The audit log is owned by the superuser who ran the first `init`: no other role can
  drop the trigger that refuses UPDATE, DELETE and TRUNCATE.
- Administrators insert no explicit ids (column privileges; the sequences are USAGE only)
  and cannot lock shared tables for long (timeouts on their login roles).
- Bulk loads into an empty `case` or `login` table (the first import, the demo): a member
  of the system-owner group may have the keeper take the table's foreign keys and
  secondary indexes away for the load (`ra_bulk_begin_<table>()`) and put them back,
  validated in one pass each, in the same transaction (`ra_bulk_finish_<table>()`); a
  transaction that began without finishing cannot commit (see `_bulk_functions`). For
  the indexes the keeper has CREATE on the schema.

Every statement is idempotent: `init` may run any number of times; it re-applies all of
this when REVISION changes.
"""

from __future__ import annotations

import os
import re

import peewee

from .db import database
from .errors import PermissionDenied

# Bumped whenever the SQL below changes: init re-applies it when the stored value differs.
REVISION = "9"
DEFAULT_PREFIX = "regionadmin"
PREFIX_ENV = "REGIONADMIN_PG_GROUP_PREFIX"

_ROLE_RE = re.compile(r"^[a-z0-9_][a-z0-9._-]{0,62}$")

# Tables an administrator may read whole: the national directory and reference data.
READ_ALL = ("region", "hsa_unit", "hsa_person", "schema_version", "site_option")

# Columns of a staff account that anyone of the region may read (StaffAccount.public()).
PUBLIC_ACCOUNT_COLUMNS = (
    "id",
    "account_id",
    "person_id",
    "login_name",
    "login_method",
    "region_id",
    "created_at",
    "terms_accepted_at",
    "preferred_name",
)
# Columns of an own staff account that an administrator may change (Personliga
# inställningar and the accepted terms), nothing else.
OWN_ACCOUNT_COLUMNS = (
    "preferred_name",
    "signature",
    "email_notice",
    "notice_email",
    "sms_notice",
    "notice_mobile",
    "journal_notice",
    "case_sorting",
    "terms_accepted_at",
)

MY_UNITS = "(SELECT u.id FROM unit u WHERE u.region_id = (SELECT ra_region()))"
GRANTABLE = "('ADMIN', 'GRANSKARE')"
# An audit event or grant says when it happened; allow this much clock difference
# between the jump host and the database server.
CLOCK_SLACK = 600

# Tables a system owner may load in bulk while they are empty (ra_bulk_begin_<table>).
BULK_TABLES = ("case", "login")
BULK_FUNCTIONS = tuple(
    f"ra_bulk_{step}_{table}()" for table in BULK_TABLES for step in ("begin", "finish")
)
# What ra_bulk_begin_<table> took away, kept by the keeper until the finish puts it back.
BULK_STORE = "ra_bulk_load"

DEFINER_FUNCTIONS = (
    "ra_region()",
    "ra_account()",
    "ra_account_of(bigint)",
    "ra_account_counts()",
    "ra_own_account()",
    "ra_unit_elsewhere(text)",
    "ra_claim_unit(text)",
    "ra_create_login(text)",
    "ra_drop_login(text)",
    "ra_case_region()",
    "ra_unit_moved()",
    "ra_analyze()",
    "ra_bulk_unfinished()",
    *BULK_FUNCTIONS,
)
FOR_EVERYONE = (
    "ra_region()",
    "ra_account()",
    "ra_account_of(bigint)",
    "ra_account_counts()",
    "ra_own_account()",
    "ra_unit_elsewhere(text)",
    "ra_claim_unit(text)",
)
FOR_OWNERS = ("ra_create_login(text)", "ra_drop_login(text)", "ra_analyze()", *BULK_FUNCTIONS)


def group_names(prefix: str | None = None) -> tuple[str, str]:
    """(owner group, administrator group) for a prefix: `regionadmin_owner`, `..._admin`."""
    prefix = (prefix or os.environ.get(PREFIX_ENV) or DEFAULT_PREFIX).strip().lower()
    if not _ROLE_RE.match(prefix) or len(prefix) > 50:
        raise ValueError(f"Ogiltigt prefix för databasroller: {prefix!r}")
    return f"{prefix}_owner", f"{prefix}_admin"


def keeper_name(owner: str) -> str:
    return owner.removesuffix("_owner") + "_keeper"


def _q(ident: str) -> str:
    return '"' + ident.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _policies() -> list[tuple[str, str, str, str | None, str | None]]:
    """(table, policy, command, USING, WITH CHECK) for the administrator group."""
    mine = "(SELECT ra_region())"
    me = "(SELECT ra_account())"
    now = "extract(epoch FROM now())::bigint"
    recent = f"{{col}} BETWEEN {now} - {CLOCK_SLACK} AND {now} + {CLOCK_SLACK}"
    in_hsa = (
        "EXISTS (SELECT 1 FROM hsa_unit h WHERE h.hsa_id = unit.hsa_id "
        "AND h.region_id = unit.region_id)"
    )
    fresh_account = (
        "login_name IS NULL AND terms_accepted_at IS NULL AND signature = '' "
        "AND preferred_name = '' AND notice_email = '' AND notice_mobile = '' "
        "AND NOT email_notice AND NOT sms_notice AND NOT journal_notice "
        "AND NOT case_sorting"
    )
    return [
        ("unit", "ra_unit_read", "SELECT", f"region_id = {mine}", None),
        ("unit", "ra_unit_insert", "INSERT", None, f"region_id = {mine} AND {in_hsa}"),
        (
            "unit",
            "ra_unit_update",
            "UPDATE",
            f"region_id = {mine}",
            f"region_id = {mine} AND {in_hsa}",
        ),
        ("unit_case_type", "ra_uct_read", "SELECT", f"unit_id IN {MY_UNITS}", None),
        (
            "unit_case_type",
            "ra_uct_update",
            "UPDATE",
            f"unit_id IN {MY_UNITS}",
            f"unit_id IN {MY_UNITS}",
        ),
        ("case", "ra_case_read", "SELECT", f"region_id = {mine}", None),
        # The year reports' summaries of the cases (models/case_summary.py): read only.
        ("case_pattern", "ra_case_pattern_read", "SELECT", f"region_id = {mine}", None),
        ("case_unit_month", "ra_case_unit_month_read", "SELECT", f"region_id = {mine}", None),
        ("case_unit_day", "ra_case_unit_day_read", "SELECT", f"region_id = {mine}", None),
        ("case_day_pattern", "ra_case_day_pattern_read", "SELECT", f"region_id = {mine}", None),
        (
            "case_type",
            "ra_case_type_read",
            "SELECT",
            "kind = 'standard' OR id IN (SELECT t.case_type_id FROM unit_case_type t "
            f"WHERE t.unit_id IN {MY_UNITS})",
            None,
        ),
        (
            "grant",
            "ra_grant_read",
            "SELECT",
            f"unit_id IN {MY_UNITS} OR (role = 'LANDSTINGSADMIN' AND region_id = {mine})",
            None,
        ),
        (
            "grant",
            "ra_grant_insert",
            "INSERT",
            None,
            f"role IN {GRANTABLE} AND region_id IS NULL AND unit_id IN {MY_UNITS} "
            f"AND granted_by_id = {me} AND {recent.format(col='granted_at')}",
        ),
        (
            "grant",
            "ra_grant_delete",
            "DELETE",
            f"role IN {GRANTABLE} AND unit_id IN {MY_UNITS}",
            None,
        ),
        (
            "staff_account",
            "ra_account_read",
            "SELECT",
            f"login_name = session_user OR region_id = {mine} "
            'OR id IN (SELECT g.account_id FROM "grant" g)',
            None,
        ),
        (
            "staff_account",
            "ra_account_insert",
            "INSERT",
            None,
            f"region_id = {mine} AND {fresh_account}",
        ),
        (
            "staff_account",
            "ra_account_update",
            "UPDATE",
            "login_name = session_user",
            "login_name = session_user",
        ),
        ("login", "ra_login_read", "SELECT", f"region_id = {mine}", None),
        ("login_daily", "ra_login_daily_read", "SELECT", f"region_id = {mine}", None),
        ("audit_event", "ra_audit_read", "SELECT", f"region_id = {mine}", None),
        (
            "audit_event",
            "ra_audit_insert",
            "INSERT",
            None,
            f"region_id = {mine} AND db_role = session_user "
            f"AND actor_id IS NOT DISTINCT FROM {me} AND {recent.format(col='at')}",
        ),
    ]


RLS_TABLES = (
    "unit",
    "unit_case_type",
    "case",
    "case_pattern",
    "case_unit_month",
    "case_unit_day",
    "case_day_pattern",
    "case_type",
    "grant",
    "staff_account",
    "citizen_account",
    "login",
    "login_daily",
    "audit_event",
)


def _summaries_moved() -> str:
    """The year reports' summaries follow the unit too (models/case_summary.py)."""
    from . import case_summary

    return "\n          ".join(
        f"{statement};" for statement in case_summary.moved_statements("NEW.id", "OLD.region_id")
    )


def _functions(schema: str, admin: str) -> list[str]:
    path = f"SET search_path = {_q(schema)}, pg_temp"
    return [
        # PARALLEL SAFE: a policy calling a parallel-unsafe function turns off parallel
        # query for every statement it guards (the year reports took twice as long).
        f"""CREATE OR REPLACE FUNCTION ra_region() RETURNS varchar
        LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER {path} AS $$
          SELECT g.region_id FROM "grant" g JOIN staff_account s ON s.id = g.account_id
          WHERE s.login_name = session_user AND g.role = 'LANDSTINGSADMIN'
          ORDER BY g.granted_at, g.id LIMIT 1 $$""",
        f"""CREATE OR REPLACE FUNCTION ra_account() RETURNS bigint
        LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER {path} AS $$
          SELECT s.id FROM staff_account s WHERE s.login_name = session_user $$""",
        # Personliga inställningar: one's own account, settings included.
        f"""CREATE OR REPLACE FUNCTION ra_own_account() RETURNS SETOF staff_account
        LANGUAGE sql STABLE SECURITY DEFINER {path} AS $$
          SELECT * FROM staff_account s WHERE s.login_name = session_user $$""",
        # Hämta: whether a person has an account, also when it belongs to another region
        # (the id only).
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
        # operator link: a login role in the administrator group, nothing more. An
        # existing superuser needs no membership; a role with powers of its own, or a
        # predefined role, is refused rather than joined to the group.
        f"""CREATE OR REPLACE FUNCTION ra_create_login(login text) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
        DECLARE r pg_roles%ROWTYPE;
        BEGIN
          IF login !~ '^[a-z0-9_][a-z0-9._-]{{0,62}}$' OR login LIKE 'pg\\_%' THEN
            RAISE EXCEPTION 'invalid login name %', login USING ERRCODE = '22023';
          END IF;
          SELECT * INTO r FROM pg_roles WHERE rolname = login;
          IF NOT FOUND THEN
            EXECUTE format('CREATE ROLE %I LOGIN', login);
          ELSIF r.rolsuper THEN
            RETURN;
          ELSIF r.rolcreaterole OR r.rolbypassrls OR r.rolreplication THEN
            RAISE EXCEPTION 'role % has powers of its own', login USING ERRCODE = '42501';
          END IF;
          EXECUTE format('GRANT %I TO %I', {_lit(admin)}, login);
          EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L',
                         login, '10min');
          EXECUTE format('ALTER ROLE %I SET lock_timeout = %L', login, '30s');
        END $$""",
        f"""CREATE OR REPLACE FUNCTION ra_drop_login(login text) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login AND NOT rolsuper) THEN
            EXECUTE format('REVOKE %I FROM %I', {_lit(admin)}, login);
          END IF;
        END $$""",
        # After a bulk load: ANALYZE needs the tables' owner, which no person is.
        f"""CREATE OR REPLACE FUNCTION ra_analyze() RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
        DECLARE t text;
        BEGIN
          FOREACH t IN ARRAY ARRAY['hsa_unit', 'hsa_person', 'case_type', 'unit_case_type',
                                   'case', 'staff_account', 'citizen_account', 'login',
                                   'login_daily', 'unit', 'grant', 'case_pattern',
                                   'case_unit_month', 'case_unit_day',
                                   'case_day_pattern'] LOOP
            EXECUTE format('ANALYZE %I', t);
          END LOOP;
        END $$""",
        f"""CREATE OR REPLACE FUNCTION ra_case_region() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
        BEGIN
          NEW.region_id := (SELECT u.region_id FROM unit u WHERE u.id = NEW.unit_id);
          RETURN NEW;
        END $$""",
        # A unit that changes region (re-activated after HSA moved it) takes its cases
        # along, so case.region_id always is the unit's region, as the reports count.
        f"""CREATE OR REPLACE FUNCTION ra_unit_moved() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
        BEGIN
          UPDATE "case" SET region_id = NEW.region_id WHERE unit_id = NEW.id;
          {_summaries_moved()}
          RETURN NULL;
        END $$""",
        f"""CREATE OR REPLACE FUNCTION ra_audit_append_only() RETURNS trigger
        LANGUAGE plpgsql {path} AS $$
        BEGIN
          RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = '42501';
        END $$""",
    ]


def _bulk_functions(schema: str, owner: str) -> list[str]:
    """The keeper's functions for a bulk load into an empty table (the first import, the
    demo): per-row foreign-key checks (a `SELECT ... FOR KEY SHARE` per reference) and six
    secondary indexes kept up row by row made COPY of cases 6-14x slower than into the
    bare table.

    ra_bulk_begin_<table>() locks the table (ACCESS EXCLUSIVE, until the commit), checks
    after the lock that it is empty, records its foreign keys and non-unique indexes as
    the catalogue defines them (pg_get_constraintdef, pg_get_indexdef) in the keeper's
    own table and drops them. ra_bulk_finish_<table>() builds the indexes again and adds
    the foreign keys back, each validated by one join over the loaded rows, and clears
    the record. The definitions come from the catalogue of the table itself, never from
    the caller; the table's name is fixed into each function here (no argument at all).
    Every recorded row fires a deferred constraint trigger at the commit that refuses it
    while the row is still there: a transaction that began and did not finish (or whose
    finish failed) cannot commit, so the table is never seen without its constraints.
    """
    path = f"SET search_path = {_q(schema)}, pg_temp"
    member = (
        f"IF NOT pg_has_role(session_user, {_lit(owner)}, 'MEMBER') THEN\n"
        "            RAISE EXCEPTION 'bulk loads are the system owner''s' "
        "USING ERRCODE = '42501';\n"
        "          END IF;"
    )
    store = _q(BULK_STORE)
    statements = []
    for table in BULK_TABLES:
        name, rel = _lit(table), _lit(f"{_q(schema)}.{_q(table)}")
        statements.append(
            f"""CREATE OR REPLACE FUNCTION ra_bulk_begin_{table}() RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
        DECLARE r record;
        BEGIN
          {member}
          -- The emptiness test below must see rows committed while this waited for the
          -- lock: a transaction snapshot older than the lock would not.
          IF current_setting('transaction_isolation') <> 'read committed' THEN
            RAISE EXCEPTION 'bulk loads run at READ COMMITTED' USING ERRCODE = '55000';
          END IF;
          LOCK TABLE {_q(table)} IN ACCESS EXCLUSIVE MODE;
          IF EXISTS (SELECT 1 FROM {_q(table)}) THEN
            RAISE EXCEPTION 'table % is not empty', {name} USING ERRCODE = '55000';
          END IF;
          IF EXISTS (SELECT 1 FROM {store} WHERE tbl = {name}) THEN
            RAISE EXCEPTION 'bulk load of % already begun', {name} USING ERRCODE = '55000';
          END IF;
          INSERT INTO {store} (tbl, kind, name, definition) VALUES ({name}, 'begun', '', '');
          FOR r IN SELECT c.conname AS name, pg_get_constraintdef(c.oid) AS definition
                   FROM pg_constraint c WHERE c.conrelid = {rel}::regclass AND c.contype = 'f'
                   ORDER BY c.conname LOOP
            INSERT INTO {store} (tbl, kind, name, definition)
            VALUES ({name}, 'foreign key', r.name, r.definition);
            EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', {rel}, r.name);
          END LOOP;
          FOR r IN SELECT x.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
                   FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid
                   WHERE i.indrelid = {rel}::regclass AND NOT i.indisunique
                     AND NOT i.indisprimary AND NOT i.indisexclusion
                   ORDER BY x.relname LOOP
            INSERT INTO {store} (tbl, kind, name, definition)
            VALUES ({name}, 'index', r.name, r.definition);
            EXECUTE format('DROP INDEX %I.%I', {_lit(schema)}, r.name);
          END LOOP;
        END $$""",
        )
        # maintenance_work_mem: the six indexes of two million cases sort in memory.
        statements.append(
            f"""CREATE OR REPLACE FUNCTION ra_bulk_finish_{table}() RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER {path} SET maintenance_work_mem = '256MB' AS $$
        DECLARE r record;
        BEGIN
          {member}
          IF NOT EXISTS (SELECT 1 FROM {store} WHERE tbl = {name} AND kind = 'begun') THEN
            RAISE EXCEPTION 'no bulk load of % begun', {name} USING ERRCODE = '55000';
          END IF;
          -- Text the begin function read from this table's catalogue: nobody else writes
          -- the store.
          FOR r IN SELECT s.definition FROM {store} s WHERE s.tbl = {name} AND s.kind = 'index'
                   ORDER BY s.name LOOP
            EXECUTE r.definition;
          END LOOP;
          FOR r IN SELECT s.name, s.definition FROM {store} s
                   WHERE s.tbl = {name} AND s.kind = 'foreign key' ORDER BY s.name LOOP
            EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', {rel}, r.name, r.definition);
          END LOOP;
          DELETE FROM {store} WHERE tbl = {name};
        END $$""",
        )
    statements.append(
        f"""CREATE OR REPLACE FUNCTION ra_bulk_unfinished() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM {store} s WHERE s.tbl = NEW.tbl AND s.kind = NEW.kind
                     AND s.name = NEW.name) THEN
            RAISE EXCEPTION 'bulk load of % not finished (foreign keys, indexes missing)',
              NEW.tbl USING ERRCODE = '55000';
          END IF;
          RETURN NULL;
        END $$"""
    )
    return statements


def _bulk_store(keeper: str) -> None:
    """The keeper's record of what a bulk load took away; nobody else may touch it.

    Made anew by every init: ra_bulk_finish_<table> executes what it holds, so a table of
    that name left by someone else (a system owner of an older version could create
    tables) must never be taken over. A bulk load under way keeps init waiting."""
    sql = database.execute_sql
    store = _q(BULK_STORE)
    sql(f"DROP TABLE IF EXISTS {store}")
    sql(
        f"CREATE TABLE {store} (tbl text NOT NULL, kind text NOT NULL, "
        "name text NOT NULL, definition text NOT NULL, PRIMARY KEY (tbl, kind, name))"
    )
    sql(f"ALTER TABLE {store} OWNER TO {_q(keeper)}")
    sql(f"REVOKE ALL ON {store} FROM PUBLIC")


def _bulk_trigger() -> None:
    store = _q(BULK_STORE)
    sql = database.execute_sql
    sql(f"DROP TRIGGER IF EXISTS ra_bulk_unfinished ON {store}")
    sql(
        f"CREATE CONSTRAINT TRIGGER ra_bulk_unfinished AFTER INSERT ON {store} "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ra_bulk_unfinished()"
    )


def _role_exists(name: str) -> bool:
    return bool(
        database.execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
    )


def _is_superuser() -> bool:
    row = database.execute_sql(
        "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    return bool(row and row[0])


# What init makes in the schema, exactly: anything else of these kinds is foreign.
TRIGGERS = (
    ("audit_event", "ra_audit_no_change"),
    ("audit_event", "ra_audit_no_truncate"),
    ("case", "ra_case_region"),
    ("case", "ra_case_moved"),
    ("unit", "ra_unit_moved"),
    (BULK_STORE, "ra_bulk_unfinished"),
)
FUNCTIONS = (*DEFINER_FUNCTIONS, "ra_audit_append_only()")
# Column defaults init's tables have: a sequence's next value or a constant.
_PLAIN_DEFAULT = re.compile(r"nextval\('[\w.\"]+'::regclass\)|'[^']*'::[\w ]+|-?\d+")


def _foreign_objects(schema: str) -> list[str]:
    """What init did not make in the schema and could run code with the rights of whoever
    runs init next, or of the keeper inside its functions (an index rebuilt by
    ra_bulk_finish_<table>, a default filled by its inserts): what a system owner of an
    older version (who owned the tables) or anyone with CREATE on the schema could have
    left. Triggers and functions must be exactly init's (by table and name, by
    signature; init rewrites each of those functions and gives it its owner); no rules,
    views, check constraints, expression or partial indexes, or defaults beyond a
    sequence or a constant. Policies are not checked here: init drops every policy of the
    schema and makes its own."""
    sql = database.execute_sql
    in_schema = "(SELECT oid FROM pg_namespace WHERE nspname = %s)"
    found = []
    for table, name in sql(
        "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        f"WHERE c.relnamespace = {in_schema} AND NOT t.tgisinternal",
        (schema,),
    ).fetchall():
        if (table, name) not in TRIGGERS:
            found.append(f"trigger {name}")
    for (signature,) in sql(
        "SELECT p.proname || '(' || oidvectortypes(p.proargtypes) || ')' FROM pg_proc p "
        f"WHERE p.pronamespace = {in_schema}",
        (schema,),
    ).fetchall():
        if signature not in FUNCTIONS:
            found.append(f"function {signature}")
    found += [
        name
        for (name,) in sql(
            "SELECT 'rule ' || rulename FROM pg_rules WHERE schemaname = %s "
            "UNION ALL SELECT 'view ' || viewname FROM pg_views WHERE schemaname = %s "
            "UNION ALL SELECT 'check ' || conname FROM pg_constraint "
            f"WHERE contype = 'c' AND connamespace = {in_schema} "
            "UNION ALL SELECT 'index ' || c.relname FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            f"WHERE c.relnamespace = {in_schema} "
            "AND (i.indexprs IS NOT NULL OR i.indpred IS NOT NULL)",
            (schema, schema, schema, schema),
        ).fetchall()
    ]
    for table, column, default in sql(
        "SELECT c.relname, a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d "
        "JOIN pg_class c ON c.oid = d.adrelid JOIN pg_attribute a "
        "ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
        f"WHERE c.relnamespace = {in_schema}",
        (schema,),
    ).fetchall():
        if not _PLAIN_DEFAULT.fullmatch(default):
            found.append(f"default {table}.{column}")
    return found


def _drop_policies(schema: str) -> None:
    """Every policy of the schema goes: init makes its own again, and one it did not make
    (left by an older version's owner) could widen what an administrator reads."""
    sql = database.execute_sql
    for table, name in sql(
        "SELECT tablename, policyname FROM pg_policies WHERE schemaname = %s", (schema,)
    ).fetchall():
        sql(f"DROP POLICY {_q(name)} ON {_q(schema)}.{_q(table)}")


def install(prefix: str | None = None) -> tuple[str, str]:
    """Make the group roles and apply privileges, policies and triggers to this schema.

    Runs inside init's transaction, as the database's superuser. Returns (owner group,
    administrator group).
    """
    from .entities import ALL_MODELS, SiteOption

    stored = {o.name: o.value for o in SiteOption.select()}
    owner, admin = (stored.get("owner_group"), stored.get("admin_group"))
    if not owner or not admin:
        owner, admin = group_names(prefix)
    keeper = keeper_name(owner)
    if not _is_superuser():
        raise PermissionDenied(
            "Databasens behörigheter och radsäkerhet sätts av "
            "databasens superanvändare: kör regionadmin init som den "
            "(till exempel sudo -u postgres regionadmin init)."
        )
    schema = database.execute_sql("SELECT current_schema()").fetchone()[0]
    foreign = _foreign_objects(schema)
    if foreign:
        raise PermissionDenied(
            f"Schemat {schema} innehåller objekt som regionadmin inte har skapat "
            f"({', '.join(sorted(foreign)[:5])}); init avbryts. Granska och ta bort dem "
            "först."
        )
    sql = database.execute_sql
    for group, powers in ((owner, ""), (admin, ""), (keeper, " CREATEROLE")):
        if not _role_exists(group):
            sql(f"CREATE ROLE {_q(group)} NOLOGIN{powers}")
    # Earlier versions gave the owner group CREATEROLE and the schema: take them back.
    sql(f"ALTER ROLE {_q(owner)} NOCREATEROLE")
    sql(f"ALTER ROLE {_q(keeper)} NOLOGIN CREATEROLE")
    sql(f"GRANT USAGE ON SCHEMA {_q(schema)} TO {_q(owner)}, {_q(admin)}, {_q(keeper)}")
    sql(f"REVOKE CREATE ON SCHEMA {_q(schema)} FROM {_q(owner)}")
    # ra_bulk_finish_<table> builds the indexes again: an index needs CREATE on its schema.
    sql(f"GRANT CREATE ON SCHEMA {_q(schema)} TO {_q(keeper)}")
    tables = [m._meta.table_name for m in ALL_MODELS]
    for table in tables:
        sql(f"REVOKE ALL ON {_q(table)} FROM PUBLIC, {_q(owner)}, {_q(admin)}")
        if table != "audit_event":
            sql(f"ALTER TABLE {_q(table)} OWNER TO {_q(keeper)}")
    _bulk_store(keeper)
    for statement in _functions(schema, admin) + _bulk_functions(schema, owner):
        sql(statement.replace("%", "%%"))  # psycopg reads a bare % as a placeholder
    for fn in DEFINER_FUNCTIONS:
        sql(f"ALTER FUNCTION {fn} OWNER TO {_q(keeper)}")
        sql(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    # CREATE OR REPLACE keeps a function's owner, who may replace it again: the audit
    # log's guard belongs to the superuser that owns the audit log.
    sql("ALTER FUNCTION ra_audit_append_only() OWNER TO CURRENT_USER")
    for fn in FOR_EVERYONE:
        sql(f"GRANT EXECUTE ON FUNCTION {fn} TO {_q(owner)}, {_q(admin)}")
    for fn in FOR_OWNERS:
        sql(f"GRANT EXECUTE ON FUNCTION {fn} TO {_q(owner)}")
    _owner_privileges(owner, tables)
    _admin_privileges(admin)
    _drop_policies(schema)
    _row_security(owner, admin)
    _append_only()
    _case_region_trigger()
    _bulk_trigger()
    for name, value in (("owner_group", owner), ("admin_group", admin), ("pg_security", REVISION)):
        SiteOption.insert(name=name, value=value).on_conflict(
            conflict_target=[SiteOption.name], update={SiteOption.value: value}
        ).execute()
    return owner, admin


def _sequences() -> list[str]:
    return [
        name
        for (name,) in database.execute_sql(
            "SELECT sequence_name FROM information_schema.sequences "
            "WHERE sequence_schema = current_schema()"
        ).fetchall()
    ]


def _owner_privileges(owner: str, tables: list[str]) -> None:
    """Every row, read and write (no TRUNCATE, TRIGGER or REFERENCES); the audit log
    read and append only."""
    sql = database.execute_sql
    o = _q(owner)
    for table in tables:
        if table == "audit_event":
            sql(f"GRANT SELECT, INSERT ON audit_event TO {o}")
        else:
            sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {_q(table)} TO {o}")
    for seq in _sequences():
        sql(f"REVOKE ALL ON SEQUENCE {_q(seq)} FROM PUBLIC")
        sql(f"GRANT USAGE, SELECT, UPDATE ON SEQUENCE {_q(seq)} TO {o}")


def _columns(table: str, leave_out: tuple[str, ...] = ("id",)) -> str:
    names = [
        name
        for (name,) in database.execute_sql(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = %s ORDER BY ordinal_position",
            (table,),
        ).fetchall()
        if name not in leave_out
    ]
    return ", ".join(_q(n) for n in names)


def _admin_privileges(admin: str) -> None:
    sql = database.execute_sql
    a = _q(admin)
    for table in READ_ALL + (
        "case",
        "case_pattern",
        "case_unit_month",
        "case_unit_day",
        "case_day_pattern",
        "case_type",
        "login",
        "login_daily",
        "grant",
        "unit",
        "unit_case_type",
        "audit_event",
    ):
        sql(f"GRANT SELECT ON {_q(table)} TO {a}")
    public = ", ".join(_q(c) for c in PUBLIC_ACCOUNT_COLUMNS)
    sql(f"GRANT SELECT ({public}) ON staff_account TO {a}")
    # No explicit ids (a squatted id would block everyone's next write), no table-wide
    # UPDATE (LOCK TABLE needs one): column privileges.
    sql(f"GRANT INSERT ({_columns('unit')}), UPDATE ({_columns('unit')}) ON unit TO {a}")
    sql(f"GRANT UPDATE (active, terms_text) ON unit_case_type TO {a}")
    sql(f'GRANT INSERT ({_columns("grant")}), DELETE ON "grant" TO {a}')
    sql(f"GRANT INSERT ({_columns('staff_account')}) ON staff_account TO {a}")
    sql(f"GRANT INSERT ({_columns('audit_event')}) ON audit_event TO {a}")
    sql(f"GRANT UPDATE ({', '.join(OWN_ACCOUNT_COLUMNS)}) ON staff_account TO {a}")
    for seq in ("unit_id_seq", "grant_id_seq", "staff_account_id_seq", "audit_event_id_seq"):
        sql(f"GRANT USAGE ON SEQUENCE {_q(seq)} TO {a}")


def _row_security(owner: str, admin: str) -> None:
    sql = database.execute_sql
    for table in RLS_TABLES:
        sql(f"ALTER TABLE {_q(table)} ENABLE ROW LEVEL SECURITY")
        sql(f"DROP POLICY IF EXISTS ra_owner_all ON {_q(table)}")
        if table != "audit_event":
            sql(
                f"CREATE POLICY ra_owner_all ON {_q(table)} FOR ALL TO {_q(owner)} "
                "USING (true) WITH CHECK (true)"
            )
    for old in ("ra_uct_all",):  # policies of earlier revisions
        sql(f"DROP POLICY IF EXISTS {old} ON unit_case_type")
    for name, command, clause in (
        ("ra_audit_owner_read", "SELECT", "USING (true)"),
        ("ra_audit_owner_insert", "INSERT", "WITH CHECK (db_role = session_user)"),
    ):
        sql(f"DROP POLICY IF EXISTS {name} ON audit_event")
        sql(f"CREATE POLICY {name} ON audit_event FOR {command} TO {_q(owner)} {clause}")
    for table, name, command, using, check in _policies():
        sql(f"DROP POLICY IF EXISTS {name} ON {_q(table)}")
        parts = [f"CREATE POLICY {name} ON {_q(table)} FOR {command} TO {_q(admin)}"]
        if using:
            parts.append(f"USING ({using})")
        if check:
            parts.append(f"WITH CHECK ({check})")
        sql(" ".join(parts))


def _case_region_trigger() -> None:
    """Whatever writes a case (an import, the demo, psql) gets its region filled; a
    writer that sets it skips the lookup."""
    sql = database.execute_sql
    sql('DROP TRIGGER IF EXISTS ra_case_region ON "case"')
    sql(
        'CREATE TRIGGER ra_case_region BEFORE INSERT ON "case" FOR EACH ROW '
        "WHEN (NEW.region_id IS NULL) EXECUTE FUNCTION ra_case_region()"
    )
    sql("DROP TRIGGER IF EXISTS ra_unit_moved ON unit")
    sql(
        "CREATE TRIGGER ra_unit_moved AFTER UPDATE OF region_id ON unit FOR EACH ROW "
        "WHEN (NEW.region_id IS DISTINCT FROM OLD.region_id) EXECUTE FUNCTION ra_unit_moved()"
    )
    sql('DROP TRIGGER IF EXISTS ra_case_moved ON "case"')
    sql(
        'CREATE TRIGGER ra_case_moved BEFORE UPDATE OF unit_id ON "case" FOR EACH ROW '
        "WHEN (NEW.unit_id IS DISTINCT FROM OLD.unit_id) EXECUTE FUNCTION ra_case_region()"
    )


def _append_only() -> None:
    sql = database.execute_sql
    sql("DROP TRIGGER IF EXISTS ra_audit_no_change ON audit_event")
    sql(
        "CREATE TRIGGER ra_audit_no_change BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION ra_audit_append_only()"
    )
    sql("DROP TRIGGER IF EXISTS ra_audit_no_truncate ON audit_event")
    sql(
        "CREATE TRIGGER ra_audit_no_truncate BEFORE TRUNCATE ON audit_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION ra_audit_append_only()"
    )


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


def analyze() -> None:
    """ANALYZE the loaded tables (their owner is the keeper: through its function)."""
    database.execute_sql("SELECT ra_analyze()")


def bulk_begin(table: str) -> bool:
    """Take `table` (one of BULK_TABLES) for a load into it while it is empty: locked until
    the commit, its foreign keys and secondary indexes gone until bulk_finish(), which
    must follow in the same transaction. False, with nothing changed, when the table is
    not empty or this store's functions are older (then the load keeps them).

    Inside a savepoint, so a refusal leaves the caller's transaction usable."""
    if table not in BULK_TABLES:
        raise ValueError(table)
    try:
        with database.atomic():
            database.execute_sql(f"SELECT ra_bulk_begin_{table}()")
    except peewee.DatabaseError:
        return False
    return True


def bulk_finish(table: str) -> None:
    """The foreign keys and indexes of `table` back, as bulk_begin() found them."""
    if table not in BULK_TABLES:
        raise ValueError(table)
    database.execute_sql(f"SELECT ra_bulk_finish_{table}()")


def account_of(person_id: int) -> int | None:
    row = database.execute_sql("SELECT ra_account_of(%s)", (person_id,)).fetchone()
    return row[0] if row else None


def may_read_settings() -> bool:
    """Whether this session may read every account's settings (owners, the superuser)."""
    row = database.execute_sql(
        "SELECT has_column_privilege('staff_account', 'signature', 'SELECT')"
    ).fetchone()
    return bool(row and row[0])


def own_account():
    """The session's own staff account, settings included (ra_own_account)."""
    from .entities import StaffAccount

    return next(iter(StaffAccount.raw("SELECT * FROM ra_own_account()")), None)


def account_counts() -> list[tuple[str, str | None, int]]:
    return [
        (k, r, int(n))
        for k, r, n in database.execute_sql("SELECT kind, region, n FROM ra_account_counts()")
    ]


def is_system_owner() -> bool:
    """The session's role is a superuser or a member of the system-owner group."""
    from .entities import SiteOption

    owner = SiteOption.get_or_none(SiteOption.name == "owner_group")
    row = database.execute_sql(
        "SELECT rolsuper OR (%s::text IS NOT NULL AND pg_has_role(session_user, %s, 'MEMBER')) "
        "FROM pg_roles WHERE rolname = session_user",
        (owner.value if owner else None, owner.value if owner else "public"),
    ).fetchone()
    return bool(row and row[0])


def unit_elsewhere(hsa_id: str) -> tuple[str, bool] | None:
    """(name, active) of a connected unit that HSA has moved to the caller's region but
    that still belongs to another (so row security hides it), or None."""
    row = database.execute_sql(
        "SELECT name, active FROM ra_unit_elsewhere(%s)", (hsa_id,)
    ).fetchone()
    return (row[0], bool(row[1])) if row else None


def claim_unit(hsa_id: str) -> None:
    """Inside the re-activation's transaction: make such a closed unit the caller's."""
    database.execute_sql("SELECT ra_claim_unit(%s)", (hsa_id,))
