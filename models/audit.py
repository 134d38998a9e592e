"""The audit trail: every service write records one event in the same transaction."""

from __future__ import annotations

import json
from typing import Any

from .entities import AuditEvent
from .timeutil import now_epoch

# Action codes stored in the log, with the words the UI shows for them.
ACTION_NAMES: dict[str, str] = {
    "unit.activate": "Aktivera mottagning",
    "unit.reactivate": "Återaktivera mottagning",
    "unit.deactivate": "Inaktivera mottagning",
    "unit.rename": "Ändra namn",
    "grant.add": "Tilldela behörighet",
    "grant.remove": "Ta bort behörighet",
    "account.create": "Skapa vårdaktörskonto",
    "settings.save": "Spara personliga inställningar",
    "terms.accept": "Acceptera villkoren",
    "operator.link": "Koppla landstingsadministratör",
    "import": "Import",
    "demo": "Demodata",
}


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(
    *,
    actor_id: int | None,
    actor_name: str,
    region_code: str | None,
    action: str,
    target: str = "",
    before: Any = None,
    after: Any = None,
    outcome: str = "ok",
) -> AuditEvent:
    return AuditEvent.create(
        at=now_epoch(), actor=actor_id, actor_name=actor_name, region=region_code,
        action=action, target=target, before=_dump(before), after=_dump(after), outcome=outcome,
    )
