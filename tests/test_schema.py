"""init is idempotent and upgrades run as numbered migrations that keep the data."""

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate

from models import schema
from models.db import database
from models.entities import Region, Unit
from tests.factories import build_world


def test_upgrade_runs_pending_migrations_and_keeps_rows(backend, monkeypatch):
    w = build_world()
    applied = []

    current = schema.CURRENT_VERSION
    nxt = current + 1

    def add_column() -> None:
        migrator = SchemaMigrator.from_database(database)
        migrate(migrator.add_column("unit", "note", pw.TextField(null=True)))
        applied.append(nxt)

    monkeypatch.setattr(schema, "MIGRATIONS", {**schema.MIGRATIONS, nxt: add_column})
    monkeypatch.setattr(schema, "CURRENT_VERSION", nxt)
    assert schema.init_schema() == (current, nxt)
    assert schema.init_schema() == (nxt, nxt)  # the second run changes nothing
    assert applied == [nxt]
    columns = {c.name for c in database.get_columns("unit")}
    assert "note" in columns
    assert Unit.get(Unit.hsa_id == w.active_hsa).name == "Husläkarmottagningen Ängen"
    assert Region.select().count() == 21
    # The PostgreSQL schema is reused by later tests: leave the table as the models know it.
    migrate(SchemaMigrator.from_database(database).drop_column("unit", "note"))
    schema.SchemaVersion.delete().where(schema.SchemaVersion.version == nxt).execute()
