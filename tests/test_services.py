"""The domain services on both backends: what they write, what they refuse, the audit trail."""

import json

import pytest

from models import catalog, grants, operators, settings, units
from models.auditlog import list_events
from models.entities import (
    ADMIN,
    GRANSKARE,
    AuditEvent,
    Case,
    CaseType,
    Grant,
    HsaUnit,
    StaffAccount,
    Unit,
    UnitCaseType,
)
from models.errors import Conflict, NotFound, PermissionDenied, ValidationError
from models.timeutil import now_epoch
from tests.factories import PNR_BERTIL, PNR_CECILIA, build_world, make_pnr


def audit_count(action: str | None = None) -> int:
    query = AuditEvent.select()
    if action:
        query = query.where(AuditEvent.action == action)
    return query.count()


def test_schema_init_is_idempotent(backend):
    from models.schema import CURRENT_VERSION, init_schema

    assert init_schema() == (CURRENT_VERSION, CURRENT_VERSION)
    assert CaseType.select().where(CaseType.kind == "standard").count() == 12
    from models.entities import Region

    assert Region.select().count() == 21
    assert Region.get_by_id("09").org_number == "2120000803"


def test_activate_then_reactivate(backend):
    w = build_world()
    entry = units.lookup_for_activation(w.op, w.free_hsa)
    assert entry.name == "Vårdcentralen Källan" and not entry.reactivation
    unit = units.activate_unit(w.op, w.free_hsa, other_service=True)
    assert unit.name == "Vårdcentralen Källan" and unit.other_service and unit.active
    event = AuditEvent.get(AuditEvent.action == "unit.activate")
    assert event.actor_id == w.op.account_id and event.target == w.free_hsa
    assert json.loads(event.after)["active"] is True and event.before is None

    with pytest.raises(Conflict, match="saknar administratör"):
        units.deactivate_unit(w.op, w.free_hsa)  # DESIGN.md: at least one ADMIN stays
    grants.grant_roles(w.op, w.free_hsa, PNR_BERTIL, [ADMIN])
    units.deactivate_unit(w.op, w.free_hsa)
    assert not Unit.get(Unit.hsa_id == w.free_hsa).active
    entry = units.lookup_for_activation(w.op, w.free_hsa)
    assert entry.reactivation and entry.current_name == "Vårdcentralen Källan"
    again = units.activate_unit(w.op, w.free_hsa, new_name="Nya Källan")
    assert again.active and again.deactivated_at is None and again.name == "Nya Källan"
    assert audit_count("unit.reactivate") == 1
    assert Unit.select().where(Unit.hsa_id == w.free_hsa).count() == 1


@pytest.mark.parametrize(
    "which, error, fragment",
    [
        ("unknown", NotFound, "finns inte i HSA-katalogen"),
        ("other", PermissionDenied, "Region Skåne"),
        ("active", Conflict, "redan aktiv"),
        ("bad", ValidationError, "kontrollsiffra"),
    ],
)
def test_activate_refusals_write_nothing(backend, which, error, fragment):
    w = build_world()
    hsa_id = {
        "unknown": "SE2321000016-9999",
        "other": w.other_hsa,
        "active": w.active_hsa,
        "bad": "SE2321000017-1",
    }[which]
    before = (Unit.select().count(), audit_count())
    with pytest.raises(error) as info:
        units.activate_unit(w.op, hsa_id)
    assert fragment in str(info.value)
    assert (Unit.select().count(), audit_count()) == before


def test_activate_name_rule(backend):
    w = build_world()
    with pytest.raises(ValidationError, match="max 28 tecken"):
        units.activate_unit(w.op, w.free_hsa, new_name="Vårdcentralsmottagningensnamn")
    assert Unit.select().where(Unit.hsa_id == w.free_hsa).count() == 0


def _open_unit_with_work(w):
    unit = Unit.get(Unit.hsa_id == w.active_hsa)
    ct = CaseType.get(CaseType.name == "Förnya recept")
    UnitCaseType.create(unit=unit, case_type=ct, active=True)
    UnitCaseType.create(
        unit=unit, case_type=CaseType.get(CaseType.name == "Rådgivning"), active=False
    )
    now = now_epoch()
    # insert_many takes its columns from the first row: give every row all of them.
    blank = dict(assigned_at=None, answered_at=None, closed_at=None)
    Case.insert_many(
        [
            blank | dict(id=1, unit=unit.id, case_type=ct.id, received_at=now - 100),
            blank
            | dict(
                id=2, unit=unit.id, case_type=ct.id, received_at=now - 100, assigned_at=now - 50
            ),
            dict(
                id=3,
                unit=unit.id,
                case_type=ct.id,
                received_at=now - 100,
                assigned_at=now - 50,
                answered_at=now - 10,
                closed_at=now - 5,
            ),
        ]
    ).execute()
    grants.grant_roles(w.op, w.active_hsa, PNR_CECILIA, [GRANSKARE])
    grants.grant_roles(w.op, w.active_hsa, PNR_BERTIL, [ADMIN, GRANSKARE])
    return unit


def test_deactivation_checklist_and_confirm(backend):
    w = build_world()
    unit = _open_unit_with_work(w)
    _, checklist = units.deactivation_checklist(w.op, w.active_hsa)
    assert (
        checklist.active_case_types,
        checklist.incoming_unanswered,
        checklist.assigned_unanswered,
        checklist.extra_grants,
    ) == (1, 1, 1, 3)
    assert checklist.kept_admin == "Cecilia Carlsson"
    with pytest.raises(Conflict, match="Bekräfta"):
        units.deactivate_unit(w.op, w.active_hsa)
    assert Unit.get_by_id(unit.id).active
    units.deactivate_unit(w.op, w.active_hsa, confirm=True)
    unit = Unit.get_by_id(unit.id)
    assert not unit.active and unit.deactivated_at is not None
    remaining = list(Grant.select().where(Grant.unit == unit))
    assert [(g.account.person.personnummer, g.role) for g in remaining] == [(PNR_CECILIA, ADMIN)]
    assert (
        not UnitCaseType.select().where((UnitCaseType.unit == unit) & UnitCaseType.active).exists()
    )
    after = json.loads(AuditEvent.get(AuditEvent.action == "unit.deactivate").after)
    assert after["case_types_deactivated"] == 1 and len(after["grants_removed"]) == 3
    with pytest.raises(Conflict, match="redan inaktiv"):
        units.deactivate_unit(w.op, w.active_hsa, confirm=True)
    # The last administrator of an inactive unit stays.
    with pytest.raises(Conflict, match="minst en administratör"):
        grants.revoke_role(w.op, w.active_hsa, PNR_CECILIA, ADMIN)


def test_rename(backend):
    w = build_world()
    units.rename_unit(w.op, w.active_hsa, "Ängens  vårdcentral")
    assert Unit.get(Unit.hsa_id == w.active_hsa).name == "Ängens vårdcentral"
    event = AuditEvent.get(AuditEvent.action == "unit.rename")
    assert json.loads(event.before) == {"name": "Husläkarmottagningen Ängen"}
    with pytest.raises(ValidationError, match="samma som"):
        units.rename_unit(w.op, w.active_hsa, "Ängens vårdcentral")
    with pytest.raises(ValidationError, match="max 28"):
        units.rename_unit(w.op, w.active_hsa, "x" * 29)
    with pytest.raises(PermissionDenied):
        units.rename_unit(w.op, w.other_active_hsa, "Nytt")
    with pytest.raises(NotFound):
        units.rename_unit(w.op, w.free_hsa, "Nytt")
    assert audit_count("unit.rename") == 1


def test_search_units_terms_paging_and_sort(backend):
    w = build_world()
    units.activate_unit(w.op, w.free_hsa)
    page = units.search_units(w.op)
    assert page.total == 2 and [r.name for r in page.rows] == [
        "Husläkarmottagningen Ängen",
        "Vårdcentralen Källan",
    ]
    assert units.search_units(w.op, "storgatan").total == 1  # address
    assert units.search_units(w.op, "ÖPPET").total == 1  # info, non-ASCII case-folded
    assert units.search_units(w.op, "1002").rows[0].hsa_id == w.active_hsa
    assert units.search_units(w.op, "malmö").total == 0  # other region
    assert units.search_units(w.op, "100%").total == 0  # wildcards are literal
    desc = units.search_units(w.op, sort="name", descending=True, limit=1)
    assert desc.total == 2 and len(desc.rows) == 1 and desc.rows[0].name.startswith("Vård")
    grants.grant_roles(w.op, w.free_hsa, PNR_BERTIL, [ADMIN])
    units.deactivate_unit(w.op, w.free_hsa)
    assert units.search_units(w.op).total == 2  # inactive units are listed too
    assert units.search_units(w.op, active_only=True).total == 1


def test_unit_details(backend):
    w = build_world()
    _open_unit_with_work(w)
    details = units.unit_details(w.op, w.active_hsa)
    assert details.name == "Husläkarmottagningen Ängen" and details.active
    assert [(c.name, c.active) for c in details.case_types] == [
        ("Förnya recept", True),
        ("Rådgivning", False),
    ]
    assert "112" in details.case_types[0].terms_text
    assert [(g.name, g.roles) for g in details.grants] == [
        ("Bertil Berg", (ADMIN, GRANSKARE)),
        ("Cecilia Carlsson", (ADMIN, GRANSKARE)),
    ]


def test_grant_creates_account_and_audits(backend):
    w = build_world()
    person = grants.find_person(w.op, PNR_BERTIL)
    assert person.name == "Bertil Berg" and not person.has_account
    result = grants.grant_roles(w.op, w.active_hsa, PNR_BERTIL, [ADMIN, GRANSKARE])
    assert set(result.roles_on_unit) == {ADMIN, GRANSKARE}
    assert grants.find_person(w.op, PNR_BERTIL).has_account
    assert audit_count("account.create") == 1 and audit_count("grant.add") == 2
    with pytest.raises(Conflict, match="har redan"):
        grants.grant_roles(w.op, w.active_hsa, PNR_BERTIL, [ADMIN])
    grants.revoke_role(w.op, w.active_hsa, PNR_BERTIL, ADMIN)  # takes Granskare with it
    assert grants.find_person(w.op, PNR_BERTIL, w.active_hsa).roles_on_unit == ()
    assert audit_count("grant.remove") == 2


@pytest.mark.parametrize(
    "roles, error, fragment",
    [
        ([GRANSKARE], ValidationError, "tillsammans med Administratör"),
        (["VARDGIVARE"], PermissionDenied, "bara dela ut rollerna"),
        (["LANDSTINGSADMIN"], PermissionDenied, "bara dela ut rollerna"),
        ([], ValidationError, "Välj Administratör"),
    ],
)
def test_grant_refusals(backend, roles, error, fragment):
    w = build_world()
    before = (Grant.select().count(), StaffAccount.select().count(), audit_count())
    with pytest.raises(error, match=fragment):
        grants.grant_roles(w.op, w.active_hsa, PNR_BERTIL, roles)
    assert (Grant.select().count(), StaffAccount.select().count(), audit_count()) == before


def test_grant_unknown_person_and_bad_pnr(backend):
    w = build_world()
    with pytest.raises(NotFound, match="finns inte i personalkatalogen"):
        grants.grant_roles(w.op, w.active_hsa, make_pnr("19500101", "111"), [ADMIN])
    with pytest.raises(ValidationError, match="inte ett giltigt"):
        grants.find_person(w.op, "19500101-1110")
    assert StaffAccount.select().count() == 3


def test_list_region_admins_alphabetical(backend):
    w = build_world()
    from tests.factories import account, person

    z = account(person(make_pnr("19750101", "222"), "Åke", "Åberg"), "ake")
    a = account(person(make_pnr("19760101", "333"), "Zlatan", "Adamsson"), "zlatan")
    from models.entities import LANDSTINGSADMIN

    for acc in (z, a):
        Grant.create(account=acc, region="01", role=LANDSTINGSADMIN, granted_at=now_epoch())
    rows = grants.list_region_admins(w.op)
    assert [r.name for r in rows] == ["Zlatan Adamsson", "Anna Maria Andersson", "Åke Åberg"]
    assert rows[1].personnummer.endswith(w.anna.personnummer[8:])
    assert "-" in rows[1].personnummer and rows[1].login_method == "E-tjänstekort"


def test_case_bank(backend):
    w = build_world()
    rows = catalog.list_case_types(w.op)
    assert [r.name for r in rows[:3]] == ["Beställa tid", "Av-/omboka tid", "Förnya recept"]
    details = catalog.case_type_details(w.op, rows[2].id)
    assert details.questions[0] == "Vilket läkemedel gäller det?" and details.terms_text
    with pytest.raises(NotFound):
        catalog.case_type_details(w.op, 99999)


def test_settings_roundtrip_and_validation(backend):
    w = build_world()
    view = settings.get_settings(w.op)
    assert view.directory_email == "anna.andersson@regionstockholm.se"
    assert view.automatic_signature.startswith("Med vänlig hälsning\nAnna Maria Andersson")
    new = settings.Settings(
        preferred_name="Anna",
        sms_notice=True,
        mobile="070-1234567",
        email_notice=True,
        signature="Hälsningar\nAnna",
    )
    saved = settings.save_settings(w.op, new).settings
    assert saved.mobile == "+46701234567" and saved.preferred_name == "Anna"
    assert audit_count("settings.save") == 1
    with pytest.raises(ValidationError, match="mobilnummer"):
        settings.save_settings(w.op, settings.Settings(sms_notice=True, mobile="12"))
    with pytest.raises(ValidationError, match="e-postadress"):
        settings.save_settings(w.op, settings.Settings(email="nej@"))
    assert settings.get_settings(w.op).settings == saved and audit_count("settings.save") == 1
    settings.save_settings(w.op, saved)  # unchanged: no new event
    assert audit_count("settings.save") == 1


def test_link_operator_and_terms(backend):
    build_world()
    op = operators.link_operator("bertil", PNR_BERTIL, "01", system_owner="root")
    assert op.region_code == "01" and not op.terms_accepted
    assert AuditEvent.get(AuditEvent.action == "operator.link").actor_name == "systemägare root"
    op = operators.accept_terms(op)
    assert op.terms_accepted and audit_count("terms.accept") == 1
    operators.accept_terms(op)
    assert audit_count("terms.accept") == 1
    with pytest.raises(ValidationError, match="Regionkoden"):
        operators.link_operator("x", PNR_BERTIL, "02")
    with pytest.raises(NotFound):
        operators.link_operator("x", make_pnr("19500101", "111"), "01")


def test_resolve_operator_refuses_unknown_and_non_admins(backend):
    build_world()
    with pytest.raises(PermissionDenied, match="inte kopplad"):
        operators.resolve_operator("okand")
    with pytest.raises(PermissionDenied, match="Landstingsadministratör"):
        operators.resolve_operator("cecilia")  # ADMIN on a unit only


def test_audit_log_lists_own_region_newest_first(backend):
    w = build_world()
    units.rename_unit(w.op, w.active_hsa, "Första namnet")
    units.rename_unit(w.op, w.active_hsa, "Andra namnet")
    units.activate_unit(w.other_op, w.other_hsa)
    page = list_events(w.op)
    assert page.total == 2
    assert [json.loads(r.after)["name"] for r in page.rows] == ["Andra namnet", "Första namnet"]
    assert list_events(w.op, action="unit.activate").total == 0
    assert list_events(w.other_op, action="unit.activate").total == 1
    assert list_events(w.op, actor="Anna").total == 2
    assert list_events(w.op, date_from="2000-01-01", date_to="2000-01-02").total == 0
    with pytest.raises(ValidationError):
        list_events(w.op, date_from="2026-13-01")


def test_search_sorts_names_regardless_of_case(backend):
    w = build_world()
    from tests.factories import connected_unit

    connected_unit("SE2321000016-1003", "BVC Solna")
    connected_unit("SE2321000016-1004", "Barnavårdscentralen Kista")
    names = [r.name for r in units.search_units(w.op, "b").rows if r.name[0] == "B"]
    assert names == ["Barnavårdscentralen Kista", "BVC Solna"]


# ---------------------------------------------------------------------------- review fixes


def test_case_bank_is_scoped_to_the_own_region(backend):
    """All 12 standard types (the bank is national); own and integration types only when
    a unit of the own region uses them; usage counted over the own region's units only."""
    w = build_world()
    own_unit = Unit.get(Unit.hsa_id == w.active_hsa)
    skane_unit = Unit.get(Unit.hsa_id == w.other_active_hsa)
    blodprov = CaseType.create(kind="own", name="Blodprov")
    only_in_12 = CaseType.create(kind="own", name="Malmös eget ärende")
    webb_12 = CaseType.create(kind="integration", name="Webbtidbok Skåne")
    CaseType.create(kind="own", name="Oanvänd")
    booking = CaseType.get(CaseType.name == "Beställa tid")
    UnitCaseType.create(unit=own_unit, case_type=blodprov, active=False)
    UnitCaseType.create(unit=own_unit, case_type=booking)
    for ct in (only_in_12, webb_12, booking, blodprov):
        UnitCaseType.create(unit=skane_unit, case_type=ct)

    rows = catalog.list_case_types(w.op)
    assert [r.kind for r in rows[:12]] == ["standard"] * 12
    assert [(r.name, r.units) for r in rows[12:]] == [("Blodprov", 1)]
    assert {r.name: r.units for r in rows}["Beställa tid"] == 1  # not 2: 12's unit is not ours
    assert all(r.units == 0 for r in rows[:12] if r.name != "Beställa tid")

    skane = catalog.list_case_types(w.other_op)
    assert [(r.name, r.units) for r in skane[12:]] == [
        ("Blodprov", 1),
        ("Malmös eget ärende", 1),
        ("Webbtidbok Skåne", 1),
    ]


def test_reactivation_follows_the_directory_to_a_new_region(backend):
    """A unit closed while in region 12 that the directory has since moved to 01: 01's
    landstingsadministratör re-activates it into 01."""
    from tests.factories import ORG_12, connected_unit, hsa

    w = build_world()
    moved = hsa(ORG_12, "2010")
    unit = connected_unit(moved, "Vårdcentralen Flytten", region="12", active=False)
    HsaUnit.update(region="01").where(HsaUnit.hsa_id == moved).execute()

    again = units.activate_unit(w.op, moved)
    assert again.hsa_id == unit.hsa_id and again.active
    assert Unit.get_by_id(unit.id).region_id == "01"
    assert [r.hsa_id for r in units.search_units(w.op, "flytten").rows] == [moved]
    assert units.search_units(w.other_op, "flytten").total == 0
    event = AuditEvent.get(AuditEvent.action == "unit.reactivate")
    assert (json.loads(event.before)["region"], json.loads(event.after)["region"]) == ("12", "01")


def test_deactivation_needs_an_administrator(backend):
    """DESIGN.md: at least one ADMIN stays, so the archived cases can be reached. Other
    roles do not count; the refusal changes nothing."""
    w = build_world()
    units.activate_unit(w.op, w.free_hsa)
    unit = Unit.get(Unit.hsa_id == w.free_hsa)
    UnitCaseType.create(unit=unit, case_type=CaseType.get(CaseType.name == "Beställa tid"))
    cecilia = StaffAccount.get(StaffAccount.login_name == "cecilia")
    Grant.create(account=cecilia, unit=unit, role="ARENDEMOTTAGARE", granted_at=now_epoch())
    before = (audit_count(), Grant.select().count())
    with pytest.raises(Conflict) as info:
        units.deactivate_unit(w.op, w.free_hsa, confirm=True)
    assert str(info.value) == (
        "Mottagningen saknar administratör. Tilldela en administratör "
        "först, så att arkiverade ärenden går att nå efter "
        "inaktiveringen."
    )
    assert Unit.get_by_id(unit.id).active
    assert UnitCaseType.get(UnitCaseType.unit == unit).active
    assert (audit_count(), Grant.select().count()) == before
    _, checklist = units.deactivation_checklist(w.op, w.free_hsa)  # Visa still shows it
    assert checklist.kept_admin is None

    grants.grant_roles(w.op, w.free_hsa, PNR_BERTIL, [ADMIN])
    units.deactivate_unit(w.op, w.free_hsa, confirm=True)
    assert not Unit.get_by_id(unit.id).active


SWEDISH_ORDER = [
    "Barnavårdscentralen Kista",
    "BVC Solna",
    "Husläkarmottagningen Ängen",
    "Zeta vårdcentral",
    "Åkersberga VC",
    "Ängby VC",
    "ärlinge mottagning",
    "Öster VC",
]


def test_unit_names_sort_in_swedish_order(backend):
    """Case ignored, Å Ä Ö after Z in that order, on both backends, for the paged list and
    the report pickers (binary order put "BVC" before "Barnavård" and Ä before Å)."""
    from tests.factories import ORG_01, connected_unit, hsa

    w = build_world()
    for i, name in enumerate(
        [
            "Öster VC",
            "ärlinge mottagning",
            "Zeta vårdcentral",
            "Åkersberga VC",
            "BVC Solna",
            "Ängby VC",
            "Barnavårdscentralen Kista",
        ]
    ):
        connected_unit(hsa(ORG_01, f"30{i}"), name)

    assert [r.name for r in units.search_units(w.op).rows] == SWEDISH_ORDER
    assert [r.name for r in units.search_units(w.op, descending=True).rows] == SWEDISH_ORDER[::-1]
    paged = [
        r.name
        for offset in range(0, 8, 3)
        for r in units.search_units(w.op, offset=offset, limit=3).rows
    ]
    assert paged == SWEDISH_ORDER
    assert [name for _, name in units.unit_choices(w.op)] == SWEDISH_ORDER
    units.rename_unit(w.op, hsa(ORG_01, "300"), "Adolfsberg VC")  # Öster VC renamed
    assert units.search_units(w.op, limit=1).rows[0].name == "Adolfsberg VC"


def test_os_user_comes_from_the_user_id_not_the_environment(monkeypatch):
    import os
    import pwd

    monkeypatch.delenv("REGIONADMIN_USER", raising=False)
    for name in ("USER", "LOGNAME", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, "mallory")
    assert operators.os_user() == pwd.getpwuid(os.getuid()).pw_name != "mallory"
    monkeypatch.setenv("REGIONADMIN_USER", " support ")  # the documented override
    assert operators.os_user() == "support"


def test_first_name_rule_is_the_same_everywhere(backend):
    """Own tilltalsnamn, else the directory's, else all given names: in the account's
    name, Lista admin's sort name and the automatic signature."""
    from datetime import date

    from tests.factories import account, person

    w = build_world()
    maja = person(
        make_pnr("19850505", "555"), "Anna Maja", "Lund", preferred_name="Maja", title="Kurator"
    )
    acc = account(maja, "maja")
    from models.entities import LANDSTINGSADMIN

    Grant.create(account=acc, region="01", role=LANDSTINGSADMIN, granted_at=now_epoch())
    assert maja.first_name() == "Maja" and maja.full_name == "Maja Lund"
    assert acc.display_name == "Maja Lund"
    assert settings.automatic_signature(maja, today=date(2026, 1, 2)).splitlines()[1] == "Maja Lund"
    assert "Lund, Maja" in [r.sort_name for r in grants.list_region_admins(w.op)]
    acc.preferred_name = "Majsan"
    acc.save()
    assert acc.display_name == "Majsan Lund" == maja.shown_name("Majsan")
    assert settings.automatic_signature(maja, "Majsan").splitlines()[1] == "Majsan Lund"
    assert "Lund, Majsan" in [r.sort_name for r in grants.list_region_admins(w.op)]
    assert w.bertil.first_name() == "Bertil"  # no tilltalsnamn: the given names


def test_bank_details_of_another_regions_own_type_are_not_shown(backend):
    w = build_world()
    other = Unit.get(Unit.hsa_id == w.other_active_hsa)
    own = CaseType.create(kind="own", name="Skånes egen", terms_text="")
    UnitCaseType.create(unit=other, case_type=own, active=True)
    assert catalog.case_type_details(w.other_op, own.id).name == "Skånes egen"
    with pytest.raises(NotFound):
        catalog.case_type_details(w.op, own.id)
    assert "Skånes egen" not in [r.name for r in catalog.list_case_types(w.op)]
