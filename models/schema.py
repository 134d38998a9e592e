"""Create or upgrade the schema. Safe to run twice; upgrades are numbered migrations."""

from __future__ import annotations

from collections.abc import Callable

from .db import database, is_postgres
from .entities import ALL_MODELS, AuditEvent, Case, SchemaVersion, SiteOption
from .seed import seed_reference_data
from .timeutil import now_epoch


def _audit_identity_and_site_options() -> None:
    """2: audit events name the database role and OS user; the site_option table."""
    database.create_tables([SiteOption], safe=True)
    table = AuditEvent._meta.table_name
    have = {c.name for c in database.get_columns(table)}
    for name in ("db_role", "os_user"):
        if name not in have:
            # One statement that fills existing rows from the default: no UPDATE of the
            # (append-only) log.
            database.execute_sql(
                f'ALTER TABLE "{table}" ADD COLUMN "{name}" VARCHAR(255) NOT NULL DEFAULT \'\''
            )


def _case_region() -> None:
    """3: case.region_id, the row-security key on PostgreSQL, filled from the units."""
    have = {c.name for c in database.get_columns(Case._meta.table_name)}
    if "region_id" not in have:
        database.execute_sql('ALTER TABLE "case" ADD COLUMN "region_id" VARCHAR(2)')
    if is_postgres():
        database.execute_sql(
            'UPDATE "case" AS c SET region_id = u.region_id FROM unit AS u '
            "WHERE u.id = c.unit_id AND c.region_id IS NULL"
        )


def _refresh_sort_keys() -> None:
    """Stored Swedish sort keys follow models.text.swedish_key: when its version changed,
    every unit's key is computed again here, so a tweak of the order needs no migration."""
    from .entities import Unit
    from .text import SORT_KEY_VERSION, swedish_key

    stored = SiteOption.get_or_none(SiteOption.name == "sort_key")
    if stored is not None and stored.value == SORT_KEY_VERSION:
        return
    for ident, name in Unit.select(Unit.id, Unit.name).tuples():
        Unit.update(sort_name=swedish_key(name)).where(Unit.id == ident).execute()
    SiteOption.insert(name="sort_key", value=SORT_KEY_VERSION).on_conflict(
        conflict_target=[SiteOption.name], update={SiteOption.value: SORT_KEY_VERSION}
    ).execute()


def _hsa_drift() -> None:
    """4: what Avvikelser mot HSA compares: HSA's name at activation (taken from today's
    catalogue for units activated before), and entries gone from HSA."""
    units = {c.name for c in database.get_columns("unit")}
    if "hsa_name" not in units:
        database.execute_sql(
            "ALTER TABLE unit ADD COLUMN hsa_name VARCHAR(255) NOT NULL DEFAULT ''"
        )
    database.execute_sql(
        "UPDATE unit SET hsa_name = (SELECT h.name FROM hsa_unit h "
        "WHERE h.hsa_id = unit.hsa_id) WHERE hsa_name = '' AND EXISTS "
        "(SELECT 1 FROM hsa_unit h WHERE h.hsa_id = unit.hsa_id)"
    )
    entries = {c.name for c in database.get_columns("hsa_unit")}
    if "missing_since" not in entries:
        database.execute_sql("ALTER TABLE hsa_unit ADD COLUMN missing_since BIGINT")


def _case_summaries() -> None:
    """5: the summaries the year reports read (models/case_summary.py), filled from the
    cases already stored."""
    from . import case_summary
    from .entities import CasePattern, CaseUnitMonth

    database.create_tables([CaseUnitMonth, CasePattern], safe=True)
    case_summary.rebuild(("case_pattern", "case_unit_month"))


def _case_day_summaries() -> None:
    """6: the day-level summaries of a period's partial edge months (case_unit_day,
    case_day_pattern), filled from the cases already stored."""
    from . import case_summary
    from .entities import CaseDayPattern, CaseUnitDay

    database.create_tables([CaseUnitDay, CaseDayPattern], safe=True)
    case_summary.rebuild(("case_unit_day", "case_day_pattern"))


# Migration N upgrades a schema at version N-1 to N. Version 1 is the first schema; a new
# database is created whole by create_tables at CURRENT_VERSION.
MIGRATIONS: dict[int, Callable[[], None]] = {
    2: _audit_identity_and_site_options,
    3: _case_region,
    4: _hsa_drift,
    5: _case_summaries,
    6: _case_day_summaries,
}
CURRENT_VERSION = 6


def schema_version() -> int:
    if not database.table_exists(SchemaVersion._meta.table_name):
        return 0
    row = SchemaVersion.select().order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


def schema_problem() -> str | None:
    """Why the program cannot work on this store yet (empty, or an older schema), or None."""
    version = schema_version()
    if version == 0:
        return "Databasen är tom. Kör först: regionadmin init (och regionadmin demo för demodata)."
    if version < CURRENT_VERSION:
        return (
            f"Databasen har schemaversion {version} men programmet behöver "
            f"{CURRENT_VERSION}. Uppgradera den med: regionadmin init (som systemägare)."
        )
    if version > CURRENT_VERSION:
        return (
            f"Databasen har schemaversion {version}, nyare än programmet "
            f"({CURRENT_VERSION}). Uppdatera programmet."
        )
    return None


def init_schema(group_prefix: str | None = None) -> tuple[int, int]:
    """Bring the schema to CURRENT_VERSION; return (version before, version after).

    On PostgreSQL also the group roles, privileges and row-level security
    (models/pgsecurity.py), re-applied whenever their revision changed.
    """
    with database.atomic():
        before = schema_version()
        if before == 0:
            database.create_tables(ALL_MODELS, safe=True)
            SchemaVersion.create(version=CURRENT_VERSION, applied_at=now_epoch())
        else:
            for version in range(before + 1, CURRENT_VERSION + 1):
                MIGRATIONS[version]()
                SchemaVersion.create(version=version, applied_at=now_epoch())
        seed_reference_data()
        _refresh_sort_keys()
        if is_postgres():
            from . import pgsecurity

            if before < CURRENT_VERSION or pgsecurity.installed_revision() != pgsecurity.REVISION:
                pgsecurity.install(group_prefix)
    return before, CURRENT_VERSION
