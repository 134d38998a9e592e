"""Demo data on both backends: deterministic per seed, --if-empty, and what it contains."""

from __future__ import annotations

import hashlib
import io
from datetime import date, timedelta

import pytest

from models import demo, grants, transfer
from models.entities import (
    ADMIN,
    ALL_MODELS,
    AuditEvent,
    Case,
    CitizenAccount,
    Grant,
    HsaPerson,
    HsaUnit,
    Login,
    LoginDaily,
    Unit,
)
from models.errors import Conflict, ValidationError
from models.operators import resolve_operator
from models.timeutil import day_start_epoch
from tests.conftest import wipe_store
from tests.factories import case_indexes

TODAY = date(2026, 6, 1)
SMALL = dict(units=12, cases=600, logins=900, today=TODAY, login_name="demo")


def content_hash() -> str:
    digest = hashlib.sha256()
    for kind in transfer.KINDS:
        buffer = io.StringIO()
        transfer.export_file(kind, buffer)
        digest.update(buffer.getvalue().encode("utf-8"))
    return digest.hexdigest()


def test_same_seed_same_content_other_seed_differs(backend):
    demo.generate_demo(seed=5, **SMALL)
    first = content_hash()
    wipe_store()
    demo.generate_demo(seed=5, **SMALL)
    assert content_hash() == first
    wipe_store()
    demo.generate_demo(seed=6, **SMALL)
    assert content_hash() != first


def test_if_empty_leaves_a_filled_store_alone(backend):
    result = demo.generate_demo(seed=1, **SMALL)
    assert not result.skipped and result.cases == 600 and result.logins == 900
    before = {m.__name__: m.select().count() for m in ALL_MODELS}
    assert demo.generate_demo(seed=2, if_empty=True, **SMALL).skipped
    with pytest.raises(Conflict, match="redan mottagningar"):
        demo.generate_demo(seed=2, **SMALL)
    assert {m.__name__: m.select().count() for m in ALL_MODELS} == before


def test_refuses_too_few_units(backend):
    with pytest.raises(ValidationError, match="minst 5"):
        demo.generate_demo(units=3, today=TODAY, login_name="demo")
    assert not HsaUnit.select().exists()


def test_demo_content(backend):
    progress: list[tuple[str, int, int]] = []
    demo.generate_demo(seed=1, progress=lambda *a: progress.append(a), **SMALL)
    anchor = day_start_epoch(TODAY)
    window = day_start_epoch(TODAY - timedelta(days=demo.WINDOW_DAYS))

    # The OS user is landstingsadministratör of 01; Lista admin has three there.
    op = resolve_operator("demo")
    assert op.region_code == "01"
    assert [a.name for a in grants.list_region_admins(op)] == [
        "Linnea Ekström",
        "Łukasz Wiśniewski",
        "Göran Åberg",
    ]
    # Directory: 01 plus other regions; the escape-sequence entry is not connected.
    assert HsaUnit.select().where(HsaUnit.region != "01").count() == 6
    escaped = HsaUnit.get(HsaUnit.info.contains("\x1b[31m"))
    assert (
        escaped.region_id == "01"
        and not Unit.select().where(Unit.hsa_id == escaped.hsa_id).exists()
    )
    names = [u.name for u in Unit.select()]
    assert any("Ł" in n for n in names) and any("–" in n for n in names)
    assert Unit.select().where(Unit.active == False).exists()  # noqa: E712
    for unit in Unit.select().where(Unit.active == False):  # noqa: E712
        assert [g.role for g in Grant.select().where(Grant.unit == unit)] == [ADMIN]
    # Persons: valid 12-digit numbers, some samordningsnummer (day + 60).
    pnrs = [p.personnummer for p in HsaPerson.select()]
    assert all(len(p) == 12 for p in pnrs)
    assert any(int(p[6:8]) > 60 for p in pnrs)
    # Cases: oldest first, nothing after the anchor, every shape of lifecycle.
    cases = list(Case.select().order_by(Case.id))
    assert len(cases) == 600
    assert all(window <= c.received_at < anchor for c in cases)
    assert [c.received_at for c in cases] == sorted(c.received_at for c in cases)
    steps = [(c.assigned_at, c.started_at, c.answered_at, c.closed_at) for c in cases]
    assert all(t is None or t < anchor for s in steps for t in s)
    ten_days = 240 * 3600
    assert any(c.closed_at is None and c.received_at <= anchor - ten_days for c in cases)
    assert any(c.closed_at is not None and c.closed_at - c.received_at > ten_days for c in cases)
    assert any(c.closed_at is not None and c.assigned_at is None for c in cases)
    assert all(c.assignee_id is not None for c in cases if c.assigned_at is not None)
    # Accounts and logins: the Okänd region, several methods, failures, the roll-up.
    assert CitizenAccount.select().where(CitizenAccount.region.is_null()).exists()
    assert CitizenAccount.select().where(CitizenAccount.region != "01").exists()
    methods = {m for (m,) in Login.select(Login.method).distinct().tuples()}
    assert {"BankID", "Freja eID+", "E-tjänstekort"} <= methods
    assert Login.select().where(Login.success == False).exists()  # noqa: E712
    logins = Login.select().count()
    from peewee import fn

    totals = LoginDaily.select(fn.SUM(LoginDaily.succeeded), fn.SUM(LoginDaily.failed)).tuples()
    assert sum(int(v) for v in totals.get()) == logins == 900
    before = sorted(
        LoginDaily.select(
            LoginDaily.day,
            LoginDaily.region,
            LoginDaily.kind,
            LoginDaily.method,
            LoginDaily.succeeded,
            LoginDaily.failed,
        ).tuples(),
        key=str,
    )
    transfer.rebuild_login_rollup()
    after = sorted(
        LoginDaily.select(
            LoginDaily.day,
            LoginDaily.region,
            LoginDaily.kind,
            LoginDaily.method,
            LoginDaily.succeeded,
            LoginDaily.failed,
        ).tuples(),
        key=str,
    )
    assert after == before
    # One demo event; progress reached the totals.
    assert AuditEvent.select().where(AuditEvent.action == "demo").count() == 1
    assert ("ärenden", 600, 600) in progress and ("inloggningar", 900, 900) in progress


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_the_system_owner_role_fills_the_demo(backend):
    """PostgreSQL: the demo written by a role of the system-owner group, under row-level
    security (COPY FROM refuses such tables: the rows go through a staging table), gives
    the same store as the superuser's; the case indexes dropped for the load are back."""
    from models import db as dbmod
    from tests.conftest import owner_role, pg_url_as, store_as_owner

    indexes = case_indexes()
    demo.generate_demo(seed=4, **SMALL)
    expected = content_hash()
    assert case_indexes() == indexes
    role = owner_role("demo_owner")
    wipe_store()
    dbmod.open_database(pg_url_as(role))
    try:
        demo.generate_demo(seed=4, **SMALL)
    finally:
        store_as_owner()
    assert content_hash() == expected and case_indexes() == indexes


def test_demo_case_indexes_are_built_again(backend):
    indexes = case_indexes()
    demo.generate_demo(seed=2, **SMALL)
    assert case_indexes() == indexes and len(indexes) >= 6


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
@pytest.mark.parametrize("who", ["superuser", "owner"])
def test_the_demo_loads_cases_and_logins_in_bulk_and_puts_everything_back(
    backend, monkeypatch, who
):
    """PostgreSQL: the demo takes the empty case and login tables for a bulk load (no
    foreign keys or secondary indexes while it writes); afterwards each has exactly the
    constraints and indexes it had and the summaries equal a rebuild. A demo that fails
    after the loads leaves the tables as they were."""
    from models import pgsecurity
    from tests.conftest import owner_role
    from tests.test_reports_support import rebuilt_summaries, summaries
    from tests.test_transfer import _AsRole, bulk_records, bulk_shapes

    taken: list[tuple[str, bool]] = []
    begin = pgsecurity.bulk_begin
    monkeypatch.setattr(
        pgsecurity, "bulk_begin", lambda table: taken.append((table, begin(table))) or taken[-1][1]
    )
    role = owner_role("demo_bulk") if who == "owner" else None
    shapes, before = bulk_shapes(), {m.__name__: m.select().count() for m in ALL_MODELS}

    def broken(*args, **kwargs):
        raise ValidationError("trasig")

    with _AsRole(role), monkeypatch.context() as patch:
        patch.setattr(demo, "link_operator", broken)
        with pytest.raises(ValidationError):
            demo.generate_demo(seed=3, **SMALL)
    assert taken == [("case", True), ("login", True)]
    assert (bulk_shapes(), bulk_records()) == (shapes, 0)
    assert {m.__name__: m.select().count() for m in ALL_MODELS} == before
    with _AsRole(role):
        demo.generate_demo(seed=3, **SMALL)
    assert taken[2:] == [("case", True), ("login", True)]
    assert (bulk_shapes(), bulk_records()) == (shapes, 0)
    assert summaries() == rebuilt_summaries() and summaries()[0]
    assert Case.select().count() == 600 and Login.select().count() == 900


def test_the_demos_luhn_digit_is_stdnums():
    import random

    from stdnum import luhn

    rng = random.Random(11)
    for _ in range(20000):
        digits = "".join(str(rng.randrange(10)) for _ in range(rng.choice((1, 2, 9, 10, 11))))
        assert demo.luhn_digit(digits) == luhn.calc_check_digit(digits), digits
