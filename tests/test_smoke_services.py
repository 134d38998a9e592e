from models import units
from models.entities import AuditEvent, Unit
from tests.factories import build_world


def test_activate_unit_writes_unit_and_audit(backend):
    w = build_world()
    unit = units.activate_unit(w.op, w.free_hsa.lower(), new_name="VC Källan")
    assert unit.name == "VC Källan"
    assert Unit.get(Unit.hsa_id == w.free_hsa).active
    assert AuditEvent.select().where(AuditEvent.action == "unit.activate").count() == 1
