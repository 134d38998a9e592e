"""Create or upgrade the schema. Safe to run twice; upgrades are numbered migrations."""

from __future__ import annotations

from collections.abc import Callable

from .db import database
from .entities import ALL_MODELS, SchemaVersion
from .seed import seed_reference_data
from .timeutil import now_epoch

# Migration N upgrades a schema at version N-1 to N. Version 1 is the first schema, created
# whole by create_tables; later changes go here as functions using playhouse.migrate.
MIGRATIONS: dict[int, Callable[[], None]] = {}
CURRENT_VERSION = 1


def schema_version() -> int:
    if not database.table_exists(SchemaVersion._meta.table_name):
        return 0
    row = SchemaVersion.select().order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


def init_schema() -> tuple[int, int]:
    """Bring the schema to CURRENT_VERSION; return (version before, version after)."""
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
    return before, CURRENT_VERSION
