"""Services behind the other pages: Lista admin, the bank, terms, settings, Loggar."""

from __future__ import annotations

import json
from datetime import date

import pytest

from models import audit, catalog, grants, operators, settings, units
from models.auditlog import list_events
from models.entities import (
    KIND_INTEGRATION,
    KIND_OWN,
    LANDSTINGSADMIN,
    AuditEvent,
    CaseType,
    Grant,
    StaffAccount,
    Unit,
    UnitCaseType,
)
from models.errors import ValidationError
from models.seed import STANDARD_CASE_TYPES
from models.terms import TERMS_VERSION
from models.timeutil import day_start_epoch, now_epoch
from models.validation import mobile_partial
from tests.factories import account, build_world, make_pnr, person


def add_admin(given: str, surname: str, serial: str, region: str = "01", **kw):
    p = person(make_pnr("19750101", serial), given, surname, region=region)
    acc = account(p, region=region)
    for key, value in kw.items():
        setattr(acc, key, value)
    acc.save()
    Grant.create(account=acc, region=region, role=LANDSTINGSADMIN, granted_at=now_epoch())
    return p


def test_region_admins_in_swedish_order_with_sort_name(backend):
    w = build_world()
    add_admin("Östen", "Östlund", "111")
    add_admin("Åke", "Åberg", "222")
    add_admin("Ärla", "Ärlig", "333", login_method="SITHS-kort")
    add_admin("Carl", "Zetterberg", "444")
    add_admin("Bo", "Skåning", "555", region="12")  # other region: never listed

    rows = grants.list_region_admins(w.op)

    # Plain code-point order would put Ä (U+00C4) before Å (U+00C5); Swedish puts Å first.
    assert [r.sort_name for r in rows] == [
        "Andersson, Anna Maria",
        "Zetterberg, Carl",
        "Åberg, Åke",
        "Ärlig, Ärla",
        "Östlund, Östen",
    ]
    assert rows[0].personnummer == f"{w.anna.personnummer[:8]}-{w.anna.personnummer[8:]}"
    assert rows[3].login_method == "SITHS-kort"


def test_bank_lists_standard_types_in_bank_order_then_own_and_integration(backend):
    w = build_world()
    unit = Unit.get(Unit.hsa_id == w.active_hsa)
    for kind, name in (
        (KIND_INTEGRATION, "Webbtidbok"),
        (KIND_OWN, "Övrigt ärende"),
        (KIND_OWN, "Blodprov"),
    ):  # listed because a unit of 01 uses them
        UnitCaseType.create(unit=unit, case_type=CaseType.create(kind=kind, name=name))
    # A standard type whose id order differs from its bank position must follow position.
    first = CaseType.get(CaseType.name == "Beställa tid")
    first.position = 99
    first.save()

    rows = catalog.list_case_types(w.op)

    standard = [name for name, _, _ in STANDARD_CASE_TYPES]
    expected_standard = standard[1:] + [standard[0]]
    assert [r.name for r in rows[:12]] == expected_standard
    assert [(r.name, r.kind) for r in rows[12:]] == [
        ("Blodprov", KIND_OWN),
        ("Övrigt ärende", KIND_OWN),
        ("Webbtidbok", KIND_INTEGRATION),
    ]


def test_accept_terms_records_the_terms_version(backend):
    w = build_world()
    op = operators.accept_terms(w.op)
    assert op.terms_accepted
    event = AuditEvent.get(AuditEvent.action == "terms.accept")
    assert json.loads(event.after)["terms_version"] == TERMS_VERSION
    operators.accept_terms(op)  # once: a second call writes nothing
    assert AuditEvent.select().where(AuditEvent.action == "terms.accept").count() == 1


@pytest.mark.parametrize(
    "typed", ["", "0", "07", "070-12", "070-123 45 67", "+46", "+46 70", "0046701234567"]
)
def test_mobile_partial_accepts_what_can_still_become_a_number(typed):
    assert mobile_partial(typed) is None


@pytest.mark.parametrize("typed", ["08", "+4680", "07012345678", "abc", "070/12"])
def test_mobile_partial_rejects_what_never_can(typed):
    assert mobile_partial(typed)


def test_bad_mobile_changes_nothing(backend):
    w = build_world()
    with pytest.raises(ValidationError) as error:
        settings.save_settings(
            w.op, settings.Settings(preferred_name="Mia", sms_notice=True, mobile="12345")
        )
    assert error.value.field == "mobile"
    acc = StaffAccount.get(StaffAccount.login_name == "anna")
    assert acc.preferred_name == "" and not acc.sms_notice
    assert AuditEvent.select().count() == 0


def _event(
    op, at: int, action: str, target: str = "", actor: str | None = None, region: str | None = None
) -> None:
    AuditEvent.create(
        at=at,
        actor=op.account_id,
        actor_name=actor or op.name,
        region=region or op.region_code,
        action=action,
        target=target,
        after=json.dumps({"n": at}),
    )


def test_list_events_filters_and_pages_newest_first(backend):
    w = build_world()
    base = day_start_epoch(date(2026, 3, 10)) + 3600
    for i in range(120):
        _event(w.op, base + i * 60, "unit.rename", f"SE2321000016-{i:04d}")
    _event(w.op, base - 86400, "grant.add", "SE2321000016-9999", actor="Cecilia Carlsson")
    _event(w.other_op, base, "unit.rename", "SE2321000255-2002")  # other region

    page = list_events
    first = page(w.op, limit=50)
    assert first.total == 121
    assert [r.target for r in first.rows[:2]] == ["SE2321000016-0119", "SE2321000016-0118"]
    third = page(w.op, offset=100, limit=50)
    assert len(third.rows) == 21 and third.rows[-1].action == "grant.add"

    assert page(w.op, actor="cecilia").total == 1
    assert page(w.op, action="grant.add").total == 1
    assert page(w.op, target="-00").total == 100
    assert page(w.op, date_from="2026-03-09", date_to="2026-03-09").total == 1
    assert page(w.op, date_from="2026-03-10").total == 120
    with pytest.raises(ValidationError):
        page(w.op, date_from="2026-03-11", date_to="2026-03-10")
    with pytest.raises(ValidationError):
        page(w.op, date_from="2026-13-01")


@pytest.mark.parametrize(
    ("field", "value", "sentence"),
    [
        ("actor", "a" * 101, "Utförd av får vara högst 100 tecken (du angav 101)."),
        ("target", "SE" * 30_000, "Mottagning får vara högst 100 tecken (du angav 60000)."),
        ("action", "unit\x1b[2J", "Åtgärd får inte innehålla styrtecken."),
        (
            "actor",
            "Cecilia\u200b",
            "Utförd av får inte innehålla osynliga tecken eller tecken som styr textens riktning (här U+200B).",
        ),
    ],
)
def test_log_filters_follow_the_search_rule(backend, field, value, sentence):
    """A 60,000-character filter was a LIKE pattern too complex for SQLite (a driver error)."""
    w = build_world()
    with pytest.raises(ValidationError) as caught:
        list_events(w.op, **{field: value})
    assert str(caught.value) == sentence
    assert caught.value.field == field
    assert list_events(w.op, **{field: "a" * 100}).total == 0


def test_rename_is_in_the_log_at_once(backend):
    w = build_world()
    units.rename_unit(w.op, w.active_hsa, "Ängen Nya")
    row = list_events(w.op).rows[0]
    assert row.action == "unit.rename" and row.target == w.active_hsa
    assert "Ängen Nya" in row.after
    assert audit.ACTION_NAMES[row.action] == "Ändra namn"
