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


def test_swedish_order_and_a_changed_sort_key_needs_no_migration(backend, monkeypatch):
    """Svenska Akademiens order: é as e, á as a, ü as y, æ as ä, ø as ö, å ä ö after z.
    When the key changes, init recomputes the stored keys by itself."""
    from models import text
    from models.units import search_units
    from tests.factories import ORG_01, connected_unit, hsa

    w = build_world()
    names = [
        "Östra VC",
        "Ærø VC",
        "Émile VC",
        "Ümeå VC",
        "Álvaro VC",
        "Yngve VC",
        "Eva VC",
        "Åsen VC",
        "Zeta VC",
        "Ørsta VC",
    ]
    for i, name in enumerate(names):
        connected_unit(hsa(ORG_01, f"8{i:03d}"), name)
    shown = [r.name for r in search_units(w.op, "VC", limit=50).rows]
    assert shown == [
        "Álvaro VC",
        "Émile VC",
        "Eva VC",
        "Ümeå VC",
        "Yngve VC",
        "Zeta VC",
        "Åsen VC",
        "Ærø VC",
        "Ørsta VC",
        "Östra VC",
    ]
    # A tweak of the order (here: Zeta first) reaches the stored keys with init alone.
    original = text.swedish_key
    monkeypatch.setattr(
        text, "swedish_key", lambda value: "" if value.startswith("Zeta") else original(value)
    )
    monkeypatch.setattr(text, "SORT_KEY_VERSION", "test")
    schema.init_schema()
    shown = [r.name for r in search_units(w.op, "VC", limit=50).rows]
    assert shown[0] == "Zeta VC" and shown[1] == "Álvaro VC"
