"""The audit trail: every service write records one event in the same transaction."""

from __future__ import annotations

import json
from typing import Any

from .db import session_role
from .entities import AuditEvent
from .timeutil import now_epoch

# Action codes stored in the log, with the words the UI shows for them: at most 21
# characters, so that a Loggar page with "systemägare olle" and HSA-ids shows its Åtgärd
# column whole at 80 columns (16 + 16 + 21 + 17 characters of cells).
ACTION_NAMES: dict[str, str] = {
    "unit.activate": "Aktivera mottagning",
    "unit.reactivate": "Återaktivera",
    "unit.deactivate": "Inaktivera mottagning",
    "unit.rename": "Ändra namn",
    "grant.add": "Tilldela behörighet",
    "grant.remove": "Ta bort behörighet",
    "account.create": "Skapa vårdaktörskonto",
    "settings.save": "Spara inställningar",
    "terms.accept": "Acceptera villkoren",
    "operator.link": "Ny landstingsadm.",
    "operator.unlink": "Landstingsadm. slutar",
    "import": "Import",
    "demo": "Demodata",
}

# What an event's outcome reads as.
OUTCOME_NAMES: dict[str, str] = {"ok": "Genomförd"}

# The keys of the before/after data the services record, in Swedish, in the order the
# event page lists them.
FIELD_NAMES: dict[str, str] = {
    "name": "Namn",
    "personnummer": "Personnummer",
    "role": "Roll",
    "roles": "Behörigheter",
    "region": "Region",
    "active": "Aktiv",
    "other_service": "Visa som övrig tjänst",
    "deactivated_at": "Inaktiverad",
    "case_types_deactivated": "Ärendetyper som inaktiverades",
    "open_cases": "Obesvarade ärenden",
    "kept_admin": "Administratör som behölls",
    "grants_removed": "Borttagna behörigheter",
    "account": "Vårdaktörskonto",
    "account_id": "Vårdaktörskonto",
    "login_name": "Inloggningsnamn",
    "terms_accepted_at": "Villkoren accepterade",
    "terms_version": "Villkorsversion",
    "preferred_name": "Tilltalsnamn",
    "signature": "Signatur",
    "email_notice": "E-postavisering",
    "email": "E-postadress för avisering",
    "sms_notice": "Sms-avisering",
    "mobile": "Mobilnummer för avisering",
    "journal_notice": "Journalavisering",
    "case_sorting": "Sortering av ärenden",
    "kind": "Slag",
    "file": "Fil",
    "rows": "Rader",
    "created": "Nya",
    "updated": "Ändrade",
    "seed": "Slumpfrö",
    "today": "Dag",
    "units": "Mottagningar",
    "cases": "Ärenden",
    "logins": "Inloggningar",
    "citizen_accounts": "Invånarkonton",
    "operator": "Landstingsadministratör",
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
    role = session_role()
    return AuditEvent.create(
        at=now_epoch(),
        actor=actor_id,
        actor_name=actor_name,
        region=region_code,
        action=action,
        target=target,
        before=_dump(before),
        after=_dump(after),
        outcome=outcome,
        db_role=role,
        os_user=_os_user_if_other(role),
    )


def _os_user_if_other(role: str) -> str:
    """The real OS user when it is not the identity the program acted as (a database role
    other than the OS user, or REGIONADMIN_USER on SQLite)."""
    from .operators import os_user, real_os_user

    real = real_os_user()
    return "" if real == (role or os_user()) else real
