"""Snapshots of the other pages at 80x24, on fixed data (no 'now' on screen)."""

from __future__ import annotations

import json
from datetime import date

import pytest

import models.settings
from models.entities import LANDSTINGSADMIN, AuditEvent, Grant, StaffAccount
from models.operators import resolve_operator
from models.timeutil import day_start_epoch
from tests.factories import account, build_world, make_pnr, person
from tui.app import RegionAdminApp

SIZE = (80, 24)
FIXED = 1_767_225_600  # 2026-01-01 01:00 Stockholm: every stored time on screen is fixed


@pytest.fixture
def world(sqlite_db, monkeypatch):
    # The automatic signature ends with today's date: the one clock is pinned for the
    # snapshot (models.settings reads it through stockholm_today).
    monkeypatch.setattr(models.settings, "stockholm_today", lambda: date(2026, 3, 10))
    w = build_world()
    p = person(make_pnr("19750101", "222"), "Åke", "Åberg", title="Regionadministratör")
    acc = account(p, "ake")
    acc.created_at = FIXED
    acc.save()
    Grant.create(account=acc, region="01", role=LANDSTINGSADMIN, granted_at=FIXED)
    return w


def accepted_app() -> RegionAdminApp:
    StaffAccount.update(terms_accepted_at=FIXED).where(StaffAccount.login_name == "anna").execute()
    return RegionAdminApp(resolve_operator("anna"))


def opener(page_id: str, *keys: str):
    async def run_before(pilot) -> None:
        pilot.app.open_page(page_id)
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    return run_before


def fixed_events(w) -> None:
    day = day_start_epoch(date(2026, 3, 10)) + 9 * 3600
    rows = [
        (
            day,
            "Anna Maria Andersson",
            "unit.rename",
            w.active_hsa,
            {"name": "Husläkarmottagningen Ängen"},
            {"name": "Ängen Nya"},
        ),
        (
            day + 60,
            "Anna Maria Andersson",
            "grant.add",
            w.active_hsa,
            {"personnummer": "198002022343", "roles": []},
            {"personnummer": "198002022343", "role": "ADMIN"},
        ),
        (day + 120, "Cecilia Carlsson", "settings.save", "cecilia", None, {"sms_notice": True}),
    ]
    for at, actor, action, target, before, after in rows:
        AuditEvent.create(
            at=at,
            actor=None,
            actor_name=actor,
            region="01",
            action=action,
            target=target,
            before=json.dumps(before) if before else None,
            after=json.dumps(after),
        )


def test_snapshot_terms(world, snap_compare):
    assert snap_compare(RegionAdminApp(world.op), terminal_size=SIZE)


def test_snapshot_admins(world, snap_compare):
    assert snap_compare(accepted_app(), terminal_size=SIZE, run_before=opener("lista-admin"))


def test_snapshot_case_bank(world, snap_compare):
    assert snap_compare(accepted_app(), terminal_size=SIZE, run_before=opener("central-bank"))


def test_snapshot_case_type(world, snap_compare):
    assert snap_compare(
        accepted_app(),
        terminal_size=SIZE,
        run_before=opener("central-bank", "down", "down", "enter"),
    )


def test_snapshot_settings(world, snap_compare):
    assert snap_compare(accepted_app(), terminal_size=SIZE, run_before=opener("installningar"))


def test_snapshot_settings_help(world, snap_compare):
    assert snap_compare(
        accepted_app(), terminal_size=SIZE, run_before=opener("installningar", "f1")
    )


def test_snapshot_settings_leave_prompt(world, snap_compare):
    assert snap_compare(
        accepted_app(),
        terminal_size=SIZE,
        run_before=opener("installningar", "M", "i", "a", "escape"),
    )


def test_snapshot_audit_log(world, snap_compare):
    fixed_events(world)
    assert snap_compare(accepted_app(), terminal_size=SIZE, run_before=opener("loggar"))


def test_snapshot_audit_event(world, snap_compare):
    fixed_events(world)
    assert snap_compare(
        accepted_app(), terminal_size=SIZE, run_before=opener("loggar", "down", "enter")
    )
