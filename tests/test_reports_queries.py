"""The nine report queries against DESIGN.md "Reports — exact definitions", on both backends.

Every expected number is written out; the edges are the period boundaries (from 00:00 in,
to+1 00:00 out), the DST days (2026-03-29 has 23 hours, 2026-10-25 has 25), exactly 240
hours, null timestamps, another region's units and the inactive-unit rule.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from models.entities import CITIZEN, STAFF, CitizenAccount, Login, LoginDaily
from models.errors import PermissionDenied, ValidationError
from models.timeutil import STOCKHOLM
from reports import (
    anslutna_mottagningar,
    anvandarkonton,
    arenden_per_arendetyp,
    arenden_per_mottagning,
    arendestatus,
    arendetyper_per_mottagning,
    handlaggningstider,
    inloggningar,
    obesvarade_arenden,
    period,
)
from reports.base import ReportParams
from tests.factories import account, make_pnr, person
from tests.test_reports_support import (
    HOUR,
    NOW,
    TEN_DAYS,
    C,
    build_region,
    fixed_clock,  # noqa: F401 - autouse fixture
    insert_cases,
    params_period,
    set_unit,
    ts,
)

Q1 = (date(2026, 1, 1), date(2026, 3, 31))
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
START_Q1 = ts(2026, 1, 1)
END_Q1 = ts(2026, 4, 1)  # to+1 00:00, CEST


def dt(y, mo, d, h=0, mi=0, s=0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=STOCKHOLM)


def test_stockholm_period_edges_are_dst_correct():
    # 2026-03-29 has 23 hours, 2026-10-25 has 25; the period's end is the next local midnight.
    spring = period.window(date(2026, 3, 29), date(2026, 3, 29))
    assert spring.end - spring.start == 23 * HOUR
    assert spring.end == ts(2026, 3, 30)
    w = period.window(date(2026, 10, 25), date(2026, 10, 25))
    assert w.end - w.start == 25 * HOUR
    assert w.start <= ts(2026, 10, 25, 23, 30) < w.end


def test_hours_round_half_up_to_one_decimal():
    assert period.hours(540 / 3600.0) == 0.2  # float 0.15 is 0.1499..., round() says 0.1
    assert period.hours(900 / 3600.0) == 0.3  # half-even would say 0.2
    assert period.hours(None) is None
    from decimal import Decimal

    assert period.hours(Decimal("2.0500000000")) == 2.1  # PostgreSQL's numeric


def test_as_of_defaults_and_caps():
    end = ts(2026, 4, 1)
    assert period.as_of_epoch(None, end) == end  # a past period: its end
    assert period.as_of_epoch(None, ts(2027, 1, 1)) == NOW  # a running period: now
    assert period.as_of_epoch(None, None) == NOW  # no period: now
    assert period.as_of_epoch(date(2026, 3, 31), None) == end  # a date: the end of the day
    assert period.as_of_epoch(datetime(2026, 3, 31, 12, 0), None) == ts(2026, 3, 31, 12)
    assert period.as_of_epoch(date(2027, 1, 1), None) == NOW  # the future is not known


# --- Anslutna mottagningar ----------------------------------------------------------------


def test_anslutna_mottagningar(backend):
    r = build_region()
    set_unit(r.b, first_activated_at=START_Q1)  # from 00:00: in
    set_unit(r.c, first_activated_at=END_Q1 - 1, name="\x1b[31mCitymottagningen")  # in
    set_unit(r.d, first_activated_at=END_Q1)  # to+1 00:00: out
    set_unit(r.e, first_activated_at=ts(2026, 2, 10))
    set_unit(r.m, first_activated_at=ts(2026, 2, 1))  # region 12: out
    result = anslutna_mottagningar.run(r.op, params_period(*Q1))
    assert [c.header for c in result.columns] == [
        "Mottagning",
        "HSA-id",
        "Vårdtyp",
        "Anslutningsdatum",
        "Aktiv",
    ]
    assert result.rows == [
        ("Barnmottagningen Åsa", r.b.hsa_id, "Barnmottagning", date(2026, 1, 1), "Ja"),
        ("Citymottagningen", r.c.hsa_id, "Vårdcentral", date(2026, 3, 31), "Nej"),
        ("Ärlinge vårdcentral", r.e.hsa_id, "Vårdcentral", date(2026, 2, 10), "Ja"),
    ]
    assert result.totals is None
    assert result.notes == ["Antal anslutna mottagningar: 3, varav aktiva: 2."]
    assert result.parameters == [
        ("Region", "Region Stockholm"),
        ("Vårdtyp", "Alla"),
        ("Period", "2026-01-01 – 2026-03-31"),
    ]
    assert result.made_by == "Anna Maria Andersson"
    assert result.made_at == datetime.fromtimestamp(NOW, STOCKHOLM)

    only = anslutna_mottagningar.run(r.op, params_period(*Q1, care_type="vårdcentral"))
    assert [row[0] for row in only.rows] == ["Citymottagningen", "Ärlinge vårdcentral"]
    assert ("Vårdtyp", "Vårdcentral") in only.parameters


def test_anslutna_mottagningar_fall_back_day(backend):
    r = build_region()
    set_unit(r.b, first_activated_at=ts(2026, 10, 25, 23, 30))  # the 25-hour day: in
    set_unit(r.e, first_activated_at=ts(2026, 10, 26))  # next midnight: out
    result = anslutna_mottagningar.run(r.op, params_period(date(2026, 10, 25), date(2026, 10, 25)))
    assert [(row[0], row[3]) for row in result.rows] == [
        ("Barnmottagningen Åsa", date(2026, 10, 25))
    ]


# --- Antal ärenden per mottagning ---------------------------------------------------------


def test_arenden_per_mottagning(backend):
    r = build_region()
    t = r.types["Beställa tid"]
    insert_cases(
        [
            # received at from 00:00 (in), closed at to+1 00:00 (out)
            C(1, r.a.id, t, START_Q1, assigned_at=ts(2026, 1, 2), closed_at=END_Q1),
            # received 1 s before the period, assigned at from 00:00, closed 1 s before the end
            C(2, r.a.id, t, START_Q1 - 1, assigned_at=START_Q1, closed_at=END_Q1 - 1),
            C(3, r.a.id, t, END_Q1),  # received at to+1 00:00: out
            C(4, r.a.id, t, ts(2026, 2, 1)),  # null timestamps after received
            C(5, r.c.id, t, ts(2025, 11, 1), closed_at=ts(2026, 2, 1)),  # inactive unit, a count
            C(6, r.d.id, t, ts(2025, 6, 1), closed_at=ts(2025, 7, 1)),  # inactive, no count
            C(7, r.m.id, t, ts(2026, 2, 1)),  # region 12
            C(
                8,
                r.b.id,
                t,
                ts(2026, 3, 15),
                assigned_at=ts(2026, 3, 16),
                closed_at=ts(2026, 3, 17),
            ),
        ]
    )
    result = arenden_per_mottagning.run(r.op, params_period(*Q1))
    assert [c.header for c in result.columns] == [
        "Mottagning",
        "HSA-id",
        "Inkomna",
        "Fördelade",
        "Avslutade",
    ]
    assert result.rows == [
        ("Barnmottagningen Åsa", r.b.hsa_id, 1, 1, 1),
        ("Citymottagningen", r.c.hsa_id, 0, 0, 1),  # inactive, but with a count
        ("Husläkarmottagningen Ängen", r.a.hsa_id, 2, 2, 1),
        ("Ärlinge vårdcentral", r.e.hsa_id, 0, 0, 0),  # active, no cases
    ]  # Dalens vårdcentral: inactive without counts; Malmö: region 12
    assert result.totals == ("Totalt", None, 3, 3, 3)

    barn = arenden_per_mottagning.run(r.op, params_period(*Q1, care_type="Barnmottagning"))
    assert barn.rows == [("Barnmottagningen Åsa", r.b.hsa_id, 1, 1, 1)]


def test_arenden_per_mottagning_spring_forward_day(backend):
    r = build_region()
    t = r.types["Beställa tid"]
    insert_cases(
        [
            C(1, r.a.id, t, ts(2026, 3, 29)),  # 00:00: in
            C(2, r.a.id, t, ts(2026, 3, 29, 23, 59, 59)),  # last second of a 23-hour day: in
            C(3, r.a.id, t, ts(2026, 3, 30, 0, 30)),  # 24 h after the start, the next day: out
        ]
    )
    result = arenden_per_mottagning.run(r.op, params_period(date(2026, 3, 29), date(2026, 3, 29)))
    assert ("Husläkarmottagningen Ängen", r.a.hsa_id, 2, 0, 0) in result.rows


# --- Antal ärenden per ärendetyp ----------------------------------------------------------


def _per_type_cases(r) -> list[C]:
    t = r.types
    return [
        C(1, r.a.id, t["Beställa tid"], START_Q1, closed_at=END_Q1),  # in / out
        C(2, r.a.id, t["Beställa tid"], ts(2025, 12, 20), closed_at=ts(2026, 1, 5)),
        C(3, r.a.id, t["Kontakta mig"], END_Q1 - 1),  # not registered on A, but a count
        C(4, r.b.id, t["Rådgivning"], ts(2026, 2, 1), closed_at=ts(2026, 2, 2)),
        C(5, r.m.id, t["Egenremiss"], ts(2026, 2, 1)),  # region 12
        C(6, r.a.id, t["Beställa tid"], END_Q1, closed_at=END_Q1 + HOUR),  # after: out
    ]


def test_arenden_per_arendetyp_all_units(backend):
    r = build_region()
    insert_cases(_per_type_cases(r))
    result = arenden_per_arendetyp.run(r.op, params_period(*Q1))
    assert result.rows == [
        ("Beställa tid", 1, 1),
        ("Förnya recept", 0, 0),  # registered (inactive) on A
        ("Kontakta mig", 1, 0),
        ("Rådgivning", 1, 1),
        ("Intern", 0, 0),  # own types by name
        ("Provsvar", 0, 0),
        ("Journalkopia", 0, 0),  # integration last
    ]  # Egenremiss: only on region 12's unit
    assert result.totals == ("Totalt", 3, 2)
    assert ("Mottagning", "Alla") in result.parameters


def test_arenden_per_arendetyp_one_unit(backend):
    r = build_region()
    insert_cases(_per_type_cases(r))
    result = arenden_per_arendetyp.run(r.op, params_period(*Q1, unit=r.a.hsa_id.lower()))
    assert result.rows == [
        ("Beställa tid", 1, 1),
        ("Förnya recept", 0, 0),
        ("Kontakta mig", 1, 0),
        ("Intern", 0, 0),
        ("Provsvar", 0, 0),
    ]
    assert result.totals == ("Totalt", 2, 1)
    assert ("Mottagning", f"Husläkarmottagningen Ängen ({r.a.hsa_id})") in result.parameters


def test_arenden_per_arendetyp_name_collision_gets_kind(backend):
    r = build_region()
    from models.entities import KIND_OWN, CaseType, UnitCaseType

    own = CaseType.create(kind=KIND_OWN, name="Rådgivning").id
    UnitCaseType.create(unit=r.b, case_type=own, active=True)
    result = arenden_per_arendetyp.run(r.op, params_period(*Q1, unit=r.b.hsa_id))
    assert [row[0] for row in result.rows] == ["Rådgivning", "Rådgivning (egen)", "Journalkopia"]


def test_other_regions_unit_is_refused(backend):
    r = build_region()
    with pytest.raises(PermissionDenied, match="annan region"):
        arenden_per_arendetyp.run(r.op, params_period(*Q1, unit=r.m.hsa_id))


# --- Användarkonton -----------------------------------------------------------------------


def test_anvandarkonton_lists_every_region(backend):
    r = build_region()
    for i, region in enumerate(["01", "01", "01", "25", None, None]):
        CitizenAccount.create(account_id=f"inv-{i}", region=region, created_at=NOW)
    nobody = person(make_pnr("19750707", "777"), "Nils", "Nilsson", region=None)
    account(nobody, region=None)
    result = anvandarkonton.run(r.op, ReportParams())
    # build_world: anna and cecilia in 01, örjan in 12.
    assert len(result.rows) == 22
    assert result.rows[0] == ("Region Stockholm", 3, 2)
    assert result.rows[1] == ("Region Uppsala", 0, 0)
    assert ("Region Skåne", 0, 1) in result.rows
    assert result.rows[-2] == ("Region Norrbotten", 1, 0)
    assert result.rows[-1] == ("Okänd", 2, 1)
    assert result.totals == ("Totalt", 6, 4)
    assert result.parameters == []
    assert anvandarkonton.SHOW_ON_SCREEN is True
    with pytest.raises(ValidationError, match="ingen period"):
        anvandarkonton.run(r.op, params_period(*Q1))


# --- Handläggningstider -------------------------------------------------------------------


def _handl_cases(r) -> list[C]:
    t, rd = r.types["Beställa tid"], r.types["Rådgivning"]
    start, end = ts(2026, 3, 1), ts(2026, 4, 1)
    d2 = ts(2026, 3, 2)
    nine = 9 * 60
    return [
        # closed exactly 240 h after it came in: in time
        C(
            1,
            r.a.id,
            t,
            start,
            assigned_at=start + 2 * HOUR,
            started_at=start + 2 * HOUR + nine,
            closed_at=start + TEN_DAYS,
        ),
        # closed 240 h + 1 s after: late
        C(
            2,
            r.a.id,
            t,
            d2,
            assigned_at=d2 + 4 * HOUR,
            started_at=d2 + 4 * HOUR + nine,
            closed_at=d2 + TEN_DAYS + 1,
        ),
        C(3, r.a.id, t, end - TEN_DAYS),  # open, exactly ten days old at as_of: counts
        C(4, r.a.id, t, end - TEN_DAYS + 1),  # open, one second too young
        C(5, r.a.id, t, ts(2026, 2, 10)),  # open, no status change in P: not counted
        C(6, r.a.id, t, ts(2026, 2, 10, 10), answered_at=ts(2026, 3, 5)),  # answered in P
        C(7, r.a.id, t, ts(2026, 2, 25, 12), assigned_at=ts(2026, 3, 1, 12)),  # 96 h
        C(8, r.a.id, t, ts(2026, 3, 10), closed_at=ts(2026, 3, 10, 6)),  # closed, no start
        C(9, r.a.id, t, end - 1),  # received in P, too young
        C(10, r.a.id, t, end, closed_at=end + TEN_DAYS + HOUR),  # after P: nothing
        C(11, r.m.id, t, ts(2026, 3, 2)),  # region 12
        # 01:00 CET to 04:00 CEST on the 23-hour day is two hours
        C(12, r.b.id, rd, ts(2026, 3, 29, 1), closed_at=ts(2026, 3, 29, 4)),
    ]


def test_handlaggningstider(backend):
    r = build_region()
    insert_cases(_handl_cases(r))
    result = handlaggningstider.run(r.op, params_period(*MARCH))
    assert [c.header for c in result.columns] == [
        "Ärendetyp",
        "Inkomna",
        "Avslutade",
        "Obesvarade",
        "Inkom>Förd",
        "Förd>Påbörj",
        "Påbörj>Avsl",
        "Handl tid",
    ]
    rows = {row[0]: row[1:] for row in result.rows}
    # Inkomna 1,2,3,4,8,9; Avslutade 1,2,8; Obesvarade 2,3,6,7.
    # Inkom>Förd (2 + 4 + 96)/3 = 34.0; Förd>Påbörj 9 min = 0.15 -> 0.2 (half up);
    # Påbörj>Avsl (237:51 + 235:51:01)/2 = 236.85.. -> 236.9; Handl tid (240 + 240 + 6)/3 = 162.0
    assert rows["Beställa tid"] == (6, 3, 4, 34.0, 0.2, 236.9, 162.0)
    assert rows["Rådgivning"] == (1, 1, 0, None, None, None, 2.0)
    assert rows["Förnya recept"] == (0, 0, 0, None, None, None, None)
    assert [row[0] for row in result.rows] == [
        "Beställa tid",
        "Förnya recept",
        "Rådgivning",
        "Intern",
        "Provsvar",
        "Journalkopia",
    ]
    assert result.totals == ("Totalt", 7, 4, 4, None, None, None, None)
    assert ("Per", "2026-04-01 00:00") in result.parameters
    assert result.landscape is True


def test_handlaggningstider_as_of_moves_the_ten_days(backend):
    r = build_region()
    insert_cases(_handl_cases(r))
    # One second earlier case 3 is not ten days old yet; cases 2, 6, 7 still are.
    as_of = datetime.fromtimestamp(ts(2026, 4, 1) - 1, STOCKHOLM)
    result = handlaggningstider.run(r.op, params_period(*MARCH, as_of=as_of))
    rows = {row[0]: row[1:] for row in result.rows}
    assert rows["Beställa tid"][2] == 3
    one_unit = handlaggningstider.run(r.op, params_period(*MARCH, unit=r.b.hsa_id))
    assert [row[0] for row in one_unit.rows] == ["Rådgivning", "Journalkopia"]


# --- Inloggningar -------------------------------------------------------------------------


def test_inloggningar_reads_the_daily_rollup(backend):
    r = build_region()
    rows = [
        (date(2026, 3, 29), "01", CITIZEN, "BankID", 10, 3),
        (date(2026, 3, 29), "01", CITIZEN, "Freja", 5, 0),
        (date(2026, 3, 28), "01", STAFF, "E-tjänstekort", 7, 0),  # before the period
        (date(2026, 3, 31), "01", STAFF, "E-tjänstekort", 4, 1),
        (date(2026, 4, 1), "01", CITIZEN, "BankID", 100, 0),  # after the period
        (date(2026, 3, 30), "12", CITIZEN, "BankID", 50, 0),  # region 12
        (date(2026, 3, 30), None, CITIZEN, "BankID", 20, 0),  # no region
    ]
    LoginDaily.insert_many(
        [
            dict(day=d, region=g, kind=k, method=m, succeeded=s, failed=f)
            for d, g, k, m, s, f in rows
        ]
    ).execute()
    # A raw login without its roll-up row: the report does not scan raw logins.
    Login.create(at=ts(2026, 3, 30, 12), kind=CITIZEN, method="BankID", success=True, region="01")
    result = inloggningar.run(r.op, params_period(date(2026, 3, 29), date(2026, 3, 31)))
    assert [c.header for c in result.columns] == ["Kontotyp", "Antal lyckade inloggningar"]
    assert result.rows == [("Invånare", 15), ("Vårdaktör", 4)]
    assert result.totals == ("Totalt", 19)
    empty = inloggningar.run(r.op, params_period(date(2025, 1, 1), date(2025, 1, 31)))
    assert empty.rows == [("Invånare", 0), ("Vårdaktör", 0)]


# --- Obesvarade ärenden -------------------------------------------------------------------


def test_obesvarade_arenden(backend):
    r = build_region()
    t, rd = r.types["Beställa tid"], r.types["Rådgivning"]
    as_of = ts(2026, 4, 1)  # the end of 2026-03-31
    ten_days_before = as_of - TEN_DAYS  # 2026-03-21 23:00 CET: 240 h, not ten dates
    assert ten_days_before == ts(2026, 3, 21, 23)
    insert_cases(
        [
            C(1, r.a.id, t, ten_days_before),  # exactly 240 h old: listed
            C(2, r.a.id, t, ten_days_before + 1),  # one second too young
            C(3, r.a.id, t, ts(2026, 3, 1, 10), closed_at=as_of),  # closed at as_of: not open
            C(
                4,
                r.a.id,
                t,
                ts(2026, 3, 1, 9),
                assigned_at=ts(2026, 3, 2, 8),
                closed_at=as_of + 1,
                assignee=r.cecilia_account,
            ),  # closed after as_of: listed
            C(
                5,
                r.b.id,
                rd,
                ts(2026, 2, 1, 8),
                assigned_at=as_of + HOUR,
                assignee=r.cecilia_account,
            ),  # assigned after as_of: shown unassigned
            C(6, r.a.id, t, ts(2026, 4, 2)),  # after as_of: does not exist yet
            C(7, r.m.id, t, ts(2026, 1, 1)),  # region 12
            C(8, r.c.id, t, ts(2026, 1, 15)),  # inactive unit: its open case is listed
        ]
    )
    result = obesvarade_arenden.run(r.op, ReportParams(as_of=date(2026, 3, 31)))
    assert [c.header for c in result.columns] == [
        "Mottagning",
        "HSA-id",
        "Ärendetyp",
        "Inkommet",
        "Fördelade",
        "Namn",
        "E-postärendemottagare",
    ]
    assert result.rows == [
        ("Citymottagningen", r.c.hsa_id, "Beställa tid", dt(2026, 1, 15), None, "", ""),
        (
            "Barnmottagningen Åsa",
            r.b.hsa_id,
            "Rådgivning",
            dt(2026, 2, 1, 8),
            None,
            "",
            "barn@asa.se",
        ),
        (
            "Husläkarmottagningen Ängen",
            r.a.hsa_id,
            "Beställa tid",
            dt(2026, 3, 1, 9),
            dt(2026, 3, 2, 8),
            "Cecilia Carlsson",
            "inkorg@angen.se",
        ),
        (
            "Husläkarmottagningen Ängen",
            r.a.hsa_id,
            "Beställa tid",
            dt(2026, 3, 21, 23),
            None,
            "",
            "inkorg@angen.se",
        ),
    ]
    assert result.totals is None
    assert result.notes == ["Antal obesvarade ärenden: 4."]
    assert result.parameters == [
        ("Region", "Region Stockholm"),
        ("Mottagning", "Alla"),
        ("Per", "2026-04-01 00:00"),
    ]
    assert result.landscape is True

    only_b = obesvarade_arenden.run(r.op, ReportParams(unit=r.b.hsa_id, as_of=date(2026, 3, 31)))
    assert [row[2] for row in only_b.rows] == ["Rådgivning"]
    # Default as_of is now (2026-11-15): case 2 is old by then, 3 and 4 are closed.
    later = obesvarade_arenden.run(r.op, ReportParams())
    assert len(later.rows) == 5 and ("Per", "2026-11-15 12:00") in later.parameters


# --- Ärendestatus -------------------------------------------------------------------------


def test_arendestatus_counts_each_case_once(backend):
    r = build_region()
    t, rd = r.types["Beställa tid"], r.types["Rådgivning"]
    s, e = ts(2026, 3, 1), ts(2026, 4, 1)
    before, inside, after = ts(2026, 2, 10), ts(2026, 3, 10), ts(2026, 4, 10)
    insert_cases(
        [
            C(1, r.a.id, t, s),  # Inkomna (received at from 00:00)
            C(2, r.a.id, t, inside, assigned_at=inside + HOUR),  # Fördelade
            C(3, r.a.id, t, inside, assigned_at=inside + HOUR, closed_at=inside + 2 * HOUR),
            C(4, r.a.id, t, before, assigned_at=inside, closed_at=after),  # Fördelade
            C(5, r.a.id, t, before, closed_at=e - 1),  # Avslutade
            C(6, r.a.id, t, inside, assigned_at=e),  # assigned at to+1 00:00: Inkomna
            C(7, r.a.id, t, inside, assigned_at=inside + HOUR, closed_at=e),  # Fördelade
            C(8, r.a.id, t, inside, started_at=inside + HOUR, answered_at=inside + 2 * HOUR),
            C(9, r.a.id, t, before, assigned_at=before + HOUR),  # nothing in P
            C(10, r.a.id, t, e),  # received at to+1 00:00: out
            C(11, r.b.id, rd, e - 1),  # Inkomna
            C(12, r.m.id, t, inside),  # region 12
        ]
    )
    result = arendestatus.run(r.op, params_period(*MARCH))
    assert [c.header for c in result.columns] == [
        "Ärendetyp",
        "Inkomna",
        "Fördelade",
        "Avslutade",
        "Summa",
    ]
    rows = {row[0]: row[1:] for row in result.rows}
    assert rows["Beställa tid"] == (3, 3, 2, 8)  # Inkomna 1,6,8; Fördelade 2,4,7; Avsl 3,5
    assert rows["Rådgivning"] == (1, 0, 0, 1)
    assert rows["Provsvar"] == (0, 0, 0, 0)
    assert result.totals == ("Totalt", 4, 3, 2, 9)


# --- Ärendetyper per mottagning -----------------------------------------------------------


def test_arendetyper_per_mottagning(backend):
    r = build_region()
    result = arendetyper_per_mottagning.run(r.op, ReportParams())
    headers = [c.header for c in result.columns]
    assert headers[:3] == ["Mottagning", "HSA-id", "Beställa tid"]
    assert headers[2:14] == [
        "Beställa tid",
        "Av-/omboka tid",
        "Förnya recept",
        "Kontakta mig",
        "Skicka meddelande",
        "Egenremiss",
        "Fråga om min remiss",
        "Begära intyg",
        "Rådgivning",
        "Förnya hjälpmedel",
        "Synpunkter och klagomål",
        "Hjälp oss att bli bättre",
    ]
    assert headers[14:] == ["Egna ärendetyper", "Integrationsärendetyper"]
    blank = [""] * 12

    def states(**named):
        cells = list(blank)
        for index, value in named.items():
            cells[int(index[1:])] = value
        return cells

    assert [list(row) for row in result.rows] == [
        ["Barnmottagningen Åsa", r.b.hsa_id, *states(i8="Aktiv"), 0, 1],
        ["Citymottagningen", r.c.hsa_id, *states(i0="Inaktiv"), 0, 0],
        ["Dalens vårdcentral", r.d.hsa_id, *blank, 0, 0],
        ["Husläkarmottagningen Ängen", r.a.hsa_id, *states(i0="Aktiv", i2="Inaktiv"), 2, 0],
        ["Ärlinge vårdcentral", r.e.hsa_id, *blank, 0, 0],
    ]
    assert result.totals == ("Totalt", None, *([None] * 12), 2, 1)
    assert arendetyper_per_mottagning.FORMATS == ("xlsx", "csv")

    active = arendetyper_per_mottagning.run(
        r.op, ReportParams(only_active=True, care_type="Vårdcentral")
    )
    assert [row[0] for row in active.rows] == ["Husläkarmottagningen Ängen", "Ärlinge vårdcentral"]
    assert ("Mottagningar", "Endast aktiva") in active.parameters


def test_a_former_landstingsadmin_gets_nothing(backend):
    r = build_region()
    from models.entities import Grant

    Grant.delete().where(Grant.account == r.op.account_id).execute()
    with pytest.raises(PermissionDenied):
        arendestatus.run(r.op, params_period(*MARCH))
    with pytest.raises(PermissionDenied):
        anvandarkonton.run(r.op, ReportParams())
